"""The least any check that tokenizes with spaCy must spend: import spaCy, tokenize the posts.

    python benchmarks/spacy_floor.py POSTS.csv

Reads the `text` column of a CSV, imports spaCy, makes the blank English pipeline and runs
its tokenizer over every post, as voicecheck's blank pipeline does, and nothing else: no
model, no features, no output. `run.py` times it as a whole process beside `voicecheck
check` on the same files, so the two are compared start-up included. It prints the seconds
the import and the tokenizing took, measured inside the process.
"""

from __future__ import annotations

import csv
import sys
import time


def main() -> None:
    with open(sys.argv[1], encoding="utf-8", newline="") as handle:
        texts = [row["text"] for row in csv.DictReader(handle)]
    start = time.perf_counter()
    import spacy

    nlp = spacy.blank("en")
    loaded = time.perf_counter()
    tokens = sum(len(doc) for doc in nlp.tokenizer.pipe(texts, batch_size=1000))
    done = time.perf_counter()
    print(f"import and blank pipeline {loaded - start:.2f} s, tokenizing {len(texts)} posts "
          f"({tokens} tokens) {done - loaded:.2f} s")  # fmt: skip


if __name__ == "__main__":
    main()
