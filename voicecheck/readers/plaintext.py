"""Plain text: one post per paragraph (paragraphs are separated by blank lines)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from voicecheck.readers.base import Columns, LineTooLong, Post, ReadStats, clean_text, open_text


def paragraphs(lines: Iterator[str], first_line: int = 1, stats: ReadStats | None = None) -> Iterator[tuple[int, str]]:
    """Yield (line where it starts, text) for each blank-line separated paragraph.

    A line too long to be read (TextLines' LineTooLong) is skipped into `stats` and ends
    its paragraph.
    """
    buffer: list[str] = []
    start = first_line
    for number, line in enumerate(_lines_skipping_long(lines, stats), start=first_line):
        if line.strip():
            if not buffer:
                start = number
            buffer.append(line)
        elif buffer:
            yield start, clean_text("".join(buffer))
            buffer = []
    if buffer:
        yield start, clean_text("".join(buffer))


def _lines_skipping_long(lines: Iterator[str], stats: ReadStats | None) -> Iterator[str]:
    """The lines, each too long to read counted into `stats` and given as a blank line."""
    while True:
        try:
            yield next(lines)
        except StopIteration:
            return
        except LineTooLong as exc:
            if stats is None:
                raise
            stats.skip(exc.reason, exc.where)
            yield ""


def read_text(path: Path, columns: Columns, stats: ReadStats) -> Iterator[Post]:
    del columns  # plain text has no columns
    with open_text(path, stats) as handle:
        for start, text in paragraphs(handle, stats=stats):
            where = f"{path}:{start}"
            yield Post(id=where, text=text, where=where)
