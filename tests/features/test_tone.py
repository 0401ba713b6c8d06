"""Each tone dimension must move the way a reader expects, in English and in French."""

import pytest

from tests.features import table_of
from voicecheck.features.tone import TONE_DIMENSIONS
from voicecheck.nlp import Pipelines


@pytest.fixture(scope="module")
def tone(pipelines: Pipelines):  # type: ignore[no-untyped-def]
    def score(text: str, lang: str) -> dict[str, float]:
        return dict(zip(TONE_DIMENSIONS, table_of(pipelines, text, lang).tone[0], strict=True))

    return score


# (dimension, language, text that reads as more of it, text that reads as less of it)
CASES = [
    ("formality", "en",
     "We hereby inform our clients that the office will be closed on Monday, December 25.",
     "hey guys!! office's closed monday lol 🎄"),
    ("formality", "fr",
     "Nous vous informons que nos bureaux seront fermés le lundi 25 décembre.",
     "Salut! T'sais quoi? On ferme lundi lol 🎄"),
    ("humor", "en",
     "Our vacuum is scared of your couch cushions haha 😂 we found three socks and a sandwich lol",
     "Our office is closed on Monday. Bookings resume on Tuesday."),
    ("humor", "fr",
     "Notre aspirateur a peur de vos coussins mdr 😂 on a trouvé trois bas et un sandwich",
     "Nos bureaux sont fermés lundi. Les réservations reprennent mardi."),
    ("irreverence", "en",
     "Honestly who the hell cleans their oven?? NOT US lol",
     "Thank you for your patience. We sincerely apologize for the delay."),
    ("irreverence", "fr",
     "Franchement, qui nettoie son four?? PAS NOUS, bordel",
     "Merci de votre patience. Nous sommes désolés pour le retard."),
    ("enthusiasm", "en",
     "We are SO excited to welcome Sophie to the team!!! 🎉 Amazing news!",
     "Sophie joins the Laval team on Monday."),
    ("enthusiasm", "fr",
     "Nous avons tellement hâte d'accueillir Sophie dans l'équipe!!! 🎉 Quelle nouvelle géniale!",
     "Sophie se joint à l'équipe de Laval lundi."),
]  # fmt: skip


@pytest.mark.parametrize(("dimension", "lang", "more", "less"), CASES)
def test_dimension_orders_a_pair(tone, dimension: str, lang: str, more: str, less: str) -> None:  # type: ignore[no-untyped-def]
    assert tone(more, lang)[dimension] > tone(less, lang)[dimension] + 10


def test_vous_reads_more_formal_than_tu(tone) -> None:  # type: ignore[no-untyped-def]
    assert (
        tone("Pouvez-vous nous envoyer votre adresse?", "fr")["formality"]
        > tone("Peux-tu nous envoyer ton adresse?", "fr")["formality"]
    )


def test_scores_stay_in_range(tone) -> None:  # type: ignore[no-untyped-def]
    for text in ["", "🎉", "!!!!!!!!!!!!!!!", "a " * 5000]:
        for value in tone(text, "en").values():
            assert 0.0 <= value <= 100.0
