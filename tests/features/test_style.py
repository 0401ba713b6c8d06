import math

import numpy as np
import pytest

from tests.features import table_of
from voicecheck.features.style import INDEX, STYLE_FEATURES, comparable
from voicecheck.nlp import Pipelines


def features(pipelines: Pipelines, text: str, lang: str) -> dict[str, float]:
    values = table_of(pipelines, text, lang).style[0]
    return {f.name: float(values[INDEX[f.name]]) for f in STYLE_FEATURES}


@pytest.fixture(scope="module")
def blank() -> Pipelines:
    return Pipelines("blank")


def test_counts_marks_a_reader_notices(blank: Pipelines) -> None:
    f = features(blank, "OMG we LOVE this!!! 😍🎉 #MaisonClaire @amie https://x.co/a", "en")
    assert f["exclamations"] == 3
    assert f["emoji"] == 2
    assert f["hashtags"] == 1
    assert f["mentions"] == 1
    assert f["urls"] == 1
    assert f["caps_words"] == 2  # OMG, LOVE
    assert f["we"] > 0


def test_pronoun_person_in_both_languages(blank: Pipelines) -> None:
    en = features(blank, "I think my team and I will call you.", "en")
    assert en["i"] > en["we"] == 0
    fr = features(blank, "Nous pouvons t'aider, tu sais, et ton chum aussi.", "fr")
    assert fr["you_familiar"] > 0 and fr["we"] > 0
    formal = features(blank, "Nous pouvons vous aider avec votre maison.", "fr")
    assert formal["you_familiar"] == 0 and formal["you"] > 0


def test_contractions_and_casual_words(blank: Pipelines) -> None:
    f = features(blank, "We're gonna be there, can't wait lol", "en")
    assert f["contractions"] > 0 and f["casual_words"] > 0
    assert f["starts_lowercase"] == 0 and f["no_end_punct"] == 1


def test_emoji_only_and_empty_posts_do_not_divide_by_zero(blank: Pipelines) -> None:
    for text in ["🎉🎉🎉", "", "   ", "!!!"]:
        values = table_of(blank, text, "en").style[0]
        finite = values[[i for f, i in INDEX.items() if f not in ("nouns", "verbs", "adjectives", "imperatives")]]
        assert np.all(np.isfinite(finite)), text


def test_tagger_features_are_nan_without_a_tagger(blank: Pipelines) -> None:
    f = features(blank, "Réservez votre visite dès maintenant.", "fr")
    assert math.isnan(f["imperatives"])


def test_tagger_features_with_trained_french(pipelines: Pipelines) -> None:
    if not pipelines.has_tagger("fr"):
        pytest.skip("fr_core_news_sm is not installed")
    f = features(pipelines, "Réservez votre visite dès maintenant.", "fr")
    assert f["nouns"] > 0 and f["verbs"] > 0 and math.isfinite(f["imperatives"])


def test_comparable_puts_counts_on_log_scale() -> None:
    values = np.zeros(len(STYLE_FEATURES))
    values[INDEX["emoji"]] = math.e - 1
    values[INDEX["we"]] = 5.0
    out = comparable(values)
    assert out[INDEX["emoji"]] == pytest.approx(1.0)
    assert out[INDEX["we"]] == 5.0


def test_a_features_examples_are_given_in_the_posts_language() -> None:
    formal = STYLE_FEATURES[INDEX["formal_words"]]
    assert formal.examples_in("en") == "therefore, kindly"
    assert formal.examples_in("fr") == "toutefois, veuillez"
    assert STYLE_FEATURES[INDEX["ellipses"]].examples_in("fr") == "..."
    assert STYLE_FEATURES[INDEX["commas"]].examples_in("en") == ""
