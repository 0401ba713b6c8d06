"""JSON (an array of posts, or an object holding one) and JSON Lines, streamed with ijson."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from itertools import islice
from pathlib import Path
from typing import Any

from voicecheck.errors import InputError
from voicecheck.i18n import N_, _, gettext, ngettext, number
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


class _Records:
    """A file's records made posts, and what they say of the text field: whether any had one.

    A file none of whose records has a text field (written under another name, or not the
    --text-col given) holds posts this reading cannot see: every record skipped, it would
    pass a check it was never given, so it is refused once read (`refuse_if_textless`).
    """

    def __init__(self, path: Path, columns: Columns, stats: ReadStats) -> None:
        self.path, self.columns, self.stats = path, columns, stats
        self.records = 0
        self.with_text_field = 0
        self.fields: dict[str, None] = {}  # the fields of records without one, for the message

    def post(self, record: Any, where: str) -> Post | None:
        self.records += 1
        if isinstance(record, str):
            self.with_text_field += 1
        elif isinstance(record, Mapping):
            key = _key(record, self.columns.text, TEXT_NAMES)
            if key is not None and key in record:
                self.with_text_field += 1
            elif len(self.fields) < 12:
                self.fields.update(dict.fromkeys(str(name) for name in islice(record, 12)))
        return _post(record, self.columns, where, where, self.stats)

    def refuse_if_textless(self) -> None:
        if not self.records or self.with_text_field:
            return
        fields = ", ".join(repr(excerpt(name, 40)) for name in list(self.fields)[:8]) or "-"
        count = number(self.records)
        if self.columns.text:
            message = ngettext(
                "{path}: {count} record, without the field {field} (its fields: {fields})",
                "{path}: {count} records, none with the field {field} (their fields: {fields})",
                self.records,
            )
            field_name = repr(excerpt(self.columns.text, 40))
            raise InputError(message.format(path=self.path, count=count, field=field_name, fields=fields))
        message = ngettext(
            "{path}: {count} record, without a text field (its fields: {fields}); name it with --text-col",
            "{path}: {count} records, none with a text field (their fields: {fields}); name it with --text-col",
            self.records,
        )
        raise InputError(message.format(path=self.path, count=count, fields=fields))


def read_jsonl(path: Path, columns: Columns, stats: ReadStats) -> Iterator[Post]:
    """One post per line; a line too long or nested too deep is skipped, saying so."""
    with open_text(path, stats, fall_back=False) as handle:  # JSON is UTF-8 (or says it is UTF-16)
        records = _Records(path, columns, stats)
        number = 0
        while True:
            try:
                line = next(handle)
            except StopIteration:
                records.refuse_if_textless()
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
            post = records.post(record, where)
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
    missing = message.format(path=path, start=repr(excerpt(head, 30)))
    prefixes = ["item"] if head.startswith("[") else [f"{key}.item" for key in ARRAY_KEYS if f'"{key}"' in head]
    if not prefixes:
        raise InputError(missing)
    for prefix in prefixes:
        records = _Records(path, columns, stats)
        try:
            for where, record in guard.json_records(
                lambda: open_utf8(path, stats), prefix, path, stats, missing=missing
            ):
                post = records.post(record, where)
                if post is not None:
                    yield post
            records.refuse_if_textless()
            return
        except guard.NoArray:
            if prefix == prefixes[-1]:
                raise
