"""Which of the voice model's views earn their place: ROC-AUC of every subset of them.

    python benchmarks/voice_components.py PATH/TO/eval/twcs_support_en.csv

Same protocol as the evaluation's `voice_auc.py` (per voice: 100 posts to fit on, 100 held-out
posts of the voice and 100 posts of other voices, same seed and draws), but through the
library, so that each view's standardised score can be read before they are summed. Prints
the mean AUC over voices of the sum of each subset of views, best first. Keep a view when the
subsets with it beat those without it on every corpus; these figures are for choosing the
design, never for setting a weight.

`--rare-share` and `--rare-posts` change which n-grams the nearest-post view compares posts
by (`voicecheck.nearest.RARE_SHARE` and `RARE_POSTS`), to show how the choice was made.
"""

from __future__ import annotations

import argparse
import csv
import random
import warnings
from itertools import combinations

import numpy as np
from sklearn.metrics import roc_auc_score

from voicecheck import api, nearest
from voicecheck.features.table import build_table
from voicecheck.model import COMPONENTS
from voicecheck.nlp import parse
from voicecheck.readers.base import Post

TRAIN, TEST = 100, 100
#: The model's views: its standardised components, then the nearest brand post (`voicecheck.nearest`).
VIEWS = (*COMPONENTS, "nearest")


def voices_of(corpus: str, seed: int) -> tuple[dict[str, list[dict[str, str]]], list[str], random.Random]:
    csv.field_size_limit(10**8)
    with open(corpus, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    by_voice: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_voice.setdefault(row["brand"], []).append(row)
    voices = sorted(v for v, posts in by_voice.items() if len(posts) >= TRAIN + 50)
    rng = random.Random(seed)
    for voice in voices:
        rng.shuffle(by_voice[voice])
    return by_voice, voices, rng


def as_posts(rows: list[dict[str, str]]) -> list[Post]:
    return [Post(id=str(i), text=row["text"], channel=row.get("channel") or None) for i, row in enumerate(rows)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rare-share", type=float, default=nearest.RARE_SHARE)
    parser.add_argument("--rare-posts", type=int, default=nearest.RARE_POSTS)
    args = parser.parse_args()
    nearest.RARE_SHARE, nearest.RARE_POSTS = args.rare_share, args.rare_posts
    by_voice, voices, rng = voices_of(args.corpus, args.seed)
    aucs: dict[tuple[int, ...], list[float]] = {}
    warnings.simplefilter("ignore")  # few posts per voice: numpy's empty-slice warnings are expected
    for voice in voices:
        own = by_voice[voice][TRAIN : TRAIN + TEST]
        others = [v for v in voices if v != voice]
        strangers = []
        while len(strangers) < len(own):
            other = rng.choice(others)
            strangers.append(rng.choice(by_voice[other][TRAIN:] or by_voice[other]))
        saved = api.fit(as_posts(by_voice[voice][:TRAIN]))
        table = build_table(parse(as_posts(own + strangers), api.judging_pipelines(saved), saved.default_lang))
        components = saved.model.components(table)
        echo = saved.model.totals(table) - components.sum(axis=1)  # the nearest-post view, as weighed
        views = np.column_stack([components, echo])
        truth = np.r_[np.ones(len(own)), np.zeros(len(strangers))]
        for size in range(1, len(VIEWS) + 1):
            for subset in combinations(range(len(VIEWS)), size):
                aucs.setdefault(subset, []).append(roc_auc_score(truth, views[:, subset].sum(axis=1)))
    rare = f"n-grams of at most {args.rare_share:g} and {args.rare_posts} of the brand's posts"
    print(f"{args.corpus}: {len(voices)} voices, mean AUC of the summed views (nearest post by {rare})")
    for subset, values in sorted(aucs.items(), key=lambda item: -np.mean(item[1])):
        print(f"  {np.mean(values):.3f}  {' + '.join(VIEWS[i] for i in subset)}")


if __name__ == "__main__":
    main()
