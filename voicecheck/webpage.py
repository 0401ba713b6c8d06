"""The draft page of `voicecheck serve`: a writer checks a post, or an export, before publishing.

GET / is a static page (voicecheck/static) whose script calls the service's own JSON API, so
the page and a CMS are judged by the same code. Everything the page loads comes from the
service itself, under a strict Content-Security-Policy (no inline script, no other host).

With a token, the page asks for it once (POST /session) and then holds a session: an
HttpOnly, SameSite=Strict cookie (Secure over HTTPS) naming it, and a CSRF token the script
sends in the `X-CSRF-Token` header of every request that changes or costs something. A
request is admitted by its Bearer token (a CMS) or by a session cookie with its CSRF token
(the page); a cookie alone admits only reading the report.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import sqlite3
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache, partial
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from voicecheck import api
from voicecheck.errors import VoicecheckError
from voicecheck.formats.escape import visible
from voicecheck.i18n import N_, SPOKEN, active, speaking
from voicecheck.readers import ReadStats, read_posts
from voicecheck.readers.base import Post
from voicecheck.server import (
    Judges,
    Limits,
    RequestError,
    _error,
    _judged,
    digest,
    read_body,
    read_json,
    went_away,
)
from voicecheck.store import SavedModel

COOKIE = "voicecheck_session"
#: What POST /session takes, as its error messages show it.
TOKEN_EXAMPLE = '{"token": "..."}'
CSRF_HEADER = "x-csrf-token"
#: A session lasts a working day; the oldest are dropped past MAX_SESSIONS.
SESSION_SECONDS = 12 * 3600
MAX_SESSIONS = 1000
#: The page and its assets: the script and style are files, so the policy needs no inline exception.
PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
#: The HTML report is one self-contained file (inline styles and charts); its scripts are allowed by hash.
REPORT_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src {scripts}; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
COMMON_HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}
STATIC = {
    "app.js": "text/javascript; charset=utf-8",
    "app.css": "text/css; charset=utf-8",
    "favicon.svg": "image/svg+xml",
}
#: File names a batch upload may end in: the readers' own (their content decides when it tells).
#: A file name's stem an upload may be written under as it is (no path, no hidden file, no control character).
PLAIN_STEM = re.compile(r"\w[\w .,+()-]{0,99}")
UPLOAD_SUFFIX = re.compile(r"\.(csv|tsv|json|jsonl|ndjson|txt|text|md|markdown|js|xml|rss|atom|html?|xhtml)$", re.I)


def request_language(request: Request) -> str:
    """The language a request asks its messages in: `?lang=`, else Accept-Language, else the service's."""
    asked = request.query_params.get("lang")
    if asked:
        return _spoken(asked) or active()
    return accepted_language(request.headers.get("accept-language", "")) or active()


def _spoken(tag: str) -> str | None:
    code = tag.strip().split("-")[0].split("_")[0].lower()
    return code if code in SPOKEN else None


def accepted_language(header: str) -> str | None:
    """The language of ours an Accept-Language header prefers most (`fr-CA,fr;q=0.9,en;q=0.8` → fr)."""
    ranked: list[tuple[float, int, str]] = []
    for place, part in enumerate(header.split(",")[:32]):
        tag, _, params = part.partition(";")
        code = _spoken(tag)
        if code is None:
            continue
        weight = 1.0
        match = re.match(r"\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*$", params)
        if params and match:
            weight = float(match.group(1))
        if weight > 0:
            ranked.append((-weight, place, code))
    return min(ranked)[2] if ranked else None


@dataclass
class Session:
    csrf: str
    expires: float


class Sessions:
    """The page's sessions: a restart logs everyone out, which is what a restart should do.

    Sessions are kept by the digest of their id, so nothing held here could be replayed as a
    cookie. They live in SQLite: in memory for one process, or in the file `path` when the
    workers of `serve --workers` share them, so that a session opened on one worker is known,
    and closed, on every other (each process opens its own connection).
    """

    def __init__(
        self, token: str | None, clock: Callable[[], float] = time.monotonic, path: Path | None = None
    ) -> None:
        self.token = token
        self.clock = clock
        self.path = path
        self._db: sqlite3.Connection | None = None
        self._pid = 0

    @property
    def needed(self) -> bool:
        return self.token is not None

    def _sql(self) -> sqlite3.Connection:
        """This process's connection: a forked worker opens its own, as SQLite asks."""
        if self._db is None or self._pid != os.getpid():
            db = sqlite3.connect(self.path or ":memory:", timeout=10, isolation_level=None, check_same_thread=False)
            if self.path is not None:
                db.execute("PRAGMA journal_mode = WAL")
            db.execute("CREATE TABLE IF NOT EXISTS session (id BLOB PRIMARY KEY, csrf TEXT, expires REAL)")
            self._db, self._pid = db, os.getpid()
        return self._db

    def open(self, given: str) -> tuple[str, Session] | None:
        """A new session for the right token: its id (the cookie) and record; None for a wrong one."""
        if self.token is None or not hmac.compare_digest(digest(given), digest(self.token)):
            return None
        session_id = secrets.token_urlsafe(32)
        session = Session(secrets.token_urlsafe(32), self.clock() + SESSION_SECONDS)
        with self._sql() as db:  # one transaction: the oldest give way past MAX_SESSIONS
            db.execute("BEGIN IMMEDIATE")
            db.execute("INSERT INTO session VALUES (?, ?, ?)", (digest(session_id), session.csrf, session.expires))
            db.execute(
                "DELETE FROM session WHERE rowid NOT IN (SELECT rowid FROM session ORDER BY rowid DESC LIMIT ?)",
                (MAX_SESSIONS,),
            )
        return session_id, session

    def of(self, request: Request) -> Session | None:
        """The live session the request's cookie names, if any."""
        cookie = request.cookies.get(COOKIE)
        if not cookie:
            return None
        key = digest(cookie)
        row = self._sql().execute("SELECT csrf, expires FROM session WHERE id = ?", (key,)).fetchone()
        if row is None:
            return None
        session = Session(*row)
        if session.expires < self.clock():
            self._sql().execute("DELETE FROM session WHERE id = ?", (key,))
            return None
        return session

    def admits(self, request: Request) -> bool:
        """Whether the request comes from a page's session: its cookie, and that session's CSRF token."""
        session = self.of(request)
        given = request.headers.get(CSRF_HEADER, "")
        return session is not None and hmac.compare_digest(digest(given), digest(session.csrf))

    def close(self, request: Request) -> None:
        cookie = request.cookies.get(COOKIE)
        if cookie:
            self._sql().execute("DELETE FROM session WHERE id = ?", (digest(cookie),))


@cache
def asset(name: str) -> bytes:
    """A file of voicecheck/static, read once."""
    return (resources.files("voicecheck") / "static" / name).read_bytes()


def page_facts(saved: SavedModel) -> dict[str, Any]:
    """What the page shows beside a verdict: the brand, its channels, the flag threshold on the 0–100 scale."""
    calibration = saved.meta.get("calibration") or {}
    threshold = calibration.get("threshold_score", 100 * saved.model.false_flag_rate)
    return {
        "brand": saved.profile.name or None,
        "channels": sorted({channel for channel in saved.table.channels() if channel}),
        "threshold": float(threshold),
    }


@dataclass(frozen=True)
class Upload:
    """An upload's posts, and its read counts as `check --format json` gives them (its summary's `input`)."""

    posts: list[Post]
    input: dict[str, Any]


def _stored_name(name: str) -> str:
    """The name an upload is written under: its own when plain, as a Markdown post's id is its file's
    stem, else a neutral one; either way with a suffix of the readers' own, which tells its format."""
    match = UPLOAD_SUFFIX.search(name)
    suffix = match.group(0).lower() if match else ".txt"
    stem = Path(name[: match.start()] if match else name).name
    return f"{stem}{suffix}" if PLAIN_STEM.fullmatch(stem) else f"upload{suffix}"


def _named(value: Any, path: Path, shown: str) -> Any:
    """`value` (a string, or a dict or list of them) with the upload's path on the server replaced by its own name."""
    if isinstance(value, str):
        return value.replace(str(path), shown)
    if isinstance(value, dict):
        return {_named(key, path, shown): _named(item, path, shown) for key, item in value.items()}
    if isinstance(value, list):
        return [_named(item, path, shown) for item in value]
    return value


def read_upload(name: str, body: bytes, limits: Limits) -> Upload:
    """The posts of an uploaded export, read as `check` reads a file, within the service's limits.

    The upload is written to a private temporary folder, and everything said of it (messages,
    post ids and places, read counts) names the upload as given, never a path of the server.
    """
    shown = visible(Path(name).name or "upload")
    with tempfile.TemporaryDirectory(prefix="voicecheck-upload-") as folder:
        path = Path(folder) / _stored_name(name)
        path.write_bytes(body)
        stats = ReadStats()
        try:
            posts = list(read_posts([path], stats))
        except VoicecheckError as exc:
            raise RequestError(422, _named(str(exc), path, shown)) from None
    if not posts:
        summary = _named(stats.summary(), path, shown)
        raise RequestError(422, N_("{file}: no posts in this file ({summary})"), file=shown, summary=summary)
    if len(posts) > limits.max_posts:
        message = N_("{file} holds {count} posts, over the limit of {limit} posts per request")
        raise RequestError(422, message, file=shown, count=len(posts), limit=limits.max_posts)
    characters = sum(len(post.text) for post in posts)
    if characters > limits.max_chars:
        message = N_("{file} holds {count} characters of text, over the limit of {limit} per request")
        raise RequestError(422, message, file=shown, count=characters, limit=limits.max_chars)
    named = [replace(post, id=_named(post.id, path, shown), where=_named(post.where, path, shown)) for post in posts]
    return Upload(named, _named(stats.as_dict(), path, shown))


def _checked_file(saved: SavedModel, name: str, body: bytes, limits: Limits, lang: str) -> dict[str, Any]:
    """What a worker thread does for an upload: read it, then judge its posts; the answer, with
    the counts `check --format json` gives in its summary (verdicts, and posts read and skipped).
    The file is read in the request's language, so what it says of the file (the reasons posts
    were skipped, why it cannot be read) is in the writer's words, whatever the service speaks."""
    with speaking(lang):
        upload = read_upload(name, body, limits)
    results = _judged(saved, "check", upload.posts, lang)
    verdicts = Counter(result["verdict"] for result in results)
    return {"results": results, "summary": {"verdicts": dict(verdicts), "input": upload.input}}


def page_routes(
    saved: SavedModel,
    limits: Limits,
    judges: Judges,
    sessions: Sessions,
    refusal: Callable[[Request], Response | None],
) -> list[BaseRoute]:
    """The page's routes, added to the service's: the page, its assets, its session, uploads, the report."""
    reports: dict[str, str] = {}

    async def page(request: Request) -> Response:
        del request
        return HTMLResponse(asset("page.html"), headers={"Content-Security-Policy": PAGE_POLICY, **COMMON_HEADERS})

    async def static(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in STATIC:
            return _error(
                404, N_("no endpoint {path}: see /openapi.json"), lang=request_language(request), path=request.url.path
            )
        headers = {"Cache-Control": "no-cache", **COMMON_HEADERS}
        return Response(asset(name), media_type=STATIC[name], headers=headers)

    def facts(csrf: str | None) -> JSONResponse:
        return JSONResponse({**page_facts(saved), "session": True, "csrf": csrf, "token_needed": sessions.needed})

    async def session_state(request: Request) -> Response:
        """The page asks on load whether it may go on, and gets what it shows (and its CSRF token) if so."""
        if not sessions.needed:
            return facts(None)
        session = sessions.of(request)
        if session is None:  # not an error: the page asks for the token
            return JSONResponse({"session": False, "token_needed": True})
        return facts(session.csrf)

    async def open_session(request: Request) -> Response:
        """The token, once, for a session cookie. JSON only, so no other site's form can post it."""
        if not sessions.needed:
            return facts(None)
        media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media_type != "application/json":
            message = N_("send the token as JSON, with Content-Type: application/json")
            return _error(415, message, lang=request_language(request))
        try:
            document = await read_json(request, limits, example=TOKEN_EXAMPLE)
        except RequestError as exc:
            return exc.response(request_language(request))
        except ClientDisconnect:
            return went_away(request)
        given = document.get("token") if isinstance(document, dict) else None
        opened = sessions.open(given) if isinstance(given, str) else None
        if opened is None:
            return _error(401, N_("wrong token"), lang=request_language(request))
        session_id, session = opened
        response = facts(session.csrf)
        response.set_cookie(
            COOKIE, session_id, max_age=SESSION_SECONDS, path="/", httponly=True, samesite="strict",
            secure=request.url.scheme == "https",
        )  # fmt: skip
        return response

    async def close_session(request: Request) -> Response:
        if sessions.needed and not sessions.admits(request):
            return _error(403, N_("no session, or the CSRF token is missing or wrong"), lang=request_language(request))
        sessions.close(request)
        response = JSONResponse({"closed": True})
        response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict")
        return response

    async def check_file(request: Request) -> Response:
        """An export file as the raw body, its name in X-File-Name (percent-encoded): checked as `check` would."""
        refused = refusal(request)
        if refused is not None:
            return refused
        lang = request_language(request)
        name = unquote(request.headers.get("x-file-name", "")).strip()
        if not name:
            return _error(400, N_("name the file in the X-File-Name header (its suffix tells its format)"), lang=lang)
        try:
            body = await read_body(request, limits)
            if not body.strip():
                raise RequestError(422, N_("{file} is empty"), file=visible(name))
            answer = await judges.run(partial(_checked_file, saved, name, body, limits, lang))
        except RequestError as exc:
            return exc.response(lang)
        except ClientDisconnect:
            return went_away(request)
        except VoicecheckError as exc:
            return _error(422, str(exc))
        return JSONResponse(answer)

    async def report(request: Request) -> Response:
        """The model's consistency report (`report --format html`), drawn once per language."""
        if sessions.needed and sessions.of(request) is None and refusal(request) is not None:
            return RedirectResponse("/", status_code=303)
        lang = request_language(request)
        if lang not in reports:
            reports[lang] = await judges.run(partial(_report_page, saved, lang))
        page = reports[lang]
        hashes = " ".join(f"'sha256-{hashed}'" for hashed in script_hashes(page)) or "'none'"
        headers = {"Content-Security-Policy": REPORT_POLICY.format(scripts=hashes), **COMMON_HEADERS}
        return HTMLResponse(page, headers=headers)

    return [
        Route("/", page, methods=["GET"]),
        Route("/static/{name}", static, methods=["GET"]),
        Route("/session", session_state, methods=["GET"]),
        Route("/session", open_session, methods=["POST"]),
        Route("/session", close_session, methods=["DELETE"]),
        Route("/v1/check-file", check_file, methods=["POST"]),
        Route("/report", report, methods=["GET"]),
    ]


def _report_page(saved: SavedModel, lang: str) -> str:
    from voicecheck.formats.report_html import render

    return render(api.report(saved, lang=lang))


def script_hashes(page: str) -> list[str]:
    """The base64 SHA-256 of each inline script of a page, as a Content-Security-Policy names them."""
    import base64

    bodies = re.findall(r"<script>(.*?)</script>", page, flags=re.S)
    return [base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() for body in bodies]
