"""JSON (an array of posts, or an object holding one) and JSON Lines, streamed with ijson."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import ijson

from voicecheck.errors import InputError
from voicecheck.readers.base import (
    Columns,
    Post,
    ReadStats,
    channel_name,
    clean_text,
    lang_code,
    open_binary,
    open_text,
    peek,
)
from voicecheck.readers.tabular import (
    CHANNEL_NAMES,
    DATE_NAMES,
    ID_NAMES,
    LANG_NAMES,
    TEXT_NAMES,
)


def _field(record: Mapping[str, Any], chosen: str | None, names: tuple[str, ...]) -> Any:
    if chosen is not None:
        return record.get(chosen)
    lowered = {str(key).lower(): key for key in record}
    for name in names:
        if name in lowered:
            return record[lowered[name]]
    return None


#: What a JSON value is, in the words of a skip reason (bool before int: it is one).
_JSON_KINDS: tuple[tuple[type | tuple[type, ...], str], ...] = (
    (Mapping, "an object"), (list, "a list"), (bool, "true or false"), ((int, float), "a number"),
)  # fmt: skip


def _why_no_text(value: Any) -> str:
    """The skip reason for a record's text field that holds no text."""
    if value is None:
        return "no text"
    if isinstance(value, str):
        return "empty text"
    kind = next((name for types, name in _JSON_KINDS if isinstance(value, types)), "not a string")
    return f"text is {kind}, not a string"


def _post(record: Any, columns: Columns, where: str, fallback_id: str, stats: ReadStats) -> Post | None:
    if isinstance(record, str):
        record = {"text": record}
    if not isinstance(record, Mapping):
        stats.skip("not an object or a string", where)
        return None
    text = _field(record, columns.text, TEXT_NAMES)
    if not isinstance(text, str) or not clean_text(text):
        stats.skip(_why_no_text(text), where)
        return None

    def scalar(chosen: str | None, names: tuple[str, ...]) -> str | None:
        value = _field(record, chosen, names)
        return None if value is None or value == "" else str(value)

    return Post(
        id=scalar(columns.id, ID_NAMES) or fallback_id,
        text=clean_text(text),
        channel=channel_name(scalar(columns.channel, CHANNEL_NAMES)),
        lang=lang_code(scalar(columns.lang, LANG_NAMES)),
        date=scalar(columns.date, DATE_NAMES),
        where=where,
    )


def read_jsonl(path: Path, columns: Columns, stats: ReadStats) -> Iterator[Post]:
    with open_text(path) as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{path}:{number}: not valid JSON ({exc.msg})") from exc
            post = _post(record, columns, where, where, stats)
            if post is not None:
                yield post


def read_json(path: Path, columns: Columns, stats: ReadStats) -> Iterator[Post]:
    """Read `[...]`, or `{"posts": [...]}` / `{"data": [...]}`, one item at a time."""
    head = peek(path, 1024).lstrip()
    prefix = "item" if head.startswith("[") else None
    if prefix is None:
        for key in ("posts", "data", "items", "results"):
            if f'"{key}"' in head:
                prefix = f"{key}.item"
                break
        else:
            raise InputError(f"{path}: expected a JSON array of posts or an object with a 'posts' array")
    with open_binary(path) as raw:
        try:
            for number, record in enumerate(ijson.items(raw, prefix, use_float=True), start=1):
                where = f"{path}#{number}"
                post = _post(record, columns, where, where, stats)
                if post is not None:
                    yield post
        except ijson.JSONError as exc:
            raise InputError(f"{path}: not valid JSON ({exc})") from exc
