"""Which of the voice model's views earn their place: ROC-AUC of every subset of them.

    python benchmarks/voice_components.py PATH/TO/eval/twcs_support_en.csv

Same protocol as the evaluation's `voice_auc.py` (per voice: 100 posts to fit on, 100 held-out
posts of the voice and 100 posts of other voices, same seed and draws), but through the
library, so that each view's standardised score can be read before they are summed. Prints
the mean AUC over voices of the sum of each subset of views, best first. Keep a view when the
subsets with it beat those without it on every corpus; these figures are for choosing the
design, never for setting a weight.

`--candidate nearest` also scores a view that is not in the model, to decide whether it
should be: each post's cosine similarity (character n-grams, the background's IDF) to its
nearest brand post, cross-fitted as the other views are (a held-out post is compared with the
other folds' posts; a new post with each fold's complement in turn, averaged) and
standardised on the brand's held-out posts. It prints the AUC of the model's sum with the
candidate at a few weights, and the time the candidate takes per checked post.
"""

from __future__ import annotations

import argparse
import csv
import random
import time
import warnings
from itertools import combinations

import numpy as np
from sklearn.metrics import roc_auc_score

from voicecheck import api
from voicecheck.features.lexical import tfidf
from voicecheck.features.table import FeatureTable, build_table
from voicecheck.model import COMPONENTS
from voicecheck.nlp import parse
from voicecheck.readers.base import Post
from voicecheck.store import SavedModel

TRAIN, TEST = 100, 100


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


#: The weights the candidate view is tried at, against each model view's 1.
CANDIDATE_WEIGHTS = (0.25, 0.5, 0.75, 1.0)


def _fold_maxima(similarity: np.ndarray, fold_of_brand_post: np.ndarray, folds: int) -> np.ndarray:
    """posts x folds: each post's highest similarity to the brand posts of each fold."""
    return np.column_stack([similarity[:, fold_of_brand_post == fold].max(axis=1) for fold in range(folds)])


def nearest_view(saved: SavedModel, table: FeatureTable) -> tuple[np.ndarray, float]:
    """The cross-fitted nearest-neighbour view of `table`'s posts, standardised; and its seconds per post."""
    model = saved.model
    folds, fold_of_row = model.folds, model.fold_of_row_
    brand = tfidf(saved.table.chars, saved.table.lang_index, model.background_.char_idf)
    held_maxima = _fold_maxima((brand @ brand.T).toarray(), fold_of_row, folds)
    held = np.array([np.delete(held_maxima[row], fold_of_row[row]).max() for row in range(len(fold_of_row))])
    started = time.perf_counter()
    posts = tfidf(table.chars, table.lang_index, model.background_.char_idf)
    maxima = _fold_maxima((posts @ brand.T).toarray(), fold_of_row, folds)
    new = np.mean([np.delete(maxima, fold, axis=1).max(axis=1) for fold in range(folds)], axis=0)
    took = (time.perf_counter() - started) / max(len(table), 1)
    low, median, high = np.percentile(held, [25, 50, 75])
    return (new - median) / max((high - low) / 1.349, 1e-6), took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--candidate", choices=["nearest"], help="also score a view that is not in the model")
    args = parser.parse_args()
    candidate: dict[float, list[float]] = {}
    seconds: list[float] = []
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
        views = saved.model.components(table)
        truth = np.r_[np.ones(len(own)), np.zeros(len(strangers))]
        for size in range(1, len(COMPONENTS) + 1):
            for subset in combinations(range(len(COMPONENTS)), size):
                aucs.setdefault(subset, []).append(roc_auc_score(truth, views[:, subset].sum(axis=1)))
        if args.candidate:
            extra, took = nearest_view(saved, table)
            seconds.append(took)
            for weight in (0.0, *CANDIDATE_WEIGHTS):
                candidate.setdefault(weight, []).append(roc_auc_score(truth, views.sum(axis=1) + weight * extra))
    print(f"{args.corpus}: {len(voices)} voices, mean AUC of the summed views")
    for subset, values in sorted(aucs.items(), key=lambda item: -np.mean(item[1])):
        print(f"  {np.mean(values):.3f}  {' + '.join(COMPONENTS[i] for i in subset)}")
    if args.candidate:
        print(f"candidate view {args.candidate!r} ({1e6 * float(np.median(seconds)):.0f} µs per post, median):")
        for weight, values in candidate.items():
            print(f"  {np.mean(values):.3f}  every view + {weight} x {args.candidate}")


if __name__ == "__main__":
    main()
