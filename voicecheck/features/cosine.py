"""Cosine similarity of posts to every one of the brand's posts, as one fast product.

Both sides are L2-normed sparse tf-idf rows, so similarity is a sparse product. Its cost is
driven by the n-grams that most brand posts share (" th", "you "): each is met in nearly
every brand post. Those few columns are multiplied as dense arrays (BLAS), the long tail of
rarer n-grams as sparse ones; the sum is the same product, to rounding.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

#: A column is dense when at least this share of the brand's posts have it...
DENSE_SHARE = 0.05
#: ...and the dense block stays under this many cells (8 bytes each).
DENSE_CELLS = 2**21
#: Batches smaller than this take the plain sparse product: splitting costs more than it saves.
SPLIT_FROM_ROWS = 64


class BrandVectors:
    """The brand's posts as tf-idf rows (posts x features), ready to be compared with."""

    def __init__(self, vectors: sp.csr_matrix) -> None:
        vectors = sp.csr_matrix(vectors)
        posts, features = vectors.shape
        share = np.bincount(vectors.indices, minlength=features) / max(posts, 1)
        budget = DENSE_CELLS // max(posts, 1)
        common = np.argsort(-share, kind="stable")[:budget]
        self.dense_columns = np.sort(common[share[common] >= DENSE_SHARE])
        is_dense = np.zeros(features, dtype=bool)
        is_dense[self.dense_columns] = True
        self._is_dense = is_dense
        self._dense = np.ascontiguousarray(vectors[:, self.dense_columns].toarray().T)  # columns x posts
        self._sparse = _without(vectors, is_dense).T.tocsr()  # features x posts
        self._whole = vectors.T.tocsr()

    def similarity(self, rows: sp.csr_matrix) -> np.ndarray:
        """Cosine similarity of each of `rows` (L2-normed tf-idf) to each brand post."""
        rows = sp.csr_matrix(rows)
        if rows.shape[0] < SPLIT_FROM_ROWS:
            return np.asarray((rows @ self._whole).todense())
        out = np.asarray((_without(rows, self._is_dense) @ self._sparse).todense())
        if len(self.dense_columns):
            out += rows[:, self.dense_columns].toarray() @ self._dense
        return out


def _without(matrix: sp.csr_matrix, columns: np.ndarray) -> sp.csr_matrix:
    """`matrix` with the given (boolean mask) columns zeroed and dropped from its storage."""
    kept = matrix.copy()
    kept.data[columns[kept.indices]] = 0
    kept.eliminate_zeros()
    return kept
