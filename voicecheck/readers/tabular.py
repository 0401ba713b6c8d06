"""CSV and TSV exports: find the text, channel, id, date and language columns by their names."""

from __future__ import annotations

import contextlib
import csv
from collections.abc import Callable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from voicecheck.errors import InputError
from voicecheck.i18n import _, ngettext, number
from voicecheck.readers.base import (
    MAX_RECORD_BYTES,
    Columns,
    LineTooLong,
    Post,
    ReadStats,
    TextLines,
    channel_name,
    clean_text,
    empty_file,
    excerpt,
    iso_date,
    lang_code,
    open_text,
    some,
)
from voicecheck.readers.layouts import Layout, recognise

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

#: An export may open with a title or a note above its header (LinkedIn's page exports do).
HEADER_SEARCH_ROWS = 5
#: What separates a CSV's fields, tried in this order: spreadsheets in French and other
#: locales whose decimal mark is a comma save "CSV" with semicolons.
CSV_DELIMITERS = (",", ";", "\t")

csv.field_size_limit(MAX_RECORD_BYTES)  # a field as long as a record: TextLines bounds each line


def _pick(header: list[str], chosen: str | None, names: tuple[str, ...], path: Path) -> str | None:
    if chosen is not None:
        if chosen not in header:
            message = _("{path}: no column {column}; the columns are {columns}")
            raise InputError(message.format(path=path, column=repr(excerpt(chosen)), columns=some(header)))
        return chosen
    lowered = {name.strip().lower(): name for name in header}
    for name in names:
        if name in lowered:
            return lowered[name]
    return None


def read_csv(path: Path, columns: Columns, stats: ReadStats, delimiter: str | None = None) -> Iterator[Post]:
    """Posts of a CSV file; its delimiter is found from the header unless given."""
    delimiter = delimiter or _delimiter(path, columns)
    with open_text(path, stats) as handle:
        lines = _RowLines(handle)
        reader = csv.reader(lines, delimiter=delimiter)
        header, layout = _header(reader, columns, path, stats)
        if layout:
            stats.describe(layout.name)

        def column(chosen: str | None, from_layout: str | None, names: tuple[str, ...]) -> int | None:
            """The user's column, else the export layout's, else the first usual name present."""
            name = _pick(header, chosen, names, path) if chosen else None
            name = name or _named(header, from_layout) or _pick(header, None, names, path)
            return None if name is None else header.index(name)

        text_index = column(columns.text, layout.text if layout else None, TEXT_NAMES)
        if text_index is None:
            message = _("{path}: no text column found among {columns}; name it with --text-col")
            raise InputError(message.format(path=path, columns=some(header)))
        picked = {
            "channel": column(columns.channel, layout.channel_col if layout else None, CHANNEL_NAMES),
            "id": column(columns.id, layout.id if layout else None, ID_NAMES),
            "date": column(columns.date, layout.date if layout else None, DATE_NAMES),
            "lang": column(columns.lang, None, LANG_NAMES),
        }
        yield from _rows(reader, lines, header, text_index, picked, path, stats, layout)


def _delimiter(path: Path, columns: Columns) -> str:
    """The delimiter that makes the earliest row a header of columns we know (the first of
    CSV_DELIMITERS that does, for that row), else a comma.

    Rows are taken in order, not delimiters: a data row below a semicolon header may split
    on its commas into a cell that reads as a column's name (", post"), and taken for the
    header it would leave the rows above it unread.
    """
    lines: list[str] = []
    # decoded as the rows will be (and said when they are); a line too long, when the rows reach it
    with open_text(path, ReadStats()) as handle, contextlib.suppress(LineTooLong):
        lines.extend(islice(handle, HEADER_SEARCH_ROWS))
    split: dict[str, list[list[str]]] = {}
    for delimiter in CSV_DELIMITERS:
        with contextlib.suppress(csv.Error):
            split[delimiter] = list(csv.reader(lines, delimiter=delimiter))
    for index in range(HEADER_SEARCH_ROWS):
        for delimiter, rows in split.items():
            if index < len(rows) and _names_columns(rows[index], columns, path):
                return delimiter
    return ","


def _names_columns(row: list[str], columns: Columns, path: Path) -> bool:
    """Whether `row` can be the header: it has the text column asked for, or one we know."""
    return (columns.text in row) if columns.text else bool(recognise(row) or _pick(row, None, TEXT_NAMES, path))


class _RowLines:
    """The lines a csv reader is fed, those of the current row kept: to re-read a row strictly."""

    def __init__(self, lines: TextLines) -> None:
        self._lines = lines
        self.row: list[str] = []
        self.ended = False

    def __iter__(self) -> _RowLines:
        return self

    def __next__(self) -> str:
        try:
            line = next(self._lines)
        except StopIteration:
            self.ended = True
            raise
        self.row.append(line)
        return line

    def never_closes_a_quote(self, delimiter: str) -> bool:
        """Whether the current row ended with the file inside a quoted field.

        Python's csv reader then returns the rest of the file as that field's text, silently;
        reading the row again in strict mode tells it apart from a row that just ends the file.
        """
        try:
            list(csv.reader(self.row, delimiter=delimiter, strict=True))
        except csv.Error as exc:
            return "end of data" in str(exc)  # not the other things strict mode refuses
        return False


def _header(reader: Any, columns: Columns, path: Path, stats: ReadStats) -> tuple[list[str], Layout | None]:
    """The header row: the first row, or a later one when an export opens with a title line.

    The rows above a later header are counted as skipped: nothing is passed over unsaid.
    """
    first: list[str] | None = None
    above: list[int] = []  # the lines the rows above the header start on
    for _row in range(HEADER_SEARCH_ROWS):
        starts = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            message = _("{path}:{line}: unreadable header ({problem})")
            raise InputError(message.format(path=path, line=reader.line_num, problem=excerpt(exc, 200))) from exc
        first = first if first is not None else row
        layout = None if columns.text else recognise(row)
        if layout or columns.text or _pick(row, None, TEXT_NAMES, path):
            for line in above:
                stats.skip("above the header row", f"{path}:{line}", "not_a_post")
            return row, layout
        if any(cell.strip() for cell in row):  # a blank line is no record
            above.append(starts)
    if first is None:
        raise InputError(empty_file(path))
    return first, None


def _named(header: list[str], lowered: str | None) -> str | None:
    """The header's own spelling of a column named (lower-cased) by a layout."""
    if lowered is None:
        return None
    return next((name for name in header if name.strip().lower() == lowered), None)


def read_tsv(path: Path, columns: Columns, stats: ReadStats) -> Iterator[Post]:
    return read_csv(path, columns, stats, delimiter="\t")


def _rows(
    reader: Any,
    lines: _RowLines,
    header: list[str],
    text_index: int,
    picked: dict[str, int | None],
    path: Path,
    stats: ReadStats,
    layout: Layout | None,
) -> Iterator[Post]:
    line = reader.line_num
    while True:
        start = line + 1
        lines.row.clear()
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            message = _("{path}:{line}: malformed row ({problem})")
            raise InputError(message.format(path=path, line=start, problem=excerpt(exc, 200))) from exc
        if lines.ended and lines.never_closes_a_quote(reader.dialect.delimiter):  # the last row too
            raise InputError(_unclosed_quote(path, start, len(lines.row) - 1))
        line = reader.line_num
        where = f"{path}:{start}"
        if not any(cell.strip() for cell in row):
            continue  # a blank line is not a post
        if len(row) != len(header):
            reason = ngettext(
                "{count} fields where the header has {expected}",
                "{count} fields where the header has {expected}",
                len(row),
            )
            stats.skip(reason.format(count=len(row), expected=len(header)), where, "malformed")
            continue
        text = clean_text(row[text_index])
        if not text:
            stats.skip("empty text", where, "no_text")
            continue
        cell = _cells(row, picked)
        yield Post(
            id=cell("id") or f"{path}:{start}",
            text=text,
            channel=channel_name(cell("channel")) or (layout.channel if layout else None),
            lang=lang_code(cell("lang")),
            date=iso_date(cell("date"), *layout.date_formats) if layout else cell("date"),
            where=where,
        )


def _unclosed_quote(path: Path, line: int, more_lines: int) -> str:
    """Why a row whose quoted field runs to the end of the file is refused."""
    if not more_lines:  # the file's last line: its cells would be read as one
        message = _(
            "{path}:{line}: a quoted field opened on this row is never closed; close the quote "
            '(a quote inside a quoted field is written twice: "")'
        )
        return message.format(path=path, line=line)
    message = ngettext(
        "{path}:{line}: a quoted field opened on this row is never closed, so the rest of the file "
        "({count} more line) would be read as its text; close the quote "
        '(a quote inside a quoted field is written twice: "")',
        "{path}:{line}: a quoted field opened on this row is never closed, so the rest of the file "
        "({count} more lines) would be read as its text; close the quote "
        '(a quote inside a quoted field is written twice: "")',
        more_lines,
    )
    return message.format(path=path, line=line, count=number(more_lines, grouping=True))


def _cells(row: list[str], picked: dict[str, int | None]) -> Callable[[str], str | None]:
    """Look up a picked column in `row`: stripped text, or None when absent or blank."""

    def cell(key: str) -> str | None:
        index = picked[key]
        value = row[index].strip() if index is not None else ""
        return value or None

    return cell
