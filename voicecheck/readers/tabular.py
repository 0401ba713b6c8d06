"""CSV and TSV exports: find the text, channel, id, date and language columns by their names."""

from __future__ import annotations

import csv
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from voicecheck.errors import InputError
from voicecheck.readers.base import Columns, Post, ReadStats, clean_text, open_text

# Header names seen in the exports of social tools, most specific first (compared lower-cased).
TEXT_NAMES = (
    "text", "full_text", "tweet text", "tweet", "post text", "post", "message", "content",
    "caption", "body", "description", "copy", "post message", "update text", "texte",
    "contenu", "publication",
)  # fmt: skip
CHANNEL_NAMES = (
    "channel", "network", "platform", "social network", "profile type", "canal", "réseau",
    "plateforme",
)  # fmt: skip
ID_NAMES = ("id", "post id", "post_id", "tweet id", "tweet_id", "guid", "permalink", "url")
DATE_NAMES = (
    "date", "created_at", "created time", "publish time", "published", "published at",
    "time", "timestamp", "sent at", "date de publication",
)  # fmt: skip
LANG_NAMES = ("lang", "language", "langue", "locale")

csv.field_size_limit(sys.maxsize)


def _pick(header: list[str], chosen: str | None, names: tuple[str, ...], path: Path) -> str | None:
    if chosen is not None:
        if chosen not in header:
            raise InputError(f"{path}: no column {chosen!r}; the columns are {', '.join(header)}")
        return chosen
    lowered = {name.strip().lower(): name for name in header}
    for name in names:
        if name in lowered:
            return lowered[name]
    return None


def read_csv(path: Path, columns: Columns, stats: ReadStats, delimiter: str = ",") -> Iterator[Post]:
    with open_text(path) as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        try:
            header = next(reader)
        except StopIteration:
            raise InputError(f"{path}: the file is empty") from None
        except csv.Error as exc:
            raise InputError(f"{path}:1: unreadable header ({exc})") from exc
        text_col = _pick(header, columns.text, TEXT_NAMES, path)
        if text_col is None:
            raise InputError(f"{path}: no text column found among {', '.join(header)}; name it with --text-col")
        picked = {
            "text": header.index(text_col),
            "channel": _index(header, _pick(header, columns.channel, CHANNEL_NAMES, path)),
            "id": _index(header, _pick(header, columns.id, ID_NAMES, path)),
            "date": _index(header, _pick(header, columns.date, DATE_NAMES, path)),
            "lang": _index(header, _pick(header, columns.lang, LANG_NAMES, path)),
        }
        yield from _rows(reader, header, picked, path, stats)


def read_tsv(path: Path, columns: Columns, stats: ReadStats) -> Iterator[Post]:
    return read_csv(path, columns, stats, delimiter="\t")


def _index(header: list[str], name: str | None) -> int | None:
    return None if name is None else header.index(name)


def _rows(
    reader: Any, header: list[str], picked: dict[str, int | None], path: Path, stats: ReadStats
) -> Iterator[Post]:
    line = reader.line_num
    while True:
        start = line + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise InputError(f"{path}:{start}: malformed row ({exc})") from exc
        line = reader.line_num
        where = f"{path}:{start}"
        if not any(cell.strip() for cell in row):
            continue  # a blank line is not a post
        if len(row) != len(header):
            stats.skip(f"{len(row)} fields where the header has {len(header)}", where)
            continue
        text = clean_text(row[picked["text"]])
        if not text:
            stats.skip("empty text", where)
            continue
        cell = _cells(row, picked)
        yield Post(
            id=cell("id") or f"{path}:{start}",
            text=text,
            channel=_channel_name(cell("channel")),
            lang=_lang_code(cell("lang")),
            date=cell("date"),
            where=where,
        )


def _cells(row: list[str], picked: dict[str, int | None]) -> Callable[[str], str | None]:
    """Look up a picked column in `row`: stripped text, or None when absent or blank."""

    def cell(key: str) -> str | None:
        index = picked[key]
        value = row[index].strip() if index is not None else ""
        return value or None

    return cell


def _channel_name(value: str | None) -> str | None:
    return value.strip().lower() if value else None


def _lang_code(value: str | None) -> str | None:
    """'fr-CA', 'French', 'FR' -> 'fr'; unknown values are kept for the caller to judge."""
    if not value:
        return None
    lowered = value.strip().lower()
    names = {"french": "fr", "français": "fr", "francais": "fr", "english": "en", "anglais": "en"}
    return names.get(lowered, lowered.replace("_", "-").split("-")[0])
