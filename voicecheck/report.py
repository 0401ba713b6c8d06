"""The "multiple personalities" check: each channel's voice against the brand and each other.

A channel's voice is the centre of its posts in the model's voice space: character n-gram
tf-idf (lexical) and style features in the brand's standard deviations. The distance between
two voices is the lexical cosine distance of their centres plus half the RMS difference of
their style, so both what a channel says and how it writes count.
"""

from __future__ import annotations

import re
import warnings
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np

from voicecheck.core import LANGUAGES
from voicecheck.features.lexical import tfidf
from voicecheck.features.style import INDEX, STYLE_FEATURES, Feature, comparable
from voicecheck.features.table import FeatureTable
from voicecheck.features.tone import TONE_DIMENSIONS
from voicecheck.i18n import N_, gettext, number, percent
from voicecheck.messages import NO_CHANNEL, TONE_POLES
from voicecheck.peers import PeerView, peer_report
from voicecheck.store import SavedModel
from voicecheck.typography import MARKS

_DATE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?")
#: A month with fewer posts than this is drawn apart in the drift: its mean says little.
FEW_POSTS = 5


def month_of(date: str | None) -> str | None:
    """The month of an ISO 8601 date ("2025-03"); None for no date, or one no calendar has
    (a month 13, a 30 February), which would be drawn as a month of its own."""
    match = _DATE.match(date or "")
    if match is None:
        return None
    year, month, day = match.groups()
    try:
        datetime(int(year), int(month), int(day or 1))
    except ValueError:
        return None
    return f"{year}-{month}"


def unread_dates(table: FeatureTable) -> dict[str, Any] | None:
    """The posts whose date could not be read as one (`month_of`): left out of the drift, said."""
    unread = [post.date for post in table.posts if post.date and month_of(post.date) is None]
    return {"posts": len(unread), "example": unread[0]} if unread else None


def brand_language(saved: SavedModel) -> str:
    """The language a report speaks when none was asked for: the brand's first (brand.toml)."""
    languages = [lang for lang in saved.profile.languages if lang in LANGUAGES]
    return languages[0] if languages else saved.default_lang


def _centre(vectors: Any) -> np.ndarray:
    centre = np.asarray(vectors.mean(axis=0)).ravel()
    norm = np.linalg.norm(centre)
    return centre / norm if norm else centre


@dataclass
class _Voice:
    """How a group of posts sounds on average: its wording's centre, style and tone."""

    centre: np.ndarray  # unit-length mean of character n-gram tf-idf
    style: np.ndarray  # mean style features, counts on a log scale (for distances)
    raw_style: np.ndarray  # mean style features as counted (for plain-words comparisons)
    tone: np.ndarray

    @classmethod
    def of(cls, table: FeatureTable, vectors: Any, mask: np.ndarray) -> _Voice:
        return cls(
            _centre(vectors[mask]),
            _column_means(comparable(table.style[mask])),
            _column_means(table.style[mask]),
            np.mean(table.tone[mask], axis=0),
        )


@dataclass(frozen=True)
class Flags:
    """Which posts of a table `check` flags (`rows`, a mask), and how many of them each kind and
    code of reason holds."""

    rows: np.ndarray
    by_kind: dict[str, int]
    by_code: dict[str, int]


#: Style differences count up to this many of the brand's standard deviations in a distance,
#: so that one feature few posts have (a tagger's, on a handful of posts) cannot dominate it.
STYLE_DIFFERENCE_CAP = 3.0


def build_report(
    saved: SavedModel,
    table: FeatureTable | None = None,
    scores: np.ndarray | None = None,
    flagged: list[dict[str, Any]] | None = None,
    lang: str | None = None,
    flags: Flags | None = None,
) -> dict[str, Any]:
    """Compare the channels of `table` (default: the brand's training posts and held-out scores).

    On the brand's own posts, each channel is set against the rest of the brand: do its
    channels sound like one brand? On other posts, each channel is set against the brand's
    own posts on that channel and its core, and its scores against the brand's there: which
    channel has drifted from the voice the brand learned?

    `lang`: the language of the report's words (default: the brand's first). `flags`: the
    posts `check` flags and why (default: those scoring under the threshold).
    """
    own = table is None or scores is None
    if table is None or scores is None:
        table, scores = saved.table, saved.model.heldout_scores_
    model = saved.model
    lang = lang or brand_language(saved)
    if flags is None:
        below = model.heldout_below() if own else model.score(table)[1]
        flags = Flags(below, {}, {})
    channels = np.array(table.channels(NO_CHANNEL))
    names = sorted(set(channels))
    vectors = tfidf(table.chars, table.lang_index, model.background_.char_idf)
    brand_vectors = vectors if own else tfidf(saved.table.chars, saved.table.lang_index, model.background_.char_idf)
    brand_channels = np.array(saved.table.channels(NO_CHANNEL))
    brand_core = _Voice.of(saved.table, brand_vectors, np.ones(len(saved.table), dtype=bool))
    heldout = model.heldout_scores_
    spread = model.reference_.core_style.std
    proposition = _proposition_vector(saved)
    voices = {c: _Voice.of(table, vectors, channels == c) for c in names}

    def distance(a: _Voice, b: _Voice) -> float:
        lexical = 1.0 - float(a.centre @ b.centre)
        diff = np.clip((a.style - b.style) / spread, -STYLE_DIFFERENCE_CAP, STYLE_DIFFERENCE_CAP)
        return round(lexical + float(np.sqrt(_column_means(diff**2))) / 2, 3)

    summary: dict[str, dict[str, Any]] = {}
    for c in names:
        mask = channels == c
        mean_score = float(np.mean(scores[mask]))
        entry: dict[str, Any] = {"posts": int(mask.sum())}
        if own:
            rest = ~mask if (~mask).any() else mask
            reference = _Voice.of(table, vectors, rest)
            entry["distance_to_core"] = entry["divergence"] = distance(voices[c], reference)
        else:
            known = brand_channels == c
            reference = _Voice.of(saved.table, brand_vectors, known) if known.any() else brand_core
            entry["distance_to_core"] = distance(voices[c], brand_core)
            entry["distance_to_channel_voice"] = distance(voices[c], reference)
            brand_mean = float(np.mean(heldout[known] if known.any() else heldout))
            entry["score_drop"] = round(brand_mean - mean_score, 1)
            entry["divergence"] = round(
                (entry["distance_to_core"] + entry["distance_to_channel_voice"]) / 2 + entry["score_drop"] / 100, 3
            )
        similarity = None if proposition is None else round(float(voices[c].centre @ proposition), 3)
        entry.update({
            "proposition_similarity": similarity,
            "mean_score": round(mean_score, 1),
            "flagged": int(flags.rows[mask].sum()),
            "flagged_share": round(float(np.mean(flags.rows[mask])), 3),
            "tone": {d: round(float(voices[c].tone[i]), 1) for i, d in enumerate(TONE_DIMENSIONS)},
            "tone_targets": saved.profile.tone_targets(c),
        })  # fmt: skip
        apart = _sets_apart(voices[c], reference)
        entry["sets_apart"] = [phrase_text(phrase, "en") for phrase in apart]
        entry["sets_apart_fr"] = [phrase_text(phrase, "fr") for phrase in apart]
        entry["sets_apart_text"] = [phrase_text(phrase, lang) for phrase in apart]  # in the report's language
        summary[c] = entry
    pairs = {a: {b: distance(voices[a], voices[b]) for b in names if b != a} for a in names}
    divergent = max(names, key=lambda c: summary[c]["divergence"]) if len(names) > 1 else None
    report = {
        "brand": saved.profile.name or None,
        "posts": len(table),
        "compared_with": "the rest of the brand" if own else "the brand's own posts",
        "channels": summary,
        "distances": pairs,
        "most_divergent_channel": divergent,
        "most_divergent_because": summary[divergent]["sets_apart"] if divergent else [],
        "drift": _drift(table, channels, scores),
        "dates_not_read": unread_dates(table),
        "brand_band": [round(float(v), 1) for v in np.percentile(heldout, [10, 90])],
        "brand_tone_range": {
            d: [round(float(v), 1) for v in np.percentile(saved.table.tone[:, i], [10, 90])]
            for i, d in enumerate(TONE_DIMENSIONS)
        },
        "language": lang,
        "flag_counts": {"posts": int(flags.rows.sum()), "by_kind": flags.by_kind, "by_code": flags.by_code},
        "map": voice_map(brand_vectors, vectors, channels, scores, table, proposition, model.peers_),
        "flagged": flagged or [],
    }
    if model.peers_ is not None:  # only a model that knows peers reports on them
        report["peers"] = peer_report(model.peers_, table, channels)
    return report


#: The map is fitted on at most this many of the brand's posts (a sample beyond), for speed.
MAP_FIT_POSTS = 5_000


def voice_map(
    brand_vectors: Any,
    vectors: Any,
    channels: np.ndarray,
    scores: np.ndarray,
    table: FeatureTable,
    proposition: np.ndarray | None,
    peers: PeerView | None = None,
) -> dict[str, Any]:
    """A 2-D picture of the voice space: PCA fitted on the brand's own posts (`brand_vectors`),
    then every post of `table`, channel centre, the brand's core, the proposition and each
    peer's centre placed in it."""
    from sklearn.decomposition import PCA

    training = brand_vectors
    if training.shape[0] > MAP_FIT_POSTS:
        keep = np.random.default_rng(0).choice(training.shape[0], MAP_FIT_POSTS, replace=False)
        training = training[np.sort(keep)]
    pca = PCA(n_components=2, svd_solver="arpack", random_state=0).fit(training)
    points = pca.transform(vectors)
    core = pca.transform(training).mean(axis=0)

    def xy(values: np.ndarray) -> list[float]:
        return [round(float(values[0]), 4), round(float(values[1]), 4)]

    placed = {
        "method": "PCA of character n-gram tf-idf, fitted on the brand's posts",
        "explained_variance": [round(float(v), 4) for v in pca.explained_variance_ratio_],
        "points": [_map_point(p.id, str(channels[i]), xy(points[i]), scores[i]) for i, p in enumerate(table.posts)],
        "centres": {c: xy(points[channels == c].mean(axis=0)) for c in sorted(set(channels))},
        "core": xy(core),
        "proposition": xy(pca.transform(proposition.reshape(1, -1))[0]) if proposition is not None else None,
    }
    if peers is not None:  # where each peer's posts sit on average, in the brand's own space
        centres = [pca.transform(peers.vectors_of(k)).mean(axis=0) for k in range(len(peers.names))]
        placed["peers"] = {name: xy(centre) for name, centre in zip(peers.names, centres, strict=True)}
    return placed


def _map_point(post_id: str, channel: str, xy: list[float], score: float) -> dict[str, Any]:
    return {"id": post_id, "channel": channel, "x": xy[0], "y": xy[1], "score": round(float(score), 1)}


def _column_means(values: np.ndarray) -> np.ndarray:
    """Means that ignore NaN (features a pipeline could not compute); all-NaN gives NaN quietly."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmean(values, axis=0)


def _proposition_vector(saved: SavedModel) -> np.ndarray | None:
    text = saved.profile.proposition
    if not text:
        return None
    from voicecheck.features.lexical import char_counts
    from voicecheck.nlp import LANGUAGES, detect_language

    lang = detect_language(text, saved.table.langs[0])
    vector = tfidf(char_counts([text]), np.array([LANGUAGES.index(lang)]), saved.model.background_.char_idf)
    return np.asarray(vector.todense()).ravel()


#: A phrase of "what sets a channel apart": a message id and its figures, rendered in a language.
Phrase = tuple[str, dict[str, Any]]

#: How many times more, in words, up to five times; beyond, the comparison is given as rates.
_TIMES = {2: N_("twice"), 3: N_("three times"), 4: N_("four times"), 5: N_("five times")}
_MANY = {"flag": N_("{times} as many {label}"), "other": N_("{times} the {label}")}
_FEW = {
    ("flag", "half"): N_("half as many {label}"),
    ("flag", "third"): N_("a third as many {label}"),
    ("other", "half"): N_("half the {label}"),
    ("other", "third"): N_("a third of the {label}"),
}
_RATE = {
    "count": N_("{value} {label} per 100 words; the brand uses {reference}"),
    "per100": N_("{value} {label} per 100 words; the brand uses {reference}"),
    "flag": N_("{label}: {value} of the posts; the brand: {reference}"),
}
_FAR = N_("far {pole}")
_TYPOGRAPHY = N_("{label} written {way} where the brand writes {reference}")
_I_FOR_WE = N_("'I' where the brand says 'we'")
_TU_FOR_VOUS = N_("'tu' where the brand says 'vous'")
_LONGER, _SHORTER = N_("longer posts"), N_("shorter posts")
#: Beyond this many times the reference, a ratio says little ("198 times"): rates say more.
MAX_RATIO = 5.5


def phrase_text(phrase: Phrase, lang: str) -> str:
    """A phrase in `lang`, its figures (labels, poles, numbers) rendered in `lang` too."""
    message, figures = phrase
    values = {key: _figure_text(key, value, lang) for key, value in figures.items()}
    text = gettext(message, lang).format(**values)
    return _elide(text) if lang == "fr" else text


def _figure_text(key: str, value: Any, lang: str) -> str:
    if key == "times":
        return gettext(_TIMES[value], lang) if value in _TIMES else gettext("{count} times", lang).format(count=value)
    if isinstance(value, _Share):
        return percent(value, lang)
    if isinstance(value, float):
        return number(value, lang, decimals=0 if value >= 10 or value == 0 else 1)
    if key == "pole":
        return phrase_text(value, lang)
    return gettext(str(value), lang)


def _elide(text: str) -> str:
    """French elision before a vowel sound: "plus de émojis" → "plus d'émojis"."""
    return re.sub(r"\b(de|que) (?=[aeiouyéèêh])", lambda m: m.group(1)[0] + "'", text, flags=re.IGNORECASE)


def _ratio_phrase(
    ratio: float, feature: Feature, mine: float, theirs: float, words: tuple[float, float]
) -> Phrase | None:
    """How much more or less of `feature` a channel has than its reference, or None when unremarkable.

    Up to five times, as a ratio ("three times the emoji"); beyond, the reference is too small for a
    ratio to mean much, so both rates are given ("12 hashtags per 100 words; the brand uses 0.3").
    """
    kind = "flag" if feature.unit == "flag" else "other"
    if ratio > MAX_RATIO:
        if feature.unit == "flag":
            return _RATE["flag"], {"label": feature.label, "value": _Share(mine), "reference": _Share(theirs)}
        if feature.unit == "count":  # counts per post: per 100 words
            mine, theirs = 100 * mine / max(words[0], 1.0), 100 * theirs / max(words[1], 1.0)
        return _RATE[feature.unit], {"label": feature.label, "value": mine, "reference": theirs}
    if ratio >= 1.75:
        return _MANY[kind], {"times": round(ratio), "label": feature.label}
    if ratio <= 0.55:
        return _FEW[(kind, "third" if ratio < 0.4 else "half")], {"label": feature.label}
    return None


class _Share(float):
    """A share of posts (0.4), shown as a percentage."""


def _sets_apart(voice: _Voice, reference: _Voice) -> list[Phrase]:
    """What a reader would notice about these posts next to the reference ones, most striking first."""
    found: list[tuple[float, Phrase]] = []
    mine, theirs = voice.raw_style, reference.raw_style
    we, i = INDEX["we"], INDEX["i"]
    if mine[i] > 2 * max(theirs[i], 0.5) and mine[we] < theirs[we]:
        found.append((3.0, (_I_FOR_WE, {})))
    if mine[INDEX["you_familiar"]] > 2 * max(theirs[INDEX["you_familiar"]], 0.5):
        found.append((2.5, (_TU_FOR_VOUS, {})))
    words = (float(mine[INDEX["words"]]), float(theirs[INDEX["words"]]))
    for feature in STYLE_FEATURES:
        if feature.name in ("we", "i", "you_familiar", "function_words") or feature.unit == "mean":
            continue
        a, b = float(mine[INDEX[feature.name]]), float(theirs[INDEX[feature.name]])
        if not (np.isfinite(a) and np.isfinite(b)):
            continue
        if feature.unit == "share":  # typography: which way each writes a kind of mark
            marks = MARKS[feature.name]
            if abs(a - b) >= 0.5 and marks.way(a) != marks.way(b):
                figures = {"label": feature.label, "way": marks.way(a), "reference": marks.way(b)}
                found.append((2 * abs(a - b), (_TYPOGRAPHY, figures)))
            continue
        floor = 0.2 if feature.unit in ("count", "flag") else 1.0
        if max(a, b) < floor:
            continue
        ratio = (a + 0.05) / (b + 0.05)
        phrase = _ratio_phrase(ratio, feature, a, b, words)
        if phrase:
            found.append((abs(np.log(ratio)), phrase))
    for i_dim, dimension in enumerate(TONE_DIMENSIONS):
        diff = float(voice.tone[i_dim] - reference.tone[i_dim])
        if abs(diff) >= 8:
            pole: Phrase = (TONE_POLES[dimension][0 if diff > 0 else 1], {})
            found.append((abs(diff) / 10, (_FAR, {"pole": pole}) if abs(diff) >= 20 else pole))
    length = words[0] / max(words[1], 1.0)
    if length >= 1.75 or length <= 0.55:
        found.append((abs(np.log(length)), (_LONGER if length > 1 else _SHORTER, {})))
    found.sort(key=lambda item: -item[0])
    return [phrase for _, phrase in found[:5]]


def _drift(table: FeatureTable, channels: np.ndarray, scores: np.ndarray) -> dict[str, list[dict[str, Any]]]:
    months: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for row, post in enumerate(table.posts):
        month = month_of(post.date)
        if month:
            months[str(channels[row])][month].append(float(scores[row]))
    return {
        channel: [
            {"month": m, "posts": len(v), "mean_score": round(float(np.mean(v)), 1), "few_posts": len(v) < FEW_POSTS}
            for m, v in sorted(by_month.items())
        ]
        for channel, by_month in sorted(months.items())
    }
