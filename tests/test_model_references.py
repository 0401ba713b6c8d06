"""The voice model's references, made in one pass over the counts, equal each set's own sums to the bit."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from voicecheck.model import _total, fold_ratios
from voicecheck.nlp import LANGUAGES
from voicecheck.store import SavedModel


def one_set(counts: sp.csr_matrix, lang_rows: np.ndarray, background: np.ndarray, smoothing: float) -> np.ndarray:
    """The ratios of one set of posts, summed over its own rows: what each reference was made by."""
    out = np.zeros_like(background, dtype=np.float32)
    for lang in range(len(LANGUAGES)):
        rows = np.flatnonzero(lang_rows == lang)
        if not len(rows):
            continue
        totals = np.asarray(counts[rows].sum(axis=0)).ravel()
        out[lang] = np.log(smoothing / (totals.sum() + smoothing))
        used = np.flatnonzero(totals)
        out[lang, used] += np.log1p(totals[used] / (smoothing * background[lang, used]))
    return out


def expected(counts: sp.csr_matrix, lang_rows: np.ndarray, fold_of_row: np.ndarray, folds: int,
             background: np.ndarray, smoothing: float) -> list[np.ndarray]:  # fmt: skip
    sets = [np.flatnonzero(fold_of_row != fold) for fold in range(folds)] + [np.arange(counts.shape[0])]
    return [one_set(counts[rows], lang_rows[rows], background, smoothing) for rows in sets]


def assert_same(got: np.ndarray, want: np.ndarray) -> None:
    assert got.dtype == want.dtype and got.shape == want.shape
    assert np.array_equal(got, want)


def check_model(saved: SavedModel) -> None:
    model, table = saved.model, saved.table
    for counts, background, references, mean in (
        (table.chars, model.background_.chars, "char_llr", model.fold_char_llr_),
        (table.words, model.background_.words, "word_llr", model.fold_word_llr_),
    ):
        want = expected(counts, table.lang_index, model.fold_of_row_, model.folds, background, model.smoothing)
        for got, wanted in zip([*model.fold_references_, model.reference_], want, strict=True):
            assert_same(getattr(got, references), wanted)
        assert_same(mean, np.mean(want[:-1], axis=0))


def test_a_fitted_models_references_equal_each_sets_own_sums(fitted: SavedModel) -> None:
    check_model(fitted)  # counts as fitting makes them (float64)


def test_a_loaded_models_references_equal_each_sets_own_sums(sample_model: SavedModel) -> None:
    check_model(sample_model)  # counts as a saved model holds them (float32)


@st.composite
def brands(draw: st.DrawFn) -> tuple[sp.csr_matrix, np.ndarray, np.ndarray, int, np.ndarray]:
    posts = draw(st.integers(2, 40))
    features = draw(st.integers(1, 60))
    folds = draw(st.integers(2, 6))
    cells = draw(st.lists(st.integers(0, 9), min_size=posts * features, max_size=posts * features))
    dense = np.array(cells, dtype=np.float64).reshape(posts, features)
    dense[dense < 5] = 0  # sparse, as counts are
    dtype = draw(st.sampled_from([np.float32, np.float64]))
    counts = sp.csr_matrix(dense.astype(dtype))
    lang_rows = np.array(draw(st.lists(st.integers(0, len(LANGUAGES) - 1), min_size=posts, max_size=posts)))
    fold_of_row = np.array(draw(st.lists(st.integers(0, folds - 1), min_size=posts, max_size=posts)))
    seed = draw(st.integers(0, 2**32 - 1))
    background = np.random.default_rng(seed).dirichlet(np.ones(features), size=len(LANGUAGES)).astype(np.float32)
    return counts, lang_rows, fold_of_row, folds, background


@settings(max_examples=200, deadline=None)
@given(brands(), st.sampled_from([1.0, 250.0, 2000.0]))
def test_fold_ratios_equal_each_sets_own_sums(brand: tuple, smoothing: float) -> None:  # type: ignore[type-arg]
    counts, lang_rows, fold_of_row, folds, background = brand
    ratios = fold_ratios(counts, lang_rows, fold_of_row, folds, background, smoothing)
    want = expected(counts, lang_rows, fold_of_row, folds, background, smoothing)
    for index, wanted in enumerate(want):
        assert_same(ratios.full(index), wanted)
    assert_same(ratios.mean(slice(0, folds)), np.mean(want[:-1], axis=0))


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_totals_past_float32s_exact_range_are_summed_as_over_every_feature(seed: int) -> None:
    """Past 2**24 a float32 sum rounds, and the order of the additions shows: the zeros count too."""
    rng = np.random.default_rng(seed)
    features = int(rng.integers(100, 300_000))
    columns = np.sort(rng.choice(features, size=int(rng.integers(1, min(features, 60_000))), replace=False))
    totals = rng.integers(1, 2**15, size=len(columns)).astype(np.float32)
    dense = np.zeros(features, dtype=np.float32)
    dense[columns] = totals
    assert _total(totals, columns, features) == dense.sum()
