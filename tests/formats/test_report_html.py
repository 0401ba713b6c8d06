"""The HTML report: one offline page, drawn by a real browser without console errors."""

from __future__ import annotations

import re
import shutil
import subprocess
from html import unescape
from pathlib import Path

import pytest

from tests.conftest import SAMPLE_MODEL, run_cli
from voicecheck import api
from voicecheck.formats.report_html import render, summary_sentences, words
from voicecheck.readers.base import Post
from voicecheck.store import SavedModel

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="needs Chromium (Debian package `chromium`)")


def open_in_chromium(page: Path) -> tuple[str, list[str]]:
    """The page's DOM after its scripts ran, and every console message it produced."""
    assert CHROMIUM is not None
    done = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0",
         "--virtual-time-budget=5000", "--dump-dom", page.resolve().as_uri()],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    return done.stdout, [line for line in done.stderr.splitlines() if ":CONSOLE" in line]


@pytest.fixture(scope="module")
def sample_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    page = tmp_path_factory.mktemp("html") / "report.html"
    result = run_cli("report", "--model", SAMPLE_MODEL, "--format", "html", "--output", page, "--lang", "fr")
    assert result.returncode == 0, result.stderr
    return page


def page_text(html: str) -> str:
    """The page's own words: the text of its elements, quoted posts and brand examples left out."""
    html = re.sub(r"<blockquote>.*?</blockquote>|<div class=\"examples\">.*?</div>|<script>.*?</script>|<style.*?</style>", "", html,
                  flags=re.DOTALL)  # fmt: skip
    return unescape(re.sub(r"<[^>]+>", "\n", html))


def test_a_french_page_has_no_english_sentence(sample_model: SavedModel, sample_report: Path) -> None:
    english_report, french_report = api.report(sample_model, lang="en"), api.report(sample_model, lang="fr")
    english_words, french_words = words("en"), words("fr")
    english = [english_words[key] for key in english_words if english_words[key] != french_words[key]]
    english += summary_sentences(english_report, "en")
    english += [phrase for channel in english_report["channels"].values() for phrase in channel["sets_apart"]]
    english += [r["message"] for post in english_report["flagged"] for r in post["reasons"]]
    text = page_text(sample_report.read_text(encoding="utf-8"))
    assert render(french_report) == sample_report.read_text(encoding="utf-8")
    assert "brand core" in english and "formality" in english  # the charts' labels are checked too
    pieces = {piece.strip() for sentence in english for piece in re.split(r"\{\w*\}", sentence)}
    assert sorted(piece for piece in pieces if len(piece) > 4 and piece in text) == []
    for word in ("the brand", "posts", "channel", "times", "per 100 words", "fewer than"):
        assert word not in text, word


def test_the_page_is_self_contained(sample_report: Path) -> None:
    html = sample_report.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)  # nothing fetched
    assert "<link" not in html and "@import" not in html and "url(http" not in html
    assert html.count("<svg") == 4  # map, tone, distances, drift


def test_the_page_speaks_the_brands_language(sample_report: Path) -> None:
    html = unescape(sample_report.read_text(encoding="utf-8"))
    assert '<html lang="fr">' in html  # Maison Claire lists French first
    assert "En bref" in html
    assert "Le canal qui s'écarte le plus de la voix est instagram" in html
    assert "Publications qui dérivent" in html


@needs_chromium
def test_every_chart_is_drawn_without_console_errors(sample_report: Path) -> None:
    dom, console = open_in_chromium(sample_report)
    assert 'data-charts-drawn="4/4"' in dom
    assert dom.count('data-drawn="true"') == 4
    assert console == []


@needs_chromium
def test_console_errors_are_caught(tmp_path: Path) -> None:
    """The check above can fail: a page with a script error shows up in the console lines."""
    page = tmp_path / "broken.html"
    page.write_text("<!DOCTYPE html><html><body><script>notDefined();</script></body></html>", encoding="utf-8")
    _, console = open_in_chromium(page)
    assert any("notDefined is not defined" in line for line in console)


def test_summary_in_english_names_the_findings() -> None:
    report = {
        "brand": "Acme",
        "posts": 30,
        "most_divergent_channel": "x",
        "channels": {
            "blog": {"posts": 10, "divergence": 0.2, "flagged_share": 0.1, "tone": {"formality": 70},
                     "sets_apart": ["longer posts"], "sets_apart_fr": ["des publications plus longues"]},
            "x": {"posts": 20, "divergence": 0.5, "flagged_share": 0.05, "tone": {"formality": 30},
                  "sets_apart": ["7 times the @mentions", "far more casual"], "sets_apart_fr": []},
        },
    }  # fmt: skip
    assert summary_sentences(report, "en") == [
        "Acme: 30 posts on 2 channels.",
        "The channel that strays furthest from the voice is x: 7 times the @mentions · far more casual.",
        "The closest to the brand's core is blog.",
        "The tone runs from the most casual, x, to the most formal, blog.",
        "2 posts drift from the voice.",
    ]
    assert summary_sentences(report, "fr")[-1] == "2 publications s'écartent de la voix."


def test_posts_and_channel_names_are_escaped(sample_model: SavedModel) -> None:
    hostile = "<script>alert('x')</script>"
    posts = [Post(p.id, p.text, p.channel, p.lang, p.date) for p in sample_model.table.posts[:40]]
    posts += [Post(f"h{i}", f"{hostile} BUY NOW!!! crypto moon {i}", hostile, "en") for i in range(5)]
    html = render(api.report(sample_model, posts))
    assert hostile not in html
    assert "&lt;script&gt;" in html
