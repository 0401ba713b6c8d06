"""Check posts against each brand's voice model on Spark, writing one JSON object per post.

    spark-submit --master 'local[2]' examples/spark_check.py --models models \\
        --brand maison-claire samples/new_posts.csv build/results

POSTS are CSV files with a header (or a folder of them) with the columns brand, id, text and
channel, and lang where known; --brand names the brand of files that have no brand column.
--models is a folder with one model folder per brand, named as the brand, on storage every
node of the cluster reads. Results go to OUT as JSON Lines (one part file per partition),
with the fields of `voicecheck check --format jsonl` and the brand; a post that could not
be judged has `error` set.
"""

from __future__ import annotations

import argparse

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

from voicecheck import spark as voicecheck_spark


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("posts", help="CSV file or folder of posts")
    parser.add_argument("out", help="folder to write the results to (replaced)")
    parser.add_argument("--models", required=True, help="folder with one model folder per brand")
    parser.add_argument("--brand", help="the brand of posts whose files have no brand column")
    args = parser.parse_args(argv)

    session = SparkSession.builder.appName("voicecheck check").getOrCreate()
    # Quoted fields may hold line breaks and doubled quotes, as spreadsheets write them.
    posts = session.read.csv(args.posts, header=True, multiLine=True, escape='"')
    if args.brand and "brand" not in posts.columns:
        posts = posts.withColumn("brand", F.lit(args.brand))

    results = voicecheck_spark.check(posts, args.models)
    results.write.mode("overwrite").option("ignoreNullFields", False).json(args.out)  # nulls kept, as the CLI writes

    written = session.read.schema(voicecheck_spark.CHECK_SCHEMA).json(args.out)
    verdicts = {row["verdict"]: row["count"] for row in written.groupBy("verdict").count().collect()}
    total = sum(verdicts.values())
    print(
        f"checked {total} posts: {verdicts.get('drift', 0)} drift, {verdicts.get('on-voice', 0)} on-voice, "
        f"{verdicts.get('insufficient', 0)} too short to judge, {verdicts.get(None, 0)} not judged (see error)"
    )


if __name__ == "__main__":
    main()
