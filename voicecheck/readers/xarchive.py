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
from typing import Any

import ijson

from voicecheck.errors import InputError
from voicecheck.readers.base import Columns, Post, ReadStats, clean_text, iso_date, lang_code, open_binary, peek

CHANNEL = "x"
_PREFIX = re.compile(rb"^\s*window\.YTD\.\w+\.part\d+\s*=\s*")
_TWEET_FILE = re.compile(r"^tweets?(?:-part(\d+))?\.js$")
_CREATED_AT = "%a %b %d %H:%M:%S %z %Y"  # "Wed Oct 10 20:19:24 +0000 2018"
_PREFIX_SIZE = 200


def sniff(head: str) -> str | None:
    return "x-archive" if head.startswith("window.YTD.") else None


def tweet_files(folder: Path) -> list[Path]:
    """The tweets files of an archive folder (the archive's root or its data/ folder)."""
    for data in (folder / "data", folder):
        numbered = [(int(m.group(1) or 0), p) for p in data.glob("tweet*.js") if (m := _TWEET_FILE.match(p.name))]
        if numbered:
            return [path for _, path in sorted(numbered)]
    return []


def read_tweets_js(path: Path, columns: Columns, stats: ReadStats) -> Iterator[Post]:
    del columns  # the archive's layout is fixed
    peek(path)  # refuses empty and binary files with the usual messages
    with open_binary(path) as raw:
        head = raw.read(_PREFIX_SIZE)
        match = _PREFIX.match(head)
        if not match:
            raise InputError(f"{path}: not an X archive tweets file (it should start with 'window.YTD.tweets.part0 =')")
        raw.seek(match.end())
        try:
            for number, item in enumerate(ijson.items(raw, "item", use_float=True), start=1):
                post = _tweet_post(item, f"{path}#{number}", stats)
                if post is not None:
                    yield post
        except ijson.JSONError as exc:
            raise InputError(f"{path}: the archive is cut short or damaged ({exc})") from exc


def _tweet_post(item: Any, where: str, stats: ReadStats) -> Post | None:
    tweet = item.get("tweet", item) if isinstance(item, Mapping) else None
    if not isinstance(tweet, Mapping):
        stats.skip("not a tweet", where)
        return None
    text = tweet.get("full_text") or tweet.get("text")
    if not isinstance(text, str) or not text.strip():
        stats.skip("empty text", where)
        return None
    kind = _kind(tweet, text)
    text = clean_text(_readable(text, tweet.get("entities") or {}, tweet.get("extended_entities") or {}))
    if not text:
        stats.skip("media only, no text", where)
        return None
    return Post(
        id=str(tweet.get("id_str") or tweet.get("id") or where),
        text=text,
        channel=CHANNEL,
        lang=lang_code(tweet.get("lang")),
        date=iso_date(tweet.get("created_at"), _CREATED_AT),
        where=where,
        kind=kind,
    )


def _kind(tweet: Mapping[str, Any], text: str) -> str | None:
    if tweet.get("retweeted_status") or text.startswith("RT @"):
        return "retweet"
    if tweet.get("in_reply_to_status_id_str") or tweet.get("in_reply_to_status_id"):
        return "reply"
    return None


def _readable(text: str, entities: Mapping[str, Any], extended: Mapping[str, Any]) -> str:
    """Expand t.co links to the addresses written, drop appended media links, unescape HTML."""
    for media in list(entities.get("media") or []) + list(extended.get("media") or []):
        short = media.get("url") if isinstance(media, Mapping) else None
        if short:
            text = text.replace(short, "")
    for link in entities.get("urls") or []:
        if isinstance(link, Mapping) and link.get("url") and link.get("expanded_url"):
            text = text.replace(link["url"], link["expanded_url"])
    return html.unescape(text)
