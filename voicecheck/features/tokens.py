"""What each distinct token contributes to a post's style, tone and word features.

Everything style and tone count per token (is it a word, its length, which word classes and
tone markers it belongs to) depends only on the token's text and the post's language. So each
distinct token is classified once, and a batch of posts is counted with one sparse product
instead of a pass over every token of every post for every feature.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain
from typing import TYPE_CHECKING

import numpy as np

from voicecheck.features import lexicon
from voicecheck.features.hashing import occurrences

if TYPE_CHECKING:
    from spacy.tokens import Doc

#: Per-token columns. "word" is a style word (letters, or an apostrophe as in "we're");
#: "tone_word" is any token with a letter, which tone rates are taken over.
COLUMNS = (
    "word",
    "letters",
    "we",
    "you",
    "i",
    "you_familiar",
    "function_words",
    "formal_words",
    "casual_words",
    "contractions",
    "caps_words",
    "tone_word",
    "articles",
    "profanity",
    "laughter",
    "enthusiasm",
    "respect",
    "vous_verbs",
)
COLUMN = {name: i for i, name in enumerate(COLUMNS)}
#: Words ending in -ez that are not a verb after "vous".
_NOT_VOUS_VERBS = frozenset({"chez", "assez", "nez", "rez"})
#: Distinct tokens remembered per language; past this the memory is cleared, so it stays flat.
CACHE_TOKENS = 200_000

_STYLE_CLASSES = {
    "we": lexicon.WE,
    "you": lexicon.YOU,
    "i": lexicon.I,
    "you_familiar": lexicon.YOU_FAMILIAR,
    "function_words": lexicon.FUNCTION_WORDS,
    "formal_words": lexicon.FORMAL,
    "casual_words": lexicon.CASUAL,
}
_TONE_CLASSES = {
    "articles": lexicon.ARTICLES_PREPOSITIONS,
    "profanity": lexicon.PROFANITY,
    "laughter": lexicon.LAUGHTER,
    "enthusiasm": lexicon.ENTHUSIASM,
    "respect": lexicon.RESPECT,
}


def classify(text: str, lang: str) -> np.ndarray:
    """The COLUMNS of one token."""
    row = np.zeros(len(COLUMNS))
    lowered = text.lower().replace("’", "'")
    if text.isalpha() or "'" in text or "’" in text:
        row[COLUMN["word"]] = 1
        row[COLUMN["letters"]] = len(lowered)
        for name, vocabulary in _STYLE_CLASSES.items():
            row[COLUMN[name]] = lowered in vocabulary[lang]
        row[COLUMN["contractions"]] = lowered.endswith(lexicon.CONTRACTION_SUFFIXES) or lowered in lexicon.FRENCH_SPOKEN
        row[COLUMN["caps_words"]] = len(text) >= 3 and text.isupper() and text.isalpha()
    if not text.isspace() and any(ch.isalpha() for ch in lowered):
        row[COLUMN["tone_word"]] = 1
        for name, vocabulary in _TONE_CLASSES.items():
            row[COLUMN[name]] = lowered in vocabulary[lang]
        row[COLUMN["vous_verbs"]] = lang == "fr" and lowered.endswith("ez") and lowered not in _NOT_VOUS_VERBS
    return row


def lexical_word(text: str) -> str:
    """The word a token stands for in word features ("" if none): lower-cased, apostrophes trimmed.

    Only tokens with a letter count: punctuation, emoji and links are style, which the style
    features measure; here, as in the background, a word is a word ("L’" -> "l").
    """
    if not any(ch.isalpha() for ch in text) or text.lower().startswith(("http", "www.")):
        return ""
    return text.lower().replace("’", "'").strip("'")


@dataclass
class TokenCounts:
    """A batch's per-post token class counts (posts x COLUMNS) and word lists."""

    classes: np.ndarray
    words: list[list[str]]

    def column(self, name: str) -> np.ndarray:
        return self.classes[:, COLUMN[name]]


class TokenClassifier:
    """Classifies each distinct token once per language and counts batches of posts."""

    def __init__(self) -> None:
        self._rows: dict[str, dict[str, np.ndarray]] = {}
        self._words: dict[str, str] = {}

    def count(self, docs: Sequence[Doc], langs: Sequence[str]) -> TokenCounts:
        texts = [[token.text for token in doc] for doc in docs]
        classes = np.zeros((len(docs), len(COLUMNS)))
        for lang in set(langs):
            rows = [i for i, other in enumerate(langs) if other == lang]
            classes[rows] = self._count(lang, [texts[i] for i in rows])
        if len(self._words) > CACHE_TOKENS:
            self._words.clear()
        words = self._words
        for text in dict.fromkeys(chain.from_iterable(texts)):
            if text not in words:
                words[text] = lexical_word(text)
        return TokenCounts(classes, [[words[t] for t in post if words[t]] for post in texts])

    def _count(self, lang: str, texts: list[list[str]]) -> np.ndarray:
        known = self._rows.setdefault(lang, {})
        per_post, distinct = occurrences(texts)
        if len(known) + len(distinct) > CACHE_TOKENS:
            known.clear()
        for text in distinct:
            if text not in known:
                known[text] = classify(text, lang)
        table = np.array([known[text] for text in distinct]).reshape(len(distinct), len(COLUMNS))
        return np.asarray(per_post @ table)
