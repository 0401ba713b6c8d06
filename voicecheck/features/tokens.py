"""What each distinct token contributes to a post's style, tone and word features.

Everything style and tone count per token (is it a word, its length, which word classes and
tone markers it belongs to) depends only on the token's text and the post's language. So each
distinct token is classified once, and a batch of posts is counted with one sparse product
instead of a pass over every token of every post for every feature.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from voicecheck.features import lexicon

if TYPE_CHECKING:
    import scipy.sparse as sp
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

#: Style features that count a closed class of words, and the words, per language.
STYLE_CLASSES = {
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
        for name, vocabulary in STYLE_CLASSES.items():
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
    """Classifies each distinct token once per language and counts batches of posts.

    Tokens are read as spaCy string ids (`Doc.to_array`), so no Token object is made.
    """

    def __init__(self) -> None:
        self._rows: dict[str, dict[str, np.ndarray]] = {}
        self._words: dict[str, str] = {}

    def count(self, docs: Sequence[Doc], langs: Sequence[str]) -> TokenCounts:
        classes = np.zeros((len(docs), len(COLUMNS)))
        words: list[list[str]] = [[] for _ in docs]
        for lang in set(langs):
            rows = [i for i, other in enumerate(langs) if other == lang]
            per_post, texts, inverse, spans = _occurrences([docs[i] for i in rows])
            classes[rows] = per_post @ self._classes(lang, texts)
            word_of = np.array([self._lexical_word(text) for text in texts] or [""], dtype=object)
            flat = word_of[inverse].tolist()
            for k, row in enumerate(rows):
                words[row] = [word for word in flat[spans[k] : spans[k + 1]] if word]
        return TokenCounts(classes, words)

    def _classes(self, lang: str, texts: list[str]) -> np.ndarray:
        known = self._rows.setdefault(lang, {})
        if len(known) + len(texts) > CACHE_TOKENS:
            known.clear()
        for text in texts:
            if text not in known:
                known[text] = classify(text, lang)
        return np.array([known[text] for text in texts]).reshape(len(texts), len(COLUMNS))

    def _lexical_word(self, text: str) -> str:
        if text not in self._words:
            if len(self._words) >= CACHE_TOKENS:
                self._words.clear()
            self._words[text] = lexical_word(text)
        return self._words[text]


def _occurrences(docs: Sequence[Doc]) -> tuple[sp.csr_matrix, list[str], np.ndarray, np.ndarray]:
    """Posts x distinct tokens counts, the distinct tokens' texts, each token's column in
    reading order, and where each post's tokens start and end in it."""
    import scipy.sparse as sp  # here, so that `voicecheck --help` does not wait for it
    from spacy.attrs import ORTH  # spaCy is loaded by now: it made the docs

    ids = [doc.to_array(ORTH) for doc in docs]
    indptr = np.zeros(len(docs) + 1, dtype=np.int64)
    np.cumsum([len(post) for post in ids], out=indptr[1:])
    flat = np.concatenate(ids) if ids else np.zeros(0, dtype=np.uint64)
    distinct, inverse = np.unique(flat, return_inverse=True)
    strings = docs[0].vocab.strings  # one language, one pipeline: the same vocabulary for all
    texts = [strings[key] for key in distinct.tolist()]
    matrix = sp.csr_matrix((np.ones(len(flat)), inverse.ravel(), indptr), shape=(len(docs), len(texts)))
    return matrix, texts, inverse.ravel(), indptr
