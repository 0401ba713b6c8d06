"""Judging: the notes made once per model and reused, and the reasons a flagged post is given."""

from __future__ import annotations

from voicecheck import api
from voicecheck.core import Post
from voicecheck.judge import judging
from voicecheck.messages import reason_dict
from voicecheck.nlp import detect_language
from voicecheck.store import SavedModel


def test_a_new_channel_is_worked_out_once_and_told_apart_from_a_typo(sample_model: SavedModel) -> None:
    context = judging(sample_model)
    typo, new = context.new_channel("instagrm"), context.new_channel("tiktok")
    assert (typo.code, dict(typo.figures)) == ("new_channel_typo", {"channel": "instagrm", "nearest": "instagram"})
    assert (new.code, dict(new.figures)) == ("new_channel", {"channel": "tiktok"})
    assert context.new_channel("instagrm") is typo  # the same note, not a second search
    assert judging(sample_model) is context


SPANISH = "Hoy presentamos nuestra nueva colección de otoño, con descuentos para todos nuestros clientes en la tienda."
OFF_VOICE = "LMAO this deal is insane!!! grab it before it's gone 🔥🔥🔥 #deals #sale #crazy"


def test_a_flagged_post_in_another_language_says_which_in_place_of_the_other_reasons(
    sample_model: SavedModel,
) -> None:
    (result,) = api.check(sample_model, [Post("es-1", SPANISH)])
    assert result.flagged and result.verdict == "drift"
    (found,) = result.reasons  # no tone or style reason measured against French ranges
    assert (found.code, found.kind) == ("VC104", "other_language")
    assert dict(found.figures) == {"language": "es", "brand_languages": ["en", "fr"]}
    assert found.suggestion is not None and found.suggestion.code == "write_brand_language"
    english, french = reason_dict(found, "en"), reason_dict(found, "fr")
    assert english["message"] == "written in Spanish; the brand writes in English and in French"
    assert english["suggestion"]["message"].startswith("write it in English or in French, as the brand does")
    assert french["message"] == "écrit en espagnol ; la marque écrit en anglais et en français"
    assert french["suggestion"]["message"].startswith("écrivez-le en anglais ou en français, comme la marque")


def test_a_flagged_post_in_english_keeps_its_usual_reasons(sample_model: SavedModel) -> None:
    (result,) = api.check(sample_model, [Post("en-1", OFF_VOICE)])
    assert result.flagged
    kinds = {found.kind for found in result.reasons}
    assert "other_language" not in kinds and kinds & {"tone", "style", "unfamiliar_words"}


def test_a_brand_that_writes_only_english_is_told_of_a_spanish_post_too(sample_posts: list) -> None:
    english = [post for post in sample_posts if detect_language(post.text) == "en"]
    saved = api.fit(english)
    assert sorted(set(saved.table.langs)) == ["en"]  # the model's French background is a flat row
    (result,) = api.check(saved, [Post("es-1", SPANISH)])
    (found,) = result.reasons
    assert dict(found.figures) == {"language": "es", "brand_languages": ["en"]}
    assert reason_dict(found, "en")["message"] == "written in Spanish; the brand writes in English"
