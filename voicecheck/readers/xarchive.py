"""X (Twitter) account archives: `data/tweets.js`, a JavaScript assignment around a JSON array.

The array is streamed with ijson after the `window.YTD.tweets.part0 =` prefix, so a
large archive reads in flat memory. The archive's text is HTML-escaped ("&amp;") and its
links are t.co redirects: both are undone so the post reads as it was written. Media links
that X appends to the text are removed; they are not the writer's words.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, BinaryIO

from voicecheck.errors import InputError
from voicecheck.i18n import _
from voicecheck.readers import guard
from voicecheck.readers.base import Columns, Post, ReadStats, clean_text, iso_date, lang_code, open_utf8

CHANNEL = "x"
_PREFIX = re.compile(rb"^\s*window\.YTD\.\w+\.part\d+\s*=\s*")
_TWEET_FILE = re.compile(r"^tweets?(?:-part(\d+))?\.js$")
_CREATED_AT = "%a %b %d %H:%M:%S %z %Y"  # "Wed Oct 10 20:19:24 +0000 2018"
_PREFIX_SIZE = 200
#: A link as X writes one in a tweet's text (its t.co redirects).
_LINK = re.compile(r"https?://\S+")


def sniff(head: str) -> str | None:
    return "x-archive" if head.startswith("window.YTD.") else None


def tweet_files(folder: Path) -> list[Path]:
    """The tweets files of an archive folder (the archive's root or its data/ folder)."""
    for data in (folder / "data", folder):
        found = _numbered(data)
        if found:
            return found
    return []


def with_parts(path: Path) -> list[Path]:
    """A file named as an input: an archive's `tweets.js` with the parts X splits a large
    archive's tweets into (`tweets-part1.js`, ...), which are read with it; any other file alone."""
    match = _TWEET_FILE.match(path.name)
    if match is None or match.group(1) is not None:
        return [path]
    found = _numbered(path.parent)
    return found if path.name in {part.name for part in found} else [path]


def _numbered(data: Path) -> list[Path]:
    """The tweets files directly in `data`, in the order of their part numbers."""
    numbered = [(int(m.group(1) or 0), p) for p in data.glob("tweet*.js") if (m := _TWEET_FILE.match(p.name))]
    return [path for _number, path in sorted(numbered)]


def read_tweets_js(path: Path, columns: Columns, stats: ReadStats) -> Iterator[Post]:
    del columns  # the archive's layout is fixed
    with open_utf8(path, stats) as raw:  # refuses empty and binary files with the usual messages
        match = _PREFIX.match(raw.read(_PREFIX_SIZE))
    if not match:
        message = _("{path}: not an X archive tweets file (it should start with 'window.YTD.tweets.part0 =')")
        raise InputError(message.format(path=path))

    def after_prefix() -> BinaryIO:
        raw = open_utf8(path)
        raw.read(match.end())
        return raw

    broken = _("{path}: the archive is cut short or damaged after record {count} ({problem})")
    missing = _("{path}: not an X archive tweets file (no array of tweets after 'window.YTD.tweets.part0 =')").format(
        path=path
    )
    for where, item in guard.json_records(after_prefix, "item", path, stats, broken, missing):
        post = _tweet_post(item, where, stats)
        if post is not None:
            yield post


def _tweet_post(item: Any, where: str, stats: ReadStats) -> Post | None:
    tweet = item.get("tweet", item) if isinstance(item, Mapping) else None
    if not isinstance(tweet, Mapping):
        stats.skip("not a tweet", where, "not_a_post")
        return None
    text = guard.field(tweet, "full_text", str, where, stats) or guard.field(tweet, "text", str, where, stats)
    if not text or not text.strip():
        stats.skip("empty text", where, "no_text")
        return None
    kind = _kind(tweet, text)
    entities = guard.mapping(tweet, "entities", where, stats)
    extended = guard.mapping(tweet, "extended_entities", where, stats)
    text = clean_text(_readable(text, entities, extended, where, stats))
    if not text:
        stats.skip("media only, no text", where, "no_text")
        return None
    return Post(
        id=guard.identifier(tweet, "id_str", where, stats) or guard.identifier(tweet, "id", where, stats) or where,
        text=text,
        channel=CHANNEL,
        lang=lang_code(guard.field(tweet, "lang", str, where, stats)),
        date=iso_date(guard.field(tweet, "created_at", str, where, stats), _CREATED_AT),
        where=where,
        kind=kind,
    )


def _without_trailing(text: str, links: set[str]) -> str:
    """`text` less the media links X appended at its end (one for each photo, maybe the same).

    Only there, and only links: a link's address written elsewhere in the text, or a media
    entry that is not a link, would cut the writer's own words.
    """
    while True:
        stripped = text.rstrip()
        end = next((link for link in links if stripped.endswith(link)), None)
        if end is None:
            return text
        text = stripped[: -len(end)]


def _kind(tweet: Mapping[str, Any], text: str) -> str | None:
    if tweet.get("retweeted_status") or text.startswith("RT @"):
        return "retweet"
    if tweet.get("in_reply_to_status_id_str") or tweet.get("in_reply_to_status_id"):
        return "reply"
    return None


def _readable(text: str, entities: Mapping[str, Any], extended: Mapping[str, Any], where: str, stats: ReadStats) -> str:
    """Expand t.co links to the addresses written, drop appended media links, unescape HTML."""
    media = guard.items(entities, "media", where, stats) + guard.items(extended, "media", where, stats)
    appended: set[str] = set()
    for item in media:
        short = guard.field(item, "url", str, where, stats) if isinstance(item, Mapping) else None
        if short and _LINK.fullmatch(short):
            appended.add(short)
    text = _without_trailing(text, appended)
    for link in guard.items(entities, "urls", where, stats):
        if not isinstance(link, Mapping):
            continue
        short = guard.field(link, "url", str, where, stats)
        expanded = guard.field(link, "expanded_url", str, where, stats)
        if short and expanded:
            text = text.replace(short, expanded)
    return html.unescape(text)
