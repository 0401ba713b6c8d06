"""uvicorn's HTTP/1.1 connection (httptools' parser), with deadlines on what the client sends and caps.

uvicorn drops an idle keep-alive connection, but it waits forever for the headers of a first
request, for the rest of a body it has answered early (a 401 or a 413), and for a client to
read the answers it asked for. Here a client has `read_timeout` seconds for each: a connection
that never sends a request is closed, one that sends part of its headers gets a 408, one that
stops reading is cut off. Headers over MAX_HEADER_BYTES or MAX_HEADERS get a 431; over
`max_connections` connections or requests, a request gets a 503. A request the parser cannot
read gets a 400 that says why, as does an HTTP/1.1 request without a Host header; a method
HTTP does not define and a body in another transfer coding than chunked get a 501. Every
answer given here is JSON, like the service's own, in the language the request asks for (in
the service's own when there is no request to read it from).

httptools is llhttp, the C parser of Node.js, where uvicorn's h11 protocol parses and writes
in Python: the service spends about a sixth less CPU time per request with it (BENCHMARKS.md,
The service).

A connection closed while the client is still sending resets, and the client loses the answer;
so a close then stops writing, drops what the client still sends for a moment, and only then
closes ("lingering close", as Apache and nginx do).
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httptools
import uvicorn
from starlette.requests import Request
from uvicorn._types import ASGIReceiveCallable, ASGISendCallable, Scope
from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

from voicecheck.i18n import N_, gettext
from voicecheck.server import language_of, translated

#: Largest request line and headers, in bytes; more gets a 431.
MAX_HEADER_BYTES = 16 * 1024
#: Most header fields in one request.
MAX_HEADERS = 100
#: What a method's name may be made of (a token, RFC 9110).
_TOKEN = re.compile(rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
#: Seconds an answered connection keeps reading (and dropping) what the client sends before it closes.
LINGER_SECONDS = 2.0
#: Requests read ahead of their turn on one connection (pipelined); the rest wait unread.
MAX_PIPELINED = 16
#: What the parser is given at a time, so that reading can stop between requests.
FEED_BYTES = 4096


def json_error(status: int, message: str, close: bool = False) -> bytes:
    """A whole HTTP/1.1 response `{"error": message}`, for answers given outside any request cycle."""
    body = json.dumps({"error": message}).encode()
    head = [
        STATUS_LINE[status].decode().rstrip("\r\n"),
        "content-type: application/json",
        f"content-length: {len(body)}",
    ]
    if close:
        head.append("connection: close")
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


class Refused(Exception):
    """A request refused while it is parsed: the status and the words of the answer."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


def headers_too_large() -> Refused:
    message = N_("request headers over {limit} bytes or {fields} fields")
    return Refused(431, translated(message, None, {"limit": MAX_HEADER_BYTES, "fields": MAX_HEADERS}))


def malformed(reason: object, status: int = 400, lang: str | None = None) -> Refused:
    """A 400 (or `status`) that says why: `reason` is one of ours (a message id, put in `lang`)
    or the parser's error."""
    said = gettext(reason, lang) if isinstance(reason, str) else reason
    return Refused(status, translated(N_("malformed HTTP request ({reason})"), lang, {"reason": said}))


def refusal(error: Exception, data: bytes) -> Refused:
    """The answer to a request refused while `data` was parsed: ours, or the parser's error in words."""
    if isinstance(error, Refused):
        return error
    if isinstance(error.__context__, Refused):  # raised by one of our parser callbacks
        return error.__context__
    if isinstance(error, httptools.HttpParserInvalidMethodError):
        method = data.lstrip(b"\r\n").split(b" ", 1)[0]
        if _TOKEN.fullmatch(method):  # a method name, of a method llhttp does not know
            return malformed(N_("a method HTTP does not define"), status=501)
        return malformed(N_("no method"))  # not a method name at all (TLS to a plain port, say)
    return malformed(error.__context__ or error)


class LingeringTransport(asyncio.Transport):
    """A connection's transport whose `close` lingers while the client may still be sending.

    uvicorn closes the transport itself after an answer with `Connection: close`; given this
    one instead, that close waits until the client is done (or `LINGER_SECONDS` pass).
    """

    def __init__(
        self, transport: asyncio.Transport, still_sending: Callable[[], bool], holding: Callable[[], bool]
    ) -> None:
        super().__init__()
        self._transport = transport
        self._still_sending = still_sending
        self._holding = holding  # whether data read ahead waits for its turn: reading stays paused
        self.lingering = False

    def close(self) -> None:
        if self.lingering or self._transport.is_closing():
            return
        if self._still_sending():
            self.linger()
        else:
            self._transport.close()

    def linger(self) -> None:
        """Send what is written and an end of stream, drop what the client still sends, then close."""
        if self.lingering or self._transport.is_closing():
            return
        self.lingering = True
        if self._transport.can_write_eof():
            self._transport.write_eof()
        self._transport.resume_reading()
        asyncio.get_running_loop().call_later(LINGER_SECONDS, self._transport.close)

    def is_closing(self) -> bool:
        return self.lingering or self._transport.is_closing()

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if not self.lingering:
            self._transport.write(data)

    def pause_reading(self) -> None:
        if not self.lingering:
            self._transport.pause_reading()

    def resume_reading(self) -> None:
        if not self._holding():
            self._transport.resume_reading()

    def is_reading(self) -> bool:
        return self._transport.is_reading()

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return self._transport.get_extra_info(name, default)

    def abort(self) -> None:
        self._transport.abort()

    def can_write_eof(self) -> bool:
        return self._transport.can_write_eof()

    def write_eof(self) -> None:
        self._transport.write_eof()

    def get_write_buffer_size(self) -> int:
        return self._transport.get_write_buffer_size()

    def set_protocol(self, protocol: asyncio.BaseProtocol) -> None:
        self._transport.set_protocol(protocol)

    def get_protocol(self) -> asyncio.BaseProtocol:
        return self._transport.get_protocol()


class GuardedHttpProtocol(HttpToolsProtocol):
    """One client connection. Settings are class attributes: `guarded_protocol` makes a subclass."""

    read_timeout: float = 10.0
    max_connections: int = 64

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._deadline: asyncio.TimerHandle | None = None
        self._write_deadline: asyncio.TimerHandle | None = None  # while the client does not read
        self._waiting_for: str | None = None  # what the running deadline waits for
        self._answered_one = False  # a response was sent on this connection
        # The request being read: begun, its headers read, all of it read.
        self._begun = self._headers_read = self._read = False
        # Its head: the bytes and fields of its request line and headers the parser has given,
        # and the bytes received while its head is not all here (the parser holds them).
        self._head_bytes = self._head_fields = self._head_received = 0
        self._begun_in_this_read = self._ended_in_this_read = False
        self._unparsed = bytearray()  # read, and waiting for a turn in the pipeline
        self.limit_concurrency = None  # refused below, in JSON, rather than by uvicorn in plain text
        self.app = self._guard_requests(self.app)

    # uvicorn's hooks, each followed by a look at what the connection waits for now.
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        self.lingering_transport = LingeringTransport(
            transport, self._client_still_sending, lambda: bool(self._unparsed)
        )
        super().connection_made(self.lingering_transport)
        self._watch()

    def data_received(self, data: bytes) -> None:
        if self.lingering_transport.lingering:
            return  # answered and closing: what comes now is dropped
        self._unset_keepalive_if_required()
        self._unparsed += data
        self._parse_in_turn()

    def _parse_in_turn(self) -> None:
        """Parse what was read, a slice at a time, while fewer than MAX_PIPELINED requests wait.

        Parsed whole, a read holds hundreds of small pipelined requests, each queued at once,
        and every answer read more: a client that sends without reading grew the service by
        gigabytes. Past the bound, the rest stays unparsed and reading stops until it is parsed.
        """
        while self._unparsed and not self.lingering_transport.is_closing():
            if len(self.pipeline) >= MAX_PIPELINED:
                self.lingering_transport.pause_reading()  # resumed once all read ahead is parsed
                return
            piece = bytes(self._unparsed[:FEED_BYTES])
            del self._unparsed[:FEED_BYTES]
            if not self._parse(piece):
                return
        if not self.lingering_transport.is_closing() and not self.flow.read_paused:
            self.lingering_transport.resume_reading()  # uvicorn's own pauses aside

    def _parse(self, data: bytes) -> bool:
        """Give the parser `data`; False if the request was refused (answered, and closing)."""
        self._begun_in_this_read = self._ended_in_this_read = False
        try:
            self.parser.feed_data(data)
            if self._begun and not self._headers_read:
                self._count_received(len(data))
        except httptools.HttpParserUpgrade:
            self._unsupported_upgrade_warning()
        except (Refused, httptools.HttpParserError) as exc:
            refused = refusal(exc, data)
            self._answer_and_close(refused.status, refused.message)
            return False
        self._watch()
        return True

    def on_message_begin(self) -> None:
        self._begun, self._headers_read, self._read = True, False, False
        self._begun_in_this_read = True
        self._head_bytes = self._head_fields = self._head_received = 0
        super().on_message_begin()

    def on_url(self, url: bytes) -> None:
        self._count_head(len(url))
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._head_fields += 1
        self._count_head(len(name) + len(value))
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self._headers_read = True
        if self.parser.get_http_version() == "1.1" and not any(name == b"host" for name, _ in self.headers):
            raise malformed(N_("no Host header"), lang=self._asked_language())
        codings = [value for name, value in self.headers if name == b"transfer-encoding"]
        listed = [coding.strip().lower() for coding in b",".join(codings).split(b",")] if codings else []
        if listed and listed != [b"chunked"]:  # "gzip, chunked" too: its gzip would be read as the body
            message = N_("only Transfer-Encoding: chunked is supported")
            raise malformed(message, status=501, lang=self._asked_language())
        super().on_headers_complete()

    def _asked_language(self) -> str:
        """The language the request whose headers were just read asks its messages in."""
        try:
            query = httptools.parse_url(self.url).query or b""
        except httptools.HttpParserInvalidURLError:
            query = b""  # the headers still say it
        scope = {"type": "http", "method": "GET", "path": "/", "headers": self.headers, "query_string": query}
        return language_of(Request(scope))

    def on_message_complete(self) -> None:
        self._read = self._ended_in_this_read = True
        super().on_message_complete()

    def on_response_complete(self) -> None:
        self._answered_one = True
        super().on_response_complete()
        if self._unparsed:  # a request has left the pipeline: the next ones read ahead get their turn
            self.loop.call_soon(self._parse_in_turn)
        self._watch()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_deadline()
        self.resume_writing()
        super().connection_lost(exc)

    def pause_writing(self) -> None:
        """The client has stopped reading what it asked for: it has `read_timeout` to start again."""
        super().pause_writing()
        if self._write_deadline is None:
            self._write_deadline = self.loop.call_later(self.read_timeout, self.transport.abort)

    def resume_writing(self) -> None:
        if self._write_deadline is not None:
            self._write_deadline.cancel()
            self._write_deadline = None
        super().resume_writing()

    def _count_head(self, size: int) -> None:
        self._head_bytes += size
        if self._head_bytes > MAX_HEADER_BYTES or self._head_fields > MAX_HEADERS:
            raise headers_too_large()

    def _count_received(self, size: int) -> None:
        """A read after which the head is still not all here: its bytes are all head, but
        where a request ended in it too, whose end they include (the next read counts).

        This bounds what the parser holds of a header it has not finished; finished ones are
        counted as the parser gives them (`_count_head`).
        """
        if not self._begun_in_this_read:
            self._head_received += size
        elif not self._ended_in_this_read:
            self._head_received = size
        if self._head_received > MAX_HEADER_BYTES:
            raise headers_too_large()

    # Deadlines.
    def _phase(self) -> str | None:
        """What the connection waits for from the client, if a deadline should run for it."""
        if self.transport is None or self.transport.is_closing():
            return None
        if (not self._begun and not self._answered_one) or (self._begun and not self._headers_read):
            return "headers"  # a first request, or the rest of one begun (idle keep-alive is uvicorn's)
        answered = self.cycle is not None and self.cycle.response_complete
        if self._begun and not self._read and answered:
            return "the rest of an answered body"
        if self._read and answered and self.timeout_keep_alive_task is None and not self.pipeline:
            # Idle after an answer given before its body was all here: the body's last bytes
            # stopped uvicorn's keep-alive deadline, which it sets only as it answers.
            return "another request"
        return None  # a body the app reads has the app's own deadline; idle keep-alive is uvicorn's

    def _watch(self) -> None:
        phase = self._phase()
        if phase == self._waiting_for:
            return
        self._cancel_deadline()
        self._waiting_for = phase
        if phase is not None:
            seconds = self.timeout_keep_alive if phase == "another request" else self.read_timeout
            self._deadline = self.loop.call_later(seconds, self._expired)

    def _cancel_deadline(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
        self._deadline, self._waiting_for = None, None

    def _expired(self) -> None:
        begun = self._waiting_for == "headers" and self._begun
        self._deadline, self._waiting_for = None, None
        if begun:
            message = N_("request headers not received within {seconds} s")
            self._answer_and_close(408, translated(message, None, {"seconds": float(self.read_timeout)}))
        elif not self.transport.is_closing():
            self.transport.close()

    # Answers outside a request cycle.
    def _answer_and_close(self, status: int, message: str) -> None:
        self._cancel_deadline()
        if self.transport.is_closing():
            return
        self.transport.write(json_error(status, message, close=True))
        self.lingering_transport.linger()

    def _client_still_sending(self) -> bool:
        """Whether closing now could reset the connection: part of a request is still to come."""
        return self._begun and not self._read

    def _guard_requests(self, app: Any) -> Any:
        """The app, behind the check of the server's load: over `max_connections`, a 503."""

        async def guarded(scope: Scope, receive: ASGIReceiveCallable, send: ASGISendCallable) -> None:
            if scope["type"] == "http" and (
                len(self.connections) > self.max_connections or len(self.tasks) > self.max_connections
            ):
                message = N_("busy: over {limit} connections; retry shortly")
                params = {"limit": self.max_connections}
                await _send_error(
                    send, 503, translated(message, language_of(Request(dict(scope))), params), [(b"retry-after", b"1")]
                )
            else:
                await app(scope, receive, send)

        return guarded


async def _send_error(
    send: ASGISendCallable, status: int, message: str, headers: list[tuple[bytes, bytes]] | None = None
) -> None:
    """Answer `{"error": message}` and close the connection."""
    body = json.dumps({"error": message}).encode()
    await send({
        "type": "http.response.start", "status": status,
        "headers": [
            (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"), *(headers or []),
        ],
    })  # fmt: skip
    await send({"type": "http.response.body", "body": body})


class Server(uvicorn.Server):
    """uvicorn's server, which returns once a stop signal (SIGTERM, Ctrl-C) has shut it down.

    uvicorn raises the signal again after its graceful shutdown, so that the process dies of
    it: exit 143 on SIGTERM, and on Ctrl-C a KeyboardInterrupt, said as an interrupted run. The
    service has stopped as asked, its requests answered: it exits 0, as with --workers.
    """

    @contextmanager
    def capture_signals(self) -> Iterator[None]:
        with super().capture_signals():
            try:
                yield
            finally:
                self._captured_signals.clear()


def guarded_protocol(read_timeout: float, max_connections: int) -> type[GuardedHttpProtocol]:
    """The protocol class uvicorn is given (`http=`), with these settings."""
    return type(
        "GuardedHttpProtocol",
        (GuardedHttpProtocol,),
        {"read_timeout": read_timeout, "max_connections": max_connections},
    )
