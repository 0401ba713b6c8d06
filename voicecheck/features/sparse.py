"""Rows of hashed feature counts, held as SciPy's CSR format holds them, without importing SciPy.

A check of a few posts reads its counts only through their three arrays (where each row's
entries start, their columns, their counts), which NumPy does on its own; importing
`scipy.sparse` would take longer than the whole check of a post after spaCy's start-up.
SciPy is imported only by what does sparse algebra: `tocsr` gives the same matrix to the
code that needs it (similarities to the brand's posts, peers, reports, fitting).

Entries keep the order they were made in, as SciPy keeps them, because sums over a row's
entries (a post's mean log-likelihood ratio, a tf-idf norm) are taken in that order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import scipy.sparse as sp


@dataclass(frozen=True, eq=False)
class Counts:
    """A posts x features matrix of counts, in compressed sparse row form."""

    data: np.ndarray  # each entry's count
    indices: np.ndarray  # each entry's column
    indptr: np.ndarray  # where each row's entries start, and the last one ends
    shape: tuple[int, int]

    @classmethod
    def empty(cls, rows: int, features: int, dtype: type = np.float64) -> Counts:
        return cls(np.zeros(0, dtype), np.zeros(0, np.int32), np.zeros(rows + 1, np.int64), (rows, features))

    @classmethod
    def of(cls, matrix: sp.csr_matrix) -> Counts:
        """The counts of a SciPy CSR matrix, its entries in the same order."""
        return cls(matrix.data, matrix.indices, matrix.indptr, (int(matrix.shape[0]), int(matrix.shape[1])))

    @property
    def dtype(self) -> np.dtype:
        return self.data.dtype

    @property
    def nnz(self) -> int:
        return len(self.data)

    def presence(self) -> Counts:
        """1 for each feature a row has, however many times it has it."""
        return Counts((self.data > 0).astype(self.data.dtype), self.indices, self.indptr, self.shape)

    def row_of_entry(self) -> np.ndarray:
        return np.repeat(np.arange(self.shape[0]), np.diff(self.indptr))

    def sum(self, axis: int) -> np.ndarray:
        """Row (axis 1) or column (axis 0) totals, in the data's type, as `csr_matrix.sum` gives them.

        Counts are whole numbers, so the totals are exact whatever order they are added in.
        """
        if axis == 1:
            totals = np.bincount(self.row_of_entry(), weights=self.data, minlength=self.shape[0])
        else:
            totals = np.bincount(self.indices, weights=self.data, minlength=self.shape[1])
        return totals.astype(self.dtype)

    def __getitem__(self, rows: np.ndarray | Sequence[int]) -> Counts:
        """The given rows, in that order (as `csr_matrix[rows]` gives them)."""
        rows = np.asarray(rows, dtype=np.int64).reshape(-1)
        starts, ends = self.indptr[rows], self.indptr[rows + 1]
        lengths = ends - starts
        indptr = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        take = np.repeat(starts - indptr[:-1], lengths) + np.arange(indptr[-1])
        return Counts(self.data[take], self.indices[take], indptr, (len(rows), self.shape[1]))

    def tocsr(self) -> sp.csr_matrix:
        """The same matrix as SciPy's, for sparse algebra (this imports SciPy)."""
        import scipy.sparse as sp

        return sp.csr_matrix((self.data, self.indices, self.indptr), shape=self.shape)


def stack(parts: Sequence[Counts]) -> Counts:
    """The rows of `parts` one after the other (as `scipy.sparse.vstack` of them gives)."""
    if not parts:
        raise ValueError("nothing to stack")
    offsets = np.cumsum([0] + [part.nnz for part in parts[:-1]])
    indptr = np.concatenate([[0]] + [part.indptr[1:] + offset for part, offset in zip(parts, offsets, strict=True)])
    return Counts(
        np.concatenate([part.data for part in parts]),
        np.concatenate([part.indices for part in parts]),
        indptr.astype(np.int64),
        (sum(part.shape[0] for part in parts), parts[0].shape[1]),
    )


@dataclass(frozen=True, eq=False)
class ByFeature:
    """A matrix's entries grouped by column (a features x rows index), as SciPy's CSR matrix of
    them holds its rows: within a feature, the entries keep the order they were given in."""

    starts: np.ndarray  # where each feature's entries start, and the last one ends
    rows: np.ndarray  # each entry's row
    values: np.ndarray

    @classmethod
    def of(cls, rows: np.ndarray, features: np.ndarray, values: np.ndarray, feature_count: int) -> ByFeature:
        """The index of entries given as (row, feature, value); entries of rows in increasing order
        give SciPy's transpose of those rows."""
        order = np.argsort(features, kind="stable")  # stable: a feature's rows stay in order
        starts = np.zeros(feature_count + 1, dtype=np.int64)
        np.cumsum(np.bincount(features, minlength=feature_count), out=starts[1:])
        return cls(starts, rows[order], values[order])


def dense_product(
    rows: np.ndarray, features: np.ndarray, values: np.ndarray, index: ByFeature, shape: tuple[int, int]
) -> np.ndarray:
    """The dense product of sparse entries (row, feature, value) with a by-feature index: each
    cell sums, for every feature its row shares with the index's row, the two values' product.

    Cells are added in the order SciPy's CSR product adds them (a row's entries in turn, then
    the index rows each meets), each product taken in float64, so for float64 values the sums
    are those of SciPy's product to the bit (a SciPy built to fuse the multiply and the add
    would round once less), in NumPy alone: a lone post is compared without importing SciPy.
    """
    posts, width = shape  # width: the index's rows
    begin = index.starts[features]
    lengths = index.starts[features + 1] - begin  # the index rows each entry meets
    ends = np.cumsum(lengths)
    meets = np.repeat(begin - (ends - lengths), lengths) + np.arange(ends[-1] if len(ends) else 0)
    cells = np.repeat(rows * width, lengths) + index.rows[meets]
    weighted = np.repeat(values, lengths) * index.values[meets]
    summed: np.ndarray = np.bincount(cells, weights=weighted, minlength=posts * width).reshape(posts, width)
    return summed
