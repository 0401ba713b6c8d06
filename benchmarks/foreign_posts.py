"""Which posts of each voice corpus would be named as written in another language, and in which.

    python benchmarks/foreign_posts.py --eval-dir PATH/TO/eval [--show 3]

Reads every post of every corpus as `check` does (spaCy, the feature table's tokens) and asks
`voicecheck.foreign.OtherLanguages.of` of each, as judging asks it of every flagged post: an
upper bound on the posts whose reasons name another language. Prints, per corpus, how many
posts are named, in which languages, and a few of each, so that a post wrongly named (an
English or French one) shows; and how many posts reached the character model at all.
"""

from __future__ import annotations

import argparse
import csv
from collections import Counter
from pathlib import Path

from voicecheck import foreign
from voicecheck.core import Post
from voicecheck.features.table import build_table
from voicecheck.nlp import Pipelines, parse


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--eval-dir", type=Path, required=True)
    parser.add_argument("--show", type=int, default=3, help="posts shown per language")
    args = parser.parse_args()
    csv.field_size_limit(10**8)
    languages = foreign.shipped()
    pipelines = Pipelines("auto")
    asked = 0
    real_model = foreign._character_model

    def counted() -> object:
        nonlocal asked
        asked += 1
        return real_model()

    foreign._character_model = counted  # type: ignore[assignment]
    for corpus in sorted(args.eval_dir.glob("*.csv")):
        with open(corpus, encoding="utf-8") as handle:
            rows = [row for row in csv.DictReader(handle) if "brand" in row]
        if not rows:
            continue
        posts = [Post(str(i), row["text"], row.get("channel") or None) for i, row in enumerate(rows)]
        asked = 0
        named: dict[str, list[str]] = {}
        for start in range(0, len(posts), 2000):
            table = build_table(parse(posts[start : start + 2000], pipelines))
            for post, words in zip(table.posts, table.tokens, strict=True):
                if language := languages.of(post.text, words):
                    named.setdefault(language, []).append(post.text)
        counts = Counter({language: len(texts) for language, texts in named.items()})
        total = sum(counts.values())
        languages_named = dict(counts.most_common())
        print(f"{corpus.name}: {len(posts)} posts, {asked} to the character model, {total} named: {languages_named}")
        for language, _ in counts.most_common():
            for text in named[language][: args.show]:
                print(f"    {language} | {' '.join(text.split())[:110]}")


if __name__ == "__main__":
    main()
