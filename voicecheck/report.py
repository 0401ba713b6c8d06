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
from typing import Any

import numpy as np

from voicecheck.features.lexical import tfidf
from voicecheck.features.style import INDEX, STYLE_FEATURES, Feature, comparable
from voicecheck.features.table import FeatureTable
from voicecheck.features.tone import TONE_DIMENSIONS, TONE_POLES
from voicecheck.store import SavedModel

_MONTH = re.compile(r"^(\d{4})-(\d{2})")
_RATIO_WORDS = {2: "twice", 3: "three times", 4: "four times", 5: "five times"}


def month_of(date: str | None) -> str | None:
    match = _MONTH.match(date or "")
    return f"{match.group(1)}-{match.group(2)}" if match else None


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


#: Style differences count up to this many of the brand's standard deviations in a distance,
#: so that one feature few posts have (a tagger's, on a handful of posts) cannot dominate it.
STYLE_DIFFERENCE_CAP = 3.0


def build_report(
    saved: SavedModel,
    table: FeatureTable | None = None,
    scores: np.ndarray | None = None,
    flagged: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Compare the channels of `table` (default: the brand's training posts and held-out scores).

    On the brand's own posts, each channel is set against the rest of the brand: do its
    channels sound like one brand? On other posts, each channel is set against the brand's
    own posts on that channel and its core, and its scores against the brand's there: which
    channel has drifted from the voice the brand learned?
    """
    own = table is None or scores is None
    if table is None or scores is None:
        table, scores = saved.table, saved.model.heldout_scores_
    model = saved.model
    channels = np.array(table.channels("(none)"))
    names = sorted(set(channels))
    vectors = tfidf(table.chars, table.lang_index, model.background_.char_idf)
    brand_vectors = vectors if own else tfidf(saved.table.chars, saved.table.lang_index, model.background_.char_idf)
    brand_channels = np.array(saved.table.channels("(none)"))
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
            "flagged_share": round(float(np.mean(scores[mask] < 100 * model.false_flag_rate)), 3),
            "tone": {d: round(float(voices[c].tone[i]), 1) for i, d in enumerate(TONE_DIMENSIONS)},
            "tone_targets": saved.profile.tone_targets(c),
        })  # fmt: skip
        apart = _sets_apart(voices[c], reference)
        entry["sets_apart"] = [english for english, _ in apart]
        entry["sets_apart_fr"] = [french for _, french in apart]
        summary[c] = entry
    pairs = {a: {b: distance(voices[a], voices[b]) for b in names if b != a} for a in names}
    divergent = max(names, key=lambda c: summary[c]["divergence"]) if len(names) > 1 else None
    return {
        "brand": saved.profile.name or None,
        "posts": len(table),
        "compared_with": "the rest of the brand" if own else "the brand's own posts",
        "channels": summary,
        "distances": pairs,
        "most_divergent_channel": divergent,
        "most_divergent_because": summary[divergent]["sets_apart"] if divergent else [],
        "drift": _drift(table, channels, scores),
        "brand_band": [round(float(v), 1) for v in np.percentile(heldout, [10, 90])],
        "brand_tone_range": {
            d: [round(float(v), 1) for v in np.percentile(saved.table.tone[:, i], [10, 90])]
            for i, d in enumerate(TONE_DIMENSIONS)
        },
        "language": saved.default_lang,
        "map": voice_map(brand_vectors, vectors, channels, scores, table, proposition),
        "flagged": flagged or [],
    }


#: The map is fitted on at most this many of the brand's posts (a sample beyond), for speed.
MAP_FIT_POSTS = 5_000


def voice_map(
    brand_vectors: Any,
    vectors: Any,
    channels: np.ndarray,
    scores: np.ndarray,
    table: FeatureTable,
    proposition: np.ndarray | None,
) -> dict[str, Any]:
    """A 2-D picture of the voice space: PCA fitted on the brand's own posts (`brand_vectors`),
    then every post of `table`, channel centre, the brand's core and the proposition placed in it."""
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

    return {
        "method": "PCA of character n-gram tf-idf, fitted on the brand's posts",
        "explained_variance": [round(float(v), 4) for v in pca.explained_variance_ratio_],
        "points": [_map_point(p.id, str(channels[i]), xy(points[i]), scores[i]) for i, p in enumerate(table.posts)],
        "centres": {c: xy(points[channels == c].mean(axis=0)) for c in sorted(set(channels))},
        "core": xy(core),
        "proposition": xy(pca.transform(proposition.reshape(1, -1))[0]) if proposition is not None else None,
    }


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


_RATIO_WORDS_FR = {2: "deux fois", 3: "trois fois", 4: "quatre fois", 5: "cinq fois"}
_TONE_POLES_FR = {
    "formality": ("plus soutenu", "plus familier"),
    "humor": ("plus blagueur", "plus sérieux"),
    "irreverence": ("plus irrévérencieux", "plus respectueux"),
    "enthusiasm": ("plus enthousiaste", "plus posé"),
}


def _de(label: str) -> str:
    """French 'de' before a label, elided before a vowel sound: "d'emoji", "de virgules"."""
    return f"d'{label}" if label[:1].lower() in "aeiouyéèêh" else f"de {label}"


def _ratio_phrase(ratio: float, feature: Feature) -> tuple[str, str]:
    """('three times the emoji', 'trois fois plus d'emoji'), or empty strings when unremarkable."""
    rounded = round(ratio)
    many_en = _RATIO_WORDS.get(rounded, f"{rounded} times")
    many_fr = f"{_RATIO_WORDS_FR.get(rounded, f'{rounded} fois')} plus {_de(feature.label_fr)}"
    few_fr = f"{'trois fois' if ratio < 0.4 else 'deux fois'} moins {_de(feature.label_fr)}"
    if feature.unit == "flag":
        if ratio >= 1.75:
            return f"{many_en} as many {feature.label}", many_fr
        if ratio <= 0.55:
            return f"{'a third' if ratio < 0.4 else 'half'} as many {feature.label}", few_fr
        return "", ""
    if ratio >= 1.75:
        return f"{many_en} the {feature.label}", many_fr
    if ratio <= 0.55:
        return f"{'a third of' if ratio < 0.4 else 'half'} the {feature.label}", few_fr
    return "", ""


def _sets_apart(voice: _Voice, reference: _Voice) -> list[tuple[str, str]]:
    """What a reader would notice about these posts next to the reference ones, in English
    and in French."""
    found: list[tuple[float, tuple[str, str]]] = []
    mine, theirs = voice.raw_style, reference.raw_style
    we, i = INDEX["we"], INDEX["i"]
    if mine[i] > 2 * max(theirs[i], 0.5) and mine[we] < theirs[we]:
        found.append((3.0, ("'I' where the brand says 'we'", "« je » là où la marque dit « nous »")))
    if mine[INDEX["you_familiar"]] > 2 * max(theirs[INDEX["you_familiar"]], 0.5):
        found.append((2.5, ("'tu' where the brand says 'vous'", "« tu » là où la marque dit « vous »")))
    for feature in STYLE_FEATURES:
        if feature.name in ("we", "i", "you_familiar", "function_words") or feature.unit == "mean":
            continue
        a, b = float(mine[INDEX[feature.name]]), float(theirs[INDEX[feature.name]])
        if not (np.isfinite(a) and np.isfinite(b)):
            continue
        floor = 0.2 if feature.unit in ("count", "flag") else 1.0
        if max(a, b) < floor:
            continue
        ratio = (a + 0.05) / (b + 0.05)
        phrases = _ratio_phrase(ratio, feature)
        if phrases[0]:
            found.append((abs(np.log(ratio)), phrases))
    for i_dim, dimension in enumerate(TONE_DIMENSIONS):
        diff = float(voice.tone[i_dim] - reference.tone[i_dim])
        if abs(diff) >= 8:
            side = 0 if diff > 0 else 1
            far = abs(diff) >= 20
            english = f"{'far ' if far else ''}{TONE_POLES[dimension][side]}"
            french = f"{'bien ' if far else ''}{_TONE_POLES_FR[dimension][side]}"
            found.append((abs(diff) / 10, (english, french)))
    length = float(mine[INDEX["words"]] / max(theirs[INDEX["words"]], 1.0))
    if length >= 1.75 or length <= 0.55:
        longer = length > 1
        phrases = ("longer posts", "des publications plus longues") if longer else (
            "shorter posts", "des publications plus courtes")  # fmt: skip
        found.append((abs(np.log(length)), phrases))
    found.sort(key=lambda item: -item[0])
    return [phrases for _, phrases in found[:5]]


def _drift(table: FeatureTable, channels: np.ndarray, scores: np.ndarray) -> dict[str, list[dict[str, Any]]]:
    months: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for row, post in enumerate(table.posts):
        month = month_of(post.date)
        if month:
            months[str(channels[row])][month].append(float(scores[row]))
    return {
        channel: [
            {"month": m, "posts": len(v), "mean_score": round(float(np.mean(v)), 1)}
            for m, v in sorted(by_month.items())
        ]
        for channel, by_month in sorted(months.items())
    }
