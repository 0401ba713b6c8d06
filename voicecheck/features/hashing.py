"""The hashing trick for words and character n-grams, computed once per distinct word.

Columns are those of scikit-learn's `HashingVectorizer` (MurmurHash3, seed 0, no sign), so
the shipped background files stay valid. The work is done per distinct word rather than per
post: a post's counts are the sum of its words' rows, and words repeat across posts, so each
word is hashed once and a batch of posts becomes one sparse product.

Counts are `sparse.Counts`, entries in the order SciPy's product leaves them: a small batch
(a cold check of one post) is multiplied with NumPy alone, a large one with SciPy, whose
import then costs less than the time its product saves.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import chain

import numpy as np
from murmurhash import hash as murmurhash3_32

from voicecheck.features.sparse import Counts

N_FEATURES = 2**18
#: Batches of this many documents or more are multiplied by SciPy (see `WordHasher.counts`).
SCIPY_FROM_DOCUMENTS = 64
#: Distinct words remembered between batches; past this the memory is cleared, so it stays flat.
CACHE_WORDS = 200_000
_MIN_INT32 = -(2**31)


def feature_indices(features: Sequence[str]) -> np.ndarray:
    """The columns of feature strings, as scikit-learn's hasher computes them."""
    hashes = np.fromiter(map(murmurhash3_32, features), dtype=np.int64, count=len(features))
    # abs() of the smallest int32 overflows in scikit-learn's C code: it has a column of its own.
    return np.where(hashes == _MIN_INT32, (2**31 - 1 - (N_FEATURES - 1)) % N_FEATURES, np.abs(hashes) % N_FEATURES)


def feature_index(feature: str) -> int:
    return int(feature_indices([feature])[0])


def occurrences(documents: Sequence[Sequence[str]]) -> tuple[Counts, list[str]]:
    """Each document's words as columns (the distinct words), one entry per occurrence, in reading order."""
    flat = list(chain.from_iterable(documents))
    distinct = list(dict.fromkeys(flat))  # in order of first appearance
    column = {word: i for i, word in enumerate(distinct)}
    indptr = np.zeros(len(documents) + 1, dtype=np.int64)
    np.cumsum([len(words) for words in documents], out=indptr[1:])
    cells = np.fromiter(map(column.__getitem__, flat), np.int64, len(flat))
    return Counts(np.ones(len(flat)), cells, indptr, (len(documents), len(distinct))), distinct


def product(occurring: Counts, rows: Counts) -> Counts:
    """`occurring @ rows` as SciPy's CSR product gives it, entries in the same order, with NumPy alone.

    SciPy adds each row's terms into one sum per column and lists the columns from the last
    to appear to the first (a column summing to 0 is left out); counts are whole numbers, so
    the sums are exact whatever order they are added in.
    """
    words, features = occurring.indices, rows.shape[1]
    lengths = np.diff(rows.indptr)[words]  # the entries each occurrence brings
    ends = np.cumsum(lengths)
    terms = int(ends[-1]) if len(ends) else 0
    take = np.repeat(rows.indptr[words] - (ends - lengths), lengths) + np.arange(terms)
    cell = np.repeat(occurring.row_of_entry(), lengths) * features + rows.indices[take]
    weights = np.repeat(occurring.data, lengths) * rows.data[take]
    order, cell = _in_order_of(cell, occurring.shape[0] * features)
    starts = np.flatnonzero(np.concatenate(([True], cell[1:] != cell[:-1]))) if terms else np.zeros(0, dtype=np.int64)
    first = order[starts]  # where each (row, column) first appears
    totals = np.add.reduceat(weights[order], starts) if len(starts) else np.zeros(0)
    row = cell[starts] // features
    # Row by row, the latest to first appear first: unique keys, so any sort orders them alike.
    listed = np.argsort(row * max(terms, 1) + (terms - 1 - first))
    listed = listed[totals[listed] != 0]
    indptr = np.zeros(occurring.shape[0] + 1, dtype=np.int64)
    np.cumsum(np.bincount(row[listed], minlength=occurring.shape[0]), out=indptr[1:])
    columns = (cell[starts[listed]] % features).astype(np.int32)
    return Counts(totals[listed], columns, indptr, (occurring.shape[0], features))


def _in_order_of(cell: np.ndarray, cells: int) -> tuple[np.ndarray, np.ndarray]:
    """The stable order of `cell` (values below `cells`), and `cell` sorted by it.

    Each value is keyed with its position, so the keys are unique and NumPy's fastest sort,
    which is not stable, gives the stable order; keys too large for 64 bits are argsorted.
    """
    terms = len(cell)
    if terms == 0 or cells * terms >= 2**63:
        order = np.argsort(cell, kind="stable")
        return order, cell[order]
    keyed = np.sort(cell * terms + np.arange(terms))
    return keyed % terms, keyed // terms


class WordHasher:
    """Counts of hashed features per document, where a document is a sequence of words.

    `features_of(word)` lists the features one word contributes (itself, or its character
    n-grams). Each word's hashed row (its columns, ascending, and how often each occurs in
    it) is kept for the next batch, all words' rows end to end in one pool.
    """

    def __init__(self, features_of: Callable[[str], list[str]]) -> None:
        self._features_of = features_of
        self._span: dict[str, tuple[int, int]] = {}  # a word's row: where it starts and ends in the pool
        self._size = 0  # of the pool, which holds room to grow
        self._columns = np.zeros(4096, dtype=np.int32)
        self._counts = np.zeros(4096, dtype=np.float64)

    def counts(self, documents: Sequence[Sequence[str]]) -> Counts:
        occurring, distinct = occurrences(documents)
        rows = self._word_rows(distinct)
        if len(documents) < SCIPY_FROM_DOCUMENTS:
            return product(occurring, rows)
        return Counts.of(occurring.tocsr() @ rows.tocsr())

    def _word_rows(self, words: list[str]) -> Counts:
        """One row per word: the count of each feature it has, columns ascending (as `sum_duplicates` leaves them)."""
        if len(self._span) + len(words) > CACHE_WORDS:
            self._span.clear()
            self._size = 0
        new = [word for word in words if word not in self._span]
        if new:
            self._hash(new)
        spans = np.array([self._span[word] for word in words], dtype=np.int64).reshape(len(words), 2)
        lengths = spans[:, 1] - spans[:, 0]
        indptr = np.zeros(len(words) + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        take = np.repeat(spans[:, 0] - indptr[:-1], lengths) + np.arange(indptr[-1])
        return Counts(self._counts[take], self._columns[take], indptr, (len(words), N_FEATURES))

    def _hash(self, words: list[str]) -> None:
        """Hash new words' features and add their rows to the pool."""
        features = [self._features_of(word) for word in words]
        columns = feature_indices(list(chain.from_iterable(features)))
        word_of = np.repeat(np.arange(len(words)), [len(f) for f in features])
        order = np.lexsort((columns, word_of))  # by word, then column
        word_of, columns = word_of[order], columns[order]
        first = np.ones(len(columns), dtype=bool)
        first[1:] = (word_of[1:] != word_of[:-1]) | (columns[1:] != columns[:-1])
        starts = np.flatnonzero(first)
        counts = np.diff(np.append(starts, len(columns))).astype(np.float64)  # an n-gram twice in a word counts twice
        ends = np.searchsorted(word_of[starts], np.arange(1, len(words) + 1))
        bounds = np.concatenate([[0], ends]) + self._size
        self._span.update(zip(words, zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True), strict=True))
        self._append(columns[starts], counts)

    def _append(self, columns: np.ndarray, counts: np.ndarray) -> None:
        end = self._size + len(columns)
        if end > len(self._columns):  # double the room, so a run copies the pool a few times only
            room = max(2 * len(self._columns), end)
            self._columns = np.concatenate([self._columns[: self._size], np.zeros(room - self._size, np.int32)])
            self._counts = np.concatenate([self._counts[: self._size], np.zeros(room - self._size)])
        self._columns[self._size : end] = columns
        self._counts[self._size : end] = counts
        self._size = end
