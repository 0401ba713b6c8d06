import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from voicecheck.errors import ProfileError
from voicecheck.profile import STARTER_PROFILE, load_profile, term_problem, tone_from_words

from .conftest import SAMPLES
from .french import english_words, run_in_french, spaced


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "brand.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_sample_profile_loads() -> None:
    profile = load_profile(SAMPLES / "brand.toml")
    assert profile.name == "Maison Claire"
    assert profile.prefer["femme de ménage"] == "équipe d'entretien"
    assert "ÉcoPropre" in profile.brand_terms
    assert profile.tone_targets("linkedin")["formality"] == 60
    assert profile.tone_targets("facebook")["formality"] == 45


def test_starter_profile_is_valid(tmp_path: Path) -> None:
    profile = load_profile(write(tmp_path, STARTER_PROFILE.format(name="Acme")))
    assert profile.name == "Acme" and profile.avoid == ("cheap",)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('nmae = "x"', "brand.toml: nmae: unknown key"),
        ('[vocabulary]\navoid = "cheap"', "vocabulary.avoid: must be a list of strings"),
        ("[vocabulary]\nprefered = {}", "vocabulary.prefered: unknown key"),
        ("[tone]\nformality = 140", "tone.formality: must be a number from 0 to 100"),
        ("[tone]\nsarcasm = 10", "tone.sarcasm: unknown key"),
        ("[channels.linkedin]\nformality = 60", "channels.linkedin.formality: unknown key"),
        ('languages = ["de"]', "languages: 'de' is not supported"),
        ('[nlp]\npipeline = "big"', "nlp.pipeline: must be auto, blank or trained"),
        ("name = ", "not valid TOML"),
        ('[vocabulary]\navoid = ["cheap", ""]', "vocabulary.avoid: '' is blank"),
        ('[vocabulary]\navoid = ["   "]', "vocabulary.avoid: '   ' is blank"),
        ('[vocabulary]\navoid = ["!!!"]', "vocabulary.avoid: '!!!' has no letter, digit or emoji"),
        ('[vocabulary]\navoid = [" cheap "]', "vocabulary.avoid: ' cheap ' has spaces around it.*write 'cheap'"),
        ('[vocabulary]\navoid = ["ch\\u001beap"]', "vocabulary.avoid: 'ch\\\\x1beap' holds a control"),
        ('[vocabulary]\nbrand_terms = [""]', "vocabulary.brand_terms: '' is blank"),
        ('[vocabulary]\nbrand_terms = ["—"]', "vocabulary.brand_terms: '—' has no letter"),
        (
            '[vocabulary]\nbrand_terms = ["Acme", "ACME"]',
            "vocabulary.brand_terms: 'Acme' and 'ACME' differ only in case",
        ),
        ('[vocabulary.prefer]\n"" = "clients"', "vocabulary.prefer: '' is blank"),
        ('[vocabulary.prefer]\n"..." = "clients"', "vocabulary.prefer: '...' has no letter"),
        ('[vocabulary.prefer]\ncustomers = " "', "vocabulary.prefer.customers: ' ' is blank"),
        ('[vocabulary.prefer]\n"femme de ménage" = "?"', "vocabulary.prefer.\"femme de ménage\": '\\?' has no letter"),
        ('[vocabulary.prefer]\nclients = "Clients"', "vocabulary.prefer.clients: 'clients' is preferred to itself"),
        ('[vocabulary]\navoid = ["acme"]\nbrand_terms = ["Acme"]', "vocabulary.avoid: 'acme' is also a brand term"),
        (
            '[vocabulary]\navoid = ["clients"]\nprefer = {customers = "clients"}',
            "vocabulary.avoid: 'clients' is also what",
        ),
        ('[channels." "]\ntone = {formality = 60}', 'channels." ": a channel needs a name'),
        (
            "[channels.LinkedIn]\ntone = {formality = 60}\n[channels.linkedin]\ntone = {formality = 20}",
            "channels.linkedin: 'linkedin' is another spelling of a channel already given",
        ),
        ('languages = ["fr", "fr", "en"]', "languages: names a language twice"),
        (
            '[vocabulary.prefer]\nmaid = "cleaner"\ncleaner = "maid"',
            "vocabulary.prefer.maid: 'maid' is to be written 'cleaner', which is itself to be written 'maid'",
        ),
        (
            '[vocabulary.prefer]\nMaid = "cleaner"\nmaid = "crew"',
            "vocabulary.prefer.maid: 'Maid' and 'maid' differ only in case",
        ),
        (
            '[vocabulary]\nbrand_terms = ["Maison Claire"]\nprefer = {"Maison Claire" = "MC"}',
            "vocabulary.prefer.\"Maison Claire\": 'Maison Claire' is also a brand term",
        ),
        ('[peers]\nrival = ["rival.csv", ""]', "peers.rival: holds an empty path"),
    ],
)
def test_bad_profiles_name_file_and_key(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ProfileError, match=message):
        load_profile(write(tmp_path, text))


def test_missing_profile(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match="no such file"):
        load_profile(tmp_path / "nope.toml")


def test_tone_words_in_the_proposition_set_targets() -> None:
    assert tone_from_words("Friendly, casual and enthusiastic.") == {"formality": 35.0, "enthusiasm": 68.0}
    assert tone_from_words("Une voix professionnelle et chaleureuse")["formality"] == 70.0


def test_terms_with_emoji_digits_and_joined_letters_are_fine(tmp_path: Path) -> None:
    text = '[vocabulary]\navoid = ["🔥", "24/7", "👩\u200d🔧", "pas cher"]\nbrand_terms = ["Garantie 48 h"]\n'
    profile = load_profile(write(tmp_path, text))
    assert profile.avoid == ("🔥", "24/7", "👩\u200d🔧", "pas cher")


@given(st.text(st.characters(categories=["P", "Zs", "Sm", "Sk", "Sc", "Cc"])))
def test_a_term_of_punctuation_and_spaces_alone_is_never_accepted(term: str) -> None:
    assert term_problem(term) is not None


@given(st.text(st.characters(codec="utf-8", categories=["L", "N", "P", "Zs", "So"])))
def test_a_term_is_refused_exactly_when_it_has_no_word_in_it_or_loose_spaces(term: str) -> None:
    has_word = any(unicodedata.category(c)[0] in "LN" or unicodedata.category(c) == "So" for c in term)
    assert (term_problem(term) is None) == (has_word and term == term.strip())


def test_an_unknown_key_of_brand_toml_is_named_in_french(tmp_path: Path) -> None:
    brand = tmp_path / "brand.toml"
    brand.write_text('name = "Maison Claire"\n[vocabulary]\navoid = ["pas cher"]\nprefered = {}\n', encoding="utf-8")
    result = run_in_french("fit", SAMPLES / "posts", "--brand", brand, "--out", tmp_path / "model")
    said = spaced(result.stderr)
    assert result.returncode == 2, said
    assert f"{brand} : vocabulary.prefered : clé inconnue (clés attendues : avoid, brand_terms, prefer)" in said
    assert not english_words(said, brand), said
    assert not (tmp_path / "model").exists()
