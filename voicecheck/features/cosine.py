"""Cosine similarity of posts to every one of the brand's posts, as one fast product.

Both sides are L2-normed sparse tf-idf rows, so similarity is a sparse product. A lone post (a
draft, a pre-commit hook's file) is multiplied in NumPy alone, with the sums SciPy's product
would give, so that explaining a flagged draft never imports SciPy (about 90 ms of a cold
check): once SciPy is loaded its product is the faster, for one post too, but by a tenth of a
millisecond; from two posts on it is used (BENCHMARKS.md, Speed). For large batches the cost
is driven by the n-grams that most brand posts share (" th", "you "): each is met in nearly
every brand post. Those few columns are multiplied as dense arrays (BLAS), the long tail of
rarer n-grams as sparse ones; the sum is the same product, to rounding.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from voicecheck.features.sparse import ByFeature, Counts, dense_product

if TYPE_CHECKING:
    import scipy.sparse as sp

#: A column is dense when at least this share of the brand's posts have it...
DENSE_SHARE = 0.05
#: ...and the dense block stays under this many cells (8 bytes each).
DENSE_CELLS = 2**21
#: Batches smaller than this are multiplied in NumPy, the same sums as SciPy's without its import...
SCIPY_FROM_ROWS = 2
#: ...and smaller than this take SciPy's plain sparse product: splitting costs more than it saves.
SPLIT_FROM_ROWS = 64


class BrandVectors:
    """The brand's posts as tf-idf rows (posts x features), ready to be compared with."""

    def __init__(self, vectors: Counts) -> None:
        self.vectors = vectors

    def similarity(self, rows: Counts) -> np.ndarray:
        """Cosine similarity of each of `rows` (L2-normed tf-idf, float64) to each brand post."""
        if rows.shape[1] != self.vectors.shape[1]:
            raise ValueError(f"rows of {rows.shape[1]} features against brand rows of {self.vectors.shape[1]}")
        if rows.shape[0] < SCIPY_FROM_ROWS:
            return dense_product(
                rows.row_of_entry(), rows.indices, rows.data, self._by_feature, (rows.shape[0], self.vectors.shape[0])
            )
        matrix = rows.tocsr()
        if rows.shape[0] < SPLIT_FROM_ROWS:
            return np.asarray((matrix @ self._whole).todense())
        split = self._split
        out = np.asarray((_without(matrix, split.is_dense) @ split.sparse).todense())
        if len(split.dense_columns):
            out += matrix[:, split.dense_columns].toarray() @ split.dense
        return out

    @property
    def dense_columns(self) -> np.ndarray:
        """The n-grams multiplied as dense arrays in large batches."""
        return self._split.dense_columns

    @cached_property
    def _by_feature(self) -> ByFeature:
        vectors = self.vectors
        return ByFeature.of(vectors.row_of_entry(), vectors.indices, vectors.data, vectors.shape[1])

    @cached_property
    def _whole(self) -> sp.csr_matrix:
        return self.vectors.tocsr().T.tocsr()  # features x posts

    @cached_property
    def _split(self) -> _Split:
        return _Split(self.vectors.tocsr())


class _Split:
    """The brand's rows split into the columns most of its posts share (dense) and the rest (sparse)."""

    def __init__(self, vectors: sp.csr_matrix) -> None:
        posts, features = vectors.shape
        share = np.bincount(vectors.indices, minlength=features) / max(posts, 1)
        budget = DENSE_CELLS // max(posts, 1)
        common = np.argsort(-share, kind="stable")[:budget]
        self.dense_columns = np.sort(common[share[common] >= DENSE_SHARE])
        self.is_dense = np.zeros(features, dtype=bool)
        self.is_dense[self.dense_columns] = True
        self.dense = np.ascontiguousarray(vectors[:, self.dense_columns].toarray().T)  # columns x posts
        self.sparse = _without(vectors, self.is_dense).T.tocsr()  # features x posts


def _without(matrix: sp.csr_matrix, columns: np.ndarray) -> sp.csr_matrix:
    """`matrix` with the given (boolean mask) columns zeroed and dropped from its storage."""
    kept = matrix.copy()
    kept.data[columns[kept.indices]] = 0
    kept.eliminate_zeros()
    return kept
