import json
from pathlib import Path

import pytest

from tests.readers.exports import FACEBOOK_POSTS, INSTAGRAM_POSTS
from voicecheck.errors import InputError
from voicecheck.readers import ReadStats, read_posts, sniff_format
from voicecheck.readers.meta import repair_mojibake


def read(path: Path) -> tuple[list, ReadStats]:
    stats = ReadStats()
    return list(read_posts([path], stats)), stats


@pytest.mark.parametrize(
    ("broken", "repaired"),
    [
        ("CafÃ© Ã\xa0 MontrÃ©al", "Café à Montréal"),
        ("\u00f0\u009f\u00a7\u00bd on s'en occupe", "🧽 on s'en occupe"),
        ("Café à Montréal", "Café à Montréal"),  # already right: unchanged
        ("plain ASCII", "plain ASCII"),
        ("déjà 😀", "déjà 😀"),  # beyond Latin-1: cannot be the fault
    ],
)
def test_repair_mojibake(broken: str, repaired: str) -> None:
    assert repair_mojibake(broken) == repaired
    assert repair_mojibake(repaired) == repaired  # repairing twice is harmless


def test_facebook_posts_are_read_and_repaired() -> None:
    posts, stats = read(FACEBOOK_POSTS)
    assert len(posts) == 8
    assert {p.channel for p in posts} == {"facebook"}
    assert posts[0].text.startswith("Bonne nouvelle pour les familles de Longueuil : nous ajoutons")
    assert "Réservez la vôtre en ligne" in posts[0].text
    assert posts[0].text.endswith("🧽")
    assert posts[0].date == "2025-03-04T14:00:00+00:00"
    assert not any("Ã" in p.text for p in posts)
    assert stats.skipped == {"no text (a photo, link or check-in only)": 1}


def test_instagram_captions_of_single_posts_and_carousels() -> None:
    posts, stats = read(INSTAGRAM_POSTS)
    assert len(posts) == 8
    assert {p.channel for p in posts} == {"instagram"}
    carousel = posts[2]  # three photos: the caption is on the post, not on its media
    assert carousel.text.startswith("On vous présente Nadia, cheffe d'équipe à Laval")
    assert "💛" in carousel.text
    assert carousel.date == "2025-03-18T17:00:00+00:00"
    assert posts[0].id.startswith("media/posts/")
    assert stats.skipped == {"no caption": 1}


def test_instagram_reels_file(tmp_path: Path) -> None:
    path = tmp_path / "reels.json"
    media = {"uri": "media/reels/1.mp4", "creation_timestamp": 1740000000, "title": "Nouvelle vidÃ©o!"}
    path.write_text(json.dumps({"ig_reels_media": [{"media": [media]}]}), encoding="utf-8")
    posts, _ = read(path)
    assert [p.text for p in posts] == ["Nouvelle vidéo!"]


@pytest.mark.parametrize(("path", "expected"), [(FACEBOOK_POSTS, "facebook"), (INSTAGRAM_POSTS, "instagram")])
def test_sniffed_from_content(path: Path, expected: str) -> None:
    assert sniff_format(path) == expected


def test_an_empty_download_has_no_posts(tmp_path: Path) -> None:
    path = tmp_path / "your_posts_1.json"
    path.write_text("[]", encoding="utf-8")
    posts, stats = read(path)
    assert posts == []
    assert stats.errors == []


def test_non_records_are_counted(tmp_path: Path) -> None:
    path = tmp_path / "your_posts_1.json"
    records = [{"timestamp": 1740000000, "data": [{"post": "Bonjour à tous, belle semaine!"}]}, "stray", 3]
    path.write_text(json.dumps(records), encoding="utf-8")
    stats = ReadStats()
    posts = list(read_posts([path], stats, input_format="facebook"))
    assert len(posts) == 1
    assert stats.skipped == {"not a post record": 2}


@pytest.mark.parametrize(
    ("name", "holding", "input_format"),
    [
        ("your_posts_1.json", {"status_updates_v2": {"post": "Bonjour"}}, "facebook"),
        ("reels.json", {"ig_reels_media": {"media": []}}, "instagram"),
    ],
)
def test_an_export_with_an_object_where_its_posts_array_should_be_is_refused(
    tmp_path: Path, name: str, holding: dict, input_format: str
) -> None:
    path = tmp_path / name
    path.write_text(json.dumps(holding), encoding="utf-8")
    with pytest.raises(InputError, match="not a posts file of this export"):
        list(read_posts([path], ReadStats(), input_format=input_format))  # type: ignore[arg-type]
