"""Brands whose posts come in kinds: the style view against the nearest brand posts.

The style view reads how far a post is from the brand's centre, feature by feature (a Cauchy
log-density: `-log1p(z²)`). A brand whose posts come in kinds (support replies from a few
templates, short event notices beside long statements) has no post near its centre, and
its own short notices read as far from it as another voice's. For such a brand the view
reads instead how close a post is to the few brand posts nearest it in style.

Which brands those are, the brand's own posts tell, without any other voice: held out fold
by fold, they are likelier under a density made of one Cauchy kernel at each brand post than
under the single one at the centre, by more than twice the standard error of the difference.
On a brand with one kind of post the centre stays: its finer shifts (a little longer, one
more comma) are what tell other voices apart (BENCHMARKS.md, "Model format 12").
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from voicecheck.features.style import SHARE_COLUMNS, SMART_PUNCTUATION_COLUMNS, STYLE_FEATURES

#: How many of the brand's nearest posts a post's style is compared with.
NEAREST_POSTS = 5
#: The most brand posts of a group a post is compared with (evenly spaced among its posts):
#: each costs a comparison of every feature, for every post checked (eighty keep a check
#: within a few hundredths of the centre's time: BENCHMARKS.md, "Model format 12").
MAX_NEIGHBOURS = 80
#: The most brand posts the density test places a kernel at (evenly spaced): a brand's kinds
#: show in a few hundred, and a large brand's test stays a second.
MAX_KERNELS = 400
#: For a new post, how many of its nearest brand posts (in the brand's spreads) are measured
#: again in each fold's spreads: the few nearest in one are the nearest in the other.
RERANKED = 2 * NEAREST_POSTS
#: How many standard errors the kernel density's held-out likelihood must win by.
STANDARD_ERRORS = 2.0
#: Rows compared at once: posts x brand posts x features stay a few megabytes.
_CHUNK = 256
#: Which style features are typography shares.
_SHARES = np.zeros(len(STYLE_FEATURES), dtype=bool)
_SHARES[SHARE_COLUMNS] = True
#: A share one post has no mark for, one spread away: log1p(1²).
_ONE_SPREAD = float(np.log1p(1.0))


@dataclass(frozen=True)
class KindsTest:
    """The density test's evidence: the held-out posts' mean log-likelihood gain near the brand's
    posts over its centre, and the margin it must clear (two standard errors)."""

    gain: float
    margin: float

    @property
    def passed(self) -> bool:
        return self.gain > self.margin


def kinds_test(
    values: np.ndarray, fold_of_row: np.ndarray, means: list[np.ndarray], stds: list[np.ndarray]
) -> KindsTest:
    """Whether the brand's held-out posts are likelier near its posts than near its centre.

    `values` are the brand's comparable style values, `means` and `stds` each fold's centre
    and spreads (from the posts outside it). Only the features no brand post lacks count, so
    that both densities are read over the same features for every post.
    """
    from scipy.special import logsumexp  # fitting only: a check never imports SciPy

    dense = ~np.isnan(values).any(axis=0)
    gains = []
    for fold, (mean, std) in enumerate(zip(means, stds, strict=True)):
        outside = values[_evenly(np.flatnonzero(fold_of_row != fold), MAX_KERNELS)][:, dense]
        held_out = values[fold_of_row == fold][:, dense]
        if not dense.any() or not len(held_out) or not len(outside):
            continue
        spread = std[dense]
        centre = -np.log1p(((held_out - mean[dense]) / spread) ** 2).sum(axis=1)
        kernels = np.concatenate([
            -np.log1p(((chunk[:, None, :] - outside[None, :, :]) / spread) ** 2).sum(axis=2)
            for chunk in _chunks(held_out)
        ])  # fmt: skip
        gains.append(logsumexp(kernels, axis=1) - np.log(len(outside)) - centre)  # log of the kernels' mean
    gain = np.concatenate(gains) if gains else np.zeros(0)
    if len(gain) < 2:
        return KindsTest(0.0, 0.0)
    return KindsTest(float(gain.mean()), float(STANDARD_ERRORS * gain.std(ddof=1) / np.sqrt(len(gain))))


def neighbour_rows(members: np.ndarray) -> np.ndarray:
    """The brand posts of a group a post is compared with: all of them, or MAX_NEIGHBOURS evenly spaced."""
    return _evenly(members, MAX_NEIGHBOURS)


def _evenly(rows: np.ndarray, most: int) -> np.ndarray:
    """`rows`, or `most` of them evenly spaced."""
    if len(rows) <= most:
        return rows
    return rows[np.linspace(0, len(rows) - 1, most).round().astype(np.int64)]


def nearest_typicality(
    posts: np.ndarray,
    brand: np.ndarray,
    std: np.ndarray,
    smart_punctuation: bool,
    fold_stds: list[np.ndarray] | None = None,
    brand_folds: np.ndarray | None = None,
) -> np.ndarray:
    """Each post's style typicality against its NEAREST_POSTS nearest `brand` posts.

    The closeness to a brand post is the centre's measure, `-mean(log(1 + z²))` over the features
    with z in the spreads `std`; a typography share either post has no mark for counts one
    spread, as it does from the centre, and a feature either lacks otherwise (no tagger) is left
    out. Without `smart_punctuation` its marks are left out.

    With `fold_stds` and `brand_folds`, the mean over the folds of each fold's typicality: its
    nearest posts outside it, in its spreads, as the held-out posts were scored. The candidates
    are found once in `std`, and only the RERANKED nearest of them are measured in each fold's.
    """
    return BrandStyles.of(brand, std, smart_punctuation, fold_stds, brand_folds).typicality(posts)


@dataclass(frozen=True)
class BrandStyles:
    """Brand posts a post's style is compared with, made ready once for every post checked against
    them: in single precision, the features compared in order (typography shares first), and in
    the spreads (`nearest_typicality`)."""

    columns: np.ndarray  # the features compared, as columns of the style values
    shares: int  # how many of them, first, are typography shares
    brand: np.ndarray  # brand posts x columns
    spread: np.ndarray  # columns
    scaled: np.ndarray  # the brand posts in the spreads
    brand_lacks: bool  # whether some brand post lacks a feature other than a share (no tagger for it)
    folds: _Folds | None

    @classmethod
    def of(
        cls,
        brand: np.ndarray,
        std: np.ndarray,
        smart_punctuation: bool,
        fold_stds: list[np.ndarray] | None = None,
        brand_folds: np.ndarray | None = None,
    ) -> BrandStyles:
        keep = np.ones(brand.shape[1], dtype=bool)
        if not smart_punctuation:
            keep[SMART_PUNCTUATION_COLUMNS] = False
        keep &= ~np.isnan(brand).all(axis=0) | _SHARES  # a feature no brand post has
        shares = keep & _SHARES
        columns = np.concatenate([np.flatnonzero(shares), np.flatnonzero(keep & ~_SHARES)])
        # in single precision: the distances only rank brand posts and average five of them
        values, spread = brand.astype(np.float32)[:, columns], std.astype(np.float32)[columns]
        folds = None
        if fold_stds is not None and brand_folds is not None:
            spreads = np.stack([fold.astype(np.float32)[columns] for fold in fold_stds])  # folds x features
            folds = _Folds(spreads[:, None, :], values[None] / spreads[:, None, :], brand_folds)
        typography = int(shares.sum())
        lacks = bool(np.isnan(values[:, typography:]).any())
        return cls(columns, typography, values, spread, values / spread, lacks, folds)

    def typicality(self, posts: np.ndarray) -> np.ndarray:
        """`nearest_typicality` of `posts` (posts x style values) against these brand posts."""
        posts = posts.astype(np.float32)[:, self.columns]
        present = np.ones(len(self.columns), dtype=bool)  # a feature none of `posts` has is left out
        present[self.shares :] = ~np.isnan(posts[:, self.shares :]).all(axis=0)
        if not present.all():
            return self._only(present)._typicality(posts[:, present])
        return self._typicality(posts)

    def _typicality(self, posts: np.ndarray) -> np.ndarray:
        sparse = self.brand_lacks or bool(np.isnan(posts[:, self.shares :]).any())
        features = _Features(self.shares, len(self.columns) - self.shares, sparse)
        out = np.zeros(len(posts))
        for start, chunk in zip(range(0, len(posts), _CHUNK), _chunks(posts), strict=True):
            distance = _distances((chunk / self.spread)[:, None, :], self.scaled[None], features)
            if self.folds is None:
                out[start : start + len(chunk)] = _closeness(distance)
            else:
                out[start : start + len(chunk)] = _by_folds(chunk, distance, self.folds, features)
        return out

    def _only(self, present: np.ndarray) -> BrandStyles:
        """These brand posts on the `present` features alone."""
        brand = self.brand[:, present]
        folds = self.folds and _Folds(
            self.folds.spreads[..., present], self.folds.brand[..., present], self.folds.of_brand_post
        )
        lacks = bool(np.isnan(brand[:, self.shares :]).any())
        return BrandStyles(
            self.columns[present], self.shares, brand, self.spread[present], self.scaled[:, present], lacks, folds
        )


@dataclass(frozen=True)
class _Features:
    """How many of the features compared are typography shares (they come first), and how many
    others, and whether any of those others is missing for some post (no tagger for it)."""

    shares: int
    others: int
    sparse: bool


@dataclass(frozen=True)
class _Folds:
    """Each fold's spreads (folds x 1 x features), the brand posts in them (folds x brand posts x
    features), and each brand post's fold."""

    spreads: np.ndarray
    brand: np.ndarray
    of_brand_post: np.ndarray


def _by_folds(posts: np.ndarray, distance: np.ndarray, folds: _Folds, features: _Features) -> np.ndarray:
    """The mean over the folds of each fold's closeness: its RERANKED nearest posts outside it by
    `distance`, measured again in its spreads, all folds at once (folds x posts x candidates)."""
    count_folds = len(folds.spreads)
    inside = folds.of_brand_post[None, :] == np.arange(count_folds)[:, None]  # folds x brand posts
    count = min(RERANKED, int((~inside).sum(axis=1).min()))
    if not count:  # a fold holds every post of the group: none is left to compare with
        return np.zeros(len(posts))
    masked = np.where(inside[:, None, :], np.inf, distance[None])  # folds x posts x brand posts
    candidates = np.argpartition(masked, count - 1, axis=2)[..., :count]
    candidates_scaled = folds.brand[np.arange(count_folds)[:, None, None], candidates]  # folds x posts x count
    remeasured = _distances((posts[None] / folds.spreads)[:, :, None, :], candidates_scaled, features)
    return np.asarray(_closeness(remeasured).mean(axis=0))


def _closeness(distance: np.ndarray) -> np.ndarray:
    """Minus the mean distance to the NEAREST_POSTS nearest brand posts (brand posts on the last axis)."""
    k = min(NEAREST_POSTS, distance.shape[-1])
    if not k:
        return np.zeros(distance.shape[:-1])
    return np.asarray(-np.partition(distance, k - 1, axis=-1)[..., :k].mean(axis=-1))


def _distances(posts: np.ndarray, brand: np.ndarray, features: _Features) -> np.ndarray:
    """Mean `log(1 + z²)` over the features (the last axis) between posts and brand posts, both
    already in spreads and broadcast against each other; the first `features.shares` are shares."""
    with np.errstate(invalid="ignore"):
        logs = np.subtract(posts, brand)
        logs = _log_one_plus(np.square(logs, out=logs))
        typography = logs[..., : features.shares]
        np.copyto(typography, _ONE_SPREAD, where=np.isnan(typography))  # no mark: one spread
        if not features.sparse:
            return np.asarray(logs.sum(axis=-1) / (features.shares + features.others))
        rest = logs[..., features.shares :]
        counted = features.shares + (~np.isnan(rest)).sum(axis=-1)
        return np.asarray(np.nansum(logs, axis=-1) / counted)


def _log_one_plus(squares: np.ndarray) -> np.ndarray:
    """`log(1 + x)` in place. NumPy's `log1p`, exact near 0, has no vectorised loop and costs five
    times `log`: for distances that only rank brand posts and average five, a unit in the last
    place near 0 changes nothing, and the nearest posts' style costs a check half as much."""
    return np.log(np.add(squares, 1.0, out=squares), out=squares)


def _chunks(rows: np.ndarray) -> list[np.ndarray]:
    return [rows[start : start + _CHUNK] for start in range(0, len(rows), _CHUNK)]
