"""The HTTP service, started for real on a free port and called with a real HTTP client."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from voicecheck.errors import VoicecheckError
from voicecheck.server import EXAMPLE, check_exposure, is_loopback, names_this_machine, translated

from .conftest import ROOT, SAMPLE_MODEL, run_cli

TOKEN = "s3cret"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
JSON = {"Content-Type": "application/json"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def started_server(*options: str, log: Path, patience: float = 30.0) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """`voicecheck serve` with these options on a free loopback port, its stderr in `log`, once /health
    answers; yields the process and its URL, and stops it with SIGTERM at the end if it still runs."""
    port = free_port()
    command = [sys.executable, "-m", "voicecheck", "serve", "--model", str(SAMPLE_MODEL), "--port", str(port), *options]
    with open(log, "wb") as stderr:
        process = subprocess.Popen(command, cwd=ROOT, env=dict(os.environ), stdout=subprocess.DEVNULL, stderr=stderr)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            assert process.poll() is None, log.read_text(encoding="utf-8")
            try:
                if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        yield process, url
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=patience)


@contextmanager
def running_server(*options: str, log: Path) -> Iterator[str]:
    """`voicecheck serve` with these options on a free loopback port, its stderr in `log`; yields its URL."""
    with started_server(*options, log=log) as (_, url):
        yield url


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    log = tmp_path_factory.mktemp("server") / "stderr.log"
    with running_server("--token", TOKEN, "--max-body", "20000", "--max-posts", "3", "--max-chars", "500",
                        log=log) as url:  # fmt: skip
        yield url


def test_health_names_the_model(server: str) -> None:
    body = httpx.get(f"{server}/health").json()
    assert body["status"] == "ok" and body["brand"] == "Maison Claire" and body["posts"] == 188


def test_check_answers_like_the_cli(server: str) -> None:
    posts = [
        {"id": "good", "text": "Le printemps est arrivé! Notre équipe d'entretien est prête à faire briller vos fenêtres.", "channel": "facebook"},
        {"id": "bad", "text": "omg lol our crew literally CRUSHED it today!!! 🔥🔥🔥 dm us asap", "channel": "Instagram"},
    ]  # fmt: skip
    response = httpx.post(f"{server}/v1/check", json={"posts": posts}, headers=AUTH, timeout=60)
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["id"] for r in results] == ["good", "bad"]
    assert {"id", "channel", "score", "flagged", "verdict", "reasons"} <= set(results[0])
    assert results[0]["verdict"] == "on-voice" and results[1]["verdict"] == "drift"
    assert results[1]["channel"] == "instagram" and results[1]["examples"]


def test_tone(server: str) -> None:
    response = httpx.post(
        f"{server}/v1/tone", json={"posts": [{"id": "a", "text": "Nous vous remercions."}]}, headers=AUTH
    )
    assert response.status_code == 200
    assert set(response.json()["results"][0]["tone"]) == {"formality", "humor", "irreverence", "enthusiasm"}


def test_ids_may_be_numbers_and_languages_regional(server: str) -> None:
    posts = [{"id": 42, "text": "Bonjour à tous, le printemps arrive!", "lang": "fr-CA", "channel": None}]
    response = httpx.post(f"{server}/v1/check", json={"posts": posts}, headers=AUTH, timeout=60)
    assert response.status_code == 200, response.text
    assert response.json()["results"][0]["id"] == "42" and response.json()["results"][0]["lang"] == "fr"


def _post(text: str) -> bytes:
    return b'{"posts": [{"text": "' + text.encode() + b'"}]}'


@pytest.mark.parametrize(
    ("headers", "body", "status", "message"),
    [
        ({}, b'{"posts": []}', 401, "Bearer"),
        ({"Authorization": "Bearer wrong"}, b'{"posts": []}', 401, "Bearer"),
        (AUTH, b'{"posts": [', 400, "not valid JSON"),
        (AUTH, b"", 400, "the body is empty"),
        (AUTH, b"   ", 400, "the body is empty"),
        (AUTH, b'{"posts": [{"text": "caf\xe9"}]}', 400, "not UTF-8 (byte 24 is 0xe9)"),
        (AUTH, b"[" * 5000 + b"]" * 5000, 400, "nested too deeply"),
        (AUTH, b'{"posts": [{"id": 1' + b"0" * 5000 + b', "text": "x"}]}', 400, "not valid JSON"),
        (AUTH, b'{"posts": [{"id": 1e999, "text": "x"}]}', 400, "1e999 is out of range"),
        (AUTH, b'{"posts": [{"id": NaN, "text": "x"}]}', 400, "NaN is not a JSON number"),
        (AUTH, b'{"posts": [{"id": -Infinity, "text": "x"}]}', 400, "-Infinity is not a JSON number"),
        (AUTH, b"[]", 422, "expected an object"),
        (AUTH, b'"posts"', 422, "expected an object"),
        (AUTH, b'{"items": []}', 422, "expected an object"),
        (AUTH, b'{"posts": {"text": "x"}}', 422, "posts must be a list"),
        (AUTH, b'{"posts": ["x"]}', 422, "posts[0] is not an object"),
        (AUTH, b'{"posts": [{"id": "x"}]}', 422, "posts[0] has no text"),
        (AUTH, b'{"posts": [{"text": "   "}]}', 422, "posts[0] has no text"),
        (AUTH, _post("\\u0001"), 422, "posts[0] has no text (not one visible character)"),
        (AUTH, _post("\\u200b\\ufeff "), 422, "not one visible character"),
        (AUTH, b'{"posts": [{"text": 12}]}', 422, "posts[0].text must be a string"),
        (AUTH, _post("\\ud800"), 422, "posts[0].text holds a lone surrogate"),
        (AUTH, b'{"posts": [{"text": "ok", "id": "\\udfff"}]}', 422, "posts[0].id holds a lone surrogate"),
        (AUTH, b'{"posts": [{"text": "ok then", "channel": ["x"]}]}', 422, "posts[0].channel must be a string"),
        (AUTH, b'{"posts": [{"text": "ok then", "channel": 7}]}', 422, "posts[0].channel must be a string"),
        (AUTH, b'{"posts": [{"text": "ok then", "id": true}]}', 422, "posts[0].id must be a string or an integer"),
        (AUTH, b'{"posts": [{"text": "ok then", "id": 1.5}]}', 422, "posts[0].id must be a string or an integer"),
        (AUTH, b'{"posts": [{"text": "ok then", "id": {}}]}', 422, "posts[0].id must be a string or an integer"),
        (AUTH, b'{"posts": [{"text": "ok then", "lang": "AAA"}]}', 422, "posts[0].lang must be en or fr"),
        (AUTH, b'{"posts": [{"text": "ok then", "lang": "de"}]}', 422, "posts[0].lang must be en or fr"),
        (AUTH, b'{"posts": [{"text": "ok then", "lang": 1}]}', 422, "posts[0].lang must be a string"),
        (AUTH, b'{"posts": [' + b'{"text": "a"},' * 3 + b'{"text": "a"}]}', 422, "4 posts is over the limit of 3"),
        (AUTH, _post("a" * 501), 422, "501 characters of text is over the limit of 500"),
        (AUTH, _post("a" * 30000), 413, "over the limit of 20000 bytes"),
    ],
)
def test_bad_requests_get_the_right_code_and_the_service_survives(
    server: str, headers: dict[str, str], body: bytes, status: int, message: str
) -> None:
    response = httpx.post(f"{server}/v1/check", content=body, headers={**headers, **JSON})
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    assert message in response.json()["error"]
    assert httpx.get(f"{server}/health").status_code == 200


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded", "application/jsonx"])
def test_a_body_that_is_not_json_by_its_content_type_gets_415(server: str, content_type: str | None) -> None:
    headers = {**AUTH, "Content-Type": content_type} if content_type else AUTH
    response = httpx.post(f"{server}/v1/check", content=b'{"posts": []}', headers=headers)
    assert response.status_code == 415 and "Content-Type: application/json" in response.json()["error"]
    charset = {**AUTH, "Content-Type": "application/json; charset=utf-8"}
    assert httpx.post(f"{server}/v1/check", content=b'{"posts": []}', headers=charset).status_code == 200


def test_the_bearer_scheme_is_read_in_any_case(server: str) -> None:
    for header in (f"bearer {TOKEN}", f"BEARER  {TOKEN}"):
        response = httpx.post(f"{server}/v1/check", json={"posts": []}, headers={"Authorization": header})
        assert response.status_code == 200, header
    for header in (TOKEN, f"Basic {TOKEN}", f"Bearer {TOKEN}x", f"Bearer {TOKEN[:-1]}", "Bearer"):
        response = httpx.post(f"{server}/v1/check", json={"posts": []}, headers={"Authorization": header})
        assert response.status_code == 401, header


FRENCH = {"Accept-Language": "fr-CA,fr;q=0.9,en;q=0.8"}


@pytest.mark.parametrize(
    ("asks", "headers", "body", "status", "message", "params"),
    [
        ("?lang=fr", {}, b'{"posts": []}', 401, "missing or wrong Authorization: Bearer token", {}),
        ("", {**FRENCH, **AUTH, "Content-Type": "text/plain"}, b"{}", 415,
         "send the posts as JSON, with Content-Type: application/json (not {media_type})",
         {"media_type": "'text/plain'"}),
        ("?lang=fr-CA", AUTH, _post("a" * 30000), 413, "the request body is over the limit of {limit} bytes",
         {"limit": 20000}),
        ("", {**FRENCH, **AUTH}, b"", 400, "the body is empty: send {example}", {"example": EXAMPLE}),
        ("?lang=fr", AUTH, b'{"posts": [{"text": "ok then", "lang": "de"}]}', 422,
         "{field} must be en or fr (a regional form such as fr-CA will do), not {value}",
         {"field": "posts[0].lang", "value": "'de'"}),
        ("?lang=fr", AUTH, b'{"posts": [' + b'{"text": "a"},' * 3 + b'{"text": "a"}]}', 422,
         "{count} posts is over the limit of {limit} posts per request", {"count": 4, "limit": 3}),
        ("?lang=fr&access_token=x", AUTH, b'{"posts": []}', 400,
         "the token goes in the Authorization header, never in the URL", {}),
        ("?lang=fr&verbose=1", AUTH, b'{"posts": []}', 400,
         "unknown query parameter {name}: the service reads only lang", {"name": "'verbose'"}),
        ("?lang=fr", AUTH, b'{"posts": [{"id": NaN, "text": "x"}]}', 400,
         "the body is not valid JSON ({name} is not a JSON number)", {"name": "NaN"}),
        ("?lang=fr", AUTH, b'{"posts": [{"id": 1e999, "text": "x"}]}', 400,
         "the body is not valid JSON (the number {number} is out of range)", {"number": "1e999"}),
    ],
)  # fmt: skip
def test_error_bodies_speak_the_language_the_request_asks(
    server: str, asks: str, headers: dict[str, str], body: bytes, status: int, message: str, params: dict[str, object]
) -> None:
    response = httpx.post(f"{server}/v1/check{asks}", content=body, headers={**JSON, **headers})
    assert response.status_code == status, response.text
    french = translated(message, "fr", params)
    assert response.json() == {"error": french} and french != translated(message, "en", params)
    english = httpx.post(f"{server}/v1/check{asks.replace('lang=fr', 'lang=en')}", content=body,
                         headers={**JSON, **headers, "Accept-Language": "en"})  # fmt: skip
    assert english.json() == {"error": translated(message, "en", params)}


def test_404_and_405_speak_french_when_asked(server: str) -> None:
    missing = httpx.get(f"{server}/nowhere", headers=FRENCH)
    assert missing.json() == {"error": translated("no endpoint {path}: see /openapi.json", "fr", {"path": "/nowhere"})}
    wrong = httpx.get(f"{server}/v1/check?lang=fr").json()["error"]
    assert wrong == translated(
        "{method} is not allowed on {path}; it takes {allowed}", "fr", {"method": "GET", "path": "/v1/check",
                                                                      "allowed": "POST"}
    )  # fmt: skip


def test_a_token_in_the_url_is_refused_even_with_the_header(server: str) -> None:
    for name in ("token", "access_token", "api_key"):
        response = httpx.post(f"{server}/v1/check?{name}={TOKEN}", json={"posts": []}, headers=AUTH)
        assert response.status_code == 400 and "Authorization header" in response.json()["error"]


@pytest.mark.parametrize(
    ("method", "path", "status", "allow"),
    [
        ("GET", "/nowhere", 404, None),
        ("POST", "/v2/check", 404, None),
        ("GET", "/v1/check", 405, "POST"),
        ("OPTIONS", "/v1/check", 405, "POST"),
        ("DELETE", "/health", 405, "HEAD, GET"),
    ],
)
def test_unknown_paths_and_methods_get_json_404_and_405(
    server: str, method: str, path: str, status: int, allow: str | None
) -> None:
    response = httpx.request(method, f"{server}{path}", headers=AUTH)
    assert response.status_code == status
    assert path in response.json()["error"]
    assert set((response.headers.get("allow") or "").split(", ")) == set((allow or "").split(", "))


def test_a_method_http_does_not_define_gets_json_501(server: str) -> None:
    response = httpx.request("BREW", f"{server}/health", headers=AUTH)
    assert response.status_code == 501 and response.headers["content-type"] == "application/json"
    assert "a method HTTP does not define" in response.json()["error"]
    assert httpx.get(f"{server}/health").status_code == 200


def test_head_of_health_has_no_body(server: str) -> None:
    response = httpx.head(f"{server}/health")
    assert response.status_code == 200 and response.content == b""


def test_openapi_document(server: str) -> None:
    assert httpx.get(f"{server}/openapi.json").status_code == 401
    document = httpx.get(f"{server}/openapi.json", headers=AUTH).json()
    paths = document["paths"]
    assert document["openapi"].startswith("3.") and {"/v1/check", "/v1/check-file", "/v1/tone", "/health"} <= set(paths)
    assert all(
        "lang" in [p["name"] for p in paths[path]["post"]["parameters"]] for path in paths if path.startswith("/v1")
    )
    posts = document["paths"]["/v1/check"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert posts["properties"]["posts"]["maxItems"] == 3  # the limits the service runs with


def test_binds_to_loopback_by_default() -> None:
    from voicecheck.cli import serve

    host = next(p for p in serve.params if p.name == "host")
    assert host.default == "127.0.0.1"


@pytest.mark.parametrize("host", ["127.0.0.1", "127.8.0.1", "::1", "[::1]", "localhost"])
def test_loopback_hosts(host: str) -> None:
    assert is_loopback(host)


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.0.2.10", "2001:db8::1", "", "no-such-host.invalid"])
def test_hosts_other_machines_can_reach(host: str) -> None:
    assert not is_loopback(host)
    with pytest.raises(VoicecheckError, match="--insecure-no-token"):
        check_exposure(host, None)
    check_exposure(host, TOKEN)
    check_exposure(host, None, insecure_no_token=True)


@pytest.mark.parametrize(
    ("host_header", "answered"),
    [("localhost:8088", True), ("127.0.0.1", True), ("[::1]:8088", True), ("app.localhost", True),
     ("evil.example:8088", False), ("127.0.0.1.evil.example", False), ("", False), ("[::1", False)],
)  # fmt: skip
def test_host_headers_that_name_this_machine(host_header: str, answered: bool) -> None:
    assert names_this_machine(host_header) is answered


def test_with_a_token_any_host_name_is_answered(server: str) -> None:
    assert httpx.get(f"{server}/health", headers={"Host": "cms.example"}).status_code == 200


def test_an_empty_token_is_refused() -> None:
    with pytest.raises(VoicecheckError, match="the token is empty"):
        check_exposure("127.0.0.1", " ")


@pytest.mark.parametrize(
    ("token", "named"), [("sécret", "U+00E9 ('é')"), (" secret", "a space at one end"), ("secret\n", "a space at one end"),
                         ("se\x01cret", "U+0001"), ("clé\u200b", "U+00E9")],
)  # fmt: skip
def test_a_token_no_authorization_header_could_carry_is_refused_naming_its_character(token: str, named: str) -> None:
    with pytest.raises(VoicecheckError, match="which an Authorization header cannot carry") as refused:
        check_exposure("127.0.0.1", token)
    assert named in str(refused.value)


@given(st.text(max_size=40).filter(str.strip))
def test_every_token_accepted_matches_the_header_a_client_sends_with_it(token: str) -> None:
    try:
        check_exposure("0.0.0.0", token)
    except VoicecheckError:
        return
    header = f"Bearer {token}".encode().decode("latin-1")  # a client writes UTF-8; the server reads Latin-1
    assert header.partition(" ")[2].strip() == token


@pytest.mark.parametrize("host", ["0.0.0.0", "::"])
def test_serving_other_machines_without_a_token_exits_2(host: str, tmp_path: Path) -> None:
    result = run_cli("serve", "--model", str(SAMPLE_MODEL), "--host", host, "--port", str(free_port()))
    assert result.returncode == 2
    assert f"--host {host} lets other machines call the service" in result.stderr
    assert "--insecure-no-token" in result.stderr and "Traceback" not in result.stderr
    # the gate is passed with either a token or the flag: the next error is the missing model's
    for flags in (["--token", TOKEN], ["--insecure-no-token"]):
        result = run_cli("serve", "--model", str(tmp_path / "none"), "--host", host, *flags)
        assert result.returncode == 2 and "lets other machines" not in result.stderr, result.stderr


def test_serve_refuses_in_french_when_asked() -> None:
    result = run_cli("serve", "--lang", "fr", "--model", str(SAMPLE_MODEL), "--host", "0.0.0.0", "--port", "1")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "--host 0.0.0.0 permet à d'autres machines d'appeler le service" in result.stderr, result.stderr
    assert "lets other machines" not in result.stderr


def test_serve_refuses_a_token_beyond_ascii_in_french_before_loading_the_model(tmp_path: Path) -> None:
    result = run_cli("serve", "--lang", "fr", "--model", str(tmp_path / "none"), "--token", "mot-de-passe-été")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "le jeton contient U+00E9 ('é'), qu'un en-tête Authorization ne peut pas transmettre" in result.stderr


def test_a_port_in_use_exits_2_saying_so() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("serve", "--model", str(SAMPLE_MODEL), "--port", str(port))
    assert result.returncode == 2
    assert f"error: cannot listen on 127.0.0.1:{port}" in result.stderr and "Traceback" not in result.stderr


BATCHES_AFTER_WARM_UP = """
import csv, sys
from voicecheck import server, store
from voicecheck.readers import Post
saved = store.load(sys.argv[1])
server.warm_up(saved)
with open(sys.argv[2], encoding="utf-8") as handle:
    posts = [Post(row["id"], row["text"], row["channel"]) for row in csv.DictReader(handle)]
loaded = set(sys.modules)
verdicts = [answer["verdict"] for answer in server._judged(saved, "check", posts)]
server._judged(saved, "check", (posts * 3)[:64])
print(verdicts.count("drift"), *sorted(set(sys.modules) - loaded))
"""


def test_after_the_warm_up_a_batch_of_flagged_posts_loads_nothing_a_request_would_wait_for() -> None:
    # A batch with two flagged posts, or of 64 posts, takes SciPy's products, which a check of
    # one post leaves out: imported during a request, they held every client for 120 ms.
    done = subprocess.run(
        [sys.executable, "-c", BATCHES_AFTER_WARM_UP, str(SAMPLE_MODEL), str(ROOT / "samples" / "new_posts.csv")],
        capture_output=True, text=True, cwd=ROOT, timeout=300, check=True,
    )  # fmt: skip
    drifting, *imported = done.stdout.split()
    assert int(drifting) >= 2 and imported == []
