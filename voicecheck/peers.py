"""Peers: accounts the brand must not sound like, learned as contrast to its voice.

A brand's peers (competitors, sister brands, an agency's other clients) give the voice model
what a brand alone cannot: posts that are *not* the brand. The peer view is discriminative:
a multinomial logistic regression over the same hashed features as the one-class views
(character n-grams and words, sublinear tf times the background's idf, so ordinary
language weighs little) and, lightly, the style features, with the brand as one class and
each peer as another. Its value for
a post is the log-odds of the brand against its peers.

It is cross-fitted with the one-class views' very folds: the brand posts of each fold are
scored by a regression that never saw them (every peer post is in every fold's training),
the held-out values are standardised on the brand's own posts, and their sum with the other
views is what the flag threshold is calibrated on. New posts are scored by the folds' mean
coefficients, which give the mean of the folds' logits. scikit-learn fits the regression;
scoring needs only the coefficients, as arrays, and numpy.

Beside it, a post's likeness to its nearest peer post, in the n-grams few peer posts use
(as `voicecheck.nearest` finds the nearest brand post), is taken away from the sum: the
regression weighs what sets the accounts apart on the whole, the nearest post what one peer
post shares with it alone. The brand's posts are never the peers', so held-out and new posts
are compared with the same peer posts and the scale holds.

And a lexical contrast, for words and for character n-grams: the brand's log-likelihood
ratios against ordinary language (the one-class views' own) less a peer's, which are the
brand's against that peer's language, averaged over a post. A post is taken against the peer
whose language it is nearest, so that it is as far from the brand as it is near some one
peer: what the regression spreads over all the peers, this keeps for the closest one.

A post whose logits put a peer above the brand "sounds more like" that peer; a flagged one
names it, with the peer's posts nearest to it.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from voicecheck.core import Example, Post
from voicecheck.errors import VoicecheckError
from voicecheck.features.lexical import means_by_product, tfidf
from voicecheck.features.sparse import stack
from voicecheck.features.style import STYLE_FEATURES, comparable
from voicecheck.features.table import FeatureTable
from voicecheck.i18n import _
from voicecheck.model import NEAREST_SPREAD_FLOOR, fold_ratios, language_scales, on_scale, post_sizes
from voicecheck.nearest import CELLS, NearestView

if TYPE_CHECKING:
    import scipy.sparse as sp

    from voicecheck.model import Background, VoiceModel

#: How much the peer view weighs in the sum of views, against each one-class view's 1.
PEER_WEIGHT = 5.0
#: How much a post's likeness to its nearest peer post (rarer n-grams, as `voicecheck.nearest`
#: finds the nearest brand post) takes away from the sum.
NEAREST_PEER_WEIGHT = 0.5
#: How much each lexical contrast (words, then character n-grams: the brand's language against
#: its nearest peer's) weighs in the sum, as each one-class view does.
CONTRAST_WEIGHT = 1.0
#: Inverse regularisation strength of the regression (tf-idf rows are L2-normed).
PEER_C = 10.0
#: Posts a peer needs before it can be told apart from the brand.
MIN_PEER_POSTS = 5
#: How much style (emoji, hashtags, length, punctuation: `features.style`, in spreads from the
#: mean) weighs in the regression beside the n-grams, whose tf-idf rows each have norm 1:
#: accounts that share their words often differ in how they write them.
STYLE_IN_DESIGN = 0.03
#: Spreads beyond which a style feature counts no further (a post of forty hashtags).
STYLE_BOUND = 2.0
#: Posts that must use a feature before the regression weighs it.
MIN_DOCUMENTS = 2
#: A peer's name: what the reason and the report call it.
_NAME = re.compile(r"[^\s=/\\][^=/\\]{0,99}")
MAX_PEER_NAME = 100


def peer_spec(argument: str) -> tuple[str, str]:
    """`NAME=PATH` names a peer; a plain path is named after its file's or folder's stem."""
    name, sep, path = argument.partition("=")
    if not argument or (sep and name and not path and not Path(argument).exists()):
        # as a path, nothing would be the current folder: its drafts would become the peer
        message = _("--peers {argument}: give the peer's file or folder of posts, as NAME=PATH or PATH")
        raise VoicecheckError(message.format(argument=repr(argument)))
    if sep and name and not Path(argument).exists():
        return check_name(name.strip()), path
    stem = Path(argument.rstrip("/\\")).stem
    return check_name(stem), argument


def check_name(name: str) -> str:
    """`name`, if it can name a peer: not blank, no slashes or '=', at most MAX_PEER_NAME characters."""
    if not _NAME.fullmatch(name) or name != name.strip():
        message = _("{name} cannot name a peer: give a short name without '=', '/' or spaces around it")
        raise VoicecheckError(message.format(name=repr(name)))
    return name


def unique_names(names: Sequence[str]) -> None:
    """Refuse two peers of one name: a reason naming it would not say which."""
    seen: set[str] = set()
    for name in names:
        if name.casefold() in seen:
            raise VoicecheckError(
                _("two peers are named {name}: name them apart with NAME=PATH").format(name=repr(name))
            )
        seen.add(name.casefold())


def without_brand_posts(peers: Mapping[str, list[Post]], brand: Iterable[Post]) -> dict[str, list[Post]]:
    """Each peer's posts but those the brand also published (its own words count only as its own)."""
    own = {post.text.strip() for post in brand}
    return {name: [post for post in posts if post.text.strip() not in own] for name, posts in peers.items()}


def style_scale(style: np.ndarray) -> np.ndarray:
    """The mean and spread (2 x STYLE_FEATURES) of style features over the posts the regression learns from.

    A feature no post has (no tagger) gets mean 0 and spread 1, so it adds nothing.
    """
    values = comparable(style)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # "Mean of empty slice": a feature no post has
        mean, spread = np.nanmean(values, axis=0), np.nanstd(values, axis=0)
    spread = np.where(np.isfinite(spread) & (spread > 1e-6), spread, 1.0)
    return np.vstack([np.nan_to_num(mean), spread])


def _style_columns(table: FeatureTable, scale: np.ndarray) -> np.ndarray:
    """Each post's style features in spreads from the learning posts' mean, bounded, at STYLE_IN_DESIGN."""
    with np.errstate(invalid="ignore"):
        z = np.nan_to_num((comparable(table.style) - scale[0]) / scale[1])
    return STYLE_IN_DESIGN * np.clip(z, -STYLE_BOUND, STYLE_BOUND)


def _design(
    table: FeatureTable,
    char_idf: np.ndarray,
    word_idf: np.ndarray,
    scale: np.ndarray,
    char_entries: np.ndarray | None = None,
) -> sp.csr_matrix:
    """Posts as the regression reads them: character n-gram and word tf-idf rows, then style, side by side.

    `char_entries`: the n-gram counts' `lexical.normed_entries` under `char_idf`, the values of
    their tf-idf rows, when they are already at hand."""
    import scipy.sparse as sp  # here: judging posts without peers never needs SciPy

    counts = table.chars
    if char_entries is None:
        chars = tfidf(counts, table.lang_index, char_idf)
    else:
        chars = sp.csr_matrix((char_entries, counts.indices, counts.indptr), shape=counts.shape)
    words = tfidf(table.words, table.lang_index, word_idf)
    return sp.hstack([chars, words, sp.csr_matrix(_style_columns(table, scale))], format="csr")


def neutral_contrast_scale() -> np.ndarray:
    """The lexical contrasts' scale before any brand post sets it (rows: see `PeerView.contrast_scale`)."""
    return np.array([[0.0, 0.0], [1.0, 1.0], [0.0, 0.0], [1.0, 1.0]])


@dataclass
class PeerView:
    """The fitted peer view: the regression's mean coefficients, its scale, and the peers' posts.

    Class 0 is the brand, class i + 1 the peer `names[i]`. `columns` are the features any
    training post used (every other coefficient is 0); `coef` is classes x columns.
    """

    names: list[str]
    columns: np.ndarray
    coef: np.ndarray
    intercept: np.ndarray
    scale: np.ndarray  # the brand's held-out median and spread of the log-odds
    weight: float
    table: FeatureTable  # the peers' posts, tokens dropped
    peer_of_row: np.ndarray  # which peer each of them is
    char_idf: np.ndarray = field(repr=False, default_factory=lambda: np.zeros((0, 0)))
    word_idf: np.ndarray = field(repr=False, default_factory=lambda: np.zeros((0, 0)))
    #: Per language, the brand's held-out median and spread of the likeness to the nearest peer post.
    nearest_scale: np.ndarray = field(default_factory=lambda: np.zeros((0, 2)))
    #: The mean and spread of each style feature the regression reads (`style_scale`).
    style_scale: np.ndarray = field(default_factory=lambda: style_scale(np.zeros((0, len(STYLE_FEATURES)))))
    #: The lexical contrasts on the brand's held-out posts, words and n-grams (columns): their
    #: typical value, typical post size, then the median and spread of the size-weighed distance.
    contrast_scale: np.ndarray = field(default_factory=neutral_contrast_scale)
    #: What the peers' likelihood ratios are taken against and smoothed by: the brand's own.
    background: Background | None = field(default=None, repr=False)
    smoothing: float = 0.0

    @property
    def counts(self) -> list[int]:
        return np.bincount(self.peer_of_row, minlength=len(self.names)).tolist()

    @cached_property
    def _place(self) -> np.ndarray:
        """Where each feature is among the `columns` the regression weighs, or -1 for a feature it does not."""
        place = np.full(2 * self.char_idf.shape[1] + len(STYLE_FEATURES), -1, dtype=np.int64)
        place[self.columns] = np.arange(len(self.columns))
        return place

    @cached_property
    def _coef_by_column(self) -> np.ndarray:
        return np.ascontiguousarray(self.coef.T)  # columns x classes

    def logits(self, table: FeatureTable, char_entries: np.ndarray | None = None) -> np.ndarray:
        """Each post's logits (posts x classes): the mean of the folds' regressions'.

        The posts' features the regression does not weigh are dropped first, and the rest are
        multiplied by the coefficients as a dense block: the same sums, in the same order, as a
        sparse product over every feature, in half the time. `char_entries`: as for `_design`.
        """
        import scipy.sparse as sp

        design = _design(table, self.char_idf, self.word_idf, self.style_scale, char_entries)
        place = self._place[design.indices]
        weighed = place >= 0
        rows = np.repeat(np.arange(design.shape[0]), np.diff(design.indptr))[weighed]
        indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=design.shape[0]))])
        kept = sp.csr_matrix((design.data[weighed], place[weighed], indptr), shape=(design.shape[0], len(self.columns)))
        return np.asarray(kept @ self._coef_by_column) + self.intercept

    def view(
        self, table: FeatureTable, logits: np.ndarray | None = None, char_entries: np.ndarray | None = None
    ) -> np.ndarray:
        """What the peers add to each post's sum of views: the brand's log-odds against them, and
        less its likeness to the nearest peer post, each weighed and on the brand's held-out scale.

        `logits` are the posts' `logits`, and `char_entries` as for `_design`, when they are
        already at hand."""
        logits = self.logits(table, char_entries) if logits is None else logits
        odds = self.weight * (brand_odds(logits) - self.scale[0]) / self.scale[1]
        similarity = self.nearest_similarity(table, char_entries)
        return odds - NEAREST_PEER_WEIGHT * self._nearest_z(similarity, table.lang_index)

    @cached_property
    def _nearest_peer_posts(self) -> NearestView:
        """The peers' posts indexed by the n-grams few of them use, as one fold: they are never the brand's."""
        table = self.table
        return NearestView(table.chars, table.lang_index, np.zeros(len(table), dtype=np.int64), 1, self.char_idf)

    def nearest_similarity(self, table: FeatureTable, char_entries: np.ndarray | None = None) -> np.ndarray:
        """Each post's similarity to its nearest peer post, in the rarer n-grams (`char_entries`: as for `_design`)."""
        similarity: np.ndarray = self._nearest_peer_posts.maxima(table.chars, table.lang_index, char_entries)[:, 0]
        return similarity

    @cached_property
    def _peer_ratios(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """Each peer's log-likelihood ratios against ordinary language (words, character n-grams), as one set."""
        if self.background is None:
            raise ValueError("the peer view has no background to take its peers' ratios against")
        ratios = []
        for peer in range(len(self.names)):
            table = _rows(self.table, np.flatnonzero(self.peer_of_row == peer))
            one_set = np.zeros(len(table), dtype=np.int64)
            words = fold_ratios(table.words, table.lang_index, one_set, 1, self.background.words, self.smoothing)
            chars = fold_ratios(table.chars, table.lang_index, one_set, 1, self.background.chars, self.smoothing)
            ratios.append((words.full(1), chars.full(1)))
        return ratios

    def contrast_values(self, table: FeatureTable, brand_means: np.ndarray) -> np.ndarray:
        """posts x 2: each post's mean ratio of the brand's language to its nearest peer's, in words and n-grams.

        `brand_means` are the post's means of the brand's ratios against ordinary language (the
        one-class lexical views' raw values); less a peer's means, they set the brand against
        that peer's language: a mean is linear in what it averages.
        """

        words = means_by_product(table.words, table.lang_index, [words for words, _ in self._peer_ratios])
        chars = means_by_product(table.chars, table.lang_index, [chars for _, chars in self._peer_ratios])
        nearest_peer = np.max([np.column_stack(pair) for pair in zip(words, chars, strict=True)], axis=0)
        contrast: np.ndarray = brand_means - nearest_peer
        return contrast

    def set_contrast_scale(self, heldout: np.ndarray, sizes: np.ndarray) -> None:
        """Scale the contrasts on the brand's held-out posts, size-weighed as the one-class views are."""
        self.contrast_scale[0] = np.median(heldout, axis=0)
        self.contrast_scale[1] = np.maximum(np.median(sizes, axis=0), 1.0)
        low, self.contrast_scale[2], high = np.percentile(self._contrast_weighed(heldout, sizes), [25, 50, 75], axis=0)
        self.contrast_scale[3] = np.maximum((high - low) / 1.349, 1e-6)  # the interquartile range as a spread

    def _contrast_weighed(self, raw: np.ndarray, sizes: np.ndarray) -> np.ndarray:
        typical, size = self.contrast_scale[0], self.contrast_scale[1]
        weighed: np.ndarray = (raw - typical) * np.sqrt(np.maximum(sizes, 1.0) / size)
        return weighed

    def contrast(self, raw: np.ndarray, sizes: np.ndarray) -> np.ndarray:
        """What the contrasts `raw` (`contrast_values`) add to each post's sum, on the brand's held-out scale."""
        z = (self._contrast_weighed(raw, sizes) - self.contrast_scale[2]) / self.contrast_scale[3]
        total: np.ndarray = CONTRAST_WEIGHT * z.sum(axis=1)
        return total

    def _nearest_z(self, similarity: np.ndarray, lang_rows: np.ndarray) -> np.ndarray:
        return on_scale(similarity, self.nearest_scale, lang_rows)

    def nearest(self, table: FeatureTable, rows: np.ndarray) -> np.ndarray:
        """For each row, the peer it sounds more like than the brand (its index), or -1 (`closer`)."""
        return self.closer(self.logits(_rows(table, rows)))

    def closer(self, logits: np.ndarray) -> np.ndarray:
        """For each post's `logits`, the peer it sounds more like than the brand (its index), or -1."""
        best = np.argmax(logits[:, 1 : 1 + len(self.names)], axis=1)
        closer = logits[np.arange(len(best)), best + 1] > logits[:, 0]
        return np.where(closer, best, -1)

    @cached_property
    def _vectors(self) -> sp.csr_matrix:
        return tfidf(self.table.chars, self.table.lang_index, self.char_idf)

    def vectors_of(self, peer: int) -> sp.csr_matrix:
        """The tf-idf rows of one peer's posts, weighed as the brand's are (for the report's map)."""
        rows: sp.csr_matrix = self._vectors[np.flatnonzero(self.peer_of_row == peer)]
        return rows

    def examples(
        self, table: FeatureTable, rows: np.ndarray, peers: Sequence[int], count: int = 2
    ) -> list[list[Example]]:
        """For each of `rows` of `table`, the posts of its peer (`peers`, one per row) closest to it.

        Similarity is over character n-grams. The rows naming one peer are compared with its
        posts in one product, a slice of rows at a time so that at most CELLS similarities
        are held at once.
        """
        found: list[list[Example]] = [[] for _ in peers]
        for peer in sorted(set(peers)):
            which = [i for i, named in enumerate(peers) if named == peer]
            members = np.flatnonzero(self.peer_of_row == peer)
            theirs = self._vectors[members]
            vectors = tfidf(table.chars[rows[which]], table.lang_index[rows[which]], self.char_idf)
            step = max(CELLS // max(len(members), 1), 1)
            for first in range(0, len(which), step):
                similarity = (theirs @ vectors[first : first + step].T).toarray()  # members x rows
                closest = np.argsort(-similarity, axis=0, kind="stable")[:count]  # each row's, most similar first
                nearest = np.take_along_axis(similarity, closest, axis=0)
                for column, i in enumerate(which[first : first + step]):
                    found[i] = self._examples(members[closest[:, column]], nearest[:, column])
        return found

    def _examples(self, rows: np.ndarray, similarity: np.ndarray) -> list[Example]:
        posts = self.table.posts
        return [
            Example(posts[i].id, posts[i].channel, posts[i].text, round(value, 3))
            for i, value in zip(rows.tolist(), similarity.tolist(), strict=True)
        ]


def peer_report(view: PeerView, table: FeatureTable, channels: np.ndarray) -> dict[str, Any]:
    """The report's "peers": each peer's name and posts, and each channel's nearest peer and how near.

    A channel's nearest peer is the one its posts are likeliest to be taken for (the mean of
    the regression's probabilities); `closer_share` is the share of its posts that sound more
    like that peer than like the brand.
    """
    logits = view.logits(table)
    probabilities = np.exp(logits - logits.max(axis=1, keepdims=True))
    probabilities /= probabilities.sum(axis=1, keepdims=True)
    per_channel = {}
    for channel in sorted(set(channels.tolist())):
        mask = channels == channel
        peer = int(np.argmax(probabilities[mask, 1 : 1 + len(view.names)].mean(axis=0)))
        closer = logits[mask, peer + 1] > logits[mask, 0]
        per_channel[channel] = {
            "nearest_peer": view.names[peer],
            "probability": round(float(probabilities[mask, peer + 1].mean()), 3),
            "closer_share": round(float(closer.mean()), 3),
        }
    return {
        "peers": [{"name": name, "posts": count} for name, count in zip(view.names, view.counts, strict=True)],
        "channels": per_channel,
    }


def _rows(table: FeatureTable, rows: np.ndarray) -> FeatureTable:
    return FeatureTable(
        posts=[table.posts[i] for i in rows],
        langs=[table.langs[i] for i in rows],
        tokens=[],
        chars=table.chars[rows],
        words=table.words[rows],
        style=table.style[rows],
        tone=table.tone[rows],
    )


def brand_odds(logits: np.ndarray) -> np.ndarray:
    """The log-odds of the brand (class 0) against all its peers, from each post's logits."""
    others = logits[:, 1:]
    top = others.max(axis=1, keepdims=True)
    rest = top[:, 0] + np.log(np.exp(others - top).sum(axis=1))
    odds: np.ndarray = logits[:, 0] - rest
    return odds


def _shared_columns(design: sp.csr_matrix) -> np.ndarray:
    """The features at least MIN_DOCUMENTS training posts use: one post's alone cannot generalise."""
    documents = np.bincount(design.indices, minlength=design.shape[1])
    return np.flatnonzero(documents >= MIN_DOCUMENTS)


def _per_class(coef: np.ndarray, intercept: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One row of coefficients per class: a two-class regression gives one row, the second class's odds."""
    if coef.shape[0] > 1:
        return coef, intercept
    return np.vstack([-coef / 2, coef / 2]), np.concatenate([-intercept / 2, intercept / 2])


def concatenate(tables: Sequence[FeatureTable]) -> FeatureTable:
    """The peers' tables as one (rows in order of the peers)."""
    return FeatureTable(
        posts=[post for table in tables for post in table.posts],
        langs=[lang for table in tables for lang in table.langs],
        tokens=[],
        chars=stack([table.chars for table in tables]),
        words=stack([table.words for table in tables]),
        style=np.vstack([table.style for table in tables]),
        tone=np.vstack([table.tone for table in tables]),
    )


def fit_peer_view(
    brand: FeatureTable,
    fold_of_row: np.ndarray,
    folds: int,
    peers: FeatureTable,
    peer_of_row: np.ndarray,
    names: list[str],
    background: Background,
    smoothing: float,
    random_state: int = 0,
) -> tuple[PeerView, np.ndarray]:
    """The peer view, and its weighted value on each brand post held out from its fold's regression.

    `background` and `smoothing` are the brand's own: the peers' n-grams are weighed by the
    same idf, and their likelihood ratios taken against the same ordinary language.
    """
    import scipy.sparse as sp
    from sklearn.linear_model import LogisticRegression  # fitting only: checks never import it

    char_idf, word_idf = background.char_idf, -np.log(background.words)

    scale_of_style = style_scale(np.vstack([brand.style, peers.style]))
    brand_x = _design(brand, char_idf, word_idf, scale_of_style)
    peer_x = _design(peers, char_idf, word_idf, scale_of_style)
    design = sp.vstack([brand_x, peer_x], format="csr")
    used = _shared_columns(design)
    design = design[:, used]
    labels = np.concatenate([np.zeros(len(brand), dtype=np.int64), peer_of_row + 1])
    classes = len(names) + 1
    coefs, intercepts = np.zeros((classes, len(used))), np.zeros(classes)
    odds = np.zeros(len(brand))
    n_brand = len(brand)
    for fold in range(folds):
        held = np.flatnonzero(fold_of_row == fold)
        train = np.concatenate([np.flatnonzero(fold_of_row != fold), np.arange(n_brand, design.shape[0])])
        regression = LogisticRegression(
            C=PEER_C, class_weight="balanced", solver="newton-cg", max_iter=100, random_state=random_state
        )
        regression.fit(design[train], labels[train])
        coef, intercept = _per_class(regression.coef_, regression.intercept_)
        odds[held] = brand_odds(np.asarray(design[held] @ coef.T) + intercept)
        coefs += coef / folds
        intercepts += intercept / folds
    low, median, high = np.percentile(odds, [25, 50, 75])
    scale = np.array([median, max((high - low) / 1.349, 1e-6)])
    view = PeerView(
        names=list(names),
        columns=used.astype(np.int64),
        coef=coefs.astype(np.float32),
        intercept=intercepts,
        scale=scale,
        weight=PEER_WEIGHT,
        table=peers,
        peer_of_row=peer_of_row.astype(np.int64),
        char_idf=char_idf,
        word_idf=word_idf,
        style_scale=scale_of_style,
        background=background,
        smoothing=smoothing,
    )
    # The brand's posts are never among the peers', so each is compared with all of them, as a new post is.
    similarity = view.nearest_similarity(brand)
    view.nearest_scale = language_scales(similarity, brand.lang_index, NEAREST_SPREAD_FLOOR)
    nearest = view._nearest_z(similarity, brand.lang_index)
    return view, PEER_WEIGHT * (odds - scale[0]) / scale[1] - NEAREST_PEER_WEIGHT * nearest


def attach(model: VoiceModel, view: PeerView, heldout_view: np.ndarray) -> None:
    """Give `model` its peer view, and calibrate its threshold again on the sum with the held-out view."""
    from voicecheck.model import NEAREST_WEIGHT_WITH_PEERS

    brand = model.table_
    raw = view.contrast_values(brand, model.heldout_lexical_)  # each brand post against the ratios blind to it
    sizes = post_sizes(brand)
    view.set_contrast_scale(raw, sizes)
    heldout_view = heldout_view + view.contrast(raw, sizes)
    totals = model.heldout_totals_ + NEAREST_WEIGHT_WITH_PEERS * model.heldout_nearest_ + heldout_view
    model.peers_ = view
    model.calibrate(totals)


def learn(model: VoiceModel, brand: FeatureTable, peers: Mapping[str, FeatureTable], background: Background) -> None:
    """Fit the peer view of `model` (fitted on `brand`) on `peers`' posts, and attach it."""
    names = list(peers)
    tables = [peers[name] for name in names]
    peer_of_row = np.repeat(np.arange(len(names)), [len(table) for table in tables])
    view, heldout = fit_peer_view(
        brand,
        model.fold_of_row_,
        model.folds,
        concatenate(tables),
        peer_of_row,
        names,
        background,
        model.smoothing,
        model.random_state,
    )
    attach(model, view, heldout)
