"""What every reader shares: the Post record, the read counts, and safe file opening."""

from __future__ import annotations

import io
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from voicecheck.core import Post as Post  # the record every reader makes lives at the bottom layer
from voicecheck.errors import InputError

#: Posts longer than this are judged on their beginning only (and say so).
MAX_POST_CHARS = 5_000


@dataclass
class SourceStats:
    """What one input file gave: its format, the posts kept, and the records skipped."""

    path: str
    format: str
    read: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    error: str | None = None  # why the file could not be read (to the end)

    def line(self) -> str:
        parts = [f"{self.path} ({self.format}): {plural(self.read, 'post')}"]
        parts += [f"skipped {count} ({reason})" for reason, count in self.skipped.most_common()]
        if self.error:
            parts.append("stopped: unreadable")
        return ", ".join(parts)

    def as_dict(self) -> dict[str, object]:
        return {"path": self.path, "format": self.format, "read": self.read, "skipped": dict(self.skipped),
                "error": self.error}  # fmt: skip


@dataclass
class ReadStats:
    """How many posts were read and skipped, and why: nothing disappears silently."""

    files: int = 0
    read: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)  # reason -> first "file:line"
    sources: list[SourceStats] = field(default_factory=list)
    ignored_files: int = 0  # files in a folder that are not posts (images, scripts, ...)
    notes: list[str] = field(default_factory=list)  # how a file was read when it was not as expected

    def start(self, path: Path, format_name: str) -> SourceStats:
        self.files += 1
        self.sources.append(SourceStats(str(path), format_name))
        return self.sources[-1]

    def describe(self, detail: str) -> None:
        """Name what the current file turned out to be (an export layout, a feed kind)."""
        if self.sources:
            self.sources[-1].format += f": {detail}"

    def skip(self, reason: str, where: str) -> None:
        self.skipped[reason] += 1
        self.examples.setdefault(reason, where)
        if self.sources:
            self.sources[-1].skipped[reason] += 1

    def count(self) -> None:
        self.read += 1
        if self.sources:
            self.sources[-1].read += 1

    def note(self, message: str) -> None:
        """Say how a file was read when it differed from the usual (its encoding)."""
        self.notes.append(message)

    def fail(self, message: str) -> None:
        """Record a file that could not be read to the end; the batch goes on."""
        if self.sources:
            self.sources[-1].error = message

    @property
    def errors(self) -> list[str]:
        return [source.error for source in self.sources if source.error]

    def raise_for_errors(self) -> None:
        """Fail, once the readable files were read, naming every file that was not."""
        errors = self.errors
        if len(errors) == 1:
            raise InputError(errors[0])
        if errors:
            raise InputError(f"{len(errors)} files could not be read:\n  " + "\n  ".join(errors))

    @property
    def total_skipped(self) -> int:
        return sum(self.skipped.values())

    def summary(self) -> str:
        parts = [f"read {plural(self.read, 'post')} from {plural(self.files, 'file')}"]
        for reason, count in self.skipped.most_common():
            parts.append(f"skipped {count} ({reason}, first at {self.examples[reason]})")
        if self.errors:
            parts.append(f"{plural(len(self.errors), 'file')} could not be read to the end")
        if self.ignored_files:
            parts.append(f"ignored {plural(self.ignored_files, 'file')} in folders that are not posts")
        return "; ".join(parts + self.notes)

    def breakdown(self) -> list[str]:
        """One line per input file, for runs that mix sources."""
        return [source.line() for source in self.sources]

    def as_dict(self) -> dict[str, object]:
        return {
            "files": self.files,
            "read": self.read,
            "skipped": dict(self.skipped),
            "sources": [source.as_dict() for source in self.sources],
            "notes": list(self.notes),
        }


@dataclass(frozen=True)
class Columns:
    """Column names chosen by the user; None means detect them from the header."""

    text: str | None = None
    channel: str | None = None
    id: str | None = None
    date: str | None = None
    lang: str | None = None


#: The path that stands for standard input, as in most command-line tools.
STDIN = Path("-")
_stdin_bytes: bytes | None = None


def open_binary(path: Path) -> BinaryIO:
    """Open a posts file for its bytes; STDIN opens standard input.

    Standard input is read whole the first time and kept, so that a reader can look at its
    first bytes to tell the format and then read it from the start, as it does a file.
    """
    global _stdin_bytes
    if path != STDIN:
        return open(path, "rb")
    if _stdin_bytes is None:
        _stdin_bytes = sys.stdin.buffer.read()
    return io.BytesIO(_stdin_bytes)


def _head(path: Path) -> bytes:
    """The first bytes of a posts file, refusing unreadable, empty and binary files clearly."""
    try:
        with open_binary(path) as raw:
            head = raw.read(8192)
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from exc
    if not head:
        raise InputError("standard input is empty" if path == STDIN else f"{path}: the file is empty")
    if b"\x00" in head:
        raise InputError(f"{path}: this looks like a binary file, not posts (it has NUL bytes)")
    return head


def open_text(path: Path, stats: ReadStats | None = None) -> TextLines:
    """Open a posts file as UTF-8 text, refusing empty and binary files with a clear message.

    With `stats`, a file that is not UTF-8 is read as Windows-1252 instead, and `stats` says
    so: spreadsheets on Windows save "CSV" in that encoding, French accents included.
    """
    _head(path)
    return TextLines(path, stats)


def peek(path: Path, size: int = 4096) -> str:
    """The first characters of a posts file, to tell its format (checked like open_text)."""
    return _head(path)[:size].decode("utf-8", errors="replace").lstrip("\ufeff")


#: The encoding of text that is not UTF-8: what spreadsheets on Windows save CSV in, for
#: French and English (every byte but five decodes, so it is tried only on ASCII-clean starts).
FALLBACK_ENCODING = "cp1252"


class TextLines:
    """Lines of a text file, decoded one by one so a decoding error names its line."""

    def __init__(self, path: Path, stats: ReadStats | None = None) -> None:
        self._path = path
        self._encoding = "utf-8"
        self._stats = stats  # where to say the file fell back to FALLBACK_ENCODING; None: never fall back
        self._ascii_so_far = True  # UTF-8 and Windows-1252 read the lines so far alike
        self._handle = open_binary(path)
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
            self._ascii_so_far = False  # the file says it is UTF-8
        try:
            text = raw.decode(self._encoding)
        except UnicodeDecodeError as exc:
            line = first_line + raw[: exc.start].count(b"\n")
            fallen_back = self._fall_back(raw, line)
            if fallen_back is None:
                raise InputError(
                    f"{self._path}: not valid UTF-8 at line {line} (byte 0x{raw[exc.start]:02x}); "
                    "save the file as UTF-8"
                ) from exc
            text = fallen_back
        self._ascii_so_far = self._ascii_so_far and text.isascii()
        return text

    def _fall_back(self, raw: bytes, line: int) -> str | None:
        """`raw` read as FALLBACK_ENCODING from here on, if nothing read before tells otherwise."""
        if self._stats is None or self._encoding != "utf-8" or not self._ascii_so_far:
            return None  # a file whose earlier lines were UTF-8 beyond ASCII is mixed: refuse it
        try:
            text = raw.decode(FALLBACK_ENCODING)
        except UnicodeDecodeError:
            return None
        self._encoding = FALLBACK_ENCODING
        self._stats.note(f"{self._path} is not UTF-8 (line {line}): read as Windows-1252")
        return text

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


def channel_name(value: str | None) -> str | None:
    """'Twitter', 'X (Twitter)', 'Facebook Page' -> 'x', 'x', 'facebook': one name per platform."""
    if not value or not value.strip():
        return None
    lowered = " ".join(value.strip().lower().split())
    return CHANNEL_ALIASES.get(lowered, lowered)


CHANNEL_ALIASES = {
    "twitter": "x",
    "x (twitter)": "x",
    "x/twitter": "x",
    "facebook page": "facebook",
    "facebook pages": "facebook",
    "instagram business": "instagram",
    "instagram business profile": "instagram",
    "linkedin page": "linkedin",
    "linkedin company": "linkedin",
    "linkedin company page": "linkedin",
}


def lang_code(value: str | None) -> str | None:
    """'fr-CA', 'French', 'FR' -> 'fr'; 'und' and other non-languages -> None."""
    if not value or not value.strip():
        return None
    lowered = value.strip().lower()
    names = {"french": "fr", "français": "fr", "francais": "fr", "english": "en", "anglais": "en"}
    code = names.get(lowered, lowered.replace("_", "-").split("-")[0])
    return code if len(code) == 2 and code.isalpha() else None


def iso_date(value: str | int | float | None, *formats: str) -> str | None:
    """A date as ISO 8601 (what reports group by month), from a Unix time or one of `formats`.

    A value in none of the formats is kept as written: better an odd date than none.
    """
    if value is None or value == "":
        return None
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value, tz=UTC).isoformat()
    text = value.strip()
    for pattern in formats:
        try:
            return datetime.strptime(text, pattern).isoformat()
        except ValueError:
            continue
    return text


def clean_text(text: str) -> str:
    """Strip a post and normalise its line ends; the words are left as written."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()
