"""What every reader shares: the Post record, the read counts, and safe file opening."""

from __future__ import annotations

import io
import os
import re
import stat
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO, Literal

from voicecheck.core import Post as Post  # the record every reader makes lives at the bottom layer
from voicecheck.errors import InputError
from voicecheck.i18n import _, gettext, ngettext, number

#: Why a record was not read as a post, as a stable code beside the reason in words (the words
#: follow --lang, the code never changes): docs/reasons.md, "Records not read as posts".
SkipCode = Literal["no_text", "not_a_post", "not_published", "retweet", "too_large", "malformed"]

#: Posts longer than this are judged on their beginning only (and say so).
MAX_POST_CHARS = 5_000
#: Bytes one record may hold (a line, a JSON item): a thousand times a long post. A longer
#: one is refused naming where, without being read whole.
MAX_RECORD_BYTES = 4 * 2**20
#: Bytes of a file read as one document (a Markdown draft, a web page).
MAX_DOCUMENT_BYTES = 10 * 2**20
#: Characters of a file's own content that a message quotes.
EXCERPT_CHARS = 60
#: Skip reasons and notes a summary names; the rest are counted together.
SUMMARY_REASONS = 12


@dataclass
class SourceStats:
    """What one input file gave: its format, the posts kept, and the records skipped."""

    path: str
    format: str
    read: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    error: str | None = None  # why the file could not be read (to the end)

    def line(self) -> str:
        parts = [_("{path} ({format}): {posts}").format(path=self.path, format=self.format, posts=posts(self.read))]
        skipped = self.skipped.most_common(SUMMARY_REASONS)
        parts += [_skipped(count, reason) for reason, count in skipped]
        parts += _others(self.skipped)
        if self.error:
            parts.append(_("stopped: unreadable"))
        return ", ".join(parts)

    def as_dict(self, codes: dict[str, SkipCode]) -> dict[str, object]:
        """The file's record; `codes` is the run's map of reason to code (a reason has one code)."""
        return {"path": self.path, "format": self.format, "read": self.read, "skipped": dict(self.skipped),
                "skips": _skips(self.skipped, codes), "error": self.error}  # fmt: skip


@dataclass
class ReadStats:
    """How many posts were read and skipped, and why: nothing disappears silently."""

    files: int = 0
    read: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)  # reason -> first "file:line"
    codes: dict[str, SkipCode] = field(default_factory=dict)  # reason -> its code
    sources: list[SourceStats] = field(default_factory=list)
    ignored_files: int = 0  # files in a folder that are not posts (images, scripts, ...)
    notes: list[str] = field(default_factory=list)  # how a file was read when it was not as expected
    remarks: Counter[str] = field(default_factory=Counter)  # what was read otherwise than written, per record
    remark_examples: dict[str, str] = field(default_factory=dict)  # remark -> first "file:line"

    def start(self, path: Path, format_name: str) -> SourceStats:
        self.files += 1
        self.sources.append(SourceStats(str(path), format_name))
        return self.sources[-1]

    def describe(self, detail: str) -> None:
        """Name what the current file turned out to be (an export layout, a feed kind)."""
        if self.sources:
            self.sources[-1].format += f": {detail}"

    def skip(self, reason: str, where: str, code: SkipCode) -> None:
        """Count a record at `where` that is not read as a post: `reason` in words, `code` for tools."""
        reason = excerpt(gettext(reason), 160)  # a reason written as a literal is in the catalogs
        self.skipped[reason] += 1
        self.examples.setdefault(reason, where)
        self.codes.setdefault(reason, code)
        if self.sources:
            self.sources[-1].skipped[reason] += 1

    def count(self) -> None:
        self.read += 1
        if self.sources:
            self.sources[-1].read += 1

    def note(self, message: str) -> None:
        """Say how a file was read when it differed from the usual (its encoding), once."""
        if message not in self.notes:
            self.notes.append(message)

    def remark(self, what: str, where: str) -> None:
        """Count a record that was read otherwise than written (a field ignored, a date dropped)."""
        what = excerpt(gettext(what), 160)
        self.remarks[what] += 1
        self.remark_examples.setdefault(what, where)

    def fail(self, message: str) -> None:
        """Record a file that could not be read to the end; the batch goes on."""
        if self.sources:
            self.sources[-1].error = _shortened(message)

    @property
    def errors(self) -> list[str]:
        return [source.error for source in self.sources if source.error]

    def raise_for_errors(self) -> None:
        """Fail, once the readable files were read, naming every file that was not."""
        errors = self.errors
        if len(errors) == 1:
            raise InputError(errors[0])
        if errors:
            heading = ngettext("{count} file could not be read:", "{count} files could not be read:", len(errors))
            raise InputError(heading.format(count=number(len(errors), grouping=True)) + "\n  " + "\n  ".join(errors))

    @property
    def total_skipped(self) -> int:
        return sum(self.skipped.values())

    def summary(self) -> str:
        read = ngettext("read {posts} from {files}", "read {posts} from {files}", self.read)
        parts = [read.format(posts=posts(self.read), files=files(self.files))]
        for reason, count in self.skipped.most_common(SUMMARY_REASONS):
            first = self.examples[reason]
            parts.append(
                ngettext(
                    "skipped {count} ({reason}, first at {where})",
                    "skipped {count} ({reason}, first at {where})",
                    count,
                ).format(count=count, reason=reason, where=first)
            )
        parts += _others(self.skipped)
        if self.errors:
            unread = ngettext(
                "{files} could not be read to the end", "{files} could not be read to the end", len(self.errors)
            )
            parts.append(unread.format(files=files(len(self.errors))))
        if self.ignored_files:
            ignored = ngettext(
                "ignored {files} in folders that are not posts",
                "ignored {files} in folders that are not posts",
                self.ignored_files,
            )
            parts.append(ignored.format(files=files(self.ignored_files)))
        return "; ".join(parts + self.notes + self.remark_lines())

    def remark_lines(self) -> list[str]:
        """The remarks as a summary says them: 'N records: what (first at where)'."""
        lines = [
            _("{records}: {what} (first at {where})").format(
                records=records(count), what=what, where=self.remark_examples[what]
            )
            for what, count in self.remarks.most_common(SUMMARY_REASONS)
        ]
        shown = sum(count for _what, count in self.remarks.most_common(SUMMARY_REASONS))
        hidden = sum(self.remarks.values()) - shown
        other = ngettext(
            "{records} read otherwise than written for other reasons",
            "{records} read otherwise than written for other reasons",
            hidden,
        ).format(records=records(hidden))
        return lines + ([other] if hidden else [])

    def breakdown(self) -> list[str]:
        """One line per input file, for runs that mix sources."""
        return [source.line() for source in self.sources]

    def as_dict(self) -> dict[str, object]:
        return {
            "files": self.files,
            "read": self.read,
            "skipped": dict(self.skipped),
            "skips": _skips(self.skipped, self.codes, self.examples),
            "sources": [source.as_dict(self.codes) for source in self.sources],
            "notes": list(self.notes) + self.remark_lines(),
        }


def _skips(
    skipped: Counter[str], codes: dict[str, SkipCode], first: dict[str, str] | None = None
) -> list[dict[str, object]]:
    """The skips as records a tool reads in any language: each reason's code, words and count
    (and where it was first met), most frequent first."""
    return [
        {"code": codes[reason], "reason": reason, "count": count, **({"first": first[reason]} if first else {})}
        for reason, count in skipped.most_common()
    ]


def _shortened(message: str, keep: int = 300) -> str:
    """A message cut in its middle past 2 × `keep` characters: a path and a reason both stay."""
    return message if len(message) <= 2 * keep else f"{message[:keep]}…{message[-keep:]}"


def _others(skipped: Counter[str]) -> list[str]:
    """The skips beyond the reasons a summary names, counted together."""
    hidden = sum(skipped.values()) - sum(count for _reason, count in skipped.most_common(SUMMARY_REASONS))
    if not hidden:
        return []
    other = ngettext("skipped {count} for other reasons", "skipped {count} for other reasons", hidden)
    return [other.format(count=number(hidden, grouping=True))]


def _skipped(count: int, reason: str) -> str:
    return ngettext("skipped {count} ({reason})", "skipped {count} ({reason})", count).format(
        count=count, reason=reason
    )


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
#: Byte order marks of the encodings read besides UTF-8 (UTF-32's first: it starts as UTF-16's does).
BYTE_ORDER_MARKS = (
    (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"),
)  # fmt: skip


def open_binary(path: Path) -> BinaryIO:
    """Open a posts file for its bytes; STDIN opens standard input.

    Standard input is read whole the first time and kept, so that a reader can look at its
    first bytes to tell the format and then read it from the start, as it does a file. A
    pipe, socket or device is refused before it is opened (opening a pipe can wait forever).
    """
    global _stdin_bytes
    if path != STDIN:
        try:
            if not stat.S_ISREG(os.stat(path).st_mode) and not path.is_dir():
                message = _(
                    "{path}: not a regular file (a pipe, socket or device); pipe it to standard input instead, as '-'"
                )
                raise InputError(message.format(path=path))
            return open(path, "rb")
        except OSError as exc:
            raise cannot_read(path, exc) from exc
    if _stdin_bytes is None:
        _stdin_bytes = sys.stdin.buffer.read()
    return io.BytesIO(_stdin_bytes)


def bom_encoding(head: bytes) -> str | None:
    """'utf-16' or 'utf-32' when the bytes start with that encoding's byte order mark."""
    return next((name for mark, name in BYTE_ORDER_MARKS if head.startswith(mark)), None)


def _head(path: Path) -> bytes:
    """The first bytes of a posts file, refusing unreadable, empty and binary files clearly."""
    try:
        with open_binary(path) as raw:
            head = raw.read(8192)
    except OSError as exc:
        raise cannot_read(path, exc) from exc
    if not head:
        raise InputError(_("standard input is empty") if path == STDIN else empty_file(path))
    encoding = bom_encoding(head)
    if (b"\x00" in head) if encoding is None else ("\x00" in head.decode(encoding, errors="replace")):
        if encoding is None and _looks_like_utf16(head):
            message = _("{path}: this looks like UTF-16 without a byte order mark; save the file as UTF-8")
            raise InputError(message.format(path=path))
        raise InputError(_("{path}: this looks like a binary file, not posts (it has NUL bytes)").format(path=path))
    return head


def cannot_read(path: object, exc: OSError | ValueError) -> InputError:
    """The error of a file the system would not read, with the system's reason."""
    reason = getattr(exc, "strerror", None) or exc
    return InputError(_("{path}: cannot read ({reason})").format(path=path, reason=reason))


def empty_file(path: object) -> str:
    return _("{path}: the file is empty").format(path=path)


def not_valid(path: object, encoding: str, reason: str) -> InputError:
    """The error of text that its encoding cannot decode, with the codec's reason."""
    return InputError(
        _("{path}: not valid {encoding} ({reason})").format(path=path, encoding=encoding.upper(), reason=reason)
    )


def read_as_marked(path: object, encoding: str) -> str:
    """The note of a file read in the encoding its byte order mark names."""
    return _("{path} is {encoding} (by its byte order mark): read as such").format(path=path, encoding=encoding.upper())


def _looks_like_utf16(head: bytes) -> bool:
    """Text of one byte in two, the other NUL: UTF-16 of Latin text, its byte order mark lost."""
    halves = (head[0::2], head[1::2])
    return any(half.count(0) > 0.9 * len(half) and not other.count(0) for half, other in (halves, halves[::-1]))


def open_text(path: Path, stats: ReadStats | None = None, *, fall_back: bool = True) -> TextLines:
    """Open a posts file as text, refusing empty and binary files with a clear message.

    Text is UTF-8, or UTF-16 or UTF-32 where a byte order mark says so (and `stats` says
    it). With `stats` and `fall_back`, a file that is not UTF-8 is read as Windows-1252
    instead, and `stats` says so: spreadsheets on Windows save "CSV" in that encoding.
    """
    return TextLines(path, stats, fall_back=fall_back)


def open_utf8(path: Path, stats: ReadStats | None = None) -> BinaryIO:
    """A posts file's bytes as UTF-8, for parsers of bytes: UTF-16 and UTF-32 are transcoded."""
    head = _head(path)
    encoding = bom_encoding(head)
    raw = open_binary(path)
    if encoding is None:
        if head.startswith(b"\xef\xbb\xbf"):
            raw.read(3)  # a UTF-8 byte order mark, which parsers of JSON refuse
        return raw
    _say_encoding(path, encoding, stats)
    return io.BufferedReader(_Transcoded(io.TextIOWrapper(raw, encoding=encoding, newline=""), path))


def _say_encoding(path: Path, encoding: str, stats: ReadStats | None) -> None:
    if stats is not None:
        stats.note(read_as_marked(path, encoding))


class _Transcoded(io.RawIOBase):
    """A text stream's characters as UTF-8 bytes."""

    def __init__(self, text: io.TextIOWrapper, path: Path) -> None:
        self._text = text
        self._path = path
        self._pending = b""
        self._offset = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        if self._offset >= len(self._pending):
            try:
                self._pending, self._offset = self._text.read(65536).encode("utf-8"), 0
            except UnicodeDecodeError as exc:
                raise not_valid(self._path, self._text.encoding, exc.reason) from exc
        size = min(len(buffer), len(self._pending) - self._offset)
        buffer[:size] = self._pending[self._offset : self._offset + size]
        self._offset += size
        return size

    def close(self) -> None:
        self._text.close()
        super().close()


def peek_bytes(path: Path) -> bytes:
    """The first bytes of a posts file, for parsers that read bytes (checked like open_text)."""
    return _head(path)


def peek(path: Path, size: int = 4096) -> str:
    """The first characters of a posts file, to tell its format (checked like open_text)."""
    head = _head(path)
    return head.decode(bom_encoding(head) or "utf-8", errors="replace")[:size].lstrip("\ufeff")


#: The encoding of text that is not UTF-8: what spreadsheets on Windows save CSV in, for
#: French and English (every byte but five decodes, so it is tried only on ASCII-clean starts).
FALLBACK_ENCODING = "cp1252"
#: What UTF-8 bytes that do not decode become, read with errors="surrogateescape".
_UNDECODED = re.compile("[\udc80-\udcff]")


class LineTooLong(InputError):
    """A line over MAX_RECORD_BYTES, read past in pieces: the lines after it can still be read."""

    def __init__(self, path: Path, line: int) -> None:
        super().__init__(
            _("{path}:{line}: a line over {size}, not read").format(
                path=path, line=line, size=megabytes(MAX_RECORD_BYTES)
            )
        )
        self.where = f"{path}:{line}"
        self.reason = _("a line over {size}").format(size=megabytes(MAX_RECORD_BYTES))


class TextLines:
    """Lines of a text file, ended by \\n, \\r\\n or \\r, decoded one by one so an error names its line.

    A line over MAX_RECORD_BYTES raises LineTooLong once read past, never whole.
    """

    def __init__(self, path: Path, stats: ReadStats | None = None, *, fall_back: bool = True) -> None:
        self._path = path
        self._bom = bom_encoding(_head(path))
        self._encoding = self._bom or "utf-8"
        self._stats = stats  # where to say the file fell back to FALLBACK_ENCODING
        self._fall_back = fall_back and stats is not None
        self._ascii_so_far = True  # UTF-8 and Windows-1252 read the lines so far alike
        errors = "strict" if self._bom else "surrogateescape"  # undecoded bytes are told apart per line
        self._handle = io.TextIOWrapper(open_binary(path), encoding=self._encoding, errors=errors, newline="")
        if self._bom:
            _say_encoding(path, self._bom, stats)
        self._line = 0

    def __enter__(self) -> TextLines:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._handle.close()

    def __iter__(self) -> Iterator[str]:
        return self

    def _decode(self, text: str, first_line: int) -> str:
        """`text` as UTF-8 read it, or as Windows-1252 when that is what the file turns out to be."""
        if first_line == 1 and text.startswith("\ufeff"):
            text = text[1:]
            self._ascii_so_far = False  # the file says it is UTF-8
        if self._bom:
            return text
        if self._encoding == FALLBACK_ENCODING:
            return self._as_fallback(text, first_line)
        undecoded = _UNDECODED.search(text)
        if undecoded is None:
            self._ascii_so_far = self._ascii_so_far and text.isascii()
            return text
        line = first_line + _line_ends(text[: undecoded.start()])
        if not self._fall_back or not self._ascii_so_far:
            # a file whose earlier lines were UTF-8 beyond ASCII is mixed: refuse it
            message = _("{path}: not valid UTF-8 at line {line} (byte {byte}); save the file as UTF-8")
            byte = f"0x{ord(undecoded.group()) - 0xDC00:02x}"
            raise InputError(message.format(path=self._path, line=line, byte=byte))
        self._encoding = FALLBACK_ENCODING
        decoded = self._as_fallback(text, first_line)
        if self._stats is not None:
            self._stats.note(
                _("{path} is not UTF-8 (line {line}): read as Windows-1252").format(path=self._path, line=line)
            )
        return decoded

    def _as_fallback(self, text: str, first_line: int) -> str:
        raw = text.encode("utf-8", errors="surrogateescape")
        try:
            return raw.decode(FALLBACK_ENCODING)
        except UnicodeDecodeError as exc:
            line = first_line + raw[: exc.start].count(b"\n")
            message = _("{path}: neither UTF-8 nor Windows-1252 at line {line} (byte {byte}); save the file as UTF-8")
            raise InputError(message.format(path=self._path, line=line, byte=f"0x{raw[exc.start]:02x}")) from exc

    def _readline(self, limit: int) -> str:
        try:
            return self._handle.readline(limit)
        except UnicodeDecodeError as exc:
            raise not_valid(f"{self._path}:{self._line + 1}", self._encoding, exc.reason) from exc
        except OSError as exc:
            raise cannot_read(f"{self._path}:{self._line + 1}", exc) from exc

    def __next__(self) -> str:
        line = self._readline(MAX_RECORD_BYTES + 1)
        if not line:
            raise StopIteration
        self._line += 1
        if len(line.rstrip("\r\n")) > MAX_RECORD_BYTES:
            while line and not line.endswith(("\n", "\r")):
                line = self._readline(2**16)  # read past the rest, a piece at a time
            raise LineTooLong(self._path, self._line)
        return self._decode(line, self._line)

    def read(self, limit: int = MAX_DOCUMENT_BYTES) -> str:
        """The rest of the file, refused past `limit` characters without reading further."""
        try:
            text = self._handle.read(limit + 1)
        except UnicodeDecodeError as exc:
            raise not_valid(self._path, self._encoding, exc.reason) from exc
        if len(text) > limit:
            message = _("{path}: over {size}, too big for one document")
            raise InputError(message.format(path=self._path, size=megabytes(limit)))
        decoded = self._decode(text, self._line + 1)
        self._line += _line_ends(text)
        return decoded


def _line_ends(text: str) -> int:
    """How many lines `text` ends, counting \\r\\n once and a lone \\r as a line end."""
    return text.count("\n") + text.count("\r") - text.count("\r\n")


def megabytes(size: int) -> str:
    """'4 MB', for the limits in messages, in the user's language ('4 Mo')."""
    size_mb = size / 2**20
    return _("{size} MB").format(size=number(size_mb, decimals=0 if size_mb.is_integer() else 1))


def excerpt(value: object, limit: int = EXCERPT_CHARS, one_line: bool = True) -> str:
    """Text of the file's as a message quotes it: on one line, at most `limit` characters."""
    text = " ".join(str(value).split()) if one_line else str(value)
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


def some(names: Iterable[object], shown: int = 8) -> str:
    """'a, b, c', or 'a, b, … h and 999,992 more (1,000,000 in all)': a list a message can hold."""
    names = list(names)
    quoted = [excerpt(name, 40) for name in names[:shown]]
    if len(names) <= shown:
        return ", ".join(quoted)
    message = _("{names} and {count} more ({total} in all)")
    more, total = number(len(names) - shown, grouping=True), number(len(names), grouping=True)
    return message.format(names=", ".join(quoted), count=more, total=total)


def posts(count: int) -> str:
    """'1 post', '3 posts', in the user's language."""
    return ngettext("{count} post", "{count} posts", count).format(count=number(count, grouping=True))


def files(count: int) -> str:
    return ngettext("{count} file", "{count} files", count).format(count=number(count, grouping=True))


def records(count: int) -> str:
    return ngettext("{count} record", "{count} records", count).format(count=number(count, grouping=True))


@lru_cache(maxsize=4096)  # an export names the same few channels on every row
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
        return unix_time(value)
    text = value.strip()
    for pattern in formats:
        try:
            return datetime.strptime(text, pattern).isoformat()
        except ValueError:
            continue
    return text


#: Unix times that are dates (years 1 to 9999).
FIRST_TIME = datetime(1, 1, 2, tzinfo=UTC).timestamp()
LAST_TIME = datetime(9999, 12, 30, tzinfo=UTC).timestamp()


def unix_time(value: float) -> str | None:
    """A Unix time as ISO 8601, or None for a number no calendar holds (1e300, NaN, true)."""
    if isinstance(value, bool) or not FIRST_TIME <= value <= LAST_TIME:  # int and float compare exactly
        return None
    return datetime.fromtimestamp(value, tz=UTC).isoformat()


def clean_text(text: str) -> str:
    """Strip a post and normalise its line ends; the words are left as written."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()
