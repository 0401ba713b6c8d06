import math

import pytest

from voicecheck import nlp
from voicecheck.nlp import Pipelines, detect_language, detect_languages, language_prior, parse
from voicecheck.readers.base import Post


def test_word_frequencies_tell_english_from_french_without_the_character_model(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_fallback(text: str, default: str, prior: float) -> str:
        raise AssertionError(f"the character model was asked about {text!r}")

    monkeypatch.setattr(nlp, "_character_model", no_fallback)
    texts = [
        "Thanks for reaching out, we're looking into your order right now.",
        "Merci de votre patience, nous regardons votre commande dès maintenant.",
        "my phone keeps restarting since the update",
        "Réservez votre ménage du printemps avant vendredi",
    ]
    assert detect_languages(texts) == ["en", "fr", "en", "fr"]


def test_text_too_short_to_tell_falls_back_to_the_default() -> None:
    for text in ["", "🎉🎉", "ok", "12:30 !!"]:
        assert detect_language(text, default="fr") == "fr", text
        assert detect_language(text, default="en") == "en", text


def test_the_character_model_decides_what_word_frequencies_cannot(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []
    real = nlp._character_model

    def spy(text: str, default: str, prior: float) -> str:
        asked.append(text)
        return real(text, default, prior)

    monkeypatch.setattr(nlp, "_character_model", spy)
    assert detect_languages(["Thanks so much for the help today!", "Québec"])[0] == "en"
    assert asked == ["Québec"]


def test_the_prior_is_the_brands_own_mix_of_languages() -> None:
    assert language_prior(["en"] * 99) == pytest.approx(math.log(100))
    assert language_prior(["fr"] * 99 + ["en"]) == pytest.approx(math.log(2 / 100))
    assert language_prior(["en", "fr"] * 40) == 0.0
    assert language_prior([]) == 0.0


def test_a_short_post_leans_to_the_language_the_brand_writes_in() -> None:
    short = ["Super", "Excellent", "Menu"]  # words both languages have
    assert detect_languages(short, "en", prior=language_prior(["en"] * 99)) == ["en"] * 3
    assert detect_languages(short, "fr", prior=language_prior(["fr"] * 99)) == ["fr"] * 3
    # A post the words tell clearly is not overruled by the lean, either way.
    clearly = ["Merci beaucoup pour votre patience, nous revenons vers vous demain.", "Thanks, we're on it!"]
    assert detect_languages(clearly, "en", prior=language_prior(["en"] * 99)) == ["fr", "en"]
    assert detect_languages(clearly, "fr", prior=language_prior(["fr"] * 99)) == ["fr", "en"]


def test_parse_keeps_input_order_across_languages_and_trusts_a_given_language() -> None:
    posts = [
        Post(id="1", text="Nous sommes ravis de vous accueillir chez nous."),
        Post(id="2", text="We are thrilled to welcome you to our home."),
        Post(id="3", text="Bonjour Montréal", lang="en"),  # the file says so: not second-guessed
    ]
    parsed = list(parse(posts, Pipelines("blank"), batch_size=2))
    assert [p.post.id for p in parsed] == ["1", "2", "3"]
    assert [p.lang for p in parsed] == ["fr", "en", "en"]
    assert [p.doc.text for p in parsed] == [post.text for post in posts]


def test_blank_languages_get_the_blank_pipeline_whatever_the_mode(pipelines: Pipelines) -> None:
    if not pipelines.has_tagger("fr"):
        pytest.skip("fr_core_news_sm is not installed")
    assert not Pipelines("auto", blank_languages=frozenset({"fr"})).has_tagger("fr")
    assert not Pipelines("trained", blank_languages=frozenset({"fr"})).has_tagger("fr")
