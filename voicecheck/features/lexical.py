"""Lexical features: hashed character n-grams and words.

Hashing keeps every n-gram, even ones the brand never used, so an unfamiliar post is not
judged only on the few n-grams it shares with the brand. Character n-grams are taken inside
whitespace-separated words, padded with a space at each end (scikit-learn's `char_wb`), case
kept, 2 to 5 characters long.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import regex

from voicecheck.features.hashing import WordHasher
from voicecheck.features.sparse import Counts
from voicecheck.features.texts import TextBatch
from voicecheck.features.tokens import lexical_word

NGRAM_SIZES = range(2, 6)

_URL = regex.compile(r"https?://\S+|www\.\S+")
_DIGITS = regex.compile(r"\d")

if TYPE_CHECKING:
    import scipy.sparse as sp
    from spacy.tokens import Doc


def normalise(text: str) -> str:
    """Links become one token and digits one digit: their form is voice, their value is not."""
    return _DIGITS.sub("0", _URL.sub(" http ", text))


def char_ngrams(word: str) -> list[str]:
    """The character n-grams of one word, padded with a space at each end."""
    padded = f" {word} "
    ngrams = []
    for n in NGRAM_SIZES:
        if len(padded) <= n:  # a word shorter than n counts once, whole
            ngrams.append(padded)
            break
        ngrams.extend(padded[start : start + n] for start in range(len(padded) - n + 1))
    return ngrams


def _itself(word: str) -> list[str]:
    return [word]


_CHAR_HASHER = WordHasher(char_ngrams)
_WORD_HASHER = WordHasher(_itself)


def word_tokens(doc: Doc) -> list[str]:
    """The words of one post, as word features count them (see `tokens.lexical_word`)."""
    return [word for token in doc if (word := lexical_word(token.text))]


def char_counts(texts: Sequence[str] | TextBatch) -> Counts:
    return _CHAR_HASHER.counts(normalised_words(texts.texts if isinstance(texts, TextBatch) else texts))


#: Between texts normalised in one pass: a link (`\S+`) stops at its newline, and no pattern
#: of `normalise` matches a NUL.
_TEXT_BREAK = "\n\x00"


def normalised_words(texts: Sequence[str]) -> list[list[str]]:
    """The whitespace-separated words of each text once normalised, the batch normalised in one pass."""
    joined = _TEXT_BREAK.join(texts)
    if joined.count("\x00") != max(len(texts) - 1, 0):  # a text holds a NUL: read them one by one
        return [normalise(text).split() for text in texts]
    return [part.split() for part in normalise(joined).split(_TEXT_BREAK)] if texts else []


def word_counts(tokens: Sequence[list[str]]) -> Counts:
    return _WORD_HASHER.counts(tokens)


def mean_per_post(
    counts: Counts, lang_rows: np.ndarray, values: np.ndarray, counted: np.ndarray | None = None
) -> np.ndarray:
    """Each post's mean of `values` (languages x features) over its feature occurrences, 0 if none.

    Values are read under the post's language, where the post has features only. `counted`
    (languages x features, 0 or 1) leaves the features it marks 0 out of the mean.
    """
    row_of_entry = np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr))
    cell = lang_rows[row_of_entry] * values.shape[1] + counts.indices  # (language, feature), read flat
    weights = counts.data if counted is None else counts.data * np.ravel(counted)[cell]
    sums = np.bincount(row_of_entry, weights=weights * np.ravel(values)[cell], minlength=counts.shape[0])
    sizes = np.bincount(row_of_entry, weights=weights, minlength=counts.shape[0])
    return sums / np.maximum(sizes, 1.0)


def means_by_product(counts: Counts, lang_rows: np.ndarray, values: Sequence[np.ndarray]) -> list[np.ndarray]:
    """`mean_per_post` of each of `values` (one set of ratios per peer, say), as one sparse product
    per language: the same sums in the same order, in a quarter of the time for five sets. This
    imports SciPy (the peers' contrasts use it; a check without peers never does)."""
    import scipy.sparse as sp

    matrix = sp.csr_matrix((counts.data, counts.indices, counts.indptr), shape=counts.shape)
    sums = np.zeros((counts.shape[0], len(values)))
    for lang in np.unique(lang_rows).tolist():
        rows = np.flatnonzero(lang_rows == lang)
        sums[rows] = matrix[rows] @ np.column_stack([each[lang] for each in values])
    sizes = np.maximum(np.bincount(counts.row_of_entry(), weights=counts.data, minlength=counts.shape[0]), 1.0)
    return [sums[:, k] / sizes for k in range(len(values))]


def normed_entries(counts: Counts, lang_rows: np.ndarray, idf: np.ndarray) -> np.ndarray:
    """Each entry's sublinear tf times the idf of its row's language (`idf` is languages x
    features), over its row's L2 norm, in the entries' order. A post's n-grams are weighed once
    for every view that reads them (the nearest brand post, the nearest peer post, the peer
    regression, a flagged post's examples)."""
    row_of_entry = counts.row_of_entry()
    flat = lang_rows[row_of_entry] * idf.shape[1] + counts.indices
    values = np.log1p(counts.data.astype(np.float64)) * idf.ravel()[flat]
    norms = np.sqrt(np.bincount(row_of_entry, weights=values**2, minlength=counts.shape[0]))
    norms[norms == 0] = 1.0
    normed: np.ndarray = values / norms[row_of_entry]
    return normed


def tfidf_rows(counts: Counts, lang_rows: np.ndarray, idf: np.ndarray) -> Counts:
    """The counts' `normed_entries` in their place: L2-normed tf-idf rows, in NumPy alone."""
    return Counts(normed_entries(counts, lang_rows, idf), counts.indices, counts.indptr, counts.shape)


def tfidf(counts: Counts, lang_rows: np.ndarray, idf: np.ndarray) -> sp.csr_matrix:
    """`tfidf_rows` as a SciPy matrix of its own, for sparse products (this imports SciPy)."""
    rows = tfidf_rows(counts, lang_rows, idf)
    return Counts(rows.data, rows.indices.copy(), rows.indptr.copy(), rows.shape).tocsr()
