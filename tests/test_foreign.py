"""Posts in neither English nor French: named when surely so, never for the brand's own posts."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voicecheck import foreign
from voicecheck.features.background import load_word_background
from voicecheck.features.table import build_table
from voicecheck.langid_model import OTHERS
from voicecheck.nlp import Pipelines, parse

OTHER_LANGUAGES = foreign.shipped()  # the reader judging uses


def written_in(text: str) -> str | None:
    return OTHER_LANGUAGES.of(text, text.lower().split())


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Hoy presentamos nuestra nueva colección de otoño, con descuentos para todos nuestros clientes.", "es"),
        ("Olá Bárbara, sinto muito pelo inconveniente. O pedido foi enviado e vendido pela loja.", "pt"),
        ("Das sollte nicht passieren! Bei Fragen zu einer Lieferung, melde dich bitte bei uns.", "de"),
        ("Нова колекція вже в магазині, приходьте всі та отримайте знижку для постійних клієнтів.", "uk"),
        ("اتصلت برئيس السلطة الفلسطينية وعبرت له عن تصميمي على العمل للسلام في الشرق الأوسط", "ar"),
        ("お買い求めいただき、ありがとうございます。今後ともよろしくお願いいたします。", "ja"),
    ],
)
def test_a_post_in_another_language_is_named(text: str, language: str) -> None:
    assert language in OTHERS
    assert written_in(text) == language


@pytest.mark.parametrize(
    "text",
    [
        "Spring has reached Montréal! Our cleaning team is ready to make your windows shine.",
        "Nos clients à quatre pattes sont toujours contents de nous voir 🐶 Merci Biscuit pour l'accueil!",
        "chu tanné du frette pis du verglas, mais on lâche pas la gang! #Québec",
        "𝗟𝗮 𝘃𝗿𝗮𝗶𝗲 𝗿𝗮𝗶𝘀𝗼𝗻 𝗱𝘂 𝘃𝗼𝘁𝗲 𝗲́𝗹𝗲𝗰𝘁𝗿𝗼𝗻𝗶𝗾𝘂𝗲 : 𝘁𝗿𝘂𝗾𝘂𝗲𝗿 𝗹𝗲𝘀 𝗲́𝗹𝗲𝗰𝘁𝗶𝗼𝗻𝘀 !",  # styled French letters
        "Merci Biscuit 🐶",  # too few letters to tell
        "Akeredolu Mourns Abba Kyari, Says He'll Be Missed",  # names, in English
        "https://t.co/OOtZy49jwf https://t.co/AqIMy5FxNQ @Xochitl_Mendoza #Guadalajara",
    ],
)
def test_english_french_and_posts_too_short_to_tell_are_never_named(text: str) -> None:
    assert written_in(text) is None


def test_none_of_the_brands_own_posts_is_named(sample_posts: list, pipelines: Pipelines) -> None:
    table = build_table(parse(sample_posts, pipelines))  # the tokens judging hands over
    named = [OTHER_LANGUAGES.of(post.text, words) for post, words in zip(table.posts, table.tokens, strict=True)]
    assert len(named) == len(sample_posts) > 150
    assert named == [None] * len(named)


def test_posts_whose_words_and_letters_both_say_english_or_french_never_load_the_character_model(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse() -> None:
        raise AssertionError("loaded the character model")

    monkeypatch.setattr(foreign, "_character_model", refuse)
    assert written_in("Going on vacation? We can stop by while you're away, so you come home to a fresh home.") is None
    assert written_in("Dix ans déjà. Maison Claire a commencé avec deux personnes et une voiture.") is None


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_any_text_is_named_in_one_of_the_other_languages_or_not_at_all(text: str) -> None:
    assert written_in(text) in (None, *OTHERS)


def test_each_word_is_looked_up_once_and_the_memory_stays_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    languages = foreign.OtherLanguages(load_word_background("en"), load_word_background("fr"))
    looked_up: list[list[str]] = []
    real = languages._kinds_of
    monkeypatch.setattr(languages, "_kinds_of", lambda words: looked_up.append(words) or real(words))
    text = "Hoy presentamos nuestra nueva colección de otoño"
    assert languages.of(text, text.lower().split()) == languages.of(text, text.lower().split()) == "es"
    assert looked_up == [text.lower().split()]  # the second post's words were remembered
    monkeypatch.setattr(foreign, "MAX_REMEMBERED", 3)
    languages.of("one two three four", ["one", "two", "three", "four"])
    assert len(languages._kinds) <= 4


def test_a_post_whose_words_were_remembered_before_the_memory_started_again_is_still_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    languages = foreign.OtherLanguages(load_word_background("en"), load_word_background("fr"))
    monkeypatch.setattr(foreign, "MAX_REMEMBERED", 4)
    assert languages.of("hola amigos queridos", ["hola", "amigos", "queridos"]) is None  # too few letters
    text = "hola amigos nuevos siempre"  # two words remembered, two new: the memory starts again
    assert languages.of(text, text.split()) == languages.of(text, text.split())
    assert set(languages._kinds) <= set(text.split())
