"""A local HTTP service, so a CMS can check a post before it publishes it.

Starlette routes served by uvicorn. The model loads once, at start-up; every request is
judged by the same library calls as the CLI, and answers with the same fields as
`check --format jsonl`. Requests are judged in a small pool of threads, so the event loop
stays free to read other requests and answer `/health` while they are judged; small requests
that arrive while others are judged wait and are judged together, in one call
(`voicecheck.coalescing`), which under load costs a fraction of judging them one by one.
`serve --workers N` runs N such processes (see `voicecheck.prefork`).

Error messages are message ids, answered in the language the request asks for (`?lang=`,
else Accept-Language, else the service's own).

What a client may send is bounded (`Limits`): body bytes, posts and characters per request,
seconds to send the headers and the body, connections at once. Every refusal is a 4xx (or a
503 when busy) with `{"error": "..."}` that says what was wrong, and the service keeps serving.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import ipaddress
import json
import logging
import math
import re
import socket
import tempfile
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from voicecheck import MODEL_FORMAT, __version__, api, batches
from voicecheck.coalescing import Gatherer
from voicecheck.errors import VoicecheckError
from voicecheck.i18n import DEFAULT, N_, active, gettext, number
from voicecheck.messages import result_dict, tone_dict
from voicecheck.readers.base import Post, clean_text
from voicecheck.store import SavedModel

log = logging.getLogger("uvicorn.error")

DEFAULT_MAX_BODY = 1024 * 1024

#: A visible character: anything but whitespace, control and invisible format characters.
#: A post must hold one; the OpenAPI description gives the same pattern, so they cannot differ.
VISIBLE = r"[^\u0000-\u0020\u007f-\u00a0\u00ad\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u2064\u3000\ufeff]"
#: A language the service reads: en or fr, in any case, with a region or script if given (fr-CA).
LANG = r"^(?:[Ee][Nn]|[Ff][Rr])(?:[-_][A-Za-z0-9]{1,8})*$"
#: Query parameters that look like a credential: a token in a URL ends up in logs and histories.
TOKEN_PARAMETERS = frozenset({"token", "access_token", "api_key", "apikey", "key", "auth", "authorization"})
#: The query parameters the service reads; any other is refused, as an unknown key of brand.toml is.
QUERY_PARAMETERS = frozenset({"lang"})
#: What a request body looks like, as error messages show it (outside the message ids: no braces to escape).
EXAMPLE = '{"posts": [{"id": ..., "text": ...}]}'
EXAMPLE_WITH_CHANNEL = '{"posts": [{"id": ..., "text": ..., "channel": ...}]}'
_VISIBLE = re.compile(VISIBLE)
_LANG = re.compile(LANG)


@dataclass(frozen=True)
class Limits:
    """What one client may ask of the service; over any of them it is refused, saying which."""

    max_body: int = DEFAULT_MAX_BODY  # bytes of request body
    max_posts: int = 100  # posts per request
    max_chars: int = 100_000  # characters of post text per request, all posts together
    read_timeout: float = 10.0  # seconds to send the headers, and again the body
    max_connections: int = 64  # connections (and requests) at once; more get 503
    threads: int = 2  # requests judged at once; more wait their turn


class RequestError(Exception):
    """A request refused: its HTTP status and the message the client reads, in the client's language.

    `message` is a message id (`N_("...")`) whose named placeholders `params` fill; `str()` is the
    English text (for logs), `text(lang)` the text in the language the request asks for.
    """

    def __init__(self, status: int, message: str, **params: Any) -> None:
        super().__init__(translated(message, DEFAULT, params))
        self.status = status
        self.message = message
        self.params = params

    def text(self, lang: str | None = None) -> str:
        return translated(self.message, lang, self.params)

    def response(self, lang: str | None = None) -> JSONResponse:
        """The refusal as the client reads it; a 408 closes the connection, whose body never came whole."""
        return _error(self.status, self.text(lang), {"Connection": "close"} if self.status == 408 else None)


def translated(message: str, lang: str | None, params: dict[str, Any] | None = None) -> str:
    """A message id in `lang` (the service's language if None), its placeholders filled for that language.

    A message without params is not formatted, so a text already put together passes through as it is.
    """
    text = gettext(message, lang or active())
    if not params:
        return text
    return text.format(**{name: _for(value, lang) for name, value in params.items()})


def _for(value: Any, lang: str | None) -> Any:
    """A number of seconds (a float) written as the language writes numbers: 0.5 / 0,5."""
    if isinstance(value, float):
        return number(value, lang, decimals=len(f"{value:g}".partition(".")[2]))
    return value


def _error(
    status: int, message: str, headers: dict[str, str] | None = None, lang: str | None = None, **params: Any
) -> JSONResponse:
    """`{"error": message}` with this status, the message id in `lang` with its placeholders filled."""
    return JSONResponse({"error": translated(message, lang, params)}, status_code=status, headers=headers)


def is_loopback(host: str) -> bool:
    """Whether `host` only listens on this machine (a name counts if all its addresses are loopback)."""
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        pass
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except (OSError, UnicodeError):
        return False
    return bool(addresses) and all(ipaddress.ip_address(str(a).split("%")[0]).is_loopback for a in addresses)


def check_exposure(host: str, token: str | None, insecure_no_token: bool = False) -> None:
    """Refuse to serve other machines without a token, unless the operator said so in as many words."""
    if token is not None and not token.strip():
        raise VoicecheckError(gettext("the token is empty: give a real secret with --token or $VOICECHECK_TOKEN"))
    unsendable = _unsendable(token or "")
    if unsendable is not None:
        message = gettext(
            "the token holds {character}, which an Authorization header cannot carry as it is: "
            "give a token of ASCII letters, digits and punctuation (for example from `openssl rand -hex 32`)"
        )
        raise VoicecheckError(message.format(character=unsendable))
    if token is None and not insecure_no_token and not is_loopback(host):
        message = gettext(
            "--host {host} lets other machines call the service: give a token (--token or $VOICECHECK_TOKEN), "
            "or --insecure-no-token to serve them without one"
        )
        raise VoicecheckError(message.format(host=host))


def _unsendable(token: str) -> str | None:
    """The first character of `token` no client's `Authorization` header would match, named; else None.

    Headers are read as Latin-1 bytes, so a character beyond ASCII (sent as UTF-8) or a control
    character never compares equal, and spaces around the token are stripped from the header.
    """
    if token != token.strip():
        return gettext("a space at one end")
    for character in token:
        if not " " <= character <= "~":
            return f"U+{ord(character):04X} ({character!r})" if character.isprintable() else f"U+{ord(character):04X}"
    return None


# Reading a request: the body, its JSON, its posts.
async def read_body(request: Request, limits: Limits) -> bytes:
    """The whole body, within `max_body` bytes and `read_timeout` seconds."""
    too_large = RequestError(413, N_("the request body is over the limit of {limit} bytes"), limit=limits.max_body)
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limits.max_body:
        raise too_large
    body = bytearray()
    try:
        async with asyncio.timeout(limits.read_timeout):
            async for chunk in request.stream():
                body.extend(chunk)
                if len(body) > limits.max_body:
                    raise too_large
    except TimeoutError:
        message = N_("the request body was not received within {seconds} s")
        raise RequestError(408, message, seconds=float(limits.read_timeout)) from None
    return bytes(body)


def _no_constant(name: str) -> Any:
    raise RequestError(400, N_("the body is not valid JSON ({name} is not a JSON number)"), name=name)


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise RequestError(
            400, N_("the body is not valid JSON (the number {number} is out of range)"), number=text[:20]
        )
    return value


def parse_json(body: bytes, example: str = EXAMPLE) -> Any:
    """The body as JSON, strictly: UTF-8, no NaN or Infinity, numbers in range, bounded nesting.

    `example` is what an empty body is told to send instead.
    """
    if not body.strip():
        raise RequestError(400, N_("the body is empty: send {example}"), example=example)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        message = N_("the body is not UTF-8 (byte {position} is {byte})")
        raise RequestError(400, message, position=exc.start, byte=f"{body[exc.start]:#04x}") from None
    try:
        return json.loads(text.removeprefix("\ufeff"), parse_constant=_no_constant, parse_float=_finite)
    except RecursionError:
        raise RequestError(400, N_("the body is not valid JSON (nested too deeply)")) from None
    except ValueError as exc:  # JSONDecodeError, or a number too long to read
        raise RequestError(400, N_("the body is not valid JSON ({reason})"), reason=str(exc)) from None


async def read_json(request: Request, limits: Limits, example: str = EXAMPLE) -> Any:
    """The body of a JSON endpoint: read within the limits, then parsed strictly. Every endpoint that
    takes JSON reads it so, with or without a token, so none can be made to read or parse more."""
    return parse_json(await read_body(request, limits), example)


def went_away(request: Request) -> Response:
    """One line in the log for a client gone before sending its whole body, and an answer nobody reads."""
    client = f"{request.client.host}:{request.client.port}" if request.client else "a client"
    log.warning("%s %s: %s went away before sending the whole body", request.method, request.url.path, client)
    return Response(status_code=400)


def _string(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise RequestError(422, N_("{field} must be a string"), field=where)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        message = N_("{field} holds a lone surrogate ({character}), not a character")
        raise RequestError(422, message, field=where, character=ascii(value[exc.start])) from None
    return value


def _optional(item: dict[str, Any], key: str, where: str) -> str | None:
    value = item.get(key)
    return None if value is None else _string(value, f"{where}.{key}")


def _post_id(item: dict[str, Any], place: int, where: str) -> str:
    """The id as given (a CMS may number its posts), or the post's place when it gives none."""
    value = item.get("id")
    if value is None:
        return f"post-{place + 1}"
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise RequestError(422, N_("{field} must be a string or an integer"), field=f"{where}.id")
    return _string(value, f"{where}.id")


def _post(item: Any, place: int) -> Post:
    where = f"posts[{place}]"
    if not isinstance(item, dict):
        raise RequestError(422, N_("{field} is not an object"), field=where)
    if item.get("text") is None:
        raise RequestError(422, N_("{field} has no text"), field=where)
    text = _string(item["text"], f"{where}.text")
    if not _VISIBLE.search(text):
        raise RequestError(422, N_("{field} has no text (not one visible character)"), field=where)
    channel = (_optional(item, "channel", where) or "").strip().lower()
    lang = _optional(item, "lang", where)
    if lang is not None and not _LANG.search(lang):
        message = N_("{field} must be en or fr (a regional form such as fr-CA will do), not {value}")
        raise RequestError(422, message, field=f"{where}.lang", value=repr(lang))
    return Post(
        id=_post_id(item, place, where),
        text=clean_text(text),
        channel=channel or None,
        lang=lang[:2].lower() if lang else None,
        where=f"request#{place + 1}",
    )


def posts_from(document: Any, limits: Limits = Limits()) -> list[Post]:
    """`{"posts": [{"id", "text", "channel"?, "lang"?}]}` as Post records, or a 422 that says why.

    Too many posts or characters is a 422 like any other break of the described schema (its
    `maxItems`, and the characters in its words); 413 is kept for a body over `max_body` bytes.
    """
    if not isinstance(document, dict) or "posts" not in document:
        raise RequestError(422, N_("expected an object {example}"), example=EXAMPLE_WITH_CHANNEL)
    items = document["posts"]
    if not isinstance(items, list):
        raise RequestError(422, N_("posts must be a list of posts"))
    if len(items) > limits.max_posts:
        message = N_("{count} posts is over the limit of {limit} posts per request")
        raise RequestError(422, message, count=len(items), limit=limits.max_posts)
    posts = [_post(item, place) for place, item in enumerate(items)]
    characters = sum(len(post.text) for post in posts)
    if characters > limits.max_chars:
        message = N_("{count} characters of text is over the limit of {limit} per request")
        raise RequestError(422, message, count=characters, limit=limits.max_chars)
    return posts


# The service.
def _judged(saved: SavedModel, work: str, posts: list[Post], lang: str | None = None) -> list[dict[str, Any]]:
    """What a worker thread does: judge the posts, as plain dicts ready for JSON (messages in `lang`)."""
    return _judged_each(saved, work, posts, [lang or active()] * len(posts))


def _judged_each(saved: SavedModel, work: str, posts: list[Post], langs: list[str]) -> list[dict[str, Any]]:
    """`_judged` for posts of several requests judged together, each post's messages in its request's language."""
    if work == "check":
        return [result_dict(result, lang) for result, lang in zip(api.check(saved, posts), langs, strict=True)]
    return [tone_dict(result) for result in api.tone(posts, saved.pipeline_mode)]


def warm_up(saved: SavedModel) -> None:
    """Load the pipelines, the language detector, the explainer and what batches need before the first request."""
    posts = [
        Post(id="warm-up-en", text="Thank you for reading us, see you soon!"),
        Post(id="warm-up-fr", text="Merci de nous lire, à bientôt !"),
        Post(id="warm-up-short", text="Merci !"),  # short posts are told apart by their characters
        Post(id="warm-up-given", text="Thank you!", lang="en"),
    ]
    _judged(saved, "check", posts)
    _judged(saved, "tone", posts)
    api.ready_for_batches(saved, posts)


class Judges:
    """The threads requests are judged in, off the event loop: started when needed, stopped with the app."""

    def __init__(self, threads: int) -> None:
        self.threads = threads
        self._pool: ThreadPoolExecutor | None = None

    async def run(self, work: Callable[[], Any]) -> Any:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self.threads, thread_name_prefix="voicecheck-judge")
        return await asyncio.get_running_loop().run_in_executor(self._pool, work)

    def stop(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None


def digest(token: str) -> bytes:
    """Tokens are compared by their digests, in constant time: neither their words nor their length leak.

    Any string has one, a lone surrogate (`"\\ud800"` in JSON) included: such a token is only wrong.
    """
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).digest()


def names_this_machine(host_header: str) -> bool:
    """Whether a Host header names a loopback address (`localhost`, `127.0.0.1:8088`, `[::1]`), by itself."""
    name = host_header.strip().lower()
    if name.startswith("["):
        name = name[1 : name.find("]")]
    elif name.count(":") == 1:
        name = name.split(":")[0]
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


class LoopbackNamesOnly:
    """Answers only requests that name this machine in their Host header.

    For a service with no token on loopback: a web page can point a name of its own at
    127.0.0.1 (DNS rebinding) and have a browser call the service as if from that page's
    origin; the Host header still carries the page's name, so the request is refused.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not names_this_machine(Headers(scope=scope).get("host", "")):
            message = N_("the Host header must name this machine (localhost, 127.0.0.1 or ::1)")
            await _error(400, message, lang=language_of(Request(scope)))(scope, receive, send)
            return
        await self.app(scope, receive, send)


def _query_refusal(request: Request) -> Response | None:
    """A 400 for a token in the URL (it would end up in logs and histories) or a parameter the service does not read."""
    names = set(request.query_params)
    if TOKEN_PARAMETERS & {name.lower() for name in names}:
        return _error(
            400, N_("the token goes in the Authorization header, never in the URL"), lang=language_of(request)
        )
    unknown = sorted(names - QUERY_PARAMETERS)
    if unknown:
        message = N_("unknown query parameter {name}: the service reads only lang")
        return _error(400, message, lang=language_of(request), name=repr(unknown[0]))
    return None


def language_of(request: Request) -> str:
    """The language the request asks its messages in (`?lang=`, else Accept-Language, else the service's)."""
    from voicecheck.webpage import request_language

    return request_language(request)


def create_app(
    saved: SavedModel,
    token: str | None = None,
    limits: Limits = Limits(),
    loopback_names_only: bool = False,
    sessions_at: Path | None = None,
) -> Starlette:
    """The service for one loaded model; with `loopback_names_only`, see `LoopbackNamesOnly`.

    The draft page's sessions are kept in memory, or in the SQLite file `sessions_at` when
    several processes serve the same app and must know each other's sessions.
    """
    from voicecheck.webpage import Sessions, page_routes, request_language

    judges = Judges(limits.threads)
    gatherer = Gatherer(partial(_judged_each, saved), judges.run)
    expected = digest(token or "")
    sessions = Sessions(token, path=sessions_at)  # the draft page's: a cookie and a CSRF token for the Bearer token

    def refusal(request: Request) -> Response | None:
        """Why the request may not go on (a token in the URL, an unknown parameter, a missing or wrong token)."""
        if request.scope["query_string"]:
            refused = _query_refusal(request)
            if refused is not None:
                return refused
        if token is None:
            return None
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(digest(given.strip()), expected):
            return None
        if sessions.admits(request):
            return None
        message = N_("missing or wrong Authorization: Bearer token")
        return _error(401, message, {"WWW-Authenticate": "Bearer"}, lang=language_of(request))

    async def judge(request: Request, work: str) -> Response:
        refused = refusal(request)
        if refused is not None:
            return refused
        lang = request_language(request)
        media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media_type != "application/json":
            message = N_("send the posts as JSON, with Content-Type: application/json (not {media_type})")
            return _error(415, message, lang=lang, media_type=repr(media_type))
        try:
            posts = posts_from(await read_json(request, limits), limits)
        except RequestError as exc:
            return exc.response(lang)
        except ClientDisconnect:
            return went_away(request)
        try:
            if Gatherer.takes(posts):
                results = await gatherer.judge(work, posts, lang)  # with the others that wait, in one call
            else:
                results = await judges.run(partial(_judged, saved, work, posts, lang))
        except VoicecheckError as exc:
            return _error(422, str(exc))
        return JSONResponse({"results": results})

    async def check(request: Request) -> Response:
        return await judge(request, "check")

    async def tone(request: Request) -> Response:
        return await judge(request, "tone")

    async def health(request: Request) -> Response:
        del request
        return JSONResponse({
            "status": "ok", "voicecheck": __version__, "model_format": MODEL_FORMAT,
            "brand": saved.profile.name or None, "posts": len(saved.table),
        })  # fmt: skip

    async def openapi(request: Request) -> Response:
        refused = refusal(request)
        return refused or JSONResponse(openapi_document(limits))

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        del app
        yield
        judges.stop()

    return Starlette(
        routes=[
            Route("/health", health, methods=["GET"]),
            Route("/v1/check", check, methods=["POST"]),
            Route("/v1/tone", tone, methods=["POST"]),
            Route("/openapi.json", openapi, methods=["GET"]),
            *page_routes(saved, limits, judges, sessions, refusal),
        ],
        exception_handlers={HTTPException: _http_error, Exception: _server_error},
        middleware=[Middleware(LoopbackNamesOnly)] if loopback_names_only else [],
        lifespan=lifespan,
    )


async def _http_error(request: Request, exc: Exception) -> Response:
    """Starlette's own refusals (no such path, a method the path does not take), in JSON."""
    assert isinstance(exc, HTTPException)
    lang, headers = language_of(request), dict(exc.headers or {})
    if exc.status_code == 404:
        return _error(404, N_("no endpoint {path}: see /openapi.json"), headers, lang, path=request.url.path)
    if exc.status_code == 405:
        message = N_("{method} is not allowed on {path}; it takes {allowed}")
        allowed = headers.get("Allow", "")
        return _error(405, message, headers, lang, method=request.method, path=request.url.path, allowed=allowed)
    return _error(exc.status_code, str(exc.detail), headers)


async def _server_error(request: Request, exc: Exception) -> Response:
    """A fault of the service itself: JSON like every other answer (uvicorn logs the traceback)."""
    del exc
    return _error(500, N_("internal error in the service; its log says more"), lang=language_of(request))


def openapi_document(limits: Limits = Limits()) -> dict[str, Any]:
    """The service described in OpenAPI 3.1; requests outside it are refused, those inside accepted."""
    # The characters are limited per request, all posts together, which JSON Schema cannot say: it is
    # said in words. A maxLength on each text would have fuzzers send texts over it in bodies over
    # max_body, whose 413 they do not count as a refusal.
    post = {
        "type": "object",
        "required": ["text"],
        "properties": {
            "id": {"type": ["string", "integer", "null"], "description": "echoed back; post-N (its place) when absent"},
            "text": {"type": "string", "pattern": VISIBLE,
                     "description": "the post; it must hold at least one visible character"},
            "channel": {"type": ["string", "null"], "description": "facebook, instagram, linkedin, ..."},
            "lang": {"type": ["string", "null"], "pattern": LANG,
                     "description": "en or fr (fr-CA will do); detected when absent"},
        },
    }  # fmt: skip
    request_body = {
        "required": True,
        "content": {"application/json": {"schema": {
            "type": "object", "required": ["posts"],
            "properties": {"posts": {
                "type": "array", "items": post, "maxItems": limits.max_posts,
                "description": f"at most {limits.max_posts} posts and {limits.max_chars} characters of text "
                               "in all (more gets 422)",
            }},
        }}},
    }  # fmt: skip
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    errors = {
        code: {"description": text, "content": error}
        for code, text in (
            ("400", "malformed JSON, or a token in the URL"), ("401", "missing or wrong bearer token"),
            ("408", f"the body not sent within {limits.read_timeout:g} s"),
            ("413", f"a body over {limits.max_body} bytes"), ("415", "a body that is not application/json"),
            ("422", f"a post without text, a bad field, or over {limits.max_posts} posts or {limits.max_chars} "
                    "characters"),
            ("503", f"busy: over {limits.max_connections} connections"),
        )
    }  # fmt: skip

    def answer(description: str, **more: Any) -> dict[str, Any]:
        return {"200": {"description": description, "content": {"application/json": {"schema": {
            "type": "object", "required": ["results", *more],
            "properties": {"results": {"type": "array", "items": {"type": "object"}}, **more},
        }}}}, **errors}  # fmt: skip

    file_summary = {
        "type": "object", "required": ["verdicts", "input"],
        "description": "as check --format json's summary: the verdicts, and the posts read and skipped (and why)",
        "properties": {"verdicts": {"type": "object"}, "input": {"type": "object"}},
    }  # fmt: skip

    lang = {
        "name": "lang", "in": "query", "required": False, "schema": {"type": "string"},
        "description": "the language of the reasons and error messages: en or fr (fr-CA will do); "
                       "else Accept-Language, else the service's own",
    }  # fmt: skip
    file_name = {
        "name": "X-File-Name", "in": "header", "required": True, "schema": {"type": "string", "pattern": VISIBLE},
        "description": "the file's name, percent-encoded; its suffix tells its format (.csv, .json, .md, ...), "
                       "as it does for check",
    }  # fmt: skip
    file_body = {
        "required": True,
        "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
        "description": f"the export file as it is, at most {limits.max_body} bytes, {limits.max_posts} posts and "
                       f"{limits.max_chars} characters of text",
    }  # fmt: skip
    health = {"type": "object", "required": ["status"], "properties": {"status": {"const": "ok"}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "voicecheck", "version": __version__,
                 "description": "Checks posts against a brand's voice before they are published."},
        "security": [{"bearer": []}],
        "paths": {
            "/health": {"get": {
                "summary": "Is the service up, and which model does it serve", "security": [],
                "responses": {"200": {"description": "up", "content": {"application/json": {"schema": health}}}},
            }},
            "/v1/check": {"post": {
                "summary": "Judge posts against the brand voice (same fields as check --format jsonl)",
                "parameters": [lang], "requestBody": request_body, "responses": answer("one result per post, in order"),
            }},
            "/v1/check-file": {"post": {
                "summary": "Judge the posts of an export file, read as check reads a file (what the draft page sends)",
                "parameters": [lang, file_name], "requestBody": file_body,
                "responses": answer("one result per post of the file, in order", summary=file_summary),
            }},
            "/v1/tone": {"post": {
                "summary": "Formality, humor, irreverence and enthusiasm of each post, 0-100",
                "parameters": [lang], "requestBody": request_body,
                "responses": answer("one tone reading per post, in order"),
            }},
        },
        "components": {
            "schemas": {"Error": {
                "type": "object", "required": ["error"], "properties": {"error": {"type": "string"}},
            }},
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }  # fmt: skip


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound to `host`:`port`, or a VoicecheckError saying why not (the port is taken, ...)."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host.strip("[]") or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
        sock = socket.socket(family, kind, proto)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
    except OSError as exc:
        message = gettext("cannot listen on {host}:{port}: {reason}")
        raise VoicecheckError(message.format(host=host, port=port, reason=exc.strerror or exc)) from None
    return sock


def serve(
    saved: SavedModel,
    host: str,
    port: int,
    token: str | None,
    limits: Limits = Limits(),
    insecure: bool = False,
    workers: int = 1,
) -> None:
    """Serve until interrupted, in `workers` processes. Refuses a non-loopback `host` without a token.

    With more than one worker, the model is loaded and warmed here once and the workers are
    forked from this process (see `voicecheck.prefork`); the draft page's sessions are then kept
    in a file of a private folder that all of them read, removed when the service stops.
    """
    import uvicorn

    from voicecheck.http11 import Server, guarded_protocol
    from voicecheck.prefork import Workers, can_fork

    check_exposure(host, token, insecure)
    sock = listening_socket(host, port)  # before warming up: a port in use is said at once
    forked = workers > 1 and can_fork()
    # A request's matrix products are small (a tagger's over a few posts): BLAS threads of their
    # own only spin beside the judging, and beside the other workers' (see `batches.one_blas_thread`).
    with batches.one_blas_thread(), tempfile.TemporaryDirectory(prefix="voicecheck-serve-") as private:
        warm_up(saved)
        sessions_at = Path(private) / "sessions.sqlite3" if forked else None
        app = create_app(saved, token, limits, token is None and is_loopback(host), sessions_at)
        config = uvicorn.Config(
            app, log_level="warning", access_log=False,
            http=guarded_protocol(limits.read_timeout, limits.max_connections), ws="none", lifespan="on",
            timeout_keep_alive=max(1, min(5, math.ceil(limits.read_timeout))),
            timeout_graceful_shutdown=math.ceil(limits.read_timeout),
        )  # fmt: skip
        # What is loaded now lasts as long as the service: a full collection walking it took
        # 50 ms, and stalled every request in flight.
        with batches.steady_heap():
            if not forked:
                if workers > 1:
                    log.warning("--workers %d needs fork(), which this platform lacks: serving in one process", workers)
                Server(config).run(sockets=[sock])
                return
            sock.listen(config.backlog)  # connections queue while a worker starts or is replaced
            grace = math.ceil(limits.read_timeout) + 5.0  # uvicorn's graceful shutdown, and some
            Workers(lambda: Server(config).run(sockets=[sock]), workers, grace).run()
