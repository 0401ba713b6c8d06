"""Facebook and Instagram "Download your information" exports (JSON), streamed with ijson.

Facebook: `your_posts_1.json` (or `profile_posts_1.json`), an array of
`{"timestamp", "data": [{"post": text}], "attachments", "title"}`; posts with only a photo
or a link have no "post" and are skipped as such. Instagram: `posts_1.json`, an array of
`{"media": [{"uri", "creation_timestamp", "title": caption}], "title", "creation_timestamp"}`
(a carousel's caption is on the post, a single photo's on its media), and `reels.json`.

Both exports write text with a known fault: each UTF-8 byte escaped as a Latin-1 character
("Ã©" for "é", "ðŸ˜€" for an emoji). `repair_mojibake` undoes it exactly.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from voicecheck.errors import InputError
from voicecheck.i18n import _
from voicecheck.readers import guard
from voicecheck.readers.base import Columns, Post, ReadStats, clean_text, open_utf8, peek

_FACEBOOK_POST = re.compile(r'"timestamp"\s*:\s*\d+.*"data"\s*:\s*\[', re.DOTALL)
_INSTAGRAM_MEDIA = re.compile(r'"media"\s*:\s*\[\s*\{.*"creation_timestamp"', re.DOTALL)


def sniff(head: str) -> str | None:
    """Tell a Facebook or Instagram posts file from its first characters."""
    if not head.startswith(("[", "{")):
        return None
    if _INSTAGRAM_MEDIA.search(head) or '"ig_reels_media"' in head:
        return "instagram"
    if _FACEBOOK_POST.search(head) and '"post"' in head:
        return "facebook"
    return None


def repair_mojibake(text: str) -> str:
    """'CafÃ© ðŸ˜€' -> 'Café 😀': UTF-8 bytes that were written as Latin-1 characters.

    Text that is not in that form (it has characters beyond Latin-1, or its bytes are not
    UTF-8) is returned unchanged, so repairing twice is harmless.
    """
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def read_facebook_posts(path: Path, columns: Columns, stats: ReadStats) -> Iterator[Post]:
    del columns  # the export's layout is fixed
    for where, item in _items(path, ("item", "status_updates_v2.item"), stats):
        parts = [part for part in guard.items(item, "data", where, stats) if isinstance(part, Mapping)]
        texts = [text for part in parts if (text := guard.field(part, "post", str, where, stats))]
        text = clean_text(repair_mojibake("\n".join(texts)))
        if not text:
            stats.skip("no text (a photo, link or check-in only)", where, "no_text")
            continue
        date = guard.unix_date(item.get("timestamp"), where, stats)
        yield Post(id=where, text=text, channel="facebook", date=date, where=where)


def read_instagram_posts(path: Path, columns: Columns, stats: ReadStats) -> Iterator[Post]:
    del columns
    for where, item in _items(path, ("item", "ig_reels_media.item"), stats):
        media = [m for m in guard.items(item, "media", where, stats) if isinstance(m, Mapping)]
        first: Mapping[str, Any] = media[0] if media else {}
        caption = guard.field(item, "title", str, where, stats) or guard.field(first, "title", str, where, stats)
        text = clean_text(repair_mojibake(caption or ""))
        if not text:
            stats.skip("no caption", where, "no_text")
            continue
        timestamp = item.get("creation_timestamp") or first.get("creation_timestamp")
        yield Post(
            id=guard.identifier(first, "uri", where, stats) or where,
            text=text,
            channel="instagram",
            date=guard.unix_date(timestamp, where, stats),
            where=where,
        )


def _items(path: Path, prefixes: tuple[str, ...], stats: ReadStats) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """The export's records, wherever the array sits, numbered for messages."""
    head = peek(path, 256).lstrip()
    prefix = prefixes[0] if head.startswith("[") else next((p for p in prefixes[1:] if p.split(".")[0] in head), None)
    missing = _("{path}: not a posts file of this export (expected an array of posts)").format(path=path)
    if prefix is None:
        raise InputError(missing)
    for where, item in guard.json_records(lambda: open_utf8(path, stats), prefix, path, stats, missing=missing):
        if isinstance(item, Mapping):
            yield where, item
        else:
            stats.skip("not a post record", where, "not_a_post")
