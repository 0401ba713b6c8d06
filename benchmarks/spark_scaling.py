"""Checking posts on Spark with one core and with two: `voicecheck.spark.check` in local[1] and local[2].

    python benchmarks/spark_scaling.py [--posts 20000] [--runs 3] [--partitions 8]

Makes N posts from the sample brand's posts and new posts (repeated, each with its own id),
caches them in Spark in a few partitions, then, for each master, checks them all against
models/maison-claire into Spark's `noop` sink (every row is computed, nothing is written):
once cold (each Python worker imports spaCy and loads the model), then --runs times warm.
Prints the cold time, the median of the warm runs and the ratio of one core to two; for
scale, the same posts through `voicecheck check` in one process. Spark binds to loopback only.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
MODELS = ROOT / "models"
SCHEMA = "brand string, id string, text string, channel string, lang string"


def sample_rows(count: int) -> list[tuple[str, str, str, str | None, str | None]]:
    from voicecheck.readers import ReadStats, read_posts

    files = [*sorted((ROOT / "samples" / "posts").iterdir()), ROOT / "samples" / "new_posts.csv"]
    posts = list(read_posts(files, ReadStats()))
    repeated = (posts[i % len(posts)] for i in range(count))
    return [("maison-claire", f"p{i}", post.text, post.channel, post.lang) for i, post in enumerate(repeated)]


def session(master: str) -> Any:
    from pyspark.sql import SparkSession

    built = (
        SparkSession.builder.master(master)
        .appName("voicecheck-spark-scaling")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.driver.memory", "2g")
        .config("spark.pyspark.python", sys.executable)
        .getOrCreate()
    )
    built.sparkContext.setLogLevel("ERROR")
    return built


def time_master(master: str, rows: list[Any], partitions: int, runs: int) -> tuple[float, list[float]]:
    """Seconds to check every row: the cold first run, then each warm run."""
    from voicecheck import spark as voicecheck_spark

    spark = session(master)
    try:
        posts = spark.createDataFrame(rows, SCHEMA).repartition(partitions).cache()
        posts.count()  # the posts are in memory before any run is timed
        times = []
        for _ in range(runs + 1):
            start = time.perf_counter()
            voicecheck_spark.check(posts, MODELS).write.format("noop").mode("overwrite").save()
            times.append(time.perf_counter() - start)
        return times[0], times[1:]
    finally:
        spark.stop()


def time_cli(rows: list[Any], runs: int) -> list[float]:
    """The same posts through `voicecheck check` in one process, start-up included."""
    import csv

    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "posts.csv"
        with open(path, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["id", "text", "channel", "lang"])
            writer.writerows(row[1:] for row in rows)
        out = Path(scratch) / "out.jsonl"
        model = MODELS / "maison-claire"
        command = [sys.executable, "-m", "voicecheck", "check", "--model", str(model), "--format", "jsonl",
                   "--fail-on", "never", "-q", "-o", str(out), str(path)]  # fmt: skip
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(command, check=True)
            times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3, help="warm runs per master, after one cold run")
    parser.add_argument("--partitions", type=int, default=8)
    args = parser.parse_args()
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)

    rows = sample_rows(args.posts)
    medians = {}
    for master in ("local[1]", "local[2]"):
        cold, warm = time_master(master, rows, args.partitions, args.runs)
        medians[master] = statistics.median(warm)
        rate = args.posts / medians[master]
        print(
            f"spark {master}: check {args.posts:,} posts: {medians[master]:.1f} s = {rate:,.0f} posts/s "
            f"(median of {args.runs} warm runs); cold first run {cold:.1f} s",
            flush=True,
        )
    print(f"spark local[2] against local[1]: {medians['local[1]'] / medians['local[2]']:.2f} times as fast")
    cli = statistics.median(time_cli(rows, args.runs))
    print(f"cli   voicecheck check, one process: {cli:.1f} s = {args.posts / cli:,.0f} posts/s (median of {args.runs})")


if __name__ == "__main__":
    main()
