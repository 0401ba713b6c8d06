"""The shipped character model is py3langid's own, cut down to the languages voicecheck tells apart: same answers."""

from __future__ import annotations

from importlib import resources

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

from tests.conftest import SAMPLE_POSTS
from voicecheck import nlp
from voicecheck.langid_model import FILE, KEPT, OTHERS, build, load_identifier, load_identifier_of_all
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


@pytest.fixture(scope="module")
def theirs_of_all() -> LanguageIdentifier:
    """py3langid's model restricted to every language voicecheck can name a post's."""
    identifier = LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE, norm_probs=True)
    identifier.set_languages([*KEPT, *OTHERS])
    return identifier


@pytest.fixture(scope="module")
def ours_of_all() -> LanguageIdentifier:
    return load_identifier_of_all()


def test_the_shipped_arrays_are_those_of_the_installed_py3langid() -> None:
    built = build()
    source = resources.files("voicecheck.data").joinpath(FILE)
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


OTHER_LANGUAGES = [
    "Hola Carmen, por el momento no es posible elegir el transportista para la entrega",
    "Mocht je verder nog vragen hebben dan horen we het graag.",
    "Η Γαλλία στέκεται στο πλευρό της Ελλάδας",
    "私は日本の皆さんに大きな敬意と友情を感じる。",
    "Euroopan kansalaiset, osoitan sanani teille, sillä asiallani on kiire.",
]


def test_the_identifier_of_all_names_languages_as_py3langid_does(
    ours_of_all: LanguageIdentifier, theirs_of_all: LanguageIdentifier
) -> None:
    texts = [post.text for post in read_posts(SAMPLE_POSTS, ReadStats())] + OTHER_LANGUAGES
    for text in texts:
        (lang, probability), (their_lang, their_probability) = ours_of_all.classify(text), theirs_of_all.classify(text)
        assert (lang, probability) == (their_lang, their_probability), text
    assert set(ours_of_all.nb_classes) == {*KEPT, *OTHERS}
    assert [ours_of_all.classify(text)[0] for text in OTHER_LANGUAGES] == ["es", "nl", "el", "ja", "fi"]


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_the_identifier_of_all_names_any_text_as_py3langid_does(
    ours_of_all: LanguageIdentifier, theirs_of_all: LanguageIdentifier, text: str
) -> None:
    assert ours_of_all.classify(text) == theirs_of_all.classify(text)
