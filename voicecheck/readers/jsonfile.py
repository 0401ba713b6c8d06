"""JSON (an array of posts, or an object holding one) and JSON Lines, streamed with ijson."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from voicecheck.errors import InputError
from voicecheck.i18n import N_, _, gettext
from voicecheck.readers import guard
from voicecheck.readers.base import (
    Columns,
    LineTooLong,
    Post,
    ReadStats,
    channel_name,
    clean_text,
    excerpt,
    lang_code,
    open_text,
    open_utf8,
    peek,
)
from voicecheck.readers.tabular import (
    CHANNEL_NAMES,
    DATE_NAMES,
    ID_NAMES,
    LANG_NAMES,
    TEXT_NAMES,
)


def _key(record: Mapping[str, Any], chosen: str | None, names: tuple[str, ...]) -> str | None:
    """The record's key for a field: the one chosen, else the first usual name present."""
    if chosen is not None:
        return chosen
    lowered = {str(key).lower(): key for key in record}
    return next((lowered[name] for name in names if name in lowered), None)


#: What a JSON value is, in the words of a skip reason (bool before int: it is one).
_JSON_KINDS: tuple[tuple[type | tuple[type, ...], str], ...] = (
    (Mapping, N_("an object")), (list, N_("a list")), (bool, N_("true or false")), ((int, float), N_("a number")),
)  # fmt: skip


def _why_no_text(value: Any) -> str:
    """The skip reason for a record's text field that holds no text."""
    if value is None:
        return N_("no text")
    if isinstance(value, str):
        return N_("empty text")
    kind = next((gettext(name) for types, name in _JSON_KINDS if isinstance(value, types)), type(value).__name__)
    return _("text is {kind}, not a string").format(kind=kind)


def _post(record: Any, columns: Columns, where: str, fallback_id: str, stats: ReadStats) -> Post | None:
    if isinstance(record, str):
        record = {"text": record}
    if not isinstance(record, Mapping):
        stats.skip("not an object or a string", where, "not_a_post")
        return None
    text_key = _key(record, columns.text, TEXT_NAMES)
    text = record.get(text_key) if text_key is not None else None
    if not isinstance(text, str) or not clean_text(text):
        stats.skip(_why_no_text(text), where, "no_text")
        return None

    def scalar(chosen: str | None, names: tuple[str, ...]) -> str | None:
        """A field written as text or a number (an id, a channel, a date), else None."""
        key = _key(record, chosen, names)
        return guard.identifier(record, key, where, stats) if key is not None else None

    return Post(
        id=scalar(columns.id, ID_NAMES) or fallback_id,
        text=clean_text(text),
        channel=channel_name(scalar(columns.channel, CHANNEL_NAMES)),
        lang=lang_code(scalar(columns.lang, LANG_NAMES)),
        date=scalar(columns.date, DATE_NAMES),
        where=where,
    )


def read_jsonl(path: Path, columns: Columns, stats: ReadStats) -> Iterator[Post]:
    """One post per line; a line too long or nested too deep is skipped, saying so."""
    with open_text(path, stats, fall_back=False) as handle:  # JSON is UTF-8 (or says it is UTF-16)
        number = 0
        while True:
            try:
                line = next(handle)
            except StopIteration:
                return
            except LineTooLong as exc:
                number += 1
                stats.skip(exc.reason, exc.where, "too_large")
                continue
            number += 1
            line = line.lstrip("\ufeff")  # a BOM starts each file that was joined to the others with `cat`
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                record = guard.json_line(line, where, stats)
            except json.JSONDecodeError as exc:
                raise InputError(
                    _("{path}:{line}: not valid JSON ({problem})").format(path=path, line=number, problem=exc.msg)
                ) from exc
            if isinstance(record, guard.Skipped):
                stats.skip(record.reason, where, "too_large")
                continue
            if isinstance(record, list):  # posts written as JSON: skipped as one record, they would all be lost
                message = _(
                    "{path}:{line}: a JSON array, where JSON Lines has one post per line; if the file holds "
                    "JSON, name it .json or give --input-format json"
                )
                raise InputError(message.format(path=path, line=number))
            post = _post(record, columns, where, where, stats)
            if post is not None:
                yield post


#: The keys of an object that may hold a JSON file's array of posts, the likeliest first.
ARRAY_KEYS = ("posts", "data", "items", "results")


def read_json(path: Path, columns: Columns, stats: ReadStats) -> Iterator[Post]:
    """Read `[...]`, or `{"posts": [...]}` / `{"data": [...]}`, one item at a time.

    The keys named near the file's start are tried in turn, the likeliest first, until one
    holds an array at the object's top level: a key's name written as a value, or the key of
    an object, holds no posts, and taken for them it would leave the file read as empty.
    """
    head = peek(path, 1024).lstrip()
    message = _("{path}: expected a JSON array of posts or an object with a 'posts' array (it starts {start})")
    start = repr(excerpt(head, 30)).replace("{", "{{").replace("}", "}}")  # formatted again with the path
    missing = message.format(path="{path}", start=start)
    prefixes = ["item"] if head.startswith("[") else [f"{key}.item" for key in ARRAY_KEYS if f'"{key}"' in head]
    if not prefixes:
        raise InputError(missing.format(path=path))
    for prefix in prefixes:
        try:
            records = guard.json_records(lambda: open_utf8(path, stats), prefix, path, stats, missing=missing)
            for where, record in records:
                post = _post(record, columns, where, where, stats)
                if post is not None:
                    yield post
            return
        except guard.NoArray:
            if prefix == prefixes[-1]:
                raise
