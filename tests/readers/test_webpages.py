from pathlib import Path

import pytest

from tests.readers.exports import WEBSITE
from voicecheck.errors import InputError
from voicecheck.readers import ReadStats, read_posts, sniff_format
from voicecheck.readers.htmltext import web_library

NAVIGATION_ONLY = """<!DOCTYPE html><html><head><title>Plan du site</title></head><body>
<nav><ul><li><a href="/">Accueil</a></li><li><a href="/services">Services</a></li></ul></nav>
<footer><p>© 2025 Maison Claire</p></footer></body></html>"""


def test_a_folder_of_pages_gives_one_post_per_page() -> None:
    stats = ReadStats()
    posts = list(read_posts([WEBSITE], stats))
    assert [Path(p.id).relative_to(WEBSITE).as_posix() for p in posts] == [
        "a-propos.html", "en/index.html", "index.html", "services.html",
    ]  # fmt: skip
    assert {p.channel for p in posts} == {"website"}
    assert stats.ignored_files == 2  # the stylesheet and the script


def test_main_text_without_navigation_or_footer() -> None:
    page = next(p for p in read_posts([WEBSITE / "services.html"], ReadStats()))
    assert page.text.startswith("Nos services\nEntretien régulier\nChaque semaine")
    assert "Les places partent vite" in page.text
    for boilerplate in ("Accueil", "Réserver", "Tous droits réservés", "Politique de confidentialité", "514 555-0199"):
        assert boilerplate not in page.text
    assert page.date == "2025-01-15"


def test_a_page_with_no_main_text_is_counted(tmp_path: Path) -> None:
    path = tmp_path / "plan.html"
    path.write_text(NAVIGATION_ONLY, encoding="utf-8")
    stats = ReadStats()
    assert list(read_posts([path], stats)) == []
    assert stats.skipped == {"no main text on the page": 1}


def test_an_oversized_page_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "huge.html"
    path.write_text("<!DOCTYPE html><html><body><p>" + "mot " * 3_000_000 + "</p></body></html>", encoding="utf-8")
    with pytest.raises(InputError, match=r"huge.html: over 10 MB, too big for a web page"):
        list(read_posts([path], ReadStats()))


def test_sniffed_from_content(tmp_path: Path) -> None:
    path = tmp_path / "page"
    path.write_text(NAVIGATION_ONLY, encoding="utf-8")
    assert sniff_format(path) == "html"


def test_a_missing_extra_says_how_to_install_it() -> None:
    with pytest.raises(InputError, match=r"needs the web extra: pip install 'voicecheck\[web\]'"):
        web_library("voicecheck_no_such_library")
