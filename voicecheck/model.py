"""The voice model: what a brand's posts have in common, and how far a new post is from it.

Three views of a post are compared with the brand's own posts, each blind to other brands:
  - `words` and `ngrams`: how much likelier the post's words and character n-grams are under
    the brand's language model than under ordinary language (a log-likelihood ratio);
  - `style`: how typical its style features are of the brand on that channel.
The two lexical views are means over a post's words or n-grams, and a mean over more of them
is surer: their distance from the brand's typical value is weighed by the square root of the
post's length against a typical brand post's (as a t statistic grows with its sample), so a
long post that drifts a little counts more than a two-word reply that happens to. Each view
is then standardised on posts held out during fitting (cross-fitting), the three are
summed, and the sum is turned into a percentile among the brand's held-out posts. The flag
threshold is that percentile's `false_flag_rate` quantile, so about that share of the
brand's own posts would be flagged. New posts are scored by the same fold references that
scored the held-out posts, so that they are judged on the scale the threshold was set on.

Character n-gram similarity to the nearest brand posts is not a view: on the evaluation
corpora it added nothing to the three above (BENCHMARKS.md, "Which views earn their place").
It only picks the brand posts shown as examples beside a flagged post.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import scipy.sparse as sp

from voicecheck.features.cosine import BrandVectors
from voicecheck.features.lexical import tfidf
from voicecheck.features.style import STYLE_FEATURES, comparable
from voicecheck.features.table import FeatureTable
from voicecheck.nlp import LANGUAGES

COMPONENTS = ("words", "ngrams", "style")
#: The views that are means over a post's occurrences, weighed by its length.
LEXICAL = slice(0, 2)
#: A style feature's spread never counts as narrower than this (in its comparable unit).
_STD_FLOOR = {"count": 0.35, "per100": 1.5, "mean": 0.6, "flag": 0.25}
STYLE_STD_FLOOR = np.array([_STD_FLOOR[f.unit] for f in STYLE_FEATURES])
#: A channel needs this many posts before it gets style statistics of its own.
MIN_CHANNEL_POSTS = 15


@dataclass
class Background:
    """Ordinary-language probabilities per language (rows follow LANGUAGES)."""

    chars: np.ndarray  # languages x features
    words: np.ndarray

    @cached_property
    def char_idf(self) -> np.ndarray:
        return -np.log(self.chars)


@dataclass
class StyleStats:
    mean: np.ndarray
    std: np.ndarray
    count: int

    @classmethod
    def of(cls, style: np.ndarray) -> StyleStats:
        values = comparable(style)
        with np.errstate(all="ignore"):
            mean = np.nanmean(values, axis=0) if len(values) else np.zeros(values.shape[1])
            std = np.nanstd(values, axis=0) if len(values) else np.zeros(values.shape[1])
        mean = np.nan_to_num(mean)
        return cls(mean, np.maximum(np.nan_to_num(std), STYLE_STD_FLOOR), len(values))


@dataclass
class Reference:
    """What one set of brand posts says about the voice: all that scoring needs."""

    char_llr: np.ndarray  # languages x features
    word_llr: np.ndarray
    core_style: StyleStats
    channel_style: dict[str, StyleStats] = field(default_factory=dict)


def _llr(counts: sp.csr_matrix, lang_rows: np.ndarray, background: np.ndarray, smoothing: float) -> np.ndarray:
    """log P(feature | brand) / P(feature | ordinary language), per language, smoothed."""
    out = np.zeros_like(background, dtype=np.float32)
    for lang in range(len(LANGUAGES)):
        rows = np.flatnonzero(lang_rows == lang)
        if not len(rows):
            continue
        totals = np.asarray(counts[rows].sum(axis=0)).ravel()
        brand = (totals + smoothing * background[lang]) / (totals.sum() + smoothing)
        out[lang] = np.log(brand / background[lang])
    return out


def _mean_llr(counts: sp.csr_matrix, lang_rows: np.ndarray, llr: np.ndarray) -> np.ndarray:
    """Each post's mean log-likelihood ratio per feature occurrence, under its language's model."""
    row_of_entry = np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr))
    ratios = llr[lang_rows[row_of_entry], counts.indices]  # read where the posts have features only
    sums = np.bincount(row_of_entry, weights=counts.data * ratios, minlength=counts.shape[0])
    sizes = np.bincount(row_of_entry, weights=counts.data, minlength=counts.shape[0])
    return sums / np.maximum(sizes, 1.0)


def _sizes(table: FeatureTable) -> np.ndarray:
    """How many words and character n-grams each post has: what its lexical views average over."""
    return np.column_stack([np.asarray(table.words.sum(axis=1)).ravel(), np.asarray(table.chars.sum(axis=1)).ravel()])


class VoiceModel:
    """One-class model of a brand's voice, fitted on its posts alone (no other brands)."""

    def __init__(
        self,
        false_flag_rate: float = 0.05,
        folds: int = 5,
        smoothing: float = 2000.0,
        random_state: int = 0,
    ) -> None:
        self.false_flag_rate = false_flag_rate
        self.folds = folds
        self.smoothing = smoothing
        self.random_state = random_state

    # -- fitting ---------------------------------------------------------------------------
    def fit(self, table: FeatureTable, background: Background) -> VoiceModel:
        if len(table) < self.folds:
            raise ValueError(f"need at least {self.folds} posts to fit, got {len(table)}")
        self.background_ = background
        channels = np.array(table.channels())
        self.fold_of_row_ = np.zeros(len(table), dtype=np.int64)
        for fold, (_, test) in enumerate(self._splits(channels)):
            self.fold_of_row_[test] = fold
        self.build_references(table)
        heldout = np.zeros((len(table), len(COMPONENTS)))
        for fold, reference in enumerate(self.fold_references_):
            test = np.flatnonzero(self.fold_of_row_ == fold)
            heldout[test] = self._components(table, test, reference)
        sizes = _sizes(table)
        self.typical_value_ = np.median(heldout, axis=0)
        self.typical_size_ = np.maximum(np.median(sizes, axis=0), 1.0)
        heldout = self._weigh_by_length(heldout, sizes)
        # Median and interquartile range: a few odd posts (another language, a one-word reply)
        # must not widen the brand's range and shrink every other post's distance from it.
        low, self.component_mean_, high = np.percentile(heldout, [25, 50, 75], axis=0)
        self.component_std_ = np.maximum((high - low) / 1.349, 1e-6)
        totals = self._standardise(heldout).sum(axis=1)
        self.calibration_ = np.sort(totals)
        self.threshold_ = float(np.quantile(totals, self.false_flag_rate))
        self.heldout_scores_ = self._percentile(totals)
        return self

    def build_references(self, table: FeatureTable) -> None:
        """The fold references (for scoring) and the full one (for explanations)."""
        self.train_vectors_ = BrandVectors(tfidf(table.chars, table.lang_index, self.background_.char_idf))
        self.fold_references_ = [
            self._reference(table, np.flatnonzero(self.fold_of_row_ != fold)) for fold in range(self.folds)
        ]
        self.reference_ = self._reference(table, np.arange(len(table)))
        # A mean log-likelihood ratio is linear in the ratios, so the folds' average score is
        # the score under their average ratios: one product instead of one per fold.
        self.fold_word_llr_ = np.mean([ref.word_llr for ref in self.fold_references_], axis=0)
        self.fold_char_llr_ = np.mean([ref.char_llr for ref in self.fold_references_], axis=0)

    def _splits(self, channels: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        from sklearn.model_selection import KFold, StratifiedKFold  # fitting only: checks start faster

        _, counts = np.unique(channels, return_counts=True)
        if counts.min() >= self.folds:
            splitter = StratifiedKFold(self.folds, shuffle=True, random_state=self.random_state)
            return list(splitter.split(channels, channels))
        plain = KFold(self.folds, shuffle=True, random_state=self.random_state)
        return list(plain.split(channels))

    def _reference(self, table: FeatureTable, rows: np.ndarray) -> Reference:
        lang_rows = table.lang_index[rows]
        channels = np.array(table.channels())[rows]
        style = table.style[rows]
        per_channel = {}
        for channel in np.unique(channels):
            mask = channels == channel
            if channel and mask.sum() >= MIN_CHANNEL_POSTS:
                per_channel[str(channel)] = StyleStats.of(style[mask])
        return Reference(
            char_llr=_llr(table.chars[rows], lang_rows, self.background_.chars, self.smoothing),
            word_llr=_llr(table.words[rows], lang_rows, self.background_.words, self.smoothing),
            core_style=StyleStats.of(style),
            channel_style=per_channel,
        )

    # -- scoring ---------------------------------------------------------------------------
    def similarity(self, table: FeatureTable, rows: np.ndarray | None = None) -> np.ndarray:
        """Cosine similarity (character n-gram tf-idf) of posts to every training post."""
        rows = np.arange(len(table)) if rows is None else rows
        vectors = tfidf(table.chars[rows], table.lang_index[rows], self.background_.char_idf)
        return self.train_vectors_.similarity(vectors)

    def _components(self, table: FeatureTable, rows: np.ndarray, reference: Reference) -> np.ndarray:
        lang_rows = table.lang_index[rows]
        return np.column_stack([
            _mean_llr(table.words[rows], lang_rows, reference.word_llr),
            _mean_llr(table.chars[rows], lang_rows, reference.char_llr),
            self._style_typicality(table, rows, reference),
        ])  # fmt: skip

    def _style_typicality(self, table: FeatureTable, rows: np.ndarray, reference: Reference) -> np.ndarray:
        return -np.nanmean(np.log1p(self.style_z(table, rows, reference) ** 2), axis=1)

    def style_z(self, table: FeatureTable, rows: np.ndarray, reference: Reference | None = None) -> np.ndarray:
        """Each post's style features in standard deviations from its channel (or the core)."""
        reference = reference or self.reference_
        values = comparable(table.style[rows])
        channels = np.array([table.posts[i].channel or "" for i in rows])
        z = np.empty_like(values)
        for channel in np.unique(channels):
            mask = channels == channel
            stats = self.style_stats(str(channel), reference)
            z[mask] = (values[mask] - stats.mean) / stats.std
        return z

    def style_stats(self, channel: str | None, reference: Reference | None = None) -> StyleStats:
        reference = reference or self.reference_
        return reference.channel_style.get(channel or "", reference.core_style)

    def _weigh_by_length(self, raw: np.ndarray, sizes: np.ndarray) -> np.ndarray:
        """Each view's distance from the brand's typical value, the lexical ones weighed by length."""
        weighed = raw - self.typical_value_
        weighed[:, LEXICAL] *= np.sqrt(np.maximum(sizes, 1.0) / self.typical_size_)
        return weighed

    def _standardise(self, components: np.ndarray) -> np.ndarray:
        """Components on the scale of the brand's held-out posts (median 0, IQR-based spread 1)."""
        standardised: np.ndarray = (components - self.component_mean_) / self.component_std_
        return standardised

    def _percentile(self, totals: np.ndarray) -> np.ndarray:
        return 100.0 * np.searchsorted(self.calibration_, totals, side="right") / len(self.calibration_)

    def score(self, table: FeatureTable) -> tuple[np.ndarray, np.ndarray]:
        """(score 0-100, below the flag threshold) for every post of `table`."""
        totals = self.components(table).sum(axis=1)
        return self._percentile(totals), totals < self.threshold_

    def components(self, table: FeatureTable) -> np.ndarray:
        """Each post's COMPONENTS, standardised on the brand's held-out posts (their sum is scored)."""
        if not hasattr(self, "reference_"):
            from sklearn.exceptions import NotFittedError

            raise NotFittedError("fit the VoiceModel before scoring")
        rows = np.arange(len(table))
        # Scored like the held-out posts the threshold was calibrated on: by references that
        # each saw 1 - 1/folds of the brand's posts, averaged. The full reference would see
        # more of the brand and score every post higher than the calibration expects.
        folds = self.fold_references_
        raw = np.column_stack([
            _mean_llr(table.words, table.lang_index, self.fold_word_llr_),
            _mean_llr(table.chars, table.lang_index, self.fold_char_llr_),
            np.mean([self._style_typicality(table, rows, ref) for ref in folds], axis=0),
        ])  # fmt: skip
        return self._standardise(self._weigh_by_length(raw, _sizes(table)))
