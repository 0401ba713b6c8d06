"""The shipped character model is py3langid's own, cut down to English and French: same arrays, same answers."""

from __future__ import annotations

from importlib import resources

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

from tests.conftest import SAMPLE_POSTS
from voicecheck import nlp
from voicecheck.langid_model import build, load_identifier
from voicecheck.readers import ReadStats, read_posts


@pytest.fixture(scope="module")
def theirs() -> LanguageIdentifier:
    """py3langid's model as detection used to load it."""
    identifier = LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(nlp.LANGUAGES))
    return identifier


@pytest.fixture(scope="module")
def ours() -> LanguageIdentifier:
    return load_identifier()


def test_the_shipped_arrays_are_those_of_the_installed_py3langid() -> None:
    built = build()
    source = resources.files("voicecheck.data").joinpath("langid-en-fr.npz")
    with source.open("rb") as handle, np.load(handle, allow_pickle=False) as shipped:
        assert sorted(shipped.files) == sorted(built)
        for name, values in built.items():
            assert shipped[name].dtype == values.dtype, name
            assert np.array_equal(shipped[name], values), f"{name}: rebuild with python -m voicecheck.langid_model"


def test_it_classifies_the_sample_posts_as_py3langid_does(ours: LanguageIdentifier, theirs: LanguageIdentifier) -> None:
    texts = [post.text for post in read_posts(SAMPLE_POSTS, ReadStats())]
    texts += ["Super!", "ok", "", "🔥🔥", "Merci beaucoup", "lol tu capotes", "DM us", "Bonjour à tous!"]
    assert [ours.classify(text) for text in texts] == [theirs.classify(text) for text in texts]
    assert ours.nb_classes == theirs.nb_classes == ["en", "fr"]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_it_classifies_any_text_as_py3langid_does(
    ours: LanguageIdentifier, theirs: LanguageIdentifier, text: str
) -> None:
    assert ours.classify(text) == theirs.classify(text)


def test_detection_never_reads_py3langids_own_model(monkeypatch: pytest.MonkeyPatch) -> None:
    import py3langid.modelio

    def refuse(path: object) -> None:
        raise AssertionError(f"read {path}: the LZMA model takes ten times as long to load")

    monkeypatch.setattr(py3langid.modelio, "load_model", refuse)
    monkeypatch.setattr("py3langid.langid._load_model_file", refuse)
    monkeypatch.setattr(nlp, "_identifier", None)
    assert nlp.load_character_model().nb_classes == ["en", "fr"]
    assert nlp._character_model("Bonjour, ça va?", "en", 0.0) == "fr"
