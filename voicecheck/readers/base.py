"""What every reader shares: the Post record, the read counts, and safe file opening."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

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
        parts = [f"read {plural(self.read, 'post')} from {plural(self.files, 'file')}"]
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


def _head(path: Path) -> bytes:
    """The first bytes of a posts file, refusing unreadable, empty and binary files clearly."""
    try:
        with open(path, "rb") as raw:
            head = raw.read(8192)
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from exc
    if not head:
        raise InputError(f"{path}: the file is empty")
    if b"\x00" in head:
        raise InputError(f"{path}: this looks like a binary file, not posts (it has NUL bytes)")
    return head


def open_text(path: Path, encoding: str = "utf-8") -> TextLines:
    """Open a posts file as text, refusing empty and binary files with a clear message."""
    _head(path)
    return TextLines(path, encoding)


def peek(path: Path, size: int = 4096) -> str:
    """The first characters of a posts file, to tell its format (checked like open_text)."""
    return _head(path)[:size].decode("utf-8", errors="replace").lstrip("\ufeff")


class TextLines:
    """Lines of a text file, decoded one by one so a decoding error names its line."""

    def __init__(self, path: Path, encoding: str) -> None:
        self._path = path
        self._encoding = encoding
        self._handle = open(path, "rb")  # noqa: SIM115 - closed by __exit__
        self._line = 0

    def __enter__(self) -> TextLines:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._handle.close()

    def __iter__(self) -> Iterator[str]:
        return self

    def _decode(self, raw: bytes, first_line: int) -> str:
        if first_line == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        try:
            return raw.decode(self._encoding)
        except UnicodeDecodeError as exc:
            line = first_line + raw[: exc.start].count(b"\n")
            raise InputError(
                f"{self._path}: not valid {self._encoding.upper()} at line {line} "
                f"(byte 0x{raw[exc.start]:02x}); save the file as UTF-8"
            ) from exc

    def __next__(self) -> str:
        raw = self._handle.readline()
        if not raw:
            raise StopIteration
        self._line += 1
        return self._decode(raw, self._line)

    def read(self) -> str:
        """The rest of the file."""
        text = self._decode(self._handle.read(), self._line + 1)
        self._line += text.count("\n")
        return text


def plural(count: int, noun: str) -> str:
    """'1 post', '3 posts'."""
    return f"{count:,} {noun}{'s' * (count != 1)}"


def clean_text(text: str) -> str:
    """Strip a post and normalise its line ends; the words are left as written."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()
