"""What every reader shares: the Post record, the read counts, and safe file opening."""

from __future__ import annotations

import dataclasses
import io
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from voicecheck.errors import InputError

#: Posts longer than this are judged on their beginning only (and say so).
MAX_POST_CHARS = 5_000


@dataclass(frozen=True, slots=True)
class Post:
    """One post: its text and whatever the source said about it."""

    id: str
    text: str
    channel: str | None = None
    lang: str | None = None
    date: str | None = None
    where: str = ""  # "file:line", for messages

    def with_channel(self, channel: str) -> Post:
        return dataclasses.replace(self, channel=channel)


@dataclass
class ReadStats:
    """How many posts were read and skipped, and why: nothing disappears silently."""

    files: int = 0
    read: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)  # reason -> first "file:line"

    def skip(self, reason: str, where: str) -> None:
        self.skipped[reason] += 1
        self.examples.setdefault(reason, where)

    @property
    def total_skipped(self) -> int:
        return sum(self.skipped.values())

    def summary(self) -> str:
        parts = [f"read {self.read} posts from {self.files} file{'s' * (self.files != 1)}"]
        for reason, count in self.skipped.most_common():
            parts.append(f"skipped {count} ({reason}, first at {self.examples[reason]})")
        return "; ".join(parts)

    def as_dict(self) -> dict[str, object]:
        return {"files": self.files, "read": self.read, "skipped": dict(self.skipped)}


@dataclass(frozen=True)
class Columns:
    """Column names chosen by the user; None means detect them from the header."""

    text: str | None = None
    channel: str | None = None
    id: str | None = None
    date: str | None = None
    lang: str | None = None


def open_text(path: Path, encoding: str = "utf-8-sig") -> IO[str]:
    """Open a posts file as text, refusing empty and binary files with a clear message."""
    try:
        with open(path, "rb") as raw:
            head = raw.read(8192)
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from exc
    if not head:
        raise InputError(f"{path}: the file is empty")
    if b"\x00" in head:
        raise InputError(f"{path}: this looks like a binary file, not posts (it has NUL bytes)")
    handle = open(path, "rb")  # noqa: SIM115 - closed by the caller's with-block
    return _CheckedText(handle, path, encoding)


class _CheckedText(io.TextIOWrapper):
    """A text stream whose decoding errors name the file and line instead of a byte offset."""

    def __init__(self, handle: IO[bytes], path: Path, encoding: str) -> None:
        super().__init__(handle, encoding=encoding, newline="")  # type: ignore[arg-type]
        self._path = path
        self._line = 0

    def _fail(self, exc: UnicodeDecodeError) -> InputError:
        return InputError(
            f"{self._path}: not valid UTF-8 near line {self._line + 1} "
            f"(byte 0x{exc.object[exc.start]:02x}); save the file as UTF-8"
        )

    def __next__(self) -> str:
        try:
            line = super().__next__()
        except UnicodeDecodeError as exc:
            raise self._fail(exc) from exc
        self._line += 1
        return line

    def readline(self, size: int = -1) -> str:  # type: ignore[override]
        try:
            line = super().readline(size)
        except UnicodeDecodeError as exc:
            raise self._fail(exc) from exc
        self._line += 1
        return line

    def read(self, size: int | None = -1) -> str:
        try:
            return super().read(size)
        except UnicodeDecodeError as exc:
            raise self._fail(exc) from exc


def clean_text(text: str) -> str:
    """Strip a post and normalise its line ends; the words are left as written."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()
