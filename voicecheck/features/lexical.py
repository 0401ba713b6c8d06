"""Lexical features: hashed character n-grams and words.

Hashing keeps every n-gram, even ones the brand never used, so an unfamiliar post is not
judged only on the few n-grams it shares with the brand.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import regex
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer

N_FEATURES = 2**18

_URL = regex.compile(r"https?://\S+|www\.\S+")
_DIGITS = regex.compile(r"\d")

if TYPE_CHECKING:
    from spacy.tokens import Doc


def normalise(text: str) -> str:
    """Links become one token and digits one digit: their form is voice, their value is not."""
    return _DIGITS.sub("0", _URL.sub(" http ", text))


CHAR_VECTORIZER = HashingVectorizer(
    analyzer="char_wb",
    ngram_range=(2, 5),
    n_features=N_FEATURES,
    alternate_sign=False,
    norm=None,
    lowercase=True,
    preprocessor=normalise,
)


def _identity(tokens: list[str]) -> list[str]:
    return tokens


WORD_VECTORIZER = HashingVectorizer(analyzer=_identity, n_features=N_FEATURES, alternate_sign=False, norm=None)


def word_tokens(doc: Doc) -> list[str]:
    """The words of a post, lower-cased, apostrophes trimmed ("l'" -> "l", "n't" -> "nt").

    Only tokens with a letter count: punctuation, emoji and links are style, which the style
    features measure; here, as in the background, a word is a word.
    """
    return [_word(token.lower_) for token in doc if _has_letter(token.text)]


def _word(text: str) -> str:
    return text.replace("’", "'").strip("'")


def _has_letter(text: str) -> bool:
    return any(ch.isalpha() for ch in text) and not text.lower().startswith(("http", "www."))


def char_counts(texts: Sequence[str]) -> sp.csr_matrix:
    if not texts:  # the hasher cannot take an empty batch
        return sp.csr_matrix((0, N_FEATURES))
    return CHAR_VECTORIZER.transform(texts).tocsr()


def word_counts(tokens: Sequence[list[str]]) -> sp.csr_matrix:
    if not tokens:
        return sp.csr_matrix((0, N_FEATURES))
    return WORD_VECTORIZER.transform(tokens).tocsr()


def tfidf(counts: sp.csr_matrix, lang_rows: np.ndarray, idf: np.ndarray) -> sp.csr_matrix:
    """Sublinear tf times the idf of each row's language (`idf` is languages x features), L2-normed."""
    weighted = counts.astype(np.float64, copy=True)
    weighted.data = np.log1p(weighted.data)
    row_lang = np.repeat(lang_rows, np.diff(weighted.indptr))
    weighted.data *= idf[row_lang, weighted.indices]
    norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms) @ weighted)
