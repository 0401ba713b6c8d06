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


def build_report(
    saved: SavedModel, table: FeatureTable | None = None, scores: np.ndarray | None = None
) -> dict[str, Any]:
    """Compare channels of `table` (default: the brand's training posts and held-out scores)."""
    if table is None:
        table, scores = saved.table, saved.model.heldout_scores_
    assert scores is not None
    model = saved.model
    channels = np.array(table.channels("(none)"))
    names = sorted(set(channels))
    vectors = tfidf(table.chars, table.lang_index, model.background_.char_idf)
    style = comparable(table.style)
    spread = model.reference_.core_style.std
    proposition = _proposition_vector(saved)
    centres = {c: _centre(vectors[channels == c]) for c in names}
    styles = {c: _column_means(style[channels == c]) for c in names}

    def distance(a_centre: np.ndarray, a_style: np.ndarray, b_centre: np.ndarray, b_style: np.ndarray) -> float:
        lexical = 1.0 - float(a_centre @ b_centre)
        diff = (a_style - b_style) / spread
        stylistic = float(np.sqrt(_column_means(diff**2)))
        return round(lexical + stylistic / 2, 3)

    summary: dict[str, dict[str, Any]] = {}
    for c in names:
        mask = channels == c
        rest = ~mask if (~mask).any() else mask
        summary[c] = {
            "posts": int(mask.sum()),
            "distance_to_core": distance(
                centres[c], styles[c], _centre(vectors[rest]), _column_means(style[rest])
            ),
            "proposition_similarity": round(float(centres[c] @ proposition), 3) if proposition is not None else None,
            "mean_score": round(float(np.mean(scores[mask])), 1),
            "flagged_share": round(float(np.mean(scores[mask] < 100 * model.false_flag_rate)), 3),
            "tone": {d: round(float(np.mean(table.tone[mask, i])), 1) for i, d in enumerate(TONE_DIMENSIONS)},
            "tone_targets": saved.profile.tone_targets(c),
            "sets_apart": _sets_apart(table, mask, rest),
        }  # fmt: skip
    pairs = {a: {b: distance(centres[a], styles[a], centres[b], styles[b]) for b in names if b != a} for a in names}
    divergent = max(names, key=lambda c: summary[c]["distance_to_core"]) if len(names) > 1 else None
    return {
        "brand": saved.profile.name or None,
        "posts": len(table),
        "channels": summary,
        "distances": pairs,
        "most_divergent_channel": divergent,
        "most_divergent_because": summary[divergent]["sets_apart"] if divergent else [],
        "drift": _drift(table, channels, scores),
        "brand_band": [round(float(v), 1) for v in np.percentile(saved.model.heldout_scores_, [10, 90])],
    }


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


def _ratio_phrase(ratio: float, feature: Feature) -> str:
    """'three times the emoji', 'a third of the hashtags', 'twice as many posts ending ...'."""
    rounded = round(ratio)
    if feature.unit == "flag":
        if ratio >= 1.75:
            return f"{_RATIO_WORDS.get(rounded, f'{rounded} times')} as many {feature.label}"
        if ratio <= 0.55:
            return f"{'a third' if ratio < 0.4 else 'half'} as many {feature.label}"
        return ""
    if ratio >= 1.75:
        return f"{_RATIO_WORDS.get(rounded, f'{rounded} times')} the {feature.label}"
    if ratio <= 0.55:
        return f"{'a third of' if ratio < 0.4 else 'half'} the {feature.label}"
    return ""


def _sets_apart(table: FeatureTable, mask: np.ndarray, rest: np.ndarray) -> list[str]:
    """What a reader would notice about these posts next to the rest of the brand's."""
    found: list[tuple[float, str]] = []
    mine = _column_means(table.style[mask])
    theirs = _column_means(table.style[rest])
    we, i = INDEX["we"], INDEX["i"]
    if mine[i] > 2 * max(theirs[i], 0.5) and mine[we] < theirs[we]:
        found.append((3.0, "'I' where the brand says 'we'"))
    if mine[INDEX["you_familiar"]] > 2 * max(theirs[INDEX["you_familiar"]], 0.5):
        found.append((2.5, "'tu' where the brand says 'vous'"))
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
        phrase = _ratio_phrase(ratio, feature)
        if phrase:
            found.append((abs(np.log(ratio)), phrase))
    for i_dim, dimension in enumerate(TONE_DIMENSIONS):
        diff = float(np.mean(table.tone[mask, i_dim]) - np.mean(table.tone[rest, i_dim]))
        if abs(diff) >= 8:
            pole = TONE_POLES[dimension][0 if diff > 0 else 1]
            found.append((abs(diff) / 10, f"{'far ' if abs(diff) >= 20 else ''}{pole}"))
    length = float(mine[INDEX["words"]] / max(theirs[INDEX["words"]], 1.0))
    if length >= 1.75 or length <= 0.55:
        found.append((abs(np.log(length)), "longer posts" if length > 1 else "shorter posts"))
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
            {"month": m, "posts": len(v), "mean_score": round(float(np.mean(v)), 1)}
            for m, v in sorted(by_month.items())
        ]
        for channel, by_month in sorted(months.items())
    }
