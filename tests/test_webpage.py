"""The draft page of `voicecheck serve`, driven in a real browser (Debian's Chromium, by Playwright).

Each test starts from a fresh browser context on a real server subprocess. Every page is
watched: a console error, a failed script or a request to any host but the service fails
the test that caused it.
"""

from __future__ import annotations

import csv
import io
import os
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from starlette.requests import Request

from voicecheck.server import Limits, RequestError
from voicecheck.webpage import COOKIE, MAX_SESSIONS, SESSION_SECONDS, Sessions, accepted_language, read_upload

from .conftest import ROOT
from .test_server import TOKEN, running_server

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]  # fmt: skip
#: axe-core's browser build: `.ci/run` installs it with npm; $VOICECHECK_AXE names another copy.
AXE = Path(os.environ.get("VOICECHECK_AXE", ROOT / "tests" / ".axe" / "node_modules" / "axe-core" / "axe.min.js"))
#: How long the page may take to answer, at most: generous, never a measure.
PATIENCE_MS = 30_000
#: The guarded server's --max-body.
MAX_BODY = 20_000

OFF_VOICE = "Our maid will clean your windows this spring, book now."
REWRITE = "Our cleaning team will clean your windows this spring, book now."
ON_VOICE = "Le printemps est arrivé! Notre équipe d'entretien est prête à faire briller vos fenêtres."

needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="the browser tests drive Debian's Chromium at /usr/bin/chromium (.ci/run installs it)"
)


@pytest.fixture(scope="module")
def open_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The service on loopback without a token."""
    log = tmp_path_factory.mktemp("page") / "stderr.log"
    with running_server("--max-posts", "30", log=log) as url:
        yield url


@pytest.fixture(scope="module")
def token_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    log = tmp_path_factory.mktemp("page-token") / "stderr.log"
    with running_server("--token", TOKEN, log=log) as url:
        yield url


@pytest.fixture(scope="module")
def guarded_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The service with a token and a small --max-body; yields its URL and its log."""
    log = tmp_path_factory.mktemp("page-guarded") / "stderr.log"
    with running_server("--token", TOKEN, "--max-body", str(MAX_BODY), log=log) as url:
        yield url, log


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("the browser tests drive Debian's Chromium at /usr/bin/chromium (.ci/run installs it)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright (the test extra)")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@dataclass
class Watched:
    """A page, and what it did that it should not: console errors, failed loads, requests elsewhere."""

    page: Any
    errors: list[str] = field(default_factory=list)
    elsewhere: list[str] = field(default_factory=list)

    def clean(self) -> None:
        assert self.errors == [], self.errors
        assert self.elsewhere == [], self.elsewhere


def watch(page: Any) -> Watched:
    watched = Watched(page)
    page.on("console", lambda message: message.type == "error" and watched.errors.append(message.text))
    page.on("pageerror", lambda error: watched.errors.append(str(error)))

    def request(request: Any) -> None:
        address = urlsplit(request.url)
        if address.scheme in ("http", "https", "ws", "wss") and address.hostname != "127.0.0.1":
            watched.elsewhere.append(request.url)

    page.on("request", request)
    page.set_default_timeout(PATIENCE_MS)
    return watched


@pytest.fixture
def opened(browser: Any) -> Iterator[Any]:
    """Opens a watched page in a fresh context; the test's pages must end clean."""
    contexts, pages = [], []

    def open_page(url: str, **options: Any) -> Any:
        context = browser.new_context(**{"locale": "en-US", **options})
        contexts.append(context)
        watched = watch(context.new_page())
        pages.append(watched)
        watched.page.goto(url)
        return watched.page

    open_page.watched = pages  # type: ignore[attr-defined]
    yield open_page
    for context in contexts:
        context.close()
    for watched in pages:
        watched.clean()


def refused_on_purpose(opened: Any, *statuses: int) -> None:
    """The console logs each refused request: those a test made on purpose must be all it logged, and are forgotten."""
    errors = opened.watched[-1].errors
    assert len(errors) == len(statuses), errors
    for error, status in zip(errors, statuses, strict=True):
        assert f"status of {status}" in error
    errors.clear()


def ready(page: Any) -> None:
    page.wait_for_selector("body[data-ready=true]")


def sign_in(page: Any) -> None:
    """Give the service's token once it is asked for."""
    page.wait_for_selector("#login:not([hidden])")
    page.fill("#token", TOKEN)
    page.press("#token", "Enter")


#: Drop a file (name, text) on the page, as a writer drags one from their files.
DROP = (
    "([name, text]) => { const data = new DataTransfer(); data.items.add(new File([text], name));"
    " document.querySelector('#drop').dispatchEvent(new DragEvent('drop', {dataTransfer: data})); }"
)


def checked(page: Any, text: str, channel: str | None = None) -> None:
    """Type `text` into the draft (keystroke by keystroke) and wait for its verdict."""
    if channel is not None:
        page.select_option("#channel", channel)
    done = int(page.get_attribute("#verdict", "data-done") or 0)
    page.fill("#draft", "")
    page.locator("#draft").press_sequentially(text)
    page.wait_for_function(f"() => Number(document.querySelector('#verdict').dataset.done || 0) > {done}")
    page.wait_for_function(
        "text => document.querySelector('#verdict').dataset.state === 'done'"
        " && document.querySelector('#marked').textContent === text",
        arg=text,
    )


@needs_chromium
def test_an_off_voice_draft_is_marked_with_a_suggestion_to_copy(opened: Any, open_server: str) -> None:
    page = opened(open_server, permissions=["clipboard-read", "clipboard-write"])
    ready(page)
    assert page.locator("#channel option").all_inner_texts() == ["facebook", "instagram", "linkedin", "other"]
    checked(page, OFF_VOICE, "facebook")
    assert page.inner_text("#verdict-name") == "drift"
    assert page.locator("#marked mark").all_inner_texts() == ["maid"]
    assert page.get_attribute("#gauge", "aria-valuenow") is not None
    assert "5.5" in page.inner_text("#threshold-note")  # the model's calibrated threshold
    suggestion = page.locator(".suggestion").first
    assert "Try instead:" in suggestion.inner_text() and "cleaning team" in suggestion.inner_text()
    assert page.inner_text(".rewrite q") == REWRITE
    page.click(".rewrite button")
    page.wait_for_function("() => document.querySelector('.rewrite button').textContent === 'Copied'")
    assert page.evaluate("navigator.clipboard.readText()") == REWRITE
    assert page.locator("#examples li").count() > 0


@needs_chromium
def test_marks_fall_on_their_words_after_emoji_and_across_lines(opened: Any, open_server: str) -> None:
    page = opened(open_server)
    ready(page)
    # The service counts characters (code points); an emoji is two UTF-16 units in the page.
    checked(page, "🔥🌷 Spring is here!\nOur maid is ready, and cheap too.", "facebook")
    assert page.locator("#marked mark").all_inner_texts() == ["maid", "cheap"]
    assert page.inner_text("#marked").startswith("🔥🌷 Spring is here!\nOur ")


@needs_chromium
def test_an_on_voice_draft_is_on_voice_and_unmarked(opened: Any, open_server: str) -> None:
    page = opened(open_server)
    ready(page)
    assert page.locator("#sign-out").is_hidden()  # no token, no session to close
    checked(page, ON_VOICE, "facebook")
    assert page.inner_text("#verdict-name") == "on-voice"
    assert page.locator("#marked mark").count() == 0
    assert float(page.get_attribute("#gauge", "aria-valuenow")) > 5.5


@needs_chromium
def test_the_page_speaks_french_to_a_french_browser_and_switches(opened: Any, open_server: str) -> None:
    page = opened(open_server, locale="fr-CA")
    ready(page)
    assert page.inner_text("h1").startswith("Vérifier un brouillon")
    assert page.get_attribute("html", "lang") == "fr"
    checked(page, OFF_VOICE, "facebook")
    assert page.inner_text("#verdict-name") == "dérive"
    assert "Essayez plutôt" in page.inner_text(".suggestion")
    assert "écrivez « cleaning team »" in page.inner_text(".suggestion")  # the service's words, in French
    page.click("#language")
    page.wait_for_function("() => document.querySelector('#verdict-name').textContent === 'drift'")
    page.wait_for_function(
        "() => document.querySelector('.suggestion').textContent.includes(\"write 'cleaning team'\")"
    )
    assert page.inner_text("h1").startswith("Check a draft")


@needs_chromium
def test_with_a_token_the_page_asks_once_and_keeps_a_strict_session(opened: Any, token_server: str) -> None:
    page = opened(token_server)
    assert httpx.get(f"{token_server}/session").json() == {"session": False, "token_needed": True}
    post = {"posts": [{"text": OFF_VOICE}]}
    assert httpx.post(f"{token_server}/v1/check", json=post).status_code == 401
    page.wait_for_selector("#login:not([hidden])")
    assert page.locator("#workspace").is_hidden()
    page.fill("#token", "wrong")
    page.press("#token", "Enter")
    page.wait_for_selector("#login-error:text('Wrong token.')")
    page.fill("#token", TOKEN)
    page.press("#token", "Enter")
    ready(page)
    (cookie,) = page.context.cookies()
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and not cookie["secure"]  # plain HTTP here
    assert page.evaluate("document.cookie") == ""
    checked(page, OFF_VOICE, "facebook")
    assert page.inner_text("#verdict-name") == "drift"
    # The cookie alone is not enough: a request without the session's CSRF token is refused.
    script = "body => fetch('/v1/check', {method: 'POST', headers: {'Content-Type': 'application/json'}, body})"
    assert page.evaluate(f"body => ({script})(body).then(r => r.status)", '{"posts": [{"text": "Hello there"}]}') == 401
    refused_on_purpose(opened, 401, 401)  # a wrong token, then no CSRF token
    # A reload keeps the session: no second token.
    page.reload()
    ready(page)
    assert page.locator("#login").is_hidden()
    # The JSON API keeps its Bearer token.
    bearer = httpx.post(f"{token_server}/v1/check", json=post, headers={"Authorization": f"Bearer {TOKEN}"})
    assert bearer.status_code == 200
    # Signing out closes the session on the service: a reload asks for the token again.
    page.click("#sign-out")
    page.wait_for_selector("#login:not([hidden])")
    assert page.locator("#workspace").is_hidden() and page.locator("#sign-out").is_hidden()
    page.reload()
    page.wait_for_selector("#login:not([hidden])")


@needs_chromium
def test_signing_out_leaves_the_next_writer_none_of_the_files_results(opened: Any, token_server: str) -> None:
    page = opened(token_server)
    sign_in(page)
    ready(page)
    page.evaluate(DROP, ["posts.jsonl", '{"id": "x", "text": "Our maid is cheap!"}\n'])
    page.wait_for_selector("#batch[data-state=done]")
    page.click("#sign-out")
    sign_in(page)
    page.wait_for_selector("#workspace:not([hidden])")
    assert page.locator("#batch-result").is_hidden() and page.inner_text("#batch-status") == ""
    page.click("#language")  # nor is the last writer's file asked again in the other language
    page.wait_for_function("() => document.documentElement.lang === 'fr'")
    page.wait_for_timeout(500)
    assert page.locator("#batch-result").is_hidden() and page.get_attribute("#batch", "data-state") is None


@needs_chromium
def test_an_export_is_checked_into_a_sortable_table_and_a_safe_csv(
    opened: Any, open_server: str, tmp_path: Path
) -> None:
    export = tmp_path / "drafts.csv"
    export.write_text(
        "id,channel,text\n"
        f"a,facebook,{ON_VOICE}\n"
        'b,instagram,"=HYPERLINK(""http://example.com"") our maid is cheap, lol!!!"\n'
        f'c,linkedin,"{OFF_VOICE}"\n',
        encoding="utf-8",
    )
    page = opened(open_server)
    ready(page)
    page.set_input_files("#file", str(export))
    page.wait_for_selector("#batch[data-state=done]")
    rows = page.locator("#results tbody tr")
    assert rows.count() == 3
    assert page.locator("#results tbody tr td:first-child").all_inner_texts() == ["a", "b", "c"]
    page.click("th button[data-sort=score]")
    scores = [float(s) for s in page.locator("#results tbody td.number").all_inner_texts()]
    assert scores == sorted(scores) and page.get_attribute("th:nth-child(3)", "aria-sort") == "ascending"
    page.click("th button[data-sort=score]")
    assert page.get_attribute("th:nth-child(3)", "aria-sort") == "descending"
    with page.expect_download() as download:
        page.click("#csv")
    table = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    assert table[0][:6] == ["id", "channel", "lang", "score", "flagged", "verdict"]
    texts = {row[0]: row[12] for row in table[1:]}
    assert texts["b"].startswith("'=HYPERLINK")  # neutralised, as `check --format csv` does
    assert texts["a"] == ON_VOICE


@needs_chromium
def test_a_dropped_file_is_checked_and_a_bad_one_named(opened: Any, open_server: str) -> None:
    page = opened(open_server)
    ready(page)
    page.evaluate(DROP, ["posts.jsonl", '{"id": "x", "text": "Our maid is cheap!"}\n{"id": "y", "text": null}\n'])
    page.wait_for_selector("#batch[data-state=done]")
    assert page.locator("#results tbody tr").count() == 1
    status = page.inner_text("#batch-status")  # the record that is not a post is counted, with its reason
    assert "1 post checked in posts.jsonl" in status and "Not read as posts: 1 (" in status, status
    page.evaluate(DROP, ["broken.json", '{"posts": ['])
    page.wait_for_selector("#batch[data-state=error]")
    message = page.inner_text("#batch-status")
    assert "broken.json" in message and "voicecheck-upload" not in message
    assert page.locator("#batch-result").is_hidden()  # the earlier file's table is no answer for this one
    refused_on_purpose(opened, 422)


@needs_chromium
def test_a_draft_the_service_refuses_leaves_no_earlier_verdict_on_screen(opened: Any, open_server: str) -> None:
    page = opened(open_server)
    ready(page)
    checked(page, OFF_VOICE)
    assert page.locator("#result").is_visible()
    page.fill("#draft", "\u200b\u200b")  # no visible character: a 422
    page.click("#check")
    page.wait_for_selector("#verdict[data-state=error]")
    assert page.locator("#result").is_hidden() and "no text" in page.inner_text("#status")
    refused_on_purpose(opened, 422)


@needs_chromium
def test_the_page_speaks_the_language_its_address_asks_for(opened: Any, open_server: str) -> None:
    page = opened(f"{open_server}/?lang=fr")
    ready(page)
    assert page.evaluate("document.documentElement.lang") == "fr"
    assert page.get_attribute("#report-link", "href") == "/report?lang=fr"


@needs_chromium
def test_the_page_works_with_the_keyboard_alone(opened: Any, open_server: str) -> None:
    page = opened(open_server, permissions=["clipboard-read", "clipboard-write"])
    ready(page)
    order = []
    for _ in range(6):
        page.keyboard.press("Tab")
        order.append(page.evaluate("document.activeElement.id || document.activeElement.className"))
    assert order == ["skip", "report-link", "language", "draft", "channel", "check"]
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # the focus is visible
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.id") == "draft"
    page.keyboard.type(OFF_VOICE)
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_selector("#verdict[data-state=done]")
    assert page.inner_text("#verdict-name") == "drift"
    while page.evaluate("document.activeElement.className") != "copy":
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('.rewrite button').textContent === 'Copied'")


@needs_chromium
def test_the_page_fits_a_phone(opened: Any, open_server: str) -> None:
    page = opened(open_server, viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    ready(page)
    checked(page, OFF_VOICE + " " + OFF_VOICE, "instagram")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    box = page.locator("#draft").bounding_box()
    assert box is not None and box["width"] > 300


@needs_chromium
def test_the_report_is_linked_and_served_under_its_own_policy(opened: Any, open_server: str) -> None:
    page = opened(open_server)
    ready(page)
    with page.expect_navigation():
        page.click("#report-link")
    assert page.url.endswith("/report?lang=en")
    page.wait_for_selector("body[data-charts-drawn]")  # its inline script ran: allowed by its hash
    assert "Voice report" in page.title() or page.locator("h1").count() == 1
    response = httpx.get(f"{open_server}/report?lang=fr", timeout=120)
    assert response.status_code == 200 and "script-src 'sha256-" in response.headers["content-security-policy"]


@needs_chromium
def test_no_serious_accessibility_violations(opened: Any, open_server: str, browser: Any) -> None:
    if not AXE.exists():
        pytest.skip(f"axe-core is not installed at {AXE} (.ci/run installs it with npm; or set $VOICECHECK_AXE)")
    page = opened(open_server, bypass_csp=True)  # axe is injected into the page as an inline script
    ready(page)
    checked(page, OFF_VOICE, "facebook")
    page.set_input_files("#file", str(ROOT / "samples" / "new_posts.csv"))
    page.wait_for_selector("#batch[data-state=done]")
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    violations = page.evaluate("axe.run(document).then(r => r.violations)")
    serious = [(v["id"], v["impact"], len(v["nodes"])) for v in violations if v["impact"] in ("serious", "critical")]
    assert serious == []


def test_the_page_has_a_strict_policy_and_the_api_speaks_the_language_asked(open_server: str) -> None:
    page = httpx.get(f"{open_server}/")
    policy = page.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "<script>" not in page.text and " style=" not in page.text
    post = {"posts": [{"text": OFF_VOICE, "channel": "facebook"}]}
    french = httpx.post(f"{open_server}/v1/check", json=post, headers={"Accept-Language": "fr-CA,fr;q=0.9"}, timeout=60)
    asked = httpx.post(f"{open_server}/v1/check?lang=en", json=post, headers={"Accept-Language": "fr"}, timeout=60)
    assert "« cleaning team »" in french.json()["results"][0]["reasons"][0]["suggestion"]["message"]
    assert "'cleaning team'" in asked.json()["results"][0]["reasons"][0]["suggestion"]["message"]


@pytest.mark.parametrize(
    ("headers", "body", "status", "message"),
    [
        ({}, b"id,text\n1,hello there\n", 400, "X-File-Name"),
        ({"X-File-Name": "empty.csv"}, b"  \n", 422, "empty.csv is empty"),
        ({"X-File-Name": "bad%0A.json"}, b'{"posts": [', 422, "bad\\n.json"),
        (
            {"X-File-Name": "many.csv"},
            b"id,text\n" + b"".join(b"%d,hello number %d\n" % (n, n) for n in range(31)),
            422,
            "many.csv holds 31 posts, over the limit of 30",
        ),
        ({"X-File-Name": "none.csv"}, b"id,text\n", 422, "none.csv"),
    ],
)
def test_a_bad_upload_gets_a_clear_refusal(
    open_server: str, headers: dict[str, str], body: bytes, status: int, message: str
) -> None:
    response = httpx.post(f"{open_server}/v1/check-file", content=body, headers=headers, timeout=60)
    assert response.status_code == status, response.text
    assert message in response.json()["error"] and "voicecheck-upload" not in response.json()["error"]


def test_an_upload_is_read_as_the_cli_reads_it(open_server: str) -> None:
    body = (ROOT / "samples" / "new_posts.csv").read_bytes()
    response = httpx.post(f"{open_server}/v1/check-file", content=body, headers={"X-File-Name": "new_posts.csv"},
                          timeout=120)  # fmt: skip
    results = response.json()["results"]
    assert len(results) == 22 and results[0]["id"] == "new-01" and results[0]["where"] == "new_posts.csv:2"


def test_an_upload_says_what_it_skipped_as_the_cli_does(open_server: str) -> None:
    body = b'[{"text": null}, {"text": "Our team cleaned the park today"}]'
    response = httpx.post(f"{open_server}/v1/check-file", content=body, headers={"X-File-Name": "posts.json"},
                          timeout=60)  # fmt: skip
    assert response.status_code == 200, response.text
    summary = response.json()["summary"]
    assert summary["input"]["read"] == 1 and sum(summary["input"]["skipped"].values()) == 1
    assert summary["input"]["sources"][0]["path"] == "posts.json" and sum(summary["verdicts"].values()) == 1


def test_an_upload_is_read_in_the_language_of_the_request_whatever_the_service_speaks(open_server: str) -> None:
    body = b'[{"text": null}, {"text": "Our team cleaned the park today"}]'
    asked = {"lang": "fr"}
    response = httpx.post(f"{open_server}/v1/check-file", params=asked, content=body,
                          headers={"X-File-Name": "posts.json"}, timeout=60)  # fmt: skip
    assert response.status_code == 200, response.text
    assert response.json()["summary"]["input"]["skipped"] == {"pas de texte": 1}
    broken = httpx.post(f"{open_server}/v1/check-file", params=asked, content=b'{"posts": [',
                        headers={"X-File-Name": "broken.json"}, timeout=60)  # fmt: skip
    assert broken.status_code == 422 and "JSON non valide après l'enregistrement 0" in broken.json()["error"]


@pytest.mark.parametrize(
    ("name", "body", "post_id"),
    [
        ("posts.csv", b"text,channel\nOur team cleaned the park today,instagram\n", "posts.csv:2"),
        ("posts.json", b'[{"text": "Our team cleaned the park today"}]', "posts.json#1"),
        ("Notes.MD", b"Our team cleaned the park today.\n", "Notes"),
        ("/", b"Our team cleaned the park today.\n", "upload:1"),
        ("../../etc/a\nb.txt", b"Our team cleaned the park today.\n", "a\\nb.txt:1"),
    ],
    ids=["csv", "json", "markdown", "unnamed", "odd-name"],
)
def test_an_uploads_posts_without_ids_are_named_after_the_upload(
    open_server: str, name: str, body: bytes, post_id: str
) -> None:
    headers = {"X-File-Name": quote(name)}
    response = httpx.post(f"{open_server}/v1/check-file", content=body, headers=headers, timeout=60)
    assert response.status_code == 200, response.text
    assert response.json()["results"][0]["id"] == post_id


@pytest.mark.parametrize(
    ("header", "lang"),
    [("fr-CA,fr;q=0.9,en;q=0.8", "fr"), ("en;q=0.5, fr", "fr"), ("de, en-GB;q=0.7", "en"), ("fr;q=0, en", "en"),
     ("de", None), ("", None), ("*", None)],
)  # fmt: skip
def test_accept_language_picks_our_preferred_language(header: str, lang: str | None) -> None:
    assert accepted_language(header) == lang


def test_a_session_stands_for_the_token_only_with_its_csrf_token(token_server: str) -> None:
    assert httpx.get(f"{token_server}/report").status_code == 303  # to the page, which asks for the token
    assert (
        httpx.post(f"{token_server}/v1/check-file", content=b"x", headers={"X-File-Name": "a.txt"}).status_code == 401
    )
    form = httpx.post(f"{token_server}/session", content=f"token={TOKEN}",
                      headers={"Content-Type": "application/x-www-form-urlencoded"})  # fmt: skip
    assert form.status_code == 415  # no other site's form can open a session
    assert httpx.post(f"{token_server}/session", json={"token": "wrong"}).status_code == 401
    behind_https = httpx.post(f"{token_server}/session", json={"token": TOKEN}, headers={"X-Forwarded-Proto": "https"})
    assert "secure" in behind_https.headers["set-cookie"].lower()
    with httpx.Client(base_url=token_server, timeout=60) as client:
        opened = client.post("/session", json={"token": TOKEN})
        cookie = opened.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=strict" in cookie and "secure" not in cookie
        csrf = {"X-CSRF-Token": opened.json()["csrf"]}
        post = {"posts": [{"text": OFF_VOICE}]}
        assert client.post("/v1/check", json=post).status_code == 401
        assert client.post("/v1/check", json=post, headers={"X-CSRF-Token": "forged"}).status_code == 401
        assert client.post("/v1/check", json=post, headers=csrf).status_code == 200
        assert client.get("/report", follow_redirects=False).status_code == 200
        assert client.delete("/session").status_code == 403
        session = client.cookies["voicecheck_session"]
        assert client.delete("/session", headers=csrf).status_code == 200
    again = {**csrf, "Cookie": f"voicecheck_session={session}"}  # the closed session's cookie, kept
    assert httpx.post(f"{token_server}/v1/check", json=post, headers=again).status_code == 401


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        (b'{"token": ' + b"[" * 5000 + b"]" * 5000 + b"}", 400, "the body is not valid JSON (nested too deeply)"),
        (b"", 400, 'the body is empty: send {"token": "..."}'),
        (b'{"token": "\\ud800"}', 401, "wrong token"),
        (b'{"token": "s3cret\\udfff"}', 401, "wrong token"),
        (b'{"token": ', 400, "the body is not valid JSON"),
        (
            b'{"token": "' + b"x" * (2 * MAX_BODY) + b'"}',
            413,
            f"the request body is over the limit of {MAX_BODY} bytes",
        ),
    ],
    ids=["deep", "empty", "lone-surrogate", "token-and-lone-surrogate", "broken", "oversized"],
)
def test_a_bad_session_request_gets_a_clear_refusal_and_nothing_in_the_log(
    guarded_server: tuple[str, Path], body: bytes, status: int, message: str
) -> None:
    url, log = guarded_server
    response = httpx.post(f"{url}/session", content=body, headers={"Content-Type": "application/json"}, timeout=60)
    assert response.status_code == status, response.text
    assert message in response.json()["error"]
    assert "Traceback" not in log.read_text(encoding="utf-8")


def test_an_oversized_session_request_is_refused_before_its_body_is_sent(guarded_server: tuple[str, Path]) -> None:
    url, _ = guarded_server
    address = urlsplit(url)
    head = (f"POST /session HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            f"Content-Length: {100 * MAX_BODY}\r\n\r\n")  # fmt: skip
    with socket.create_connection((address.hostname, address.port), timeout=5) as sock:
        sock.sendall(head.encode() + b'{"token": "')  # and no more: the answer must not wait for the rest
        received = b""
        while b"}" not in received and (chunk := sock.recv(65536)):
            received += chunk
    assert received.startswith(b"HTTP/1.1 413 ") and b"over the limit of 20000 bytes" in received


def _request(cookie: str | None = None, csrf: str | None = None) -> Request:
    headers = [(b"cookie", f"{COOKIE}={cookie}".encode())] if cookie else []
    headers += [(b"x-csrf-token", csrf.encode())] if csrf else []
    return Request({"type": "http", "method": "POST", "path": "/", "headers": headers, "query_string": b""})


def test_sessions_expire_and_the_oldest_give_way() -> None:
    now = [1000.0]
    sessions = Sessions(TOKEN, clock=lambda: now[0])
    assert sessions.open("wrong") is None and sessions.open("") is None
    opened = sessions.open(TOKEN)
    assert opened is not None
    cookie, session = opened
    assert sessions.admits(_request(cookie, session.csrf)) and not sessions.admits(_request(cookie))
    now[0] += SESSION_SECONDS + 1
    assert sessions.of(_request(cookie)) is None  # a day's work later, the token is asked again
    first = sessions.open(TOKEN)
    assert first is not None
    for _ in range(MAX_SESSIONS):
        sessions.open(TOKEN)
    assert sessions.of(_request(first[0])) is None
    assert Sessions(None).open(TOKEN) is None  # without a token there are no sessions to open


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_any_accept_language_header_is_read_without_failing(header: str) -> None:
    assert accepted_language(header) in (None, "en", "fr")


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(["export.csv", "posts.jsonl", "feed.xml", "page.html", "notes.md", "tweets.js", "x", "a.json"]),
    st.binary(max_size=400) | st.text(max_size=400).map(lambda text: text.encode("utf-8", "surrogatepass")),
)
def test_any_upload_gives_posts_or_a_refusal_naming_it(name: str, body: bytes) -> None:
    try:
        upload = read_upload(name, body, Limits())
    except RequestError as exc:
        assert exc.status == 422 and "voicecheck-upload" not in str(exc)
    else:
        assert upload.posts and all(name in post.where for post in upload.posts)
        assert "voicecheck-upload" not in repr(upload)
