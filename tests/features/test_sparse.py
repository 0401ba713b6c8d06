"""Counts hold what SciPy's CSR matrices hold, and the NumPy product lists entries as SciPy's does."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from voicecheck.features import hashing, lexical
from voicecheck.features.hashing import N_FEATURES, WordHasher, occurrences, product
from voicecheck.features.sparse import Counts, stack


def assert_same(got: Counts, want: sp.csr_matrix) -> None:
    """The same entries in the same order (sums over a row's entries are taken in that order)."""
    for name in ("data", "indices", "indptr"):
        assert np.array_equal(getattr(got, name), getattr(want, name)), name
    assert got.shape == want.shape and got.dtype == want.dtype


words = st.text(alphabet="abcé 'x", min_size=1, max_size=7)
documents = st.lists(st.lists(words, max_size=9), max_size=12)


@settings(max_examples=300, deadline=None)
@given(documents)
def test_the_numpy_product_lists_the_entries_scipys_lists(docs: list[list[str]]) -> None:
    hasher = WordHasher(lexical.char_ngrams)
    occurring, distinct = occurrences(docs)
    rows = hasher._word_rows(distinct)
    assert_same(product(occurring, rows), occurring.tocsr() @ rows.tocsr())


@settings(max_examples=50, deadline=None)
@given(st.lists(st.lists(words, max_size=9), min_size=hashing.SCIPY_FROM_DOCUMENTS, max_size=80))
def test_small_and_large_batches_count_alike(docs: list[list[str]]) -> None:
    hasher = WordHasher(lexical.char_ngrams)
    large = hasher.counts(docs)  # multiplied by SciPy
    parts = [hasher.counts(docs[start : start + 10]) for start in range(0, len(docs), 10)]  # by NumPy
    together = stack(parts)
    for name in ("data", "indices", "indptr"):
        assert np.array_equal(getattr(together, name), getattr(large, name)), name


@settings(max_examples=100, deadline=None)
@given(documents, st.data())
def test_rows_sums_and_stacks_are_scipys(docs: list[list[str]], data: st.DataObject) -> None:
    counts = WordHasher(lexical.char_ngrams).counts(docs)
    matrix = counts.tocsr()
    rows = data.draw(st.lists(st.integers(0, max(len(docs) - 1, 0)), max_size=6)) if docs else []
    assert_same(counts[rows], matrix[rows])
    assert np.array_equal(counts.sum(axis=1), np.asarray(matrix.sum(axis=1)).ravel())
    assert np.array_equal(counts.sum(axis=0), np.asarray(matrix.sum(axis=0)).ravel())
    assert_same(stack([counts, counts[rows]]), sp.vstack([matrix, matrix[rows]], format="csr"))


def test_empty_counts() -> None:
    empty = Counts.empty(3, N_FEATURES, np.float32)
    assert empty.nnz == 0 and empty.sum(axis=1).tolist() == [0, 0, 0] and empty.dtype == np.float32
    assert empty.tocsr().shape == (3, N_FEATURES)


def test_presence_keeps_every_entry_where_it_is_as_one_or_zero() -> None:
    counts = Counts(np.array([3.0, 1.0, 0.0, 2.0]), np.array([5, 1, 7, 2], np.int32), np.array([0, 3, 4]), (2, 8))
    present = counts.presence()
    assert present.data.tolist() == [1.0, 1.0, 0.0, 1.0] and present.dtype == counts.dtype
    assert present.indices is counts.indices and present.indptr is counts.indptr and present.shape == counts.shape
