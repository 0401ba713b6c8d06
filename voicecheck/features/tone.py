"""The four tone dimensions of Nielsen Norman Group, each on 0–100, from parsed posts.

formality (formal vs casual), humor (funny vs serious), irreverence (irreverent vs
respectful), enthusiasm (enthusiastic vs matter-of-fact): higher means more of the first.
Each is a weighted sum of markers a reader notices, squashed to 0–100; 50 is neutral. The
weights are set by hand from what the markers mean, not fitted to any corpus; the one
constant measured is the offset that puts French and English on one formality scale.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import regex

from voicecheck.features.style import INDEX
from voicecheck.features.texts import TextBatch
from voicecheck.features.tokens import TokenCounts

TONE_DIMENSIONS = ("formality", "humor", "irreverence", "enthusiasm")
#: What a higher and a lower value reads as, for explanations.
TONE_POLES = {
    "formality": ("more formal", "more casual"),
    "humor": ("more joking", "more serious"),
    "irreverence": ("more irreverent", "more respectful"),
    "enthusiasm": ("more enthusiastic", "more matter-of-fact"),
}

#: French runs to longer words and more articles and prepositions than English, and a brand
#: addresses its readers as "vous", all of which the formality markers read as formal: this
#: offset makes a post and its translation read equally formal. It is the mean difference, in
#: logits, between the French and English versions of the 93 posts the sample brand
#: (`samples/posts/`) wrote in both languages.
FRENCH_FORMALITY_OFFSET = -1.58

_LAUGHING_EMOJI = regex.compile("[😂🤣😆😅😜😝🙃😏😹🤪😄😁😛]")
_WARM_EMOJI = regex.compile("[❤💕💖💗💙💚💛💜🧡🥰😍🤩🎉🥳✨🙌👏🔥💪⭐🌟]")
_LAUGH = regex.compile(r"\b(?:a?h(?:a|e|i){2,}h?|lo+l|mdr+|ptdr+)\b", regex.I)
_STRONG_PUNCT = regex.compile(r"[!?]{2,}")


def _squash(x: np.ndarray) -> np.ndarray:
    return 100.0 / (1.0 + np.exp(-x))


def tone_matrix(
    batch: TextBatch, langs: Sequence[str], style: np.ndarray, counts: TokenCounts, register: np.ndarray
) -> np.ndarray:
    """formality, humor, irreverence, enthusiasm of a batch of posts (rows follow `batch`'s texts), each 0–100.

    `register` is each post's word register (`register.post_register`): words of ordinary
    writing rather than of tweets read one logit more formal, those of tweets one less.
    """
    n = np.maximum(counts.column("tone_word"), 1.0)
    per100 = 100.0 / n

    def rate(name: str) -> np.ndarray:
        return counts.column(name) * per100

    def s(name: str) -> np.ndarray:
        return style[:, INDEX[name]]

    laughs, laughing_emoji, warm_emoji, strong_punct = _marks(batch)
    french = np.array([lang == "fr" for lang in langs], dtype=bool)
    articles = rate("articles")
    profanity = rate("profanity")
    laughter = rate("laughter") + laughs * per100
    enthusiasm_words = rate("enthusiasm")
    respect = rate("respect")
    other_emoji = np.maximum(0.0, s("emoji") - laughing_emoji - warm_emoji)

    personal = s("i") + s("you")
    # Tu or vous is chosen once for a whole post: the choice reads, not how often it recurs.
    familiar_address = s("you_familiar") > 0
    polite_address = french & ~familiar_address & ((s("you") > 0) | (rate("vous_verbs") > 0))
    formality = (
        0.9 * (s("word_length") - 4.6)
        + 0.06 * (articles - 18.0)
        - 0.05 * personal
        - 0.15 * s("contractions")
        - 0.30 * s("casual_words")
        + 0.25 * s("formal_words")
        + 0.5 * polite_address
        - 2.0 * familiar_address
        - 0.35 * np.minimum(s("exclamations"), 3)
        - 0.25 * np.minimum(s("questions"), 3)
        - 0.50 * np.minimum(s("emoji"), 4)
        - 0.80 * s("starts_lowercase")
        - 0.40 * s("no_end_punct")
        - 0.30 * np.minimum(s("caps_words"), 3)
        - 0.40 * np.minimum(s("ellipses"), 2)
        - 0.50 * np.minimum(strong_punct, 2)
        + 0.35 * (np.log1p(s("words")) - 2.5)
        + register
        + np.where(french, FRENCH_FORMALITY_OFFSET, 0.0)
    )
    humor = (
        -2.0
        + 0.25 * laughter
        + 0.9 * np.minimum(laughing_emoji, 3)
        + 0.15 * np.minimum(other_emoji, 3)
        + 0.05 * s("casual_words")
        + 0.3 * np.minimum(strong_punct, 2)
        - 0.1 * s("formal_words")
    )
    irreverence = (
        -1.5
        + 0.5 * profanity
        + 0.35 * np.minimum(s("caps_words"), 3)
        + 0.08 * s("casual_words")
        + 0.4 * np.minimum(strong_punct, 2)
        + 0.4 * s("starts_lowercase")
        + 0.3 * np.minimum(laughing_emoji, 3)
        - 0.15 * respect
        - 0.15 * s("formal_words")
    )
    enthusiasm = (
        -1.5
        + 0.6 * np.minimum(s("exclamations"), 4)
        + 0.15 * enthusiasm_words
        + 0.5 * np.minimum(warm_emoji, 3)
        + 0.15 * np.minimum(other_emoji, 3)
        + 0.3 * np.minimum(s("caps_words"), 3)
        + 0.3 * np.minimum(strong_punct, 2)
        - 0.3 * s("ellipses")
    )
    return _squash(np.column_stack([formality, humor, irreverence, enthusiasm]))


def _marks(batch: TextBatch) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Laughs written out, laughing emoji, warm emoji and runs of !?, counted in each text."""
    laughing, warm = batch.count_outside_ascii(_LAUGHING_EMOJI), batch.count_outside_ascii(_WARM_EMOJI)
    return batch.count(_LAUGH), laughing, warm, batch.count(_STRONG_PUNCT)
