from pathlib import Path

import pytest

from voicecheck.errors import ProfileError
from voicecheck.profile import STARTER_PROFILE, load_profile, tone_from_words

from .conftest import SAMPLES


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
