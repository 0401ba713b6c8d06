"""The cross-fitting folds of a brand's posts, drawn as scikit-learn's shuffled k-fold splitters draw them.

Fitting holds each post out in one of a few folds, stratified by channel when every channel
has a post per fold (`StratifiedKFold`), else plainly (`KFold`), both shuffled by a seeded
NumPy generator. Those two functions are a few lines of NumPy, and importing scikit-learn for
them took about a second, a fifth of fitting 1,000 posts; so they are written out here,
following scikit-learn 1.x line by line, and `tests/test_folds.py` holds them to its splits.
"""

from __future__ import annotations

import numpy as np


def fold_of_each(labels: np.ndarray, folds: int, seed: int) -> np.ndarray:
    """The fold (0 to folds-1) each post is held out in, stratified by `labels` where every label allows it."""
    _, counts = np.unique(labels, return_counts=True)
    if counts.min() >= folds:
        return stratified(labels, folds, seed)
    return shuffled(len(labels), folds, seed)


def shuffled(count: int, folds: int, seed: int) -> np.ndarray:
    """`KFold(folds, shuffle=True, random_state=seed)`: a shuffled order cut in folds, the first ones a post larger."""
    order = np.arange(count)
    np.random.RandomState(seed).shuffle(order)
    sizes = np.full(folds, count // folds, dtype=int)
    sizes[: count % folds] += 1
    fold_of_row = np.empty(count, dtype=np.int64)
    fold_of_row[order] = np.repeat(np.arange(folds), sizes)
    return fold_of_row


def stratified(labels: np.ndarray, folds: int, seed: int) -> np.ndarray:
    """`StratifiedKFold(folds, shuffle=True, random_state=seed)`: each label's posts dealt to the folds, shuffled."""
    rng = np.random.RandomState(seed)
    _, first, lexical = np.unique(np.asarray(labels), return_index=True, return_inverse=True)
    _, by_appearance = np.unique(first, return_inverse=True)  # label 0 is the first to appear
    encoded = by_appearance[lexical.ravel()]
    classes = len(first)
    in_order = np.sort(encoded)
    allocation = np.asarray([np.bincount(in_order[i::folds], minlength=classes) for i in range(folds)])
    fold_of_row = np.empty(len(encoded), dtype=np.int64)
    for label in range(classes):
        folds_for_label = np.arange(folds).repeat(allocation[:, label])
        rng.shuffle(folds_for_label)
        fold_of_row[encoded == label] = folds_for_label
    return fold_of_row
