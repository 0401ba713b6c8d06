import numpy as np
import pytest
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.utils import murmurhash3_32

from voicecheck.features import hashing
from voicecheck.features.hashing import N_FEATURES, WordHasher, feature_index
from voicecheck.features.lexical import char_counts, normalise, word_counts

# Short words, words as long as an n-gram, accents, emoji, apostrophes, digits, links, blanks.
TEXTS = [
    "a",
    "ab abc abcd abcde",
    "Réservez dès maintenant! 🎉🎉 #ÉcoPropre",
    "We're open 9-5, call 514 555-0199 or visit https://example.com/a?b=1",
    "",
    "   \n\t ",
    "l’été, c'est l'été",
    "x" * 40,
]


def test_char_counts_equal_scikit_learns_char_wb_hasher() -> None:
    """The shipped background was hashed by scikit-learn: the columns and counts must not move."""
    reference = HashingVectorizer(
        analyzer="char_wb",
        ngram_range=(2, 5),
        n_features=N_FEATURES,
        alternate_sign=False,
        norm=None,
        preprocessor=normalise,
    )
    expected = reference.transform(TEXTS)
    assert abs(char_counts(TEXTS).tocsr() - expected).sum() == 0


def test_word_counts_equal_scikit_learns_hasher() -> None:
    tokens = [text.lower().split() for text in TEXTS]
    reference = HashingVectorizer(analyzer=lambda words: words, n_features=N_FEATURES, alternate_sign=False, norm=None)
    assert abs(word_counts(tokens).tocsr() - reference.transform(tokens)).sum() == 0


@pytest.mark.parametrize("feature", ["ménage", " 😀 ", "the", "x" * 100])
def test_feature_index_is_scikit_learns_column(feature: str) -> None:
    assert feature_index(feature) == abs(murmurhash3_32(feature, seed=0)) % N_FEATURES


def test_counts_are_the_same_from_a_cold_or_a_warm_cache() -> None:
    hasher = WordHasher(lambda word: [word, word[:1]])
    cold = hasher.counts([["hello", "world"], ["hello"]])
    warm = hasher.counts([["hello", "world"], ["hello"]])
    assert abs(cold.tocsr() - warm.tocsr()).sum() == 0
    assert cold.shape == (2, N_FEATURES)
    assert cold.sum(axis=1).tolist() == [4, 2]


def test_no_documents_and_empty_documents_give_empty_rows() -> None:
    hasher = WordHasher(lambda word: [word])
    assert hasher.counts([]).shape == (0, N_FEATURES)
    assert hasher.counts([[], []]).nnz == 0


def test_the_cache_is_cleared_past_its_size_so_memory_stays_flat(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hashing, "CACHE_WORDS", 10)
    hasher = WordHasher(lambda word: [word])
    first = hasher.counts([[f"w{i}" for i in range(8)]])
    second = hasher.counts([[f"v{i}" for i in range(8)]])
    assert len(hasher._span) <= 10
    assert np.array_equal(np.sort(first.indices), np.sort([feature_index(f"w{i}") for i in range(8)]))
    assert second.sum(axis=1).tolist() == [8]
