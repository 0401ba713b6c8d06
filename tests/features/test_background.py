import numpy as np
import pytest

from voicecheck.features.background import build_background, load_background
from voicecheck.features.hashing import N_FEATURES
from voicecheck.features.lexical import word_counts


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_shipped_background_is_a_distribution_where_common_words_are_likely(lang: str) -> None:
    chars, words = load_background(lang)
    assert chars.shape == words.shape == (N_FEATURES,)
    assert np.all(words > 0) and abs(float(words.sum()) - 1) < 0.05
    common, rare = (
        word_counts([[w]]).indices[0] for w in {"en": ("the", "platypus"), "fr": ("nous", "ornithorynque")}[lang]
    )
    assert words[common] > 100 * words[rare]


def test_shipped_background_matches_a_fresh_build() -> None:
    """Fails when tokenisation or hashing changed: rebuild with python -m voicecheck.features.background."""
    shipped = load_background("fr")
    fresh = build_background("fr")
    for old, new in zip(shipped, fresh, strict=True):
        assert np.allclose(old, new, rtol=1e-4, atol=1e-9)
