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
#: Text as JSON may escape it: with lone surrogates, which only an escape can carry.
json_texts = st.text(
    alphabet=st.characters(codec="utf-8") | st.sampled_from(SPECIAL) | st.characters(categories=["Cs"]),
    min_size=1,
    max_size=60,
)
keys = st.sampled_from(KEYS) | texts
scalars = (
    st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False) | st.sampled_from([1e300, -1e300, 1700000000]) | json_texts
)  # fmt: skip
json_values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=5) | st.dictionaries(keys, inner, max_size=6), max_leaves=25
)
#: A list nested 1 to 300 levels deep: past the readers' nesting limit from 65 on.
deep = st.integers(1, 300).map(lambda depth: "[" * depth + "]" * depth).map(json.loads)


def either(right: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
    """A field of the type the export promises (mostly), or of any other, or nested too deep."""
    return st.one_of(right, right, right, json_values, deep)


def shaped(required: tuple[str, ...] = (), **fields: st.SearchStrategy[object]) -> st.SearchStrategy[dict[str, object]]:
    """Records with `required` and any other of `fields`, each mostly of its own type, and stray keys."""
    typed = {name: either(value) for name, value in fields.items()}
    always = {name: typed.pop(name) for name in required}
    return st.fixed_dictionaries(always, optional=typed).flatmap(
        lambda record: st.dictionaries(keys, json_values, max_size=2).map(lambda extra: {**extra, **record})
    )


timestamps = st.integers(-(2**40), 2**40) | st.floats() | st.sampled_from([1e300, -1e300, 10**30, 1700000000])
posts = shaped(
    ("text",), text=json_texts, id=st.integers() | json_texts, channel=json_texts, lang=json_texts, date=json_texts
)
links = shaped(url=json_texts, expanded_url=json_texts)
tweets = shaped(
    ("full_text",),
    full_text=json_texts,
    text=json_texts,
    id_str=json_texts,
    id=st.integers(),
    lang=st.sampled_from(["en", "fr"]),
    created_at=st.sampled_from(["Wed Oct 10 20:19:24 +0000 2018"]) | json_texts,
    retweeted_status=json_values,
    in_reply_to_status_id=json_values,
    entities=shaped(urls=st.lists(links, max_size=3), media=st.lists(links, max_size=2)),
    extended_entities=shaped(media=st.lists(links, max_size=2)),
).map(lambda tweet: {"tweet": tweet})
facebook_posts = shaped(
    ("data", "timestamp"),
    timestamp=timestamps,
    data=st.lists(shaped(("post",), post=json_texts), max_size=3),
    title=json_texts,
)
media = shaped(uri=json_texts, creation_timestamp=timestamps, title=json_texts)
instagram_posts = shaped(
    ("title", "creation_timestamp"), media=st.lists(media, max_size=3), title=json_texts, creation_timestamp=timestamps
)
records = st.one_of(posts, posts, posts, json_values, deep)


def _json(value: object) -> st.SearchStrategy[bytes]:
    """`value` as JSON: escaped to ASCII (lone surrogates as "\\ud800") or as UTF-8 (as invalid bytes)."""
    return st.sampled_from([True, False]).map(
        lambda ascii_only: json.dumps(value, ensure_ascii=ascii_only).encode("utf-8", errors="surrogatepass")
    )


def as_json(values: st.SearchStrategy[object]) -> st.SearchStrategy[bytes]:
    return values.flatmap(_json)


def as_json_lines(values: st.SearchStrategy[list[object]]) -> st.SearchStrategy[bytes]:
    return values.flatmap(lambda rows: st.tuples(*map(_json, rows))).map(b"\n".join)


@st.composite
def mutated(draw: st.DrawFn, data: st.SearchStrategy[bytes]) -> bytes:
    """The bytes of `data`, sometimes with a few bytes changed, cut, or put in another encoding."""
    raw = draw(data)
    if draw(st.integers(0, 3)) == 0:  # a quarter in another encoding
        text = raw.decode("utf-8", errors="replace")
        encoding = draw(st.sampled_from(["utf-16", "utf-32", "utf-8-sig", "utf-16-be", "cp1252"]))
        raw = text.encode(encoding, errors="replace")
        if encoding == "utf-16-be":
            raw = b"\xfe\xff" + raw
    for _ in range(draw(st.sampled_from([0, 0, 0, 1, 2, 3]))):  # half left as made
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


@st.composite
def csv_files(draw: st.DrawFn, delimiter: str = ",") -> bytes:
    header = draw(st.lists(st.sampled_from(["text", "id", "channel", "date", "lang", "Post", "x"]) | texts, max_size=5))
    rows = draw(st.lists(st.lists(texts, max_size=6), max_size=6))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator=draw(st.sampled_from(["\n", "\r\n", "\r"])))
    writer.writerows([header, *rows])
    return out.getvalue().encode("utf-8", errors="surrogatepass")


#: Front matter lines that once broke the Markdown reader, or could.
FRONT_MATTER = (
    "a: &a [lol, lol, lol]", "b: [*a, *a, *a]", "channel: *a", "<<: *a", "date: 2024-13-45", "date: 0000-01-01",
    "id: " + "1" * 5000, "- a list", "channel: " + "[" * 80 + "]" * 80, "lang: !!binary aGk=", "id: !!python/none",
    "0: zero", "? [complex, key]\n: value", "channel: {a: 1}",
)  # fmt: skip


@st.composite
def markdown_files(draw: st.DrawFn) -> bytes:
    line = st.builds("{}: {}".format, keys, texts) | st.sampled_from(FRONT_MATTER)
    matter = "\n".join(draw(st.lists(line, max_size=5)))
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
    "json": mutated(as_json(st.lists(records, max_size=6) | st.fixed_dictionaries({"posts": st.lists(records)}))),
    "jsonl": mutated(as_json_lines(st.lists(records, max_size=6))),
    "text": mutated(texts.map(lambda t: t.encode("utf-8", errors="surrogatepass"))),
    "markdown": mutated(markdown_files().map(lambda t: t.encode("utf-8", errors="surrogatepass"))),
    "x-archive": mutated(
        as_json(st.lists(tweets | records, max_size=5)).map(lambda tweets: b"window.YTD.tweets.part0 = " + tweets)
    ),
    "facebook": mutated(as_json(st.lists(facebook_posts | records, max_size=6))),
    "instagram": mutated(as_json(st.lists(instagram_posts | records, max_size=6))),
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
