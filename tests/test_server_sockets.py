"""The service against careless and hostile clients, spoken to over raw sockets.

Slow and idle clients, oversized bodies and headers, clients that vanish mid-body, too many
connections, pipelined requests, and a large request being judged while others come in. Each
ends in a JSON answer (or a closed connection, for a client that sent nothing) and the service
keeps answering. The servers run with short timeouts, set by their options, so this is quick.
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voicecheck.server import translated

from .test_server import JSON, running_server, started_server

READ_TIMEOUT = "1"
MAX_BODY = 20_000
#: How long a test waits for an answer that should come after READ_TIMEOUT: generous, never a measure.
PATIENCE = 20


@pytest.fixture(scope="module")
def strict(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A server with a 1 s read timeout; yields its URL and its log."""
    log = tmp_path_factory.mktemp("strict") / "stderr.log"
    with running_server("--read-timeout", READ_TIMEOUT, "--max-body", str(MAX_BODY), log=log) as url:
        yield url, log


@pytest.fixture(scope="module")
def roomy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server that takes large requests and few connections."""
    log = tmp_path_factory.mktemp("roomy") / "stderr.log"
    options = ["--max-posts", "400", "--max-chars", "2000000", "--max-body", "4000000", "--max-connections", "6"]
    with running_server(*options, log=log) as url:
        yield url


def connect(url: str) -> socket.socket:
    address = urlsplit(url)
    sock = socket.create_connection((address.hostname, address.port))
    sock.settimeout(PATIENCE)
    return sock


def read_until_closed(sock: socket.socket, reset_ok: bool = False) -> bytes:
    received = b""
    try:
        while chunk := sock.recv(65536):
            received += chunk
    except ConnectionResetError:
        if not reset_ok:
            raise
    return received


def answer(received: bytes) -> tuple[int, dict[str, str], dict[str, object]]:
    """The status, headers and JSON body of the first response in `received`."""
    head, _, rest = received.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {name.lower(): value.strip() for name, _, value in (line.partition(":") for line in lines)}
    length = int(headers.get("content-length", len(rest)))
    return int(status_line.split()[1]), headers, json.loads(rest[:length])


def post_head(length: int | None = None, close: bool = True) -> bytes:
    framing = f"Content-Length: {length}" if length is not None else "Transfer-Encoding: chunked"
    connection = "Connection: close\r\n" if close else ""
    return f"POST /v1/check HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n{connection}{framing}\r\n\r\n".encode()


def test_connections_that_send_nothing_are_closed(strict: tuple[str, Path]) -> None:
    url, _ = strict
    idle = [connect(url) for _ in range(30)]
    for sock in idle:
        assert sock.recv(1) == b""  # closed by the server, with nothing said
        sock.close()
    assert httpx.get(f"{url}/health").status_code == 200


def test_headers_sent_a_byte_at_a_time_get_408(strict: tuple[str, Path]) -> None:
    url, _ = strict
    sock = connect(url)
    request = b"GET /health HTTP/1.1\r\nHost: localhost\r\nX-Slow: " + b"a" * 1000 + b"\r\n\r\n"
    sock.settimeout(0.2)
    received = b""
    for byte in request:
        try:
            sock.send(bytes([byte]))
            received += sock.recv(65536)
        except TimeoutError:
            continue
        except OSError:
            break
        if received:
            break
    sock.settimeout(PATIENCE)
    received += read_until_closed(sock)
    status, headers, body = answer(received)
    assert status == 408 and headers["connection"] == "close"
    assert body == {"error": "request headers not received within 1 s"}


@pytest.mark.parametrize("framing", ["content-length", "chunked"])
def test_a_body_sent_too_slowly_gets_408(strict: tuple[str, Path], framing: str) -> None:
    url, _ = strict
    sock = connect(url)
    if framing == "chunked":
        sock.sendall(post_head() + b"400\r\n{")  # a chunk never finished, and no last chunk
    else:
        sock.sendall(post_head(1000) + b"{")
    sock.settimeout(0.2)
    received = b""
    for _ in range(int(PATIENCE / 0.2)):  # a byte every 0.2 s, until the server answers
        try:
            sock.send(b" ")
            received += sock.recv(65536)
        except TimeoutError:
            continue
        except OSError:
            break
        if received:
            break
    sock.settimeout(PATIENCE)
    received += read_until_closed(sock, reset_ok=True)  # bytes sent after the answer may reset the connection
    status, headers, body = answer(received)
    assert status == 408 and headers["connection"] == "close"
    assert body == {"error": "the request body was not received within 1 s"}
    assert httpx.get(f"{url}/health").status_code == 200


@pytest.mark.parametrize("framing", ["content-length", "chunked"])
@pytest.mark.parametrize("close", [True, False], ids=["connection-close", "keep-alive"])
def test_a_body_over_the_limit_gets_413_not_a_reset(strict: tuple[str, Path], framing: str, close: bool) -> None:
    url, _ = strict
    body = b'{"posts": [{"text": "' + b"a" * (20 * MAX_BODY) + b'"}]}'
    if framing == "chunked":
        chunks = [body[i : i + 4096] for i in range(0, len(body), 4096)]
        request = post_head(close=close) + b"".join(b"%x\r\n%s\r\n" % (len(c), c) for c in chunks) + b"0\r\n\r\n"
    else:
        request = post_head(len(body), close=close) + body
    sock = connect(url)
    sock.sendall(request)  # the whole body, as most clients send it before they read
    received = b""
    while b"}" not in received:
        received += sock.recv(65536)
    status, _, answered = answer(received)
    assert status == 413
    assert answered == {"error": f"the request body is over the limit of {MAX_BODY} bytes"}
    sock.close()
    assert httpx.get(f"{url}/health").status_code == 200


def test_a_client_gone_mid_body_is_one_line_in_the_log(strict: tuple[str, Path]) -> None:
    url, log = strict
    before = log.read_text(encoding="utf-8")
    sock = connect(url)
    sock.sendall(post_head(1000) + b'{"posts": [')
    time.sleep(0.2)  # let the server start reading the body before the client goes
    sock.close()
    for _ in range(PATIENCE * 10):
        added = log.read_text(encoding="utf-8")[len(before) :]
        if "went away" in added:
            break
        time.sleep(0.1)
    assert "Traceback" not in added and "Exception" not in added
    lines = added.splitlines()
    assert len(lines) == 1 and "POST /v1/check" in lines[0] and "went away before sending the whole body" in lines[0]
    assert httpx.get(f"{url}/health").status_code == 200


@pytest.mark.parametrize(
    "headers",
    [b"X-Big: " + b"a" * 100_000 + b"\r\n", b"X-Many: a\r\n" * 5000, b"X-Many: a\r\n" * 150],
    ids=["huge", "many-and-large", "many"],
)
def test_oversized_headers_get_431(strict: tuple[str, Path], headers: bytes) -> None:
    url, _ = strict
    sock = connect(url)
    sock.sendall(b"GET /health HTTP/1.1\r\nHost: localhost\r\n" + headers + b"\r\n")
    status, _, body = answer(read_until_closed(sock))
    assert status == 431 and "request headers over 16384 bytes" in str(body["error"])
    assert httpx.get(f"{url}/health").status_code == 200


def send_in_parts(sock: socket.socket, data: bytes, size: int) -> None:
    """`data` in reads of `size` bytes or so: a pause between parts, so the server reads each alone."""
    for start in range(0, len(data), size):
        sock.sendall(data[start : start + size])
        time.sleep(0.01)


def test_headers_under_the_limit_sent_in_parts_are_answered(strict: tuple[str, Path]) -> None:
    url, _ = strict
    sock = connect(url)
    headers = b"".join(b"X-Part-%d: %s\r\n" % (n, b"a" * 1000) for n in range(12))  # 12 kB of 16
    send_in_parts(sock, b"GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n" + headers + b"\r\n", 5000)
    status, _, _ = answer(read_until_closed(sock))
    assert status == 200


def test_a_header_over_the_limit_sent_in_small_parts_gets_431(strict: tuple[str, Path]) -> None:
    url, _ = strict
    sock = connect(url)
    # The header never ends: the server must refuse it before it holds it whole (and may
    # close while the rest is still being sent).
    with contextlib.suppress(OSError):
        send_in_parts(sock, b"GET /health HTTP/1.1\r\nHost: localhost\r\nX-Long: " + b"a" * 40_000, 2000)
    status, _, body = answer(read_until_closed(sock, reset_ok=True))
    assert status == 431 and "request headers over 16384 bytes" in str(body["error"])


def test_a_long_body_then_the_start_of_a_pipelined_request_is_not_taken_for_headers(strict: tuple[str, Path]) -> None:
    url, _ = strict
    sock = connect(url)
    body = b"a" * 30_000  # not read by /health; its last read also holds the next request's first line
    sock.sendall(
        b"GET /health HTTP/1.1\r\nHost: localhost\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)
        + b"GET /health HTTP/1.1\r\nHost: localhost\r\n"
    )
    time.sleep(0.2)
    sock.sendall(b"Connection: close\r\n\r\n")
    statuses = [int(status) for status in re.findall(rb"HTTP/1\.1 (\d{3}) ", read_until_closed(sock))]
    assert statuses == [200, 200]


header_names = st.binary(min_size=1, max_size=20).filter(lambda name: b"\r" not in name and b"\n" not in name)
header_values = st.binary(max_size=300).filter(lambda value: b"\r" not in value and b"\n" not in value)


@settings(max_examples=40, deadline=None)
@given(
    st.sampled_from([b"GET /health", b"GET /nowhere", b"POST /v1/check", b"BREW /health", b"\x16\x03\x01 /"]),
    st.lists(st.tuples(header_names, header_values), max_size=8),
    st.lists(st.integers(1, 400), max_size=4),
)
def test_any_request_head_gets_an_answer_and_leaves_the_service_up(  # type: ignore[no-untyped-def]
    strict, start: bytes, headers: list[tuple[bytes, bytes]], cuts: list[int]
) -> None:
    """Whatever a client sends as a request head, in whatever parts, it is answered (or the
    connection closed) and the service goes on answering others."""
    url, _ = strict
    lines = [
        start + b" HTTP/1.1",
        b"Host: localhost",
        b"Connection: close",
        *(name + b": " + value for name, value in headers),
    ]
    head = b"\r\n".join(lines) + b"\r\n\r\n"
    sock = connect(url)
    with contextlib.suppress(OSError):  # refused and closed while the rest was still being sent
        position = 0
        for cut in [*cuts, len(head)]:
            sock.sendall(head[position : position + cut])
            position += cut
    received = read_until_closed(sock, reset_ok=True)
    if received:
        status, answered, _ = answer(received)  # its body is read as JSON
        assert 200 <= status < 600 and answered["content-type"] == "application/json"
    assert httpx.get(f"{url}/health").status_code == 200


@pytest.mark.parametrize(
    ("request_bytes", "status", "message"),
    [
        (b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", 400, "malformed HTTP request"),  # TLS to a plain port
        (b"GET /health HTTP/1.1\r\n\r\n", 400, "Host"),
        (b"GET /health HTTP/1.1\r\nHost: localhost\r\nBad Header\r\n\r\n", 400, "malformed HTTP request"),
        (b"POST /v1/check HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: gzip\r\n\r\n", 501, "Transfer-Encoding"),
        (b"POST /v1/check HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501, "chunked"),
        (
            b"POST /v1/check HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n",
            400,
            "Content-Length",
        ),
        # Refused once its headers are read, a request is answered in the language it asks for.
        (b"GET /health?lang=fr HTTP/1.1\r\n\r\n", 400, "requête HTTP mal formée (aucun en-tête Host)"),
        (
            b"POST /v1/check HTTP/1.1\r\nHost: localhost\r\nAccept-Language: fr-CA\r\nTransfer-Encoding: gzip\r\n\r\n",
            501,
            "seul Transfer-Encoding: chunked est pris en charge",
        ),
    ],
)
def test_malformed_http_gets_a_json_answer(
    strict: tuple[str, Path], request_bytes: bytes, status: int, message: str
) -> None:
    url, _ = strict
    sock = connect(url)
    sock.sendall(request_bytes)
    got_status, headers, body = answer(read_until_closed(sock))
    assert got_status == status and headers["content-type"] == "application/json"
    assert message in str(body["error"])
    assert httpx.get(f"{url}/health").status_code == 200


@pytest.mark.parametrize("path", ["/v1/check", "/nowhere"])
def test_a_keep_alive_connection_answered_before_its_body_came_is_closed_once_idle(
    strict: tuple[str, Path], path: str
) -> None:
    # The body's last bytes stopped uvicorn's keep-alive deadline: such connections stayed
    # open for good, and enough of them left every other client with a 503.
    url, _ = strict
    body = b"a" * (20 * MAX_BODY if path == "/v1/check" else 10)
    head = f"POST {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
    sock = connect(url)  # a recv that waits past PATIENCE fails the test
    sock.sendall(f"{head}Content-Length: {len(body)}\r\n\r\n".encode() + body)
    received = read_until_closed(sock, reset_ok=True)
    assert answer(received)[0] == (413 if path == "/v1/check" else 404)
    assert httpx.get(f"{url}/health").status_code == 200


def test_pipelined_requests_are_answered_in_order(strict: tuple[str, Path]) -> None:
    url, _ = strict
    check = b'{"posts": [{"id": "p", "text": "Merci !"}]}'
    sock = connect(url)
    sock.sendall(
        b"GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n"
        + post_head(len(check), close=False) + check
        + b"GET /nowhere HTTP/1.1\r\nHost: localhost\r\n\r\n"
        + b"GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )  # fmt: skip
    received = read_until_closed(sock)
    statuses = [int(status) for status in re.findall(rb"HTTP/1\.1 (\d{3}) ", received)]
    assert statuses == [200, 200, 404, 200]


def test_hundreds_of_pipelined_requests_are_all_answered_in_order(strict: tuple[str, Path]) -> None:
    # Read a few at a time, as their turn comes: none is lost and the connection keeps going.
    url, _ = strict
    sock = connect(url)
    asks = [b"GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n", b"GET /nowhere HTTP/1.1\r\nHost: localhost\r\n\r\n"]
    sock.sendall(
        b"".join(asks[i % 2] for i in range(299))
        + b"GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    statuses = [int(status) for status in re.findall(rb"HTTP/1\.1 (\d{3}) ", read_until_closed(sock))]
    assert statuses == [200 if i % 2 == 0 else 404 for i in range(299)] + [200]


def resident_mib(pid: int) -> float:
    """The resident memory of a process (Linux's /proc), in MiB."""
    status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
    return int(status.split("VmRSS:")[1].split()[0]) / 1024


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads a process's memory in /proc")
def test_a_client_that_pipelines_without_reading_does_not_grow_the_service(tmp_path: Path) -> None:
    # Every request of a read was queued at once, and every answer read more: 150 MB sent in
    # 30 s grew the service by 2.5 GB, never given back.
    body = json.dumps({"posts": [{"text": "Merci de votre confiance, à bientôt !"}]}).encode()
    one = post_head(len(body), close=False) + body
    with started_server("--read-timeout", "30", log=tmp_path / "stderr.log") as (process, url):
        before = resident_mib(process.pid)
        sock = connect(url)
        sock.settimeout(0.5)
        sent, stop_at = 0, time.monotonic() + 5
        while time.monotonic() < stop_at and sent < 200_000:
            try:
                sock.send(one * 100)
                sent += 100
            except TimeoutError:
                pass  # the service has stopped reading: as it should
        grown = resident_mib(process.pid) - before
        sock.close()
        assert grown < 60, f"{grown:.0f} MiB more after {sent} pipelined requests"
        assert httpx.get(f"{url}/health").status_code == 200


def test_health_and_small_requests_answer_while_a_large_one_is_judged(roomy: str) -> None:
    text = " ".join(["Notre équipe d'entretien fait briller vos fenêtres, du salon à la cuisine !"] * 16)
    large = {"posts": [{"id": str(n), "text": text} for n in range(120)]}  # seconds of judging
    done = threading.Event()
    outcome: list[int] = []

    def judge_large() -> None:
        outcome.append(httpx.post(f"{roomy}/v1/check", json=large, timeout=600).status_code)
        done.set()

    worker = threading.Thread(target=judge_large)
    worker.start()
    time.sleep(1.0)  # the large request is sent and being judged
    assert not done.is_set()
    health = httpx.get(f"{roomy}/health", timeout=PATIENCE)
    small = httpx.post(f"{roomy}/v1/check", json={"posts": [{"text": "Merci !"}]}, headers=JSON, timeout=PATIENCE)
    assert health.status_code == 200 and small.status_code == 200
    assert not done.is_set(), "the large request was already judged: it did not hold anything up"
    worker.join(timeout=600)
    assert outcome == [200]


def test_connections_over_the_limit_get_503(roomy: str) -> None:
    held = [connect(roomy) for _ in range(6)]  # the limit is 6
    for sock in held:
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: localhost\r\n")  # a request begun, never finished
    try:
        status, headers, body = answer(read_until_closed_or_answered(roomy))
        assert status == 503 and headers["retry-after"] == "1"
        assert body == {"error": "busy: over 6 connections; retry shortly"}
    finally:
        for sock in held:
            sock.close()
    for _ in range(PATIENCE * 10):
        if httpx.get(f"{roomy}/health").status_code == 200:
            break
        time.sleep(0.1)
    assert httpx.get(f"{roomy}/health").status_code == 200


def read_until_closed_or_answered(url: str, headers: bytes = b"") -> bytes:
    sock = connect(url)
    sock.sendall(b"GET /health HTTP/1.1\r\nHost: localhost\r\n" + headers + b"\r\n")
    return read_until_closed(sock)


def test_a_busy_service_says_so_in_french_when_asked(roomy: str) -> None:
    held = [connect(roomy) for _ in range(6)]
    for sock in held:
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: localhost\r\n")
    try:
        status, _, body = answer(read_until_closed_or_answered(roomy, b"Accept-Language: fr-CA,fr;q=0.9\r\n"))
        assert status == 503
        busy = "busy: over {limit} connections; retry shortly"
        assert (
            body == {"error": translated(busy, "fr", {"limit": 6})} != {"error": translated(busy, "en", {"limit": 6})}
        )
    finally:
        for sock in held:
            sock.close()


def test_a_body_sent_too_slowly_gets_408_in_french_when_asked(strict: tuple[str, Path]) -> None:
    url, _ = strict
    sock = connect(url)
    sock.sendall(post_head(1000).replace(b"\r\n\r\n", b"\r\nAccept-Language: fr\r\n\r\n") + b"{")
    status, _, body = answer(read_until_closed(sock, reset_ok=True))
    late = "the request body was not received within {seconds} s"
    assert status == 408 and body == {"error": translated(late, "fr", {"seconds": 1.0})}


@pytest.mark.parametrize(
    ("host", "status"),
    [("localhost", 200), ("127.0.0.1", 200), ("LOCALHOST", 200), ("evil.example", 400), ("127.0.0.1.nip.io", 400)],
)
def test_without_a_token_only_names_of_this_machine_are_answered(
    strict: tuple[str, Path], host: str, status: int
) -> None:
    url, _ = strict
    port = urlsplit(url).port
    response = httpx.get(f"{url}/health", headers={"Host": f"{host}:{port}"})
    assert response.status_code == status
    if status == 400:  # a page that pointed its own name at 127.0.0.1 (DNS rebinding)
        assert "the Host header must name this machine" in response.json()["error"]


def test_a_client_that_stops_reading_is_cut_off(strict: tuple[str, Path]) -> None:
    url, _ = strict
    address = urlsplit(url)
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # a small window, soon full
    sock.connect((address.hostname, address.port))
    asked = 3000  # pipelined, each answered with the OpenAPI description: megabytes in all
    sock.sendall(b"GET /openapi.json HTTP/1.1\r\nHost: localhost\r\n\r\n" * asked)
    time.sleep(4 * float(READ_TIMEOUT))  # the client reads nothing for a while
    sock.settimeout(PATIENCE)
    received = read_until_closed(sock, reset_ok=True)
    assert received.count(b"HTTP/1.1 200 OK") < asked  # not served to the end: the connection was dropped
    assert httpx.get(f"{url}/health").status_code == 200
