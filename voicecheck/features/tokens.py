"""What each distinct token contributes to a post's style, tone and word features.

Everything style and tone count per token (is it a word, its length, which word classes and
tone markers it belongs to) depends only on the token's text and the post's language. So each
distinct token is classified once, and a batch of posts is counted in one pass over its
tokens' rows instead of a pass over every token of every post for every feature.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from voicecheck.features import lexicon

if TYPE_CHECKING:
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

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


#: What a tagger adds, per post: its words tagged as nouns, verbs, adjectives and imperatives.
TAGS = ("nouns", "verbs", "adjectives", "imperatives")


@dataclass
class TokenCounts:
    """A batch's per-post token class counts (posts x COLUMNS), word lists and tagger counts."""

    classes: np.ndarray
    words: list[list[str]]
    tags: np.ndarray  # posts x TAGS (0 where the pipeline has no tagger)
    tagged: np.ndarray  # per post: its doc has parts of speech (as `Doc.has_annotation("POS")` says)

    def column(self, name: str) -> np.ndarray:
        return self.classes[:, COLUMN[name]]


class TokenClassifier:
    """Classifies each distinct token once per language and counts batches of posts.

    Tokens are read as spaCy ids (`Doc.to_array`), so no Token object is made.
    """

    def __init__(self) -> None:
        self._classes: dict[str, _ClassTable] = {}
        self._words: dict[str, str] = {}
        self._imperative: dict[int, bool] = {}  # morphology id -> it has Mood=Imp

    def count(self, docs: Sequence[Doc], langs: Sequence[str]) -> TokenCounts:
        classes = np.zeros((len(docs), len(COLUMNS)))
        tags = np.zeros((len(docs), len(TAGS)))
        tagged = np.zeros(len(docs), dtype=bool)
        words: list[list[str]] = [[] for _ in docs]
        for lang in set(langs):
            rows = [i for i, other in enumerate(langs) if other == lang]
            tokens = _Tokens.of([docs[i] for i in rows])
            table = self._classes.setdefault(lang, _ClassTable(lang)).rows(tokens.texts)
            classes[rows] = tokens.per_post(table)
            word_of = np.array([self._lexical_word(text) for text in tokens.texts] or [""], dtype=object)
            flat = word_of[tokens.inverse].tolist()
            for k, row in enumerate(rows):
                words[row] = [word for word in flat[tokens.indptr[k] : tokens.indptr[k + 1]] if word]
            is_word = table[tokens.inverse, COLUMN["word"]] > 0
            tags[rows], tagged[rows] = self._tags(tokens, is_word, docs[rows[0]].vocab)
        return TokenCounts(classes, words, tags, tagged)

    def _tags(self, tokens: _Tokens, is_word: np.ndarray, vocab: Vocab) -> tuple[np.ndarray, np.ndarray]:
        """Each post's TAGS counts over its words, and whether its doc has parts of speech at all."""
        from spacy.symbols import ADJ, AUX, NOUN, PROPN, VERB

        post_of_token = np.repeat(np.arange(tokens.posts), np.diff(tokens.indptr))
        has_pos = np.bincount(post_of_token, weights=tokens.pos != 0, minlength=tokens.posts) > 0
        tagged = has_pos | (np.diff(tokens.indptr) == 0)  # spaCy counts an empty doc as annotated
        tags = np.zeros((tokens.posts, len(TAGS)))
        if has_pos.any():
            pos = tokens.pos
            marked = (
                np.isin(pos, [NOUN, PROPN]),
                np.isin(pos, [VERB, AUX]),
                pos == ADJ,
                np.isin(tokens.morph, self._imperatives(set(tokens.morph[is_word].tolist()), vocab)),
            )
            for column, mark in enumerate(marked):
                tags[:, column] = np.bincount(post_of_token, weights=mark & is_word, minlength=tokens.posts)
        return tags, tagged

    def _imperatives(self, morphs: set[int], vocab: Vocab) -> np.ndarray:
        """Those of `morphs` (distinct morphology ids) that say Mood=Imp.

        A set, not `np.unique`, which imports `numpy.ma` on its first call: a cold check's time.
        """
        from spacy.tokens import MorphAnalysis

        for key in morphs:
            if key not in self._imperative:
                self._imperative[key] = "Imp" in MorphAnalysis.from_id(vocab, key).get("Mood", [])
        return np.array([key for key in morphs if self._imperative[key]], dtype=np.uint64)

    def _lexical_word(self, text: str) -> str:
        if text not in self._words:
            if len(self._words) >= CACHE_TOKENS:
                self._words.clear()
            self._words[text] = lexical_word(text)
        return self._words[text]


class _ClassTable:
    """The COLUMNS of each distinct token seen in one language, one row each, classified once."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self._row: dict[str, int] = {}
        self._table = np.zeros((1024, len(COLUMNS)))

    def rows(self, texts: list[str]) -> np.ndarray:
        """The COLUMNS of each of `texts` (distinct), one row each."""
        if len(self._row) + len(texts) > CACHE_TOKENS:
            self._row.clear()
        new = [text for text in texts if text not in self._row]
        if new:
            start = len(self._row)
            if start + len(new) > len(self._table):
                grown = np.zeros((2 * (start + len(new)), len(COLUMNS)))
                grown[:start] = self._table[:start]
                self._table = grown
            self._table[start : start + len(new)] = [classify(text, self.lang) for text in new]
            self._row.update(zip(new, range(start, start + len(new)), strict=True))
        return self._table[[self._row[text] for text in texts]]


@dataclass
class _Tokens:
    """The tokens of a batch of docs of one language, read as spaCy ids."""

    texts: list[str]  # the distinct tokens
    inverse: np.ndarray  # each token's distinct token, in reading order
    indptr: np.ndarray  # where each post's tokens start and end
    pos: np.ndarray  # each token's part of speech (0: none)
    morph: np.ndarray  # each token's morphology id (0: none)

    @property
    def posts(self) -> int:
        return len(self.indptr) - 1

    def per_post(self, rows: np.ndarray) -> np.ndarray:
        """Each post's sum of its tokens' `rows` (one per distinct token): whole numbers, so exact."""
        post_of_token = np.repeat(np.arange(self.posts), np.diff(self.indptr))
        width = rows.shape[1]
        cells = (post_of_token[:, None] * width + np.arange(width)).ravel()
        sums = np.bincount(cells, weights=rows[self.inverse].ravel(), minlength=self.posts * width)
        return sums.reshape(self.posts, width)

    @classmethod
    def of(cls, docs: Sequence[Doc]) -> _Tokens:
        from spacy.attrs import MORPH, ORTH, POS  # spaCy is loaded by now: it made the docs

        ids = [doc.to_array([ORTH, POS, MORPH]) for doc in docs]
        indptr = np.zeros(len(docs) + 1, dtype=np.int64)
        np.cumsum([len(post) for post in ids], out=indptr[1:])
        flat = np.concatenate(ids) if ids else np.zeros((0, 3), dtype=np.uint64)
        distinct, inverse = np.unique(flat[:, 0], return_inverse=True)
        inverse = inverse.ravel()
        strings = docs[0].vocab.strings  # one language, one pipeline: the same vocabulary for all
        texts = [strings[key] for key in distinct.tolist()]
        return cls(texts, inverse, indptr, flat[:, 1], flat[:, 2])
