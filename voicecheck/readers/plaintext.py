"""Plain text: one post per paragraph (paragraphs are separated by blank lines)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from voicecheck.readers.base import Columns, Post, ReadStats, clean_text, open_text


def paragraphs(lines: Iterator[str], first_line: int = 1) -> Iterator[tuple[int, str]]:
    """Yield (line where it starts, text) for each blank-line separated paragraph."""
    buffer: list[str] = []
    start = first_line
    for number, line in enumerate(lines, start=first_line):
        if line.strip():
            if not buffer:
                start = number
            buffer.append(line)
        elif buffer:
            yield start, clean_text("".join(buffer))
            buffer = []
    if buffer:
        yield start, clean_text("".join(buffer))


def read_text(path: Path, columns: Columns, stats: ReadStats) -> Iterator[Post]:
    del columns  # plain text has no columns
    with open_text(path, stats) as handle:
        for start, text in paragraphs(handle):
            where = f"{path}:{start}"
            yield Post(id=where, text=text, where=where)
