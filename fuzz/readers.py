"""Fuzz every posts reader with generated files: posts, counted skips or an InputError, nothing else.

    python -m fuzz.readers --reader jsonl --seconds 60
    python -m fuzz.readers --reader all --seconds 600

Each reader gets files made for it (JSON of any shape with the export's own keys, CSV rows,
front matter, feeds with entities, ...), mutated byte by byte, in any of the encodings the
readers take. An input that breaks a promise (another exception, a post without text, text
no output can write, a message out of bounds) is shrunk by Hypothesis, printed, and kept in
tests/fixtures/fuzz/ as READER__HASH.EXT, which tests/readers/test_fuzz_corpus.py replays.
The same strategies drive the property tests in tests/readers/test_generated.py.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import hashlib
import io
import json
import sys
import tempfile
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from voicecheck.errors import InputError
from voicecheck.readers import FORMATS, ReadStats, read_posts

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "fuzz"
SUFFIXES = {
    "csv": ".csv", "tsv": ".tsv", "json": ".json", "jsonl": ".jsonl", "text": ".txt", "markdown": ".md",
    "x-archive": ".js", "facebook": ".json", "instagram": ".json", "feed": ".xml", "html": ".html",
}  # fmt: skip
#: Keys the exports use, so generated records reach the readers' field checks.
KEYS = (
    "text", "id", "channel", "lang", "date", "tweet", "full_text", "entities", "extended_entities", "urls",
    "media", "url", "expanded_url", "id_str", "created_at", "retweeted_status", "in_reply_to_status_id",
    "timestamp", "data", "post", "title", "creation_timestamp", "uri", "posts", "caption", "message",
)  # fmt: skip
#: Characters that readers treat specially: line ends, BOMs, NUL, quotes, separators, entities.
SPECIAL = "\r\n\t\x00\ufeff\"',;&<>[]{}\\#-*_:=\u2028\u00e9\U0001f600"

texts = st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from(SPECIAL), max_size=60)
keys = st.sampled_from(KEYS) | texts
scalars = (
    st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False) | st.sampled_from([1e300, -1e300, 1700000000]) | texts
)  # fmt: skip
json_values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=5) | st.dictionaries(keys, inner, max_size=6), max_leaves=25
)
records = st.dictionaries(keys, json_values, max_size=8) | json_values


@st.composite
def mutated(draw: st.DrawFn, data: st.SearchStrategy[bytes]) -> bytes:
    """The bytes of `data`, sometimes with a few bytes changed, cut, or put in another encoding."""
    raw = draw(data)
    if draw(st.booleans()):
        text = raw.decode("utf-8", errors="replace")
        encoding = draw(st.sampled_from(["utf-16", "utf-32", "utf-8-sig", "utf-16-be", "cp1252"]))
        raw = text.encode(encoding, errors="replace")
        if encoding == "utf-16-be":
            raw = b"\xfe\xff" + raw
    for _ in range(draw(st.integers(0, 3))):
        if not raw:
            break
        at = draw(st.integers(0, len(raw) - 1))
        action = draw(st.sampled_from(["flip", "cut", "insert"]))
        if action == "flip":
            raw = raw[:at] + bytes([draw(st.integers(0, 255))]) + raw[at + 1 :]
        elif action == "cut":
            raw = raw[:at]
        else:
            raw = raw[:at] + draw(st.sampled_from([b"\\ud800", b"\x00", b"[[[[", b"\r", b"\xef\xbb\xbf", b'"']))
            raw += raw[at:]
    return raw


def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8", errors="surrogatepass")


@st.composite
def csv_files(draw: st.DrawFn, delimiter: str = ",") -> bytes:
    header = draw(st.lists(st.sampled_from(["text", "id", "channel", "date", "lang", "Post", "x"]) | texts, max_size=5))
    rows = draw(st.lists(st.lists(texts, max_size=6), max_size=6))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator=draw(st.sampled_from(["\n", "\r\n", "\r"])))
    writer.writerows([header, *rows])
    return out.getvalue().encode("utf-8", errors="surrogatepass")


@st.composite
def markdown_files(draw: st.DrawFn) -> bytes:
    matter = "\n".join(f"{draw(keys)}: {draw(texts)}" for _ in range(draw(st.integers(0, 4))))
    body = draw(st.lists(texts, max_size=4))
    return f"---\n{matter}\n---\n" + "\n\n---\n\n".join(body) if draw(st.booleans()) else "\n".join(body)


@st.composite
def feed_files(draw: st.DrawFn) -> bytes:
    entities = draw(st.sampled_from(["", '<!DOCTYPE rss [<!ENTITY brand "Maison &amp; Claire">]>']))
    items = "".join(
        f"<item><title>{draw(texts)}</title><description>{draw(texts)} &brand; &amp; &#233;</description>"
        f"<pubDate>{draw(texts)}</pubDate><wp:status>{draw(texts)}</wp:status></item>"
        for _ in range(draw(st.integers(0, 3)))
    )
    return (
        f'<?xml version="1.0"?>{entities}<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel>{items}'
        "</channel></rss>"
    ).encode("utf-8", errors="surrogatepass")


#: One strategy of file contents per reader.
STRATEGIES: dict[str, st.SearchStrategy[bytes]] = {
    "csv": mutated(csv_files()),
    "tsv": mutated(csv_files("\t")),
    "json": mutated(st.lists(records, max_size=6).map(_json) | records.map(_json)),
    "jsonl": mutated(st.lists(records, max_size=6).map(lambda rs: b"\n".join(map(_json, rs)))),
    "text": mutated(texts.map(lambda t: t.encode("utf-8", errors="surrogatepass"))),
    "markdown": mutated(markdown_files().map(lambda t: t.encode("utf-8", errors="surrogatepass"))),
    "x-archive": mutated(
        st.lists(st.dictionaries(keys, json_values, max_size=8).map(lambda t: {"tweet": t}) | records, max_size=5).map(
            lambda tweets: b"window.YTD.tweets.part0 = " + _json(tweets)
        )
    ),
    "facebook": mutated(st.lists(records, max_size=6).map(_json)),
    "instagram": mutated(st.lists(records, max_size=6).map(_json)),
    "feed": mutated(feed_files()),
    "html": mutated(texts.map(lambda t: f"<!DOCTYPE html><html><body><p>{t}</p></body></html>".encode())),
}
assert set(STRATEGIES) == set(FORMATS), "every reader has a fuzz target"


def check_reader(reader: str, data: bytes, folder: Path) -> None:
    """Read `data` as `reader` and check every promise readers make about bad input."""
    path = folder / f"input{SUFFIXES[reader]}"
    path.write_bytes(data)
    stats = ReadStats()
    posts = []
    with contextlib.suppress(InputError):  # a clear message is a kept promise
        posts = list(read_posts([path], stats, input_format=reader, raise_at_end=False))
    assert stats.read == len(posts), "every post read is counted"
    for post in posts:
        assert post.text.strip(), "a post has text"
        for value in (post.id, post.text, post.channel, post.lang, post.date, post.where):
            assert value is None or isinstance(value, str)
            (value or "").encode("utf-8")  # every output can write it (no lone surrogate)
    assert sum(source.read for source in stats.sources) == stats.read
    assert all(len(error) <= 1000 for error in stats.errors), "messages are bounded"
    assert len(stats.summary()) <= 10_000, "summaries are bounded"


def fuzz(reader: str, seconds: float, corpus: Path) -> int:
    """Run `reader`'s target for about `seconds`; keep what breaks it in `corpus`. Returns failures."""
    last: list[bytes] = [b""]
    failures = 0
    deadline = time.monotonic() + seconds

    @settings(max_examples=200, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(STRATEGIES[reader])
    def target(data: bytes) -> None:
        last[0] = data
        with tempfile.TemporaryDirectory() as folder:
            check_reader(reader, data, Path(folder))

    while time.monotonic() < deadline:
        try:
            target()
        except Exception as exc:  # what broke a promise, shrunk: kept for the replay test
            failures += 1
            corpus.mkdir(parents=True, exist_ok=True)
            kept = corpus / f"{reader}__{hashlib.sha256(last[0]).hexdigest()[:12]}{SUFFIXES[reader]}"
            kept.write_bytes(last[0])
            print(f"{reader}: {type(exc).__name__}: {exc}; kept {kept}", file=sys.stderr)
    return failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fuzz.readers", description=__doc__.split("\n\n")[0])
    parser.add_argument("--reader", default="all", choices=["all", *sorted(STRATEGIES)])
    parser.add_argument("--seconds", type=float, default=60, help="time per reader (default 60)")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help=f"where failing inputs are kept ({CORPUS})")
    options = parser.parse_args(argv)
    readers = sorted(STRATEGIES) if options.reader == "all" else [options.reader]
    failures = sum(fuzz(reader, options.seconds, options.corpus) for reader in readers)
    print(f"{len(readers)} reader(s), {failures} failing input(s) kept", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
