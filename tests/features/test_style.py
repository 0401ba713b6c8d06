import math

import numpy as np
import pytest

from tests.features import table_of
from voicecheck.features.style import INDEX, SHARE_COLUMNS, STYLE_FEATURES, comparable
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
        measured = [i for f, i in INDEX.items() if f not in ("nouns", "verbs", "adjectives", "imperatives")]
        finite = values[[i for i in measured if i not in SHARE_COLUMNS]]
        assert np.all(np.isfinite(finite)), text
        assert np.all(np.isnan(values[SHARE_COLUMNS])), text  # no apostrophe, quote or "!" after a word


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


def test_typography_is_the_share_of_each_kind_of_mark_written_one_way(blank: Pipelines) -> None:
    f = features(blank, "L’équipe l'a dit : « oui » et “non”… Bravo ! 10 % — voilà...", "fr")
    assert f["curly_apostrophes"] == 0.5  # L’équipe, l'a
    assert f["spaced_marks"] == 1.0  # "dit :", "Bravo !"
    assert f["guillemets"] == 0.5  # « » against “ ”
    assert f["curly_quotes"] == 1.0
    assert f["ellipsis_sign"] == 0.5  # … against ...
    assert f["long_dashes"] == 1.0 and f["spaced_percent"] == 1.0 and f["spaced_guillemets"] == 1.0
    plain = features(blank, 'We\'re "here" - 10% off... Wow! «Oui»', "en")
    assert plain["curly_apostrophes"] == plain["spaced_marks"] == plain["curly_quotes"] == 0.0
    assert plain["long_dashes"] == plain["spaced_percent"] == plain["ellipsis_sign"] == 0.0
    assert plain["spaced_guillemets"] == 0.0


def test_times_emoticons_and_links_are_not_closing_marks(blank: Pipelines) -> None:
    f = features(blank, "Rendez-vous à 10:30 :) sur https://maison.ca/a?b=1", "fr")
    assert math.isnan(f["spaced_marks"])


def test_a_post_without_a_kind_of_mark_has_no_share_of_it(blank: Pipelines) -> None:
    f = features(blank, "Merci beaucoup", "fr")
    assert all(math.isnan(f[STYLE_FEATURES[i].name]) for i in SHARE_COLUMNS)


def test_line_breaks_count_breaks_and_the_double_spaces_exports_leave_for_them(blank: Pipelines) -> None:
    assert features(blank, "Bonjour\nà tous.  Merci !\n\nÀ bientôt", "fr")["line_breaks"] == 4
    assert features(blank, "One line, one  word apart.", "en")["line_breaks"] == 1
    assert features(blank, "  Indented. ", "en")["line_breaks"] == 0


@pytest.mark.parametrize(
    ("text", "signed"),
    [
        ("Sorry for the wait! We'll look into it. *AFM", True),
        ("I just sent a DM! *Shannon Pelletier", True),
        ("DM us your order number. ^JK https://t.co/abc", True),
        ("Thanks for flying with us -AS", True),
        ("Voici le lien. /MB", True),
        ("Come see us - Paris", False),
        ("Yes - No", False),
        ("Great game tonight *clap*", False),
        ("Score: 3-2", False),
        ("Thanks ^Bob https://", False),  # a link's start alone is not a link after the signature
        ("Thanks ^Bob\x1c", False),
    ],
)
def test_a_post_is_signed_by_a_name_or_initials_at_its_end(blank: Pipelines, text: str, signed: bool) -> None:
    assert features(blank, text, "en")["signed"] == float(signed)
