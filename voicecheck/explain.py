"""Why a post was flagged, in words a marketer reads, against the brand's own range.

Every reason names what drifted (a tone dimension, a style habit, a word), the post's value,
the brand's usual range on that channel (10th to 90th percentile of its own posts), and the
nearest on-brand posts show how the brand usually says it.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from voicecheck import foreign
from voicecheck.core import Example, Reason
from voicecheck.features import lexicon
from voicecheck.features.hashing import feature_indices
from voicecheck.features.register import word_registers
from voicecheck.features.style import INDEX, STYLE_FEATURES, Feature
from voicecheck.features.table import FeatureTable
from voicecheck.features.tokens import STYLE_CLASSES
from voicecheck.features.tone import TONE_DIMENSIONS
from voicecheck.model import comparison_groups, group_of
from voicecheck.nlp import LANGUAGES
from voicecheck.store import SavedModel
from voicecheck.vocabulary import TermRules

#: Tone points beyond the brand's range before a difference is worth a reason.
TONE_MARGIN = 8.0
#: Standard deviations from the brand before a style habit is worth a reason.
STYLE_Z = 2.5
#: A word rarer than this in ordinary language, never used by the brand, is "not the brand's".
RARE_WORD = 2e-6
#: Where each of STYLE_FEATURES is in a row of style values, in STYLE_FEATURES' order.
_STYLE_COLUMNS = np.array([INDEX[feature.name] for feature in STYLE_FEATURES], dtype=np.int64)

#: A word's register (-1 a tweet's mean word, +1 ordinary writing's) past which it is named as
#: one that makes a post read more formal or more casual.
TELLING_REGISTER = 1.5

_WORD = re.compile(r"[\w'’]+")
_APOSTROPHE = re.compile(r"['’]")

#: Dimensions whose low end is the ordinary register: for a brand that is seldom funny,
#: irreverent or excited, a post that is even less so has not drifted in any way a reader notices.
QUIET_BY_DEFAULT = frozenset({"humor", "irreverence", "enthusiasm"})
QUIET_LEVEL = 30.0

#: Stable codes of the reasons, as a linter numbers its rules (listed in docs/reasons.md).
CODES = {
    "too_short": "VC001",
    "overall": "VC100",
    "tone": "VC101",
    "style": "VC102",
    "unfamiliar_words": "VC103",
    "other_language": "VC104",
    "avoided_term": "VC201",
    "preferred_term": "VC202",
    "brand_term": "VC203",
    "peer": "VC301",
}
#: Who a post is compared with: the channel and language of a group of brand posts, or None for all.
Where = dict[str, str | None] | None


def reason(kind: str, figures: dict[str, object] | None = None, **fields: object) -> Reason:
    """A Reason of `kind` with its documented code."""
    return Reason(CODES[kind], kind, figures or {}, **fields)  # type: ignore[arg-type]


def _telling_words(text: str, lang: str, more_formal: bool) -> list[str]:
    """The post's words (up to 4) whose register pulls it the way it drifted: "hereby" or "lol"."""
    sign = 1.0 if more_formal else -1.0
    # Words as a reader sees them; contractions ("can't") are left out, as spaCy splits them.
    words = [word for word in _WORD.findall(text.lower()) if not _APOSTROPHE.search(word)]
    registers = word_registers(list(dict.fromkeys(words)), lang)
    telling = [word for word, register in registers.items() if sign * register >= TELLING_REGISTER]
    return sorted(telling, key=lambda word: -sign * registers[word])[:4]


@dataclass
class Explainer:
    saved: SavedModel

    _ranges: dict[tuple[str, object], tuple[np.ndarray, np.ndarray]] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        table = self.saved.table
        self._all_rows = np.arange(len(table))
        #: The groups of brand posts with a range of their own (as the model's style statistics).
        self._group_rows = comparison_groups(table.channels(), table.langs)
        word_totals = np.asarray(table.words.sum(axis=0)).ravel()
        self._brand_words = word_totals > 0
        self._terms = TermRules.from_profile(self.saved.profile)  # compiled once, for every post
        self._brand_langs = sorted(set(table.langs))

    def against(self, channel: str | None, lang: str) -> tuple[np.ndarray, Where]:
        """Rows of the brand's posts that make its range for a post, and which group they are."""
        key = group_of(self._group_rows, channel, lang)
        if key is None:
            return self._all_rows, None
        on, written = key
        return self._group_rows[key], {"channel": on or None, "lang": written or None}

    def drift(self, table: FeatureTable, row: int, style_z: np.ndarray) -> list[Reason]:
        """The tone dimensions and style habits in which this post leaves the brand's range."""
        rows, where = self.against(table.posts[row].channel, table.langs[row])
        lang = table.langs[row]
        tone = self.tone(table.tone[row], rows, where, table.posts[row].text, lang)
        tokens = table.tokens[row] if table.tokens else []  # a saved model's own table keeps none
        return tone + self.style(table.style[row], style_z, rows, where, lang, tokens)

    def brand_range(self, kind: str, rows: np.ndarray, where: Where) -> tuple[np.ndarray, np.ndarray]:
        """The 10th and 90th percentiles of the brand's `kind` ("tone", "style") over `rows`.

        Computed once per channel: `where` names the rows. Features the pipeline could not
        measure (NaN) are left out; a feature no post has gets NaN.
        """
        key = (kind, tuple(where.values()) if where else None)
        if key not in self._ranges:
            values = getattr(self.saved.table, kind)[rows]
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)  # "All-NaN slice": no tagger
                low, high = np.nanpercentile(values, [10, 90], axis=0)
            self._ranges[key] = (low, high)
        return self._ranges[key]

    def tone(
        self, values: np.ndarray, rows: np.ndarray, where: Where, text: str = "", lang: str = "en"
    ) -> list[Reason]:
        """Tone dimensions beyond the brand's range; for formality, the words that set the register."""
        out = []
        lows, highs = self.brand_range("tone", rows, where)
        for i, dimension in enumerate(TONE_DIMENSIONS):
            low, high = float(lows[i]), float(highs[i])
            value = float(values[i])
            beyond = value - high if value > high else low - value if value < low else 0.0
            if beyond < TONE_MARGIN or (value < low and dimension in QUIET_BY_DEFAULT and high < QUIET_LEVEL):
                continue
            telling = _telling_words(text, lang, value > high) if dimension == "formality" else []
            figures = {"dimension": dimension, "value": value, "brand_range": [low, high]}
            out.append(reason("tone", figures, words=tuple(telling), compared_with=where))
        return out

    def style(
        self,
        values: np.ndarray,
        z: np.ndarray,
        rows: np.ndarray,
        where: Where,
        lang: str = "en",
        tokens: Sequence[str] = (),
    ) -> list[Reason]:
        """Style habits well outside the brand's range; a word class names the post's own words of it."""
        lows, highs = self.brand_range("style", rows, where)
        found = []
        of_note = z[_STYLE_COLUMNS]
        with np.errstate(invalid="ignore"):  # NaN: a feature the pipeline could not measure
            far = np.isfinite(of_note) & (np.abs(of_note) >= STYLE_Z)
        for place in np.flatnonzero(far).tolist():  # most posts are far from the brand in few habits
            feature, i = STYLE_FEATURES[place], int(_STYLE_COLUMNS[place])
            if feature.name in ("function_words",):
                continue
            low, high = lows[i], highs[i]
            if not np.isfinite(low):
                continue
            value = float(values[i])
            if low <= value <= high or not _noticeable(feature, value, low, high):
                continue
            words = _words_of_class(feature.name, tokens, lang) if value > high else []
            figures = {"feature": feature.name, "value": value, "brand_range": [float(low), float(high)]}
            found.append((abs(z[i]), reason("style", figures, words=tuple(words), compared_with=where, post_lang=lang)))
        found.sort(key=lambda item: -item[0])
        return [reason for _, reason in found[:3]]

    def vocabulary(self, text: str) -> list[Reason]:
        """brand.toml's avoided, preferred and brand terms in the post, inflected or misspelt (`vocabulary`)."""
        return [reason(hit.kind, hit.figures(), words=hit.words, spans=hit.spans) for hit in self._terms.hits(text)]

    def unfamiliar_words(self, tokens: list[str], lang: str) -> list[Reason]:
        """Uncommon words the brand never used: the vocabulary of some other voice."""
        background = self.saved.model.background_.words[LANGUAGES.index(lang)]
        function_words = lexicon.FUNCTION_WORDS[lang]
        candidates = list(dict.fromkeys(t for t in tokens if len(t) >= 4 and t.isalpha() and t not in function_words))
        columns = feature_indices(candidates)  # hashed together: one call for the post, not one per word
        words = [
            (float(background[column]), token)
            for token, column in zip(candidates, columns.tolist(), strict=True)
            if not self._brand_words[column] and background[column] < RARE_WORD
        ]
        if len(words) < 2:
            return []
        words.sort()
        shown = [word for _, word in words[:5]]
        return [reason("unfamiliar_words", {"words": shown}, words=tuple(shown))]

    def other_language(self, text: str, tokens: list[str]) -> Reason | None:
        """The post is written in neither English nor French: which language, and the brand's."""
        written_in = foreign.shipped().of(text, tokens)
        if written_in is None:
            return None
        return reason("other_language", {"language": written_in, "brand_languages": self._brand_langs})

    def peer(self, name: str, examples: Sequence[Example]) -> Reason:
        """The post sounds more like the peer `name` than like the brand: its posts nearest to it."""
        shown = [{"id": e.id, "channel": e.channel, "text": e.text, "similarity": e.similarity} for e in examples]
        return reason("peer", {"peer": name, "examples": shown})

    def examples(self, channel: str | None, lang: str, similarity: np.ndarray, count: int = 2) -> list[Example]:
        """The brand's posts closest to this one (by `similarity` to each), preferring its channel and language."""
        rows, _ = self.against(channel, lang)
        best = rows[np.argsort(-similarity[rows])[:count]]
        training = self.saved.table.posts
        return [
            Example(training[i].id, training[i].channel, training[i].text, round(float(similarity[i]), 3)) for i in best
        ]


def _noticeable(feature: Feature, value: float, low: float, high: float) -> bool:
    """Small absolute differences are not worth a reader's time, whatever their z."""
    gap = value - high if value > high else low - value
    minimum = {"count": 1.0, "per100": 3.0, "mean": 2.0, "flag": 0.5, "share": 0.5}[feature.unit]
    return gap >= minimum


def _words_of_class(name: str, tokens: Sequence[str], lang: str) -> list[str]:
    """The post's words (up to 4, first seen first) of the word class a style feature counts."""
    vocabulary = STYLE_CLASSES.get(name)
    if vocabulary is None:
        return []
    words = list(dict.fromkeys(token for token in tokens if token in vocabulary[lang]))[:4]
    return ["I" if word == "i" and lang == "en" else word for word in words]  # words are lower-cased
