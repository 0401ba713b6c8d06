"""The hashing trick for words and character n-grams, computed once per distinct word.

Columns are those of scikit-learn's `HashingVectorizer` (MurmurHash3, seed 0, no sign), so
the shipped background files stay valid. The work is done per distinct word rather than per
post: a post's counts are the sum of its words' rows, and words repeat across posts, so each
word is hashed once and a batch of posts becomes one sparse product.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import chain

import numpy as np
import scipy.sparse as sp
from murmurhash import hash as murmurhash3_32

N_FEATURES = 2**18
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


def occurrences(documents: Sequence[Sequence[str]]) -> tuple[sp.csr_matrix, list[str]]:
    """How often each distinct word occurs in each document, and the distinct words (the columns)."""
    flat = list(chain.from_iterable(documents))
    distinct = list(dict.fromkeys(flat))  # in order of first appearance
    column = {word: i for i, word in enumerate(distinct)}
    indptr = np.zeros(len(documents) + 1, dtype=np.int64)
    np.cumsum([len(words) for words in documents], out=indptr[1:])
    cells = np.fromiter(map(column.__getitem__, flat), np.int64, len(flat))
    matrix = sp.csr_matrix((np.ones(len(flat)), cells, indptr), shape=(len(documents), len(distinct)))
    return matrix, distinct


class WordHasher:
    """Counts of hashed features per document, where a document is a sequence of words.

    `features_of(word)` lists the features one word contributes (itself, or its character
    n-grams); its hashed row is kept for the next batch.
    """

    def __init__(self, features_of: Callable[[str], list[str]]) -> None:
        self._features_of = features_of
        self._rows: dict[str, np.ndarray] = {}  # a word's columns, one per feature it has

    def counts(self, documents: Sequence[Sequence[str]]) -> sp.csr_matrix:
        per_document, distinct = occurrences(documents)
        counts: sp.csr_matrix = per_document @ self._word_rows(distinct)
        return counts

    def _word_rows(self, words: list[str]) -> sp.csr_matrix:
        if len(self._rows) + len(words) > CACHE_WORDS:
            self._rows.clear()
        new = [word for word in words if word not in self._rows]
        if new:
            self._hash(new)
        rows = [self._rows[word] for word in words]
        indptr = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum([len(row) for row in rows], out=indptr[1:])
        indices = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
        matrix = sp.csr_matrix((np.ones(len(indices)), indices, indptr), shape=(len(rows), N_FEATURES))
        matrix.sum_duplicates()  # an n-gram twice in a word counts twice
        return matrix

    def _hash(self, words: list[str]) -> None:
        features = [self._features_of(word) for word in words]
        columns = feature_indices(list(chain.from_iterable(features)))
        ends = np.cumsum([len(f) for f in features])[:-1]
        self._rows.update(zip(words, np.split(columns, ends), strict=True))
