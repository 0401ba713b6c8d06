"""Folds drawn as scikit-learn's shuffled KFold and StratifiedKFold draw them, post for post."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.model_selection import KFold, StratifiedKFold

from voicecheck.folds import fold_of_each, shuffled, stratified


def folds_of(splits: object, count: int) -> np.ndarray:
    fold_of_row = np.full(count, -1)
    for fold, (_, test) in enumerate(splits):  # type: ignore[call-overload]
        fold_of_row[test] = fold
    return fold_of_row


channels = st.lists(st.sampled_from(["facebook", "instagram", "linkedin", "x", "", "blog"]), min_size=5, max_size=300)


@settings(max_examples=200, deadline=None)
@given(channels, st.integers(2, 5), st.integers(0, 2**31 - 1))
def test_plain_folds_are_kfolds(labels: list[str], folds: int, seed: int) -> None:
    splitter = KFold(folds, shuffle=True, random_state=seed)
    assert np.array_equal(shuffled(len(labels), folds, seed), folds_of(splitter.split(labels), len(labels)))


@settings(max_examples=200, deadline=None)
@given(channels, st.integers(2, 5), st.integers(0, 2**31 - 1))
def test_stratified_folds_are_stratified_kfolds(labels: list[str], folds: int, seed: int) -> None:
    if np.unique(labels, return_counts=True)[1].min() < folds:
        labels = labels + sorted(set(labels)) * folds  # every channel with a post per fold
    splitter = StratifiedKFold(folds, shuffle=True, random_state=seed)
    got = stratified(np.array(labels), folds, seed)
    assert np.array_equal(got, folds_of(splitter.split(labels, labels), len(labels)))


def test_a_channel_with_fewer_posts_than_folds_falls_back_to_plain_folds() -> None:
    labels = np.array(["x"] * 20 + ["blog"] * 2)
    assert np.array_equal(fold_of_each(labels, 5, 0), shuffled(len(labels), 5, 0))
    assert np.array_equal(fold_of_each(labels[:20], 5, 0), stratified(labels[:20], 5, 0))
