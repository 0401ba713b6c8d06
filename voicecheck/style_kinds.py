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
#: each costs a comparison of every feature, for every post checked (sixty keep a check
#: within a tenth of the centre's time).
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

    The closeness to a brand post is the centre's measure, `-mean(log1p(z²))` over the features
    with z in the spreads `std`; a typography share either post has no mark for counts one
    spread, as it does from the centre, and a feature either lacks otherwise (no tagger) is left
    out. Without `smart_punctuation` its marks are left out.

    With `fold_stds` and `brand_folds`, the mean over the folds of each fold's typicality: its
    nearest posts outside it, in its spreads, as the held-out posts were scored. The candidates
    are found once in `std`, and only the RERANKED nearest of them are measured in each fold's.
    """
    keep = np.ones(posts.shape[1], dtype=bool)
    if not smart_punctuation:
        keep[SMART_PUNCTUATION_COLUMNS] = False
    keep &= ~(np.isnan(posts).all(axis=0) | np.isnan(brand).all(axis=0)) | _SHARES  # a feature no post has
    shares, others = keep & _SHARES, keep & ~_SHARES
    # in single precision: the distances only rank brand posts and average five of them
    posts, brand = posts.astype(np.float32), brand.astype(np.float32)
    std, fold_stds = std.astype(np.float32), [spread.astype(np.float32) for spread in fold_stds or []] or None
    sparse = bool(np.isnan(posts[:, others]).any() or np.isnan(brand[:, others]).any())
    out = np.zeros(len(posts))
    for start, chunk in zip(range(0, len(posts), _CHUNK), _chunks(posts), strict=True):
        distance = _distances(chunk, brand[None], std, shares, others, sparse)
        if fold_stds is None or brand_folds is None:
            out[start : start + len(chunk)] = _closeness(distance)
            continue
        out[start : start + len(chunk)] = _by_folds(
            chunk, brand, distance, fold_stds, brand_folds, shares, others, sparse
        )
    return out


def _by_folds(
    posts: np.ndarray,
    brand: np.ndarray,
    distance: np.ndarray,
    fold_stds: list[np.ndarray],
    brand_folds: np.ndarray,
    shares: np.ndarray,
    others: np.ndarray,
    sparse: bool,
) -> np.ndarray:
    """The mean over the folds of each fold's closeness: its RERANKED nearest posts outside it by
    `distance`, measured again in its spreads, all folds at once (folds x posts x candidates)."""
    inside = brand_folds[None, :] == np.arange(len(fold_stds))[:, None]  # folds x brand posts
    count = min(RERANKED, int((~inside).sum(axis=1).min()))
    if not count:  # a fold holds every post of the group: none is left to compare with
        return np.zeros(len(posts))
    masked = np.where(inside[:, None, :], np.inf, distance[None])  # folds x posts x brand posts
    candidates = np.argpartition(masked, count - 1, axis=2)[..., :count]
    spreads = np.stack(fold_stds)[:, None, None, :]
    remeasured = _distances(posts[None], brand[candidates], spreads, shares, others, sparse)
    return np.asarray(_closeness(remeasured).mean(axis=0))


def _closeness(distance: np.ndarray) -> np.ndarray:
    """Minus the mean distance to the NEAREST_POSTS nearest brand posts (brand posts on the last axis)."""
    k = min(NEAREST_POSTS, distance.shape[-1])
    if not k:
        return np.zeros(distance.shape[:-1])
    return np.asarray(-np.partition(distance, k - 1, axis=-1)[..., :k].mean(axis=-1))


def _distances(
    posts: np.ndarray, brand: np.ndarray, std: np.ndarray, shares: np.ndarray, others: np.ndarray, sparse: bool
) -> np.ndarray:
    """Mean `log1p(z²)` between posts and brand posts, on the last axis but one.

    `posts` is (... x) posts x features, `brand` (... x) 1 or posts x brand posts x features, and
    `std` the spreads, broadcast against them (one set, or one per fold).
    """
    with np.errstate(invalid="ignore"):
        typography = np.square(posts[..., None, shares] / std[..., shares] - brand[..., shares] / std[..., shares])
        typography = np.nan_to_num(np.log1p(typography, out=typography), nan=_ONE_SPREAD)  # no mark: one spread
        total = typography.sum(axis=-1)
        rest = np.square(posts[..., None, others] / std[..., others] - brand[..., others] / std[..., others])
        rest = np.log1p(rest, out=rest)
        if not sparse:
            return np.asarray((total + rest.sum(axis=-1)) / (shares.sum() + others.sum()))
        counted = shares.sum() + (~np.isnan(rest)).sum(axis=-1)
        return np.asarray((total + np.nansum(rest, axis=-1)) / counted)


def _chunks(rows: np.ndarray) -> list[np.ndarray]:
    return [rows[start : start + _CHUNK] for start in range(0, len(rows), _CHUNK)]
