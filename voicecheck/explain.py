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
from typing import Any

import numpy as np

from voicecheck.features import lexicon
from voicecheck.features.hashing import feature_index
from voicecheck.features.register import word_registers
from voicecheck.features.style import INDEX, STYLE_FEATURES, Feature
from voicecheck.features.table import FeatureTable
from voicecheck.features.tokens import STYLE_CLASSES
from voicecheck.features.tone import TONE_DIMENSIONS, TONE_POLES
from voicecheck.model import comparison_groups, group_of
from voicecheck.nlp import LANGUAGE_NAMES, LANGUAGES
from voicecheck.store import SavedModel

#: Tone points beyond the brand's range before a difference is worth a reason.
TONE_MARGIN = 8.0
#: Standard deviations from the brand before a style habit is worth a reason.
STYLE_Z = 2.5
#: A word rarer than this in ordinary language, never used by the brand, is "not the brand's".
RARE_WORD = 2e-6

#: A word's register (-1 a tweet's mean word, +1 ordinary writing's) past which it is named as
#: one that makes a post read more formal or more casual.
TELLING_REGISTER = 1.5

_WORD = re.compile(r"[\w'’]+")
_APOSTROPHE = re.compile(r"['’]")

#: Dimensions whose low end is the ordinary register: for a brand that is seldom funny,
#: irreverent or excited, a post that is even less so has not drifted in any way a reader notices.
QUIET_BY_DEFAULT = frozenset({"humor", "irreverence", "enthusiasm"})
QUIET_LEVEL = 30.0

Reason = dict[str, Any]


def _telling_words(text: str, lang: str, more_formal: bool) -> list[str]:
    """The post's words (up to 4) whose register pulls it the way it drifted: "hereby" or "lol"."""
    sign = 1.0 if more_formal else -1.0
    # Words as a reader sees them; contractions ("can't") are left out, as spaCy splits them.
    words = [word for word in _WORD.findall(text.lower()) if not _APOSTROPHE.search(word)]
    registers = word_registers(list(dict.fromkeys(words)), lang)
    telling = [word for word, register in registers.items() if sign * register >= TELLING_REGISTER]
    return sorted(telling, key=lambda word: -sign * registers[word])[:4]


def _number(value: float) -> str:
    return f"{value:.0f}" if abs(value - round(value)) < 0.05 or abs(value) >= 10 else f"{value:.1f}"


def _span(low: float, high: float) -> str:
    return _number(low) if _number(low) == _number(high) else f"{_number(low)}–{_number(high)}"


@dataclass
class Explainer:
    saved: SavedModel

    _ranges: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        table = self.saved.table
        self._all_rows = np.arange(len(table))
        #: The groups of brand posts with a range of their own (as the model's style statistics).
        self._group_rows = comparison_groups(table.channels(), table.langs)
        word_totals = np.asarray(table.words.sum(axis=0)).ravel()
        self._brand_words = word_totals > 0

    def against(self, channel: str | None, lang: str) -> tuple[np.ndarray, str]:
        """Rows of the brand's posts that make its range for a post, and how to name them."""
        key = group_of(self._group_rows, channel, lang)
        if key is None:
            return self._all_rows, "across its channels"
        on, written = key
        where = " ".join(filter(None, [on and f"on {on}", written and f"in {LANGUAGE_NAMES[written]}"]))
        return self._group_rows[key], where

    def drift(self, table: FeatureTable, row: int, style_z: np.ndarray) -> list[Reason]:
        """The tone dimensions and style habits in which this post leaves the brand's range."""
        rows, where = self.against(table.posts[row].channel, table.langs[row])
        lang = table.langs[row]
        tone = self.tone(table.tone[row], rows, where, table.posts[row].text, lang)
        tokens = table.tokens[row] if table.tokens else []  # a saved model's own table keeps none
        return tone + self.style(table.style[row], style_z, rows, where, lang, tokens)

    def brand_range(self, kind: str, rows: np.ndarray, where: str) -> tuple[np.ndarray, np.ndarray]:
        """The 10th and 90th percentiles of the brand's `kind` ("tone", "style") over `rows`.

        Computed once per channel: `where` names the rows. Features the pipeline could not
        measure (NaN) are left out; a feature no post has gets NaN.
        """
        if (kind, where) not in self._ranges:
            values = getattr(self.saved.table, kind)[rows]
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)  # "All-NaN slice": no tagger
                low, high = np.nanpercentile(values, [10, 90], axis=0)
            self._ranges[kind, where] = (low, high)
        return self._ranges[kind, where]

    def tone(self, values: np.ndarray, rows: np.ndarray, where: str, text: str = "", lang: str = "en") -> list[Reason]:
        """Tone dimensions beyond the brand's range; for formality, the words that set the register."""
        out = []
        lows, highs = self.brand_range("tone", rows, where)
        for i, dimension in enumerate(TONE_DIMENSIONS):
            low, high = lows[i], highs[i]
            value = float(values[i])
            beyond = value - high if value > high else low - value if value < low else 0.0
            if beyond < TONE_MARGIN or (value < low and dimension in QUIET_BY_DEFAULT and high < QUIET_LEVEL):
                continue
            pole = TONE_POLES[dimension][0 if value > high else 1]
            degree = "far " if beyond >= 25 else ""
            reason: Reason = {
                "kind": "tone",
                "dimension": dimension,
                "value": round(value, 1),
                "brand_range": [round(float(low), 1), round(float(high), 1)],
                "message": f"{degree}{pole} than the brand {where}: {dimension} {value:.0f}, "
                           f"usually {low:.0f}–{high:.0f}",
            }  # fmt: skip
            if dimension == "formality" and (telling := _telling_words(text, lang, value > high)):
                kind = "words of writing more than of social media" if value > high else "words of social media"
                reason["words"] = telling
                reason["message"] += f" ({kind}: {', '.join(telling)})"
            out.append(reason)
        return out

    def style(
        self,
        values: np.ndarray,
        z: np.ndarray,
        rows: np.ndarray,
        where: str,
        lang: str = "en",
        tokens: Sequence[str] = (),
    ) -> list[Reason]:
        """Style habits well outside the brand's range; a word class names the post's own words of it."""
        lows, highs = self.brand_range("style", rows, where)
        found = []
        for feature in STYLE_FEATURES:
            i = INDEX[feature.name]
            if not np.isfinite(z[i]) or abs(z[i]) < STYLE_Z or feature.name in ("function_words",):
                continue
            low, high = lows[i], highs[i]
            if not np.isfinite(low):
                continue
            value = float(values[i])
            if low <= value <= high or not _noticeable(feature, value, low, high):
                continue
            words = _words_of_class(feature.name, tokens, lang) if value > high else []
            found.append((abs(z[i]), _style_reason(feature, value, low, high, where, lang, words)))
        found.sort(key=lambda item: -item[0])
        return [reason for _, reason in found[:3]]

    def vocabulary(self, text: str) -> list[Reason]:
        profile = self.saved.profile
        out = []
        lowered = text.lower()
        for term in profile.avoid:
            if _contains(lowered, term.lower()):
                out.append({"kind": "avoided_term", "term": term, "message": f"uses '{term}', which the brand avoids"})
        for term, preferred in profile.prefer.items():
            if _contains(lowered, term.lower()):
                out.append({
                    "kind": "preferred_term", "term": term, "preferred": preferred,
                    "message": f"says '{term}' where the brand says '{preferred}'",
                })  # fmt: skip
        for term in profile.brand_terms:
            for match in re.finditer(re.escape(term), text, re.IGNORECASE):
                if match.group(0) != term:
                    out.append({
                        "kind": "brand_term", "term": term, "found": match.group(0),
                        "message": f"writes '{match.group(0)}'; the brand writes '{term}'",
                    })  # fmt: skip
                    break
        return out

    def unfamiliar_words(self, tokens: list[str], lang: str) -> list[Reason]:
        """Uncommon words the brand never used: the vocabulary of some other voice."""
        background = self.saved.model.background_.words[LANGUAGES.index(lang)]
        function_words = lexicon.FUNCTION_WORDS[lang]
        seen, words = set(), []
        for token in tokens:
            if len(token) < 4 or not token.isalpha() or token in function_words or token in seen:
                continue
            seen.add(token)
            column = feature_index(token)
            if not self._brand_words[column] and background[column] < RARE_WORD:
                words.append((float(background[column]), token))
        if len(words) < 2:
            return []
        words.sort()
        shown = [word for _, word in words[:5]]
        return [{
            "kind": "unfamiliar_words",
            "words": shown,
            "message": "words the brand does not use: " + ", ".join(f"'{w}'" for w in shown),
        }]  # fmt: skip

    def examples(self, channel: str | None, lang: str, similarity: np.ndarray, count: int = 2) -> list[dict[str, Any]]:
        """The brand's posts closest to this one (by `similarity` to each), preferring its channel and language."""
        rows, _ = self.against(channel, lang)
        best = rows[np.argsort(-similarity[rows])[:count]]
        training = self.saved.table.posts
        return [
            {"id": training[i].id, "channel": training[i].channel, "text": training[i].text,
             "similarity": round(float(similarity[i]), 3)}
            for i in best
        ]  # fmt: skip


def _contains(haystack: str, needle: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", haystack) is not None


def _noticeable(feature: Feature, value: float, low: float, high: float) -> bool:
    """Small absolute differences are not worth a reader's time, whatever their z."""
    gap = value - high if value > high else low - value
    minimum = {"count": 1.0, "per100": 3.0, "mean": 2.0, "flag": 0.5}[feature.unit]
    return gap >= minimum


def _words_of_class(name: str, tokens: Sequence[str], lang: str) -> list[str]:
    """The post's words (up to 4, first seen first) of the word class a style feature counts."""
    vocabulary = STYLE_CLASSES.get(name)
    if vocabulary is None:
        return []
    words = list(dict.fromkeys(token for token in tokens if token in vocabulary[lang]))[:4]
    return ["I" if word == "i" and lang == "en" else word for word in words]  # words are lower-cased


def _style_reason(
    feature: Feature, value: float, low: float, high: float, where: str, lang: str, words: list[str]
) -> Reason:
    more = value > high
    if feature.unit == "flag":
        share = f"{low:.0%}–{high:.0%}" if low != high else f"{high:.0%}"
        message = f"one of the {feature.label}, which are {share} of the brand's posts {where}"
    elif feature.unit == "per100":
        message = (
            f"{'more' if more else 'fewer'} {feature.described(lang, words)}: {_number(value)} per 100 words, "
            f"the brand uses {_span(low, high)} {where}"
        )
    else:
        message = f"{_number(value)} {feature.label}; the brand uses {_span(low, high)} {where}"
    reason: Reason = {
        "kind": "style",
        "feature": feature.name,
        "value": round(value, 2),
        "brand_range": [round(float(low), 2), round(float(high), 2)],
        "message": message,
    }
    if words:
        reason["words"] = words
    return reason
