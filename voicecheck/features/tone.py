"""The four tone dimensions of Nielsen Norman Group, each on 0–100, from one parsed post.

formality (formal vs casual), humor (funny vs serious), irreverence (irreverent vs
respectful), enthusiasm (enthusiastic vs matter-of-fact): higher means more of the first.
Each is a weighted sum of markers a reader notices, squashed to 0–100; 50 is neutral. The
weights are set by hand from what the markers mean, not fitted to any corpus.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import regex

from voicecheck.features import lexicon
from voicecheck.features.style import INDEX

TONE_DIMENSIONS = ("formality", "humor", "irreverence", "enthusiasm")
#: What a higher and a lower value reads as, for explanations.
TONE_POLES = {
    "formality": ("more formal", "more casual"),
    "humor": ("more joking", "more serious"),
    "irreverence": ("more irreverent", "more respectful"),
    "enthusiasm": ("more enthusiastic", "more matter-of-fact"),
}

_LAUGHING_EMOJI = regex.compile("[😂🤣😆😅😜😝🙃😏😹🤪😄😁😛]")
_WARM_EMOJI = regex.compile("[❤💕💖💗💙💚💛💜🧡🥰😍🤩🎉🥳✨🙌👏🔥💪⭐🌟]")
_LAUGH = regex.compile(r"\b(?:a?h(?:a|e|i){2,}h?|lo+l|mdr+|ptdr+)\b", regex.I)
_STRONG_PUNCT = regex.compile(r"[!?]{2,}")
#: French second-person plural verb endings (vous …ez), a formal marker in French posts.
_NOT_VOUS_VERBS = frozenset({"chez", "assez", "nez", "rez"})

if TYPE_CHECKING:
    from spacy.tokens import Doc


def _squash(x: float) -> float:
    return 100.0 / (1.0 + math.exp(-x))


def tone_scores(doc: Doc, lang: str, style: np.ndarray) -> np.ndarray:
    """formality, humor, irreverence, enthusiasm for one post, each 0–100."""
    text = doc.text
    lowered = [token.lower_.replace("’", "'") for token in doc if not token.is_space]
    words = [w for w in lowered if any(ch.isalpha() for ch in w)]
    n = max(len(words), 1)
    per100 = 100.0 / n

    def rate(vocabulary: frozenset[str]) -> float:
        return sum(w in vocabulary for w in words) * per100

    s = {name: float(style[i]) for name, i in INDEX.items()}
    articles = rate(lexicon.ARTICLES_PREPOSITIONS[lang])
    profanity = rate(lexicon.PROFANITY[lang])
    laughter = rate(lexicon.LAUGHTER[lang]) + len(_LAUGH.findall(text)) * per100
    enthusiasm_words = rate(lexicon.ENTHUSIASM[lang])
    respect = rate(lexicon.RESPECT[lang])
    laughing_emoji = len(_LAUGHING_EMOJI.findall(text))
    warm_emoji = len(_WARM_EMOJI.findall(text))
    strong_punct = len(_STRONG_PUNCT.findall(text))
    other_emoji = max(0.0, s["emoji"] - laughing_emoji - warm_emoji)

    personal = s["i"] + (s["you"] if lang == "en" else 0.0)
    formal_you = 0.0
    if lang == "fr":
        vous_verbs = sum(w.endswith("ez") and w not in _NOT_VOUS_VERBS for w in words) * per100
        formal_you = max(0.0, s["you"] - s["you_familiar"]) + vous_verbs
    formality = (
        0.9 * (s["word_length"] - 4.6)
        + 0.06 * (articles - 18.0)
        - 0.05 * personal
        - 0.15 * s["contractions"]
        - 0.30 * s["casual_words"]
        + 0.25 * s["formal_words"]
        + 0.20 * formal_you
        - 0.45 * s["you_familiar"]
        - 0.35 * min(s["exclamations"], 3)
        - 0.25 * min(s["questions"], 3)
        - 0.50 * min(s["emoji"], 4)
        - 0.80 * s["starts_lowercase"]
        - 0.40 * s["no_end_punct"]
        - 0.30 * min(s["caps_words"], 3)
        - 0.40 * min(s["ellipses"], 2)
        - 0.50 * min(strong_punct, 2)
        + 0.35 * (math.log1p(s["words"]) - 2.5)
    )
    humor = (
        -2.0
        + 0.25 * laughter
        + 0.9 * min(laughing_emoji, 3)
        + 0.15 * min(other_emoji, 3)
        + 0.05 * s["casual_words"]
        + 0.3 * min(strong_punct, 2)
        - 0.1 * s["formal_words"]
    )
    irreverence = (
        -1.5
        + 0.5 * profanity
        + 0.35 * min(s["caps_words"], 3)
        + 0.08 * s["casual_words"]
        + 0.4 * min(strong_punct, 2)
        + 0.4 * s["starts_lowercase"]
        + 0.3 * min(laughing_emoji, 3)
        - 0.15 * respect
        - 0.15 * s["formal_words"]
    )
    enthusiasm = (
        -1.5
        + 0.6 * min(s["exclamations"], 4)
        + 0.15 * enthusiasm_words
        + 0.5 * min(warm_emoji, 3)
        + 0.15 * min(other_emoji, 3)
        + 0.3 * min(s["caps_words"], 3)
        + 0.3 * min(strong_punct, 2)
        - 0.3 * s["ellipses"]
    )
    return np.array([_squash(formality), _squash(humor), _squash(irreverence), _squash(enthusiasm)])
