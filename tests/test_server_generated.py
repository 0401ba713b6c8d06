"""Generated request bodies: whatever a client sends, the answer is JSON and never a 500."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .test_server import JSON, running_server

REFUSALS = {400, 413, 422}

#: Characters a careless client sends: control and format characters, lone surrogates.
TRICKY = ["\x00", "\x01", "\x1f", "\x7f", "\x85", "\xa0", "\u200b", "\u2028", "\ufeff", "\ud800", "\udfff", "é", "🔥"]
texts = st.lists(st.characters() | st.sampled_from(TRICKY), max_size=30).map("".join)
#: JSON values of any shape.
values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | texts,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=12,
)
#: Posts of the right shape, with text and fields of any characters.
plausible_posts = st.fixed_dictionaries(
    {"text": texts},
    optional={
        "id": st.none() | st.integers() | texts,
        "channel": st.none() | st.sampled_from(["facebook", "Instagram", " linkedin "]) | texts,
        "lang": st.none() | st.sampled_from(["en", "fr", "fr-CA", "EN", "de", "AAA", ""]),
    },
)
#: Posts with fields of any kind, or missing.
wild_posts = st.fixed_dictionaries({}, optional={"id": values, "text": values, "channel": values, "lang": values})
documents = st.one_of(
    st.fixed_dictionaries({"posts": st.lists(plausible_posts, max_size=3)}),
    st.fixed_dictionaries({"posts": st.lists(plausible_posts | wild_posts | values, max_size=4)}),
    values,
)


#: Bodies no JSON encoder writes: deep nesting, numbers too long to read, NaN, bytes that are not UTF-8.
raw_bodies = st.one_of(
    st.binary(max_size=200),
    st.integers(1, 20_000).map(lambda depth: b"[" * depth + b"]" * depth),
    st.integers(1, 6000).map(lambda digits: b'{"posts": [{"text": "ok", "id": 1' + b"0" * digits + b"}]}"),
    st.sampled_from([b"NaN", b"-Infinity", b"1e999", b"-1e400"]).map(
        lambda number: b'{"posts": [{"text": "ok", "id": ' + number + b"}]}"
    ),
    texts.map(lambda text: b'{"posts": [{"text": "' + text.encode("utf-8", "surrogatepass") + b'"}]}'),
)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    log: Path = tmp_path_factory.mktemp("generated") / "stderr.log"
    with (
        running_server("--max-posts", "3", "--max-chars", "100", log=log) as url,
        httpx.Client(base_url=url) as session,
    ):
        yield session


def _assert_answered(response: httpx.Response) -> None:
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    if response.status_code == 200:
        assert isinstance(body["results"], list)
    else:
        assert response.status_code in REFUSALS, body
        assert isinstance(body["error"], str) and body["error"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(document=documents, endpoint=st.sampled_from(["/v1/check", "/v1/tone"]))
def test_any_json_document_is_judged_or_refused_in_json(client: httpx.Client, document: object, endpoint: str) -> None:
    body = json.dumps(document, allow_nan=True, ensure_ascii=True).encode()  # lone surrogates survive as \\ud800
    _assert_answered(client.post(endpoint, content=body, headers=JSON))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=raw_bodies)
def test_any_bytes_are_judged_or_refused_in_json(client: httpx.Client, body: bytes) -> None:
    _assert_answered(client.post("/v1/check", content=body, headers=JSON))
