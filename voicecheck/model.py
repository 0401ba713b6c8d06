"""The voice model: what a brand's posts have in common, and how far a new post is from it.

Three views of a post are compared with the brand's own posts, each blind to other brands:
  - `words` and `ngrams`: how much likelier the post's words and character n-grams are under
    the brand's language model than under ordinary language (a log-likelihood ratio);
  - `style`: how typical its style features are of the brand on that channel (and, for a
    brand that writes in several languages, in that language on that channel).
The two lexical views are means over the distinct words or n-grams a post has (repeats count
once, see `features.table`), and a mean over more of them is surer: their distance from the
brand's typical value is weighed by the square root of that number against a typical brand
post's (as a t statistic grows with its sample), so a long post that drifts a little counts
more than a two-word reply that happens to. Each view
is then standardised on posts held out during fitting (cross-fitting), per language where
the brand has enough posts in it, the three are summed, and the sum is turned into a
percentile among the brand's held-out posts. The flag threshold is that percentile's
`false_flag_rate` quantile, so about that share of the brand's own posts would be flagged.
New posts are scored by the same fold references that scored the held-out posts, so that
they are judged on the scale the threshold was set on.

A fourth view is how closely the post echoes its nearest brand post in the rarer n-grams
(`voicecheck.nearest`): the averaged views let an account's own names and phrases drown among
the words everyone uses; the nearest post does not. With peers it weighs half, beside their
view (`voicecheck.peers`), which brings contrast of its own. Similarity over all n-grams picks
the brand posts shown as examples beside a flagged post.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from voicecheck.features.lexical import mean_per_post, normed_entries, tfidf_rows
from voicecheck.features.style import SHARE_COLUMNS, SMART_PUNCTUATION_COLUMNS, STYLE_FEATURES, comparable
from voicecheck.features.table import FeatureTable
from voicecheck.i18n import gettext
from voicecheck.nlp import LANGUAGES
from voicecheck.style_kinds import BrandStyles, KindsTest, kinds_test, nearest_typicality, neighbour_rows

if TYPE_CHECKING:
    from voicecheck.features.cosine import BrandVectors
    from voicecheck.features.sparse import Counts
    from voicecheck.nearest import NearestView
    from voicecheck.peers import PeerView

COMPONENTS = ("words", "ngrams", "style")
#: The views that are means over a post's occurrences, weighed by its length.
LEXICAL = slice(0, 2)
#: A style feature's spread never counts as narrower than this (in its comparable unit).
_STD_FLOOR = {"count": 0.35, "per100": 1.5, "mean": 0.6, "flag": 0.25, "share": 0.25}
STYLE_STD_FLOOR = np.array([_STD_FLOOR[f.unit] for f in STYLE_FEATURES])
#: A channel (or, for a brand that writes in several languages, a language on a channel)
#: needs this many posts before it gets style statistics and a range of its own.
MIN_CHANNEL_POSTS = 15
#: A language needs this many of the brand's posts before its views get a scale of their own.
MIN_LANGUAGE_POSTS = 30
#: How much the nearest-post view (`voicecheck.nearest`) weighs in the sum, against each view's 1;
NEAREST_WEIGHT = 1.0
#: and beside the peer view, which brings contrast of its own.
NEAREST_WEIGHT_WITH_PEERS = 0.5
#: Its spread never counts as narrower than this (cosine similarity): a brand whose posts share
#: few rare n-grams must not have every small difference in similarity blown up.
NEAREST_SPREAD_FLOOR = 0.02
#: The brand's posts a post is compared with: (channel, language), "" meaning any.
Group = tuple[str, str]


def comparison_groups(channels: Sequence[str], langs: Sequence[str]) -> dict[Group, np.ndarray]:
    """The groups of brand posts large enough to judge a post against, and their rows.

    Every channel with MIN_CHANNEL_POSTS posts. A brand that writes in more than one language
    also gets each language on each channel, and each language across channels: a French
    post's word length or function words are judged against the brand's French.
    """
    channels_array, langs_array = np.asarray(channels, dtype=object), np.asarray(langs, dtype=object)
    on_channel = {str(channel): channels_array == channel for channel in sorted(set(channels)) if channel}
    candidates: dict[Group, np.ndarray] = {(channel, ""): mask for channel, mask in on_channel.items()}
    written = [lang for lang in sorted(set(langs)) if np.sum(langs_array == lang) >= MIN_CHANNEL_POSTS]
    if len(written) > 1:
        for lang in written:
            in_lang = langs_array == lang
            candidates.update({(channel, lang): mask & in_lang for channel, mask in on_channel.items()})
            candidates["", lang] = in_lang
    return {key: np.flatnonzero(mask) for key, mask in candidates.items() if mask.sum() >= MIN_CHANNEL_POSTS}


def group_of(groups: Mapping[Group, object], channel: str | None, lang: str) -> Group | None:
    """The narrowest of `groups` a post on `channel` in `lang` belongs to (None: the whole brand)."""
    for key in ((channel or "", lang), (channel or "", ""), ("", lang)):
        if key in groups:
            return key
    return None


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
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # a feature no post has (no tagger): NaN
            mean = np.nanmean(values, axis=0) if len(values) else np.zeros(values.shape[1])
            std = np.nanstd(values, axis=0) if len(values) else np.zeros(values.shape[1])
        # A typography share no post has a mark for reads as 0: the keyboard's way (' " ... "Bravo!").
        mean = np.nan_to_num(mean)
        return cls(mean, np.maximum(np.nan_to_num(std), STYLE_STD_FLOOR), len(values))


@dataclass
class StyleReference:
    """The brand's style statistics over one set of its posts: overall and per comparison group."""

    core_style: StyleStats
    group_style: dict[Group, StyleStats] = field(default_factory=dict)

    @classmethod
    def of(cls, table: FeatureTable, rows: np.ndarray) -> StyleReference:
        style, channels, langs = table.style[rows], table.channels(), table.langs
        groups = comparison_groups([channels[i] for i in rows], [langs[i] for i in rows])
        return cls(StyleStats.of(style), {key: StyleStats.of(style[members]) for key, members in groups.items()})


@dataclass
class Reference:
    """What one set of brand posts says about the voice: all that scoring needs."""

    char_llr: np.ndarray  # languages x features
    word_llr: np.ndarray
    core_style: StyleStats
    group_style: dict[Group, StyleStats] = field(default_factory=dict)


#: Below this, float32 sums of whole numbers are exact whatever the order they are added in.
_EXACT_FLOAT32 = 2.0**24


@dataclass
class Ratios:
    """Log-likelihood ratios (`log P(feature | brand) / P(feature | ordinary language)`, per
    language, smoothed) of several sets of the brand's posts over one hashed feature space.

    Held over the features the brand used (`columns`) only: every other feature has its
    language's floor ratio, so a set's full ratios are made only when something reads them.
    """

    columns: np.ndarray  # the features the brand used, ascending
    floor: np.ndarray  # sets x languages, float32: the ratio of a feature the set never used
    used: np.ndarray  # sets x languages x columns, float32
    features: int

    def full(self, index: int) -> np.ndarray:
        """Set `index`'s ratios over every feature (languages x features)."""
        return self._expand(self.floor[index], self.used[index])

    def mean(self, sets: slice) -> np.ndarray:
        """The mean of `sets`' full ratios, as `np.mean` of them gives, computed over the used columns."""
        stacked = np.concatenate([self.used[sets], self.floor[sets][:, :, None]], axis=2)
        mean = np.mean(stacked, axis=0)  # elementwise: the same floats as over the full arrays
        return self._expand(mean[:, -1], mean[:, :-1])

    def _expand(self, floor: np.ndarray, used: np.ndarray) -> np.ndarray:
        out = np.empty((len(floor), self.features), dtype=np.float32)
        out[:] = floor[:, None]
        out[:, self.columns] = used
        return out


def fold_ratios(
    counts: Counts,
    lang_rows: np.ndarray,
    fold_of_row: np.ndarray,
    folds: int,
    background: np.ndarray,
    smoothing: float,
) -> Ratios:
    """The ratios of the brand's posts without each fold in turn (sets 0 to folds-1), then of all of them.

    Column totals are summed once per fold and language in one pass over the counts, and a
    set's totals are the whole's less its fold's. Counts are whole numbers, so these are the
    very totals each set's own sum gives, and the ratios are the same to the last bit.
    """
    langs, features = len(LANGUAGES), counts.shape[1]
    seen = np.zeros(features, dtype=bool)
    seen[counts.indices] = True
    columns = np.flatnonzero(seen)
    compact = np.zeros(features, dtype=np.int64)
    compact[columns] = np.arange(len(columns))
    group_of_row = fold_of_row * langs + lang_rows
    group_of_entry = np.repeat(group_of_row, np.diff(counts.indptr))
    cells = group_of_entry * len(columns) + compact[counts.indices]
    flat = np.bincount(cells, weights=counts.data, minlength=folds * langs * len(columns))
    per_fold = flat.reshape(folds, langs, len(columns)).astype(counts.dtype)  # the dtype a sparse sum keeps
    whole = per_fold.sum(axis=0)
    posts = np.bincount(group_of_row, minlength=folds * langs).reshape(folds, langs)
    sets = [(whole - per_fold[fold], posts.sum(axis=0) - posts[fold]) for fold in range(folds)]
    sets.append((whole, posts.sum(axis=0)))
    floor = np.zeros((len(sets), langs), dtype=np.float32)
    used = np.zeros((len(sets), langs, len(columns)), dtype=np.float32)
    for index, (totals, present) in enumerate(sets):
        for lang in range(langs):
            if not present[lang]:
                continue  # a set with no posts in a language has ratios of 0 in it
            # log((totals + s·background) / (total + s) / background), computed where the set
            # used a feature only: elsewhere it is the same for every feature, log(s / (total + s)).
            floor[index, lang] = np.log(smoothing / (_total(totals[lang], columns, features) + smoothing))
            used[index, lang] = floor[index, lang]
            hit = np.flatnonzero(totals[lang])
            used[index, lang, hit] += np.log1p(totals[lang, hit] / (smoothing * background[lang, columns[hit]]))
    return Ratios(columns, floor, used, features)


def _total(totals: np.ndarray, columns: np.ndarray, features: int) -> np.floating:
    """The sum of a set's totals as the sum over every feature gives it (the unused ones add 0)."""
    total: np.floating = totals.sum()
    if totals.dtype == np.float32 and total >= _EXACT_FLOAT32:  # rounded: add them as that sum would
        dense = np.zeros(features, dtype=totals.dtype)
        dense[columns] = totals
        total = dense.sum()
    return total


#: Where a post's style statistics come from: a reference, or the style part of one.
StyleSource = StyleReference | Reference


def _style_groups(table: FeatureTable, rows: np.ndarray) -> dict[Group, np.ndarray]:
    """The positions in `rows` of the posts of each (channel, language)."""
    positions: dict[Group, list[int]] = {}
    for position, row in enumerate(rows.tolist()):
        positions.setdefault((table.posts[row].channel or "", table.langs[row]), []).append(position)
    return {key: np.array(members, dtype=np.int64) for key, members in positions.items()}


def language_scales(values: np.ndarray, lang_rows: np.ndarray, floor: float) -> np.ndarray:
    """Per language (rows follow LANGUAGES): the median and spread (IQR / 1.349, at least `floor`) of `values`.

    A language with MIN_LANGUAGE_POSTS of the brand's posts gets its own; others the whole brand's.
    """
    scales = np.zeros((len(LANGUAGES), 2))
    for lang in range(len(LANGUAGES)):
        low, median, high = np.percentile(values[scaled_on(lang_rows, lang)], [25, 50, 75])
        scales[lang] = median, max((high - low) / 1.349, floor)
    return scales


def scaled_on(lang_rows: np.ndarray, lang: int) -> np.ndarray:
    """The brand's posts a language's scale is taken from: its own, given MIN_LANGUAGE_POSTS, else all."""
    own = np.flatnonzero(lang_rows == lang)
    return own if len(own) >= MIN_LANGUAGE_POSTS else np.arange(len(lang_rows))


def on_scale(values: np.ndarray, scales: np.ndarray, lang_rows: np.ndarray) -> np.ndarray:
    """`values` on the scale `language_scales` took, each in its post's language (median 0, spread 1)."""
    scale = scales[lang_rows]
    standardised: np.ndarray = (values - scale[:, 0]) / scale[:, 1]
    return standardised


def _typicality(z: np.ndarray, smart_punctuation: bool = True) -> np.ndarray:
    """How typical each post's style is (0 at the brand's mean, lower further from it).

    A typography share the post has no mark for says nothing either way: it counts one spread
    from the brand, as far as a typical brand post is, neither close nor far. Without
    `smart_punctuation`, the marks it sets (’ “ ” … —) are left out.
    """
    shares = z[..., SHARE_COLUMNS]  # z may stack several references
    z = z.copy()
    z[..., SHARE_COLUMNS] = np.where(np.isnan(shares), 1.0, shares)
    if not smart_punctuation:
        z[..., SMART_PUNCTUATION_COLUMNS] = np.nan
    typical: np.ndarray = -np.nanmean(np.log1p(z**2), axis=-1)
    return typical


@dataclass(frozen=True)
class Scores:
    """What scoring hands judging for each post of a table."""

    score: np.ndarray  # 0-100: the share of the brand's held-out posts that score lower
    below: np.ndarray  # under the flag threshold
    #: With peers, the peer each post sounds more like than the brand (its index), -1 for none.
    closer_peer: np.ndarray | None = None


@dataclass(frozen=True)
class NeighbourPool:
    """The brand posts of a comparison group that new posts' style is compared with (`style_kinds`)."""

    values: np.ndarray  # their comparable style values
    folds: np.ndarray  # the fold of each
    fold_spreads: list[np.ndarray]  # the group's spreads without each fold
    new_posts: BrandStyles  # them, ready for new posts to be compared with


def _group_stats(reference: StyleReference, group: Group | None) -> StyleStats:
    return reference.core_style if group is None else reference.group_style.get(group, reference.core_style)


def post_sizes(table: FeatureTable) -> np.ndarray:
    """How many distinct words and character n-grams each post has: what its lexical views average over."""
    return np.column_stack([np.asarray(table.words.sum(axis=1)).ravel(), np.asarray(table.chars.sum(axis=1)).ravel()])


#: What `VoiceModel.build_references` leaves to be made from the table on first use.
_DERIVED = (
    "_char_ratios", "_word_ratios", "_styles", "fold_references_", "reference_",
    "fold_word_llr_", "fold_char_llr_", "train_vectors_", "nearest_view_", "_style_neighbours",
)  # fmt: skip


class VoiceModel:
    """One-class model of a brand's voice, fitted on its posts alone (no other brands)."""

    #: The brand against its peers, when it has some: a fourth view (`voicecheck.peers`).
    peers_: PeerView | None = None

    def __init__(
        self,
        false_flag_rate: float = 0.05,
        folds: int = 5,
        smoothing: float = 2000.0,
        random_state: int = 0,
        smart_punctuation: bool = True,
        neighbour_style: bool = True,
    ) -> None:
        self.false_flag_rate = false_flag_rate
        self.folds = folds
        self.smoothing = smoothing
        self.random_state = random_state
        #: Whether the marks smart punctuation sets (’ or ', “ ” or " ", … or ...) count in the
        #: style view. A brand with peers leaves them to the peers' view, whose character
        #: n-grams see them against accounts that post from other phones and tools; counted
        #: in both views they lowered three corpora of four (BENCHMARKS.md, "Model format 11").
        self.smart_punctuation = smart_punctuation
        #: Whether a brand whose posts come in kinds has its style read against its nearest
        #: posts (`voicecheck.style_kinds`). A brand with peers keeps its centre: with the peers'
        #: contrast beside it, the nearest posts lowered the support replies' peer AUC.
        self.neighbour_style = neighbour_style
        #: The density test of the brand's posts (`style_kinds.kinds_test`), and whether its style
        #: is read against its nearest posts: the test passed, and `neighbour_style` (set by `fit`).
        self.style_kinds_ = KindsTest(0.0, 0.0)
        self.style_by_neighbours_ = False

    # -- fitting ---------------------------------------------------------------------------
    def fit(self, table: FeatureTable, background: Background) -> VoiceModel:
        if len(table) < self.folds:
            message = gettext("need at least {folds} posts to fit, got {count}")
            raise ValueError(message.format(folds=self.folds, count=len(table)))
        self.background_ = background
        channels = np.array(table.channels())
        self.fold_of_row_ = np.zeros(len(table), dtype=np.int64)
        for fold, (_, test) in enumerate(self._splits(channels)):
            self.fold_of_row_[test] = fold
        self.build_references(table)
        self.style_kinds_ = self._kinds_test()
        self.style_by_neighbours_ = self.neighbour_style and self.style_kinds_.passed
        heldout = np.zeros((len(table), len(COMPONENTS)))
        for fold in range(self.folds):
            test = np.flatnonzero(self.fold_of_row_ == fold)
            heldout[test] = self._components(table, test, fold)
        self.heldout_lexical_ = heldout[:, :2]  # the lexical views' raw values: what `peers.attach` contrasts
        sizes = post_sizes(table)
        self._set_scales(heldout, sizes, table.lang_index)
        self.heldout_totals_ = self._standardise(heldout, sizes, table.lang_index).sum(axis=1)
        nearest = self.nearest_view_.heldout()
        self.nearest_scale_ = language_scales(nearest, table.lang_index, NEAREST_SPREAD_FLOOR)
        self.heldout_nearest_ = self._nearest_z(nearest, table.lang_index)  # what `peers.attach` weighs again
        totals = self.heldout_totals_ + NEAREST_WEIGHT * self.heldout_nearest_
        self.calibrate(totals)
        return self

    def calibrate(self, totals: np.ndarray) -> None:
        """Set the flag threshold, and the held-out posts' scores, on the brand's held-out sums `totals`."""
        self.calibration_ = np.sort(totals)
        self.threshold_ = float(np.quantile(totals, self.false_flag_rate))
        self.heldout_scores_ = self._percentile(totals)  # each sum's rank, as `heldout_below` reads it

    def build_references(self, table: FeatureTable) -> None:
        """Keep the brand's table: the references scoring and explaining read are made from it on first use.

        A check reads the folds' mean ratios and style statistics and, to explain, the full
        reference's style; the brand's tf-idf vectors only beside a flagged post. A cold
        start builds only what it reads.
        """
        self.table_ = table
        for name in _DERIVED:
            self.__dict__.pop(name, None)

    @cached_property
    def _char_ratios(self) -> Ratios:
        table = self.table_
        return fold_ratios(
            table.chars, table.lang_index, self.fold_of_row_, self.folds, self.background_.chars, self.smoothing
        )

    @cached_property
    def _word_ratios(self) -> Ratios:
        table = self.table_
        return fold_ratios(
            table.words, table.lang_index, self.fold_of_row_, self.folds, self.background_.words, self.smoothing
        )

    @cached_property
    def _styles(self) -> list[StyleReference]:
        """Style statistics of the brand's posts without each fold in turn, then of all of them."""
        table = self.table_
        rows = [np.flatnonzero(self.fold_of_row_ != fold) for fold in range(self.folds)]
        return [StyleReference.of(table, members) for members in [*rows, np.arange(len(table))]]

    def _reference(self, index: int) -> Reference:
        style = self._styles[index]
        return Reference(
            self._char_ratios.full(index), self._word_ratios.full(index), style.core_style, style.group_style
        )

    @cached_property
    def fold_references_(self) -> list[Reference]:
        """The references that scored the held-out posts: each fold's is blind to its posts."""
        return [self._reference(fold) for fold in range(self.folds)]

    @cached_property
    def reference_(self) -> Reference:
        """The reference of all the brand's posts, that explanations compare with."""
        return self._reference(self.folds)

    # A mean log-likelihood ratio is linear in the ratios, so the folds' average score is
    # the score under their average ratios: one product instead of one per fold.
    @cached_property
    def fold_word_llr_(self) -> np.ndarray:
        return self._word_ratios.mean(slice(0, self.folds))

    @cached_property
    def fold_char_llr_(self) -> np.ndarray:
        return self._char_ratios.mean(slice(0, self.folds))

    @cached_property
    def nearest_view_(self) -> NearestView:
        """The brand's posts in their rarer n-grams, for the nearest-post view."""
        from voicecheck.nearest import NearestView

        table = self.table_
        return NearestView(table.chars, table.lang_index, self.fold_of_row_, self.folds, self.background_.char_idf)

    def _nearest_z(self, nearest: np.ndarray, lang_rows: np.ndarray) -> np.ndarray:
        """The nearest-post view on the scale of the brand's held-out posts in the post's language."""
        return on_scale(nearest, self.nearest_scale_, lang_rows)

    @cached_property
    def train_vectors_(self) -> BrandVectors:
        """The brand's posts as tf-idf rows: only a flagged post's nearest examples need them."""
        from voicecheck.features.cosine import BrandVectors  # only a flagged post's examples need it

        table = self.table_
        return BrandVectors(tfidf_rows(table.chars, table.lang_index, self.background_.char_idf))

    def _splits(self, channels: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        from voicecheck.folds import fold_of_each  # scikit-learn's splits, without its second of import

        fold_of_row = fold_of_each(channels, self.folds, self.random_state)
        return [(np.flatnonzero(fold_of_row != k), np.flatnonzero(fold_of_row == k)) for k in range(self.folds)]

    # -- scoring ---------------------------------------------------------------------------
    def similarity(self, table: FeatureTable, rows: np.ndarray | None = None) -> np.ndarray:
        """Cosine similarity (character n-gram tf-idf) of posts to every training post."""
        rows = np.arange(len(table)) if rows is None else rows
        vectors = tfidf_rows(table.chars[rows], table.lang_index[rows], self.background_.char_idf)
        return self.train_vectors_.similarity(vectors)

    def _components(self, table: FeatureTable, rows: np.ndarray, fold: int) -> np.ndarray:
        """The held-out posts `rows` of `fold`, by the reference blind to that fold."""
        reference, lang_rows = self.fold_references_[fold], table.lang_index[rows]
        if self.style_by_neighbours_:
            style = self._heldout_nearest_style(table, rows, fold)
        else:
            style = _typicality(self._z(comparable(table.style[rows]), _style_groups(table, rows), reference),
                                self.smart_punctuation)  # fmt: skip
        return np.column_stack([
            mean_per_post(table.words[rows], lang_rows, reference.word_llr),
            mean_per_post(table.chars[rows], lang_rows, reference.char_llr),
            style,
        ])  # fmt: skip

    def _kinds_test(self) -> KindsTest:
        """Whether the brand's held-out posts are likelier near its posts than near its centre (`style_kinds`)."""
        centres = [style.core_style for style in self._styles[: self.folds]]
        values = comparable(self.table_.style)
        return kinds_test(values, self.fold_of_row_, [c.mean for c in centres], [c.std for c in centres])

    def _heldout_nearest_style(self, table: FeatureTable, rows: np.ndarray, fold: int) -> np.ndarray:
        """Style typicality of the held-out posts `rows` of `fold` against the brand's nearest posts
        outside it, in their comparison group's spreads without fold `fold`, as its centre.

        The brand posts compared with are those a new post is compared with (`_style_neighbours`),
        less the fold's own, so that new posts are scored as these were."""
        values, reference = comparable(table.style[rows]), self._styles[fold]
        out = np.zeros(len(rows))
        for key, members in _style_groups(table, rows).items():
            pool = self._style_neighbours[group_of(reference.group_style, *key)]
            outside = pool.folds != fold
            out[members] = nearest_typicality(
                values[members], pool.values[outside], pool.fold_spreads[fold], self.smart_punctuation
            )
        return out

    def _new_nearest_style(self, table: FeatureTable) -> np.ndarray:
        """Style typicality of new posts against the brand's nearest posts, averaged over the folds
        as the held-out posts were scored: each fold's nearest posts outside it, in its spreads."""
        values, full = comparable(table.style), self._styles[-1]
        out = np.zeros(len(table))
        for key, members in _style_groups(table, np.arange(len(table))).items():
            out[members] = self._style_neighbours[group_of(full.group_style, *key)].new_posts.typicality(
                values[members]
            )
        return out

    @cached_property
    def _style_neighbours(self) -> dict[Group | None, NeighbourPool]:
        """For each comparison group (None: the whole brand), the brand posts a new post's style is
        compared with, their folds, and the group's spreads without each fold (the spreads over all
        the brand's posts are in `new_posts`)."""
        brand, full = self.table_, self._styles[-1]
        values, groups = comparable(brand.style), comparison_groups(brand.channels(), brand.langs)
        pools = {}
        for group in [None, *full.group_style]:
            neighbours = neighbour_rows(np.arange(len(brand)) if group is None else groups[group])
            spreads = [_group_stats(style, group).std for style in self._styles]
            folds = self.fold_of_row_[neighbours]
            new_posts = BrandStyles.of(values[neighbours], spreads[-1], self.smart_punctuation, spreads[:-1], folds)
            pools[group] = NeighbourPool(values[neighbours], folds, spreads[:-1], new_posts)
        return pools

    def style_z(self, table: FeatureTable, rows: np.ndarray, reference: StyleSource | None = None) -> np.ndarray:
        """Each post's style features in standard deviations from its group (or the core)."""
        return self._z(comparable(table.style[rows]), _style_groups(table, rows), reference or self._styles[-1])

    def _z(self, values: np.ndarray, groups: dict[Group, np.ndarray], reference: StyleSource) -> np.ndarray:
        z = np.empty_like(values)
        for key, members in groups.items():
            stats = self.style_stats(*key, reference=reference)
            z[members] = (values[members] - stats.mean) / stats.std
        return z

    def style_stats(self, channel: str | None, lang: str, reference: StyleSource | None = None) -> StyleStats:
        """The brand's style statistics for a post on `channel` in `lang` (see `group_of`)."""
        reference = reference or self._styles[-1]
        key = group_of(reference.group_style, channel, lang)
        return reference.core_style if key is None else reference.group_style[key]

    def _set_scales(self, heldout: np.ndarray, sizes: np.ndarray, lang_rows: np.ndarray) -> None:
        """Typical values, lengths and spreads of the views, per language (rows follow LANGUAGES).

        A language with MIN_LANGUAGE_POSTS of the brand's posts gets its own: French
        likelihood ratios do not run on English ones' scale. Others take the whole brand's.
        """
        shape = (len(LANGUAGES), heldout.shape[1])
        self.typical_value_, self.component_mean_ = np.zeros(shape), np.zeros(shape)
        self.component_std_ = np.ones(shape)
        self.typical_size_ = np.ones((len(LANGUAGES), sizes.shape[1]))
        for lang in range(len(LANGUAGES)):
            rows = scaled_on(lang_rows, lang)
            self.typical_value_[lang] = np.median(heldout[rows], axis=0)
            self.typical_size_[lang] = np.maximum(np.median(sizes[rows], axis=0), 1.0)
            weighed = self._weigh_by_length(heldout[rows], sizes[rows], np.full(len(rows), lang))
            # Median and interquartile range: a few odd posts (a one-word reply, a quote) must
            # not widen the brand's range and shrink every other post's distance from it.
            low, self.component_mean_[lang], high = np.percentile(weighed, [25, 50, 75], axis=0)
            self.component_std_[lang] = np.maximum((high - low) / 1.349, 1e-6)

    def _weigh_by_length(self, raw: np.ndarray, sizes: np.ndarray, lang_rows: np.ndarray) -> np.ndarray:
        """Each view's distance from the brand's typical value, the lexical ones weighed by length."""
        weighed = raw - self.typical_value_[lang_rows]
        weighed[:, LEXICAL] *= np.sqrt(np.maximum(sizes, 1.0) / self.typical_size_[lang_rows])
        return weighed

    def _standardise(self, raw: np.ndarray, sizes: np.ndarray, lang_rows: np.ndarray) -> np.ndarray:
        """Views on the scale of the brand's held-out posts in the post's language (median 0, spread 1)."""
        weighed = self._weigh_by_length(raw, sizes, lang_rows)
        standardised: np.ndarray = (weighed - self.component_mean_[lang_rows]) / self.component_std_[lang_rows]
        return standardised

    def _percentile(self, totals: np.ndarray) -> np.ndarray:
        return 100.0 * np.searchsorted(self.calibration_, totals, side="right") / len(self.calibration_)

    def heldout_below(self) -> np.ndarray:
        """Which of the brand's own held-out posts are under the flag threshold, as a new post
        with the same sum would be: the posts `report` counts as flagged among the brand's own.

        A held-out score is its sum's rank in the calibration; the sums under the threshold
        are the ranks up to the count of calibration sums below it.
        """
        ranks = np.rint(self.heldout_scores_ * len(self.calibration_) / 100.0)
        below: np.ndarray = ranks <= np.searchsorted(self.calibration_, self.threshold_, side="left")
        return below

    def score(self, table: FeatureTable) -> tuple[np.ndarray, np.ndarray]:
        """(score 0-100, below the flag threshold) for every post of `table`."""
        scored = self.scored(table)
        return scored.score, scored.below

    def scored(self, table: FeatureTable) -> Scores:
        """What judging reads of each post of `table`: its score, whether it is flagged, the peer it sounds like."""
        totals, logits = self._totals(table)
        closer = None if self.peers_ is None or logits is None else self.peers_.closer(logits)
        return Scores(self._percentile(totals), totals < self.threshold_, closer)

    def totals(self, table: FeatureTable) -> np.ndarray:
        """Each post's sum of views, on the scale of the held-out sums the threshold was set on."""
        return self._totals(table)[0]

    def _totals(self, table: FeatureTable) -> tuple[np.ndarray, np.ndarray | None]:
        """`totals`, and with peers the peer view's logits they were made with."""
        raw, sizes = self._raw_components(table), post_sizes(table)
        totals = self._standardise(raw, sizes, table.lang_index).sum(axis=1)
        char_idf = self.background_.char_idf
        entries = normed_entries(table.chars, table.lang_index, char_idf)  # read by each view of n-grams below
        nearest = self._nearest_z(self.nearest_view_.new(table.chars, table.lang_index, entries), table.lang_index)
        if self.peers_ is None:  # the brand post it echoes most closely (`voicecheck.nearest`)
            return totals + NEAREST_WEIGHT * nearest, None
        # and the brand set against its peers (`voicecheck.peers`), whose n-grams are weighed alike
        contrast = self.peers_.contrast(self.peers_.contrast_values(table, raw[:, :2]), sizes)
        shared = entries if self.peers_.char_idf is char_idf else None
        logits = self.peers_.logits(table, shared)
        view = self.peers_.view(table, logits, shared)
        with_peers: np.ndarray = totals + NEAREST_WEIGHT_WITH_PEERS * nearest + view + contrast
        return with_peers, logits

    def components(self, table: FeatureTable) -> np.ndarray:
        """Each post's COMPONENTS, standardised on the brand's held-out posts (their sum is scored)."""
        return self._standardise(self._raw_components(table), post_sizes(table), table.lang_index)

    def _raw_components(self, table: FeatureTable) -> np.ndarray:
        """Each post's COMPONENTS before standardising: mean word and n-gram ratios, style typicality."""
        if not hasattr(self, "table_"):
            from sklearn.exceptions import NotFittedError

            raise NotFittedError("fit the VoiceModel before scoring")
        rows = np.arange(len(table))
        # Scored like the held-out posts the threshold was calibrated on: by references that
        # each saw 1 - 1/folds of the brand's posts, averaged. The full reference would see
        # more of the brand and score every post higher than the calibration expects.
        if self.style_by_neighbours_:
            style = self._new_nearest_style(table)
        else:
            values, groups = comparable(table.style), _style_groups(table, rows)
            z = np.stack([self._z(values, groups, style) for style in self._styles[: self.folds]])
            style = np.mean(_typicality(z, self.smart_punctuation), axis=0)
        raw = np.column_stack([
            mean_per_post(table.words, table.lang_index, self.fold_word_llr_),
            mean_per_post(table.chars, table.lang_index, self.fold_char_llr_),
            style,
        ])  # fmt: skip
        return raw
