"""The word lists hold only words that mean their register wherever they stand."""

from __future__ import annotations

import pytest

from voicecheck import api
from voicecheck.core import Post
from voicecheck.features import lexicon

EVERYDAY = [
    ("fr", "Bon samedi ☕"),
    ("fr", "Du bon pain frais ce matin."),
    ("fr", "Trop de monde? Réservez en ligne."),
    ("fr", "Quel genre de gâteau préférez-vous?"),
    ("fr", "C'est correct de réserver la veille."),
    ("fr", "Bref, une belle semaine à la boulangerie."),
    ("fr", "Un sujet sérieux : la sécurité de nos équipes."),
    ("fr", "Passez nous voir tantôt, le four est chaud."),
    ("en", "Okay, here is the stuff you asked about, folks."),
    ("en", "Our new super-soft towels are in."),
]
SLANG = [("fr", "Yo, chu full content, pis toé? lol"), ("en", "omg this is lowkey the best lol, ngl")]


@pytest.mark.parametrize(("lang", "text"), EVERYDAY)
def test_everyday_sentences_use_no_casual_word(lang: str, text: str) -> None:
    words = {word.strip(".,?!:").lower() for word in text.split()}
    assert not words & lexicon.CASUAL[lang]


@pytest.mark.parametrize(("lang", "text"), SLANG)
def test_slang_is_still_casual(lang: str, text: str) -> None:
    words = {word.strip(".,?!:").lower() for word in text.split()}
    assert words & lexicon.CASUAL[lang]


def test_an_everyday_greeting_does_not_read_as_irreverent_or_joking() -> None:
    (result,) = api.tone([Post("1", "Bon samedi ☕", lang="fr")], "blank")
    assert result.tone["irreverence"] < 50 and result.tone["humor"] < 50
