"""Plain text: one post per paragraph (paragraphs are separated by blank lines)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from voicecheck.i18n import _
from voicecheck.readers.base import (
    MAX_RECORD_BYTES,
    Columns,
    LineTooLong,
    Post,
    ReadStats,
    clean_text,
    megabytes,
    open_text,
)


def paragraphs(lines: Iterator[str], path: Path, stats: ReadStats) -> Iterator[tuple[int, str]]:
    """Yield (line where it starts, text) for each blank-line separated paragraph.

    A line too long to be read (TextLines' LineTooLong) is skipped into `stats` and ends
    its paragraph; so is a paragraph over MAX_RECORD_BYTES, read past without being kept.
    """
    buffer: list[str] = []
    start, size = 1, 0
    for number, line in enumerate(_lines_skipping_long(lines, stats), start=1):
        if line.strip():
            if not buffer and not size:
                start = number
            size += len(line)
            if size <= MAX_RECORD_BYTES:
                buffer.append(line)
            elif buffer:
                buffer = []  # over the limit: the rest is read past, then the paragraph skipped
            continue
        if size > MAX_RECORD_BYTES:
            stats.skip(_too_long(), f"{path}:{start}", "too_large")
        elif buffer:
            yield start, clean_text("".join(buffer))
        buffer, size = [], 0
    if size > MAX_RECORD_BYTES:
        stats.skip(_too_long(), f"{path}:{start}", "too_large")
    elif buffer:
        yield start, clean_text("".join(buffer))


def _too_long() -> str:
    return _("a paragraph over {size}").format(size=megabytes(MAX_RECORD_BYTES))


def _lines_skipping_long(lines: Iterator[str], stats: ReadStats) -> Iterator[str]:
    """The lines, each too long to read counted into `stats` and given as a blank line."""
    while True:
        try:
            yield next(lines)
        except StopIteration:
            return
        except LineTooLong as exc:
            stats.skip(exc.reason, exc.where, "too_large")
            yield ""


def read_text(path: Path, columns: Columns, stats: ReadStats) -> Iterator[Post]:
    del columns  # plain text has no columns
    with open_text(path, stats) as handle:
        for start, text in paragraphs(handle, path, stats):
            where = f"{path}:{start}"
            yield Post(id=where, text=text, where=where)
