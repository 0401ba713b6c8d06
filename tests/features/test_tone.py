"""Each tone dimension must move the way a reader expects, in English and in French."""

import numpy as np
import pytest

from tests.features import table_of
from voicecheck.features.table import build_table
from voicecheck.features.tone import TONE_DIMENSIONS
from voicecheck.nlp import Pipelines, parse


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


def test_a_post_and_its_translation_read_equally_formal(pipelines: Pipelines, sample_posts: list) -> None:
    """The sample brand wrote 93 of its posts in both languages (French, then its English version)."""
    table = build_table(parse(sample_posts, pipelines))
    by_id = {post.id: row for row, post in enumerate(table.posts)}
    pairs = [
        (by_id[post.id], by_id[following])
        for post in table.posts
        if post.lang == "fr" and (following := f"{post.id[:-3]}{int(post.id[-3:]) + 1:03d}") in by_id
        and table.langs[by_id[following]] == "en"
    ]  # fmt: skip
    assert len(pairs) > 80
    french, english = (table.tone[[pair[side] for pair in pairs], 0] for side in (0, 1))
    logit = np.log(french / (100 - french)) - np.log(english / (100 - english))
    assert abs(float(np.mean(logit))) < 0.25
    assert abs(float(np.median(french - english))) < 10


def test_vous_reads_about_as_formal_as_english_and_tu_more_casual(tone) -> None:  # type: ignore[no-untyped-def]
    english = tone("Moving on July 1st? We offer a full move-out clean so you can leave your place spotless.", "en")
    vous = tone(
        "Vous déménagez le 1er juillet? Nous offrons un ménage de départ pour que vous laissiez votre logement impeccable.",
        "fr",
    )
    tu = tone(
        "Tu déménages le 1er juillet? On offre un ménage de départ pour que tu laisses ton logement impeccable.", "fr"
    )
    assert abs(vous["formality"] - english["formality"]) < 20
    assert tu["formality"] + 10 < min(vous["formality"], english["formality"])


def test_scores_stay_in_range(tone) -> None:  # type: ignore[no-untyped-def]
    for text in ["", "🎉", "!!!!!!!!!!!!!!!", "a " * 5000]:
        for value in tone(text, "en").values():
            assert 0.0 <= value <= 100.0
