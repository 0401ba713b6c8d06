"""The HTTP service, started for real on a free port and called with a real HTTP client."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest

from .conftest import ROOT, SAMPLE_MODEL

TOKEN = "s3cret"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "voicecheck", "serve", "--model", str(SAMPLE_MODEL), "--port", str(port),
         "--token", TOKEN, "--max-body", "20000"],
        cwd=ROOT, env=dict(os.environ), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
            assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


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


@pytest.mark.parametrize(
    ("headers", "body", "status", "message"),
    [
        ({}, b'{"posts": []}', 401, "Bearer"),
        ({"Authorization": "Bearer wrong"}, b'{"posts": []}', 401, "Bearer"),
        (AUTH, b'{"posts": [', 400, "not valid JSON"),
        (AUTH, b'{"items": []}', 422, "expected"),
        (AUTH, b'{"posts": [{"id": "x"}]}', 422, "posts[0] has no text"),
        (AUTH, b'{"posts": [{"text": "   "}]}', 422, "posts[0] has no text"),
        (AUTH, b'{"posts": [{"text": "ok then", "channel": ["x"]}]}', 422, "posts[0].channel"),
        (AUTH, b'{"posts": [{"text": "' + b"a" * 30000 + b'"}]}', 413, "over 20000 bytes"),
    ],
)
def test_bad_requests_get_the_right_code_and_the_service_survives(
    server: str, headers: dict[str, str], body: bytes, status: int, message: str
) -> None:
    response = httpx.post(f"{server}/v1/check", content=body, headers={**headers, "Content-Type": "application/json"})
    assert response.status_code == status
    assert message in response.json()["error"]
    assert httpx.get(f"{server}/health").status_code == 200


def test_openapi_document(server: str) -> None:
    assert httpx.get(f"{server}/openapi.json").status_code == 401
    document = httpx.get(f"{server}/openapi.json", headers=AUTH).json()
    assert document["openapi"].startswith("3.") and {"/v1/check", "/v1/tone", "/health"} <= set(document["paths"])


def test_binds_to_loopback_by_default() -> None:
    from voicecheck.cli import serve

    host = next(p for p in serve.params if p.name == "host")
    assert host.default == "127.0.0.1"
