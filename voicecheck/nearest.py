"""The nearest brand post: how closely a post echoes one of the brand's own, in its rarer n-grams.

The one-class views average over all of a post's words and n-grams, so the few that mark an
account (the names of its shows, places and people, a set phrase, a hashtag of a campaign)
weigh little among the many every account uses. This view asks instead how much of a post one
single brand post shares: the cosine similarity (character n-grams, sublinear tf times the
background's idf) of the post to its nearest brand post, counting only the n-grams that at
most RARE_SHARE (and RARE_POSTS) of the brand's posts use. The n-grams nearly every brand post
has say nothing about which one is nearest, and would make every post a neighbour of all.

It is cross-fitted as the other views are: a brand post is compared with the posts of the
other folds, and a new post with each fold's complement in turn, the results averaged, so new
posts are judged on the scale the flag threshold was set on. A brand's peers, when it has
some, give the contrast this view stands in for, and the model uses their view instead.

The comparison is an inverted index over the brand's rarer n-grams: each of a post's n-grams
meets at most RARE_POSTS brand posts, so a check costs little. A few posts are compared in
NumPy alone (a cold check never imports SciPy for it); from SCIPY_FROM_POSTS posts on, SciPy's
sparse product does the same sums in the same order, in half the time (BENCHMARKS.md, Speed).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from voicecheck.features.hashing import SCIPY_FROM_DOCUMENTS
from voicecheck.features.lexical import normed_entries
from voicecheck.features.sparse import ByFeature, Counts, dense_product

if TYPE_CHECKING:
    import scipy.sparse as sp

#: An n-gram counts towards the nearest post when at most this share of the brand's posts use it,
RARE_SHARE = 0.1
#: and at most this many, so that each n-gram of a post meets only a few brand posts.
RARE_POSTS = 20
#: At most this many (post, brand post) similarities are held at once: posts are compared in slices.
CELLS = 1 << 22
#: From this many posts at once, similarities are summed by SciPy's sparse product (the same sums).
SCIPY_FROM_POSTS = SCIPY_FROM_DOCUMENTS


def rare_columns(counts: Counts) -> np.ndarray:
    """The features that at least one and at most RARE_SHARE (and RARE_POSTS) of the brand's posts use."""
    documents = np.bincount(counts.indices, minlength=counts.shape[1])
    most = max(min(RARE_SHARE * counts.shape[0], RARE_POSTS), 1.0)
    return np.flatnonzero((documents >= 1) & (documents <= most))


@dataclass(frozen=True)
class Weights:
    """A post's tf-idf weights on the kept features, L2-normed over all its features."""

    rows: np.ndarray
    features: np.ndarray
    values: np.ndarray


def rare_weights(
    counts: Counts, lang_rows: np.ndarray, idf: np.ndarray, kept: np.ndarray, entries: np.ndarray | None = None
) -> Weights:
    """Sublinear tf times the idf of each row's language, normed over every feature, on the `kept` ones only.

    `entries`: the counts' `normed_entries` under `idf`, when they are already at hand."""
    entries = normed_entries(counts, lang_rows, idf) if entries is None else entries
    stored = np.flatnonzero(kept[counts.indices])  # positions, not a mask: three gathers by it cost less
    return Weights(counts.row_of_entry()[stored], counts.indices[stored].astype(np.int64), entries[stored])


def best_but(maxima: np.ndarray, excluded: np.ndarray) -> np.ndarray:
    """Each row's highest value over the folds but its `excluded` one."""
    masked = maxima.copy()
    masked[np.arange(len(maxima)), excluded] = -np.inf
    best: np.ndarray = masked.max(axis=1)
    return best


@dataclass
class NearestView:
    """The brand's posts, indexed by their rarer n-grams, and the fold each was held out in."""

    counts: Counts  # the brand's character n-gram counts
    lang_rows: np.ndarray
    fold_of_row: np.ndarray
    folds: int
    char_idf: np.ndarray

    @cached_property
    def _kept(self) -> np.ndarray:
        kept = np.zeros(self.counts.shape[1], dtype=bool)
        kept[rare_columns(self.counts)] = True
        return kept

    @cached_property
    def _index(self) -> tuple[ByFeature, np.ndarray]:
        """For each kept feature, the brand posts using it (their place in fold order) and their
        weights; and where each fold's posts start in fold order."""
        order = np.argsort(self.fold_of_row, kind="stable")
        place = np.empty(len(order), dtype=np.int64)
        place[order] = np.arange(len(order))
        weights = rare_weights(self.counts, self.lang_rows, self.char_idf, self._kept)
        index = ByFeature.of(place[weights.rows], weights.features, weights.values, self.counts.shape[1])
        fold_starts = np.r_[0, np.cumsum(np.bincount(self.fold_of_row, minlength=self.folds))[:-1]]
        return index, fold_starts

    def maxima(self, counts: Counts, lang_rows: np.ndarray, entries: np.ndarray | None = None) -> np.ndarray:
        """posts x folds: each post's highest similarity to the brand posts of each fold (0 if it shares none).

        `entries`: the counts' `normed_entries` under this view's idf, when they are at hand."""
        weights = rare_weights(counts, lang_rows, self.char_idf, self._kept, entries)
        out = np.zeros((counts.shape[0], self.folds))
        step = max(CELLS // max(len(self.fold_of_row), 1), 1)
        if counts.shape[0] <= step:  # one slice: all of them
            out[:] = self._fold_maxima(weights, counts.shape[0])
            return out
        for first in range(0, counts.shape[0], step):
            last = min(first + step, counts.shape[0])
            chosen = (weights.rows >= first) & (weights.rows < last)
            part = Weights(weights.rows[chosen] - first, weights.features[chosen], weights.values[chosen])
            out[first:last] = self._fold_maxima(part, last - first)
        return out

    @cached_property
    def _by_feature(self) -> sp.csr_matrix:
        """The index as a features x brand posts matrix (brand posts in fold order), for SciPy's product."""
        import scipy.sparse as sp

        index = self._index[0]
        return sp.csr_matrix(
            (index.values, index.rows, index.starts), shape=(self.counts.shape[1], len(self.fold_of_row))
        )

    def _fold_maxima(self, weights: Weights, posts: int) -> np.ndarray:
        """The maxima of `posts` posts: every (entry, brand post) pair that shares a kept feature, summed per cell.

        Both routes add a cell's products in the same order (the post's entries in turn, then
        the brand posts each meets), so they give the same sums to the bit.
        """
        if posts >= SCIPY_FROM_POSTS:
            return self._fold_maxima_by_product(weights, posts)
        index, fold_starts = self._index
        shape = (posts, len(self.fold_of_row))
        similarity = dense_product(weights.rows, weights.features, weights.values, index, shape)
        maxima: np.ndarray = np.maximum.reduceat(similarity, fold_starts, axis=1)
        return maxima

    def _fold_maxima_by_product(self, weights: Weights, posts: int) -> np.ndarray:
        import scipy.sparse as sp

        indptr = np.zeros(posts + 1, dtype=np.int64)
        np.cumsum(np.bincount(weights.rows, minlength=posts), out=indptr[1:])
        rows = sp.csr_matrix((weights.values, weights.features, indptr), shape=(posts, self.counts.shape[1]))
        similarity = (rows @ self._by_feature).toarray()
        maxima: np.ndarray = np.maximum.reduceat(similarity, self._index[1], axis=1)
        return maxima

    def heldout(self) -> np.ndarray:
        """Each brand post's similarity to its nearest brand post in the other folds."""
        return best_but(self.maxima(self.counts, self.lang_rows), self.fold_of_row)

    def new(self, counts: Counts, lang_rows: np.ndarray, entries: np.ndarray | None = None) -> np.ndarray:
        """Each new post's similarity to its nearest brand post, averaged over the folds' complements."""
        maxima = self.maxima(counts, lang_rows, entries)
        total = np.zeros(len(maxima))
        for fold in range(self.folds):
            total += best_but(maxima, np.full(len(maxima), fold))
        mean: np.ndarray = total / self.folds
        return mean
