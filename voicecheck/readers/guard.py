"""The guarded path every reader goes through: bounded records, checked fields, safe text.

Whatever a file holds, reading it must end in posts, counted skips or an InputError, never
in a traceback or in memory out of all proportion to the file. So:

- a record (a line, a JSON item, a document) has a size limit and a nesting limit; one over
  them is skipped saying so, or the file is refused naming where, without reading it whole;
- a field is used only when it has the type the export promises; one that does not is
  ignored and counted (`field`), or skips the record when it was the text;
- dates out of range are read as no date, with a note (`unix_date`);
- lone surrogates, which no output can encode, are replaced by U+FFFD, with a note
  (`checked_post`);
- anything of the file's that goes into a message is cut short (`excerpt`, `some`).
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

import ijson

from voicecheck.errors import InputError
from voicecheck.i18n import N_, _, gettext, number
from voicecheck.readers.base import MAX_RECORD_BYTES, Post, ReadStats, excerpt, megabytes, unix_time

T = TypeVar("T")

#: Nesting levels one record may have: real exports use fewer than ten.
MAX_DEPTH = 64
_SURROGATE = re.compile("[\ud800-\udfff]")
_POST_TEXTS = tuple(field.name for field in dataclasses.fields(Post) if field.type in ("str", "str | None"))


def kind_of(value: object) -> str:
    """What a value is, in the words of a message (bool before int: it is one)."""
    if value is None:
        return _("empty (null)")
    kinds: tuple[tuple[type | tuple[type, ...], str], ...] = (
        (Mapping, N_("an object")), ((list, tuple), N_("a list")), (bool, N_("true or false")),
        ((int, float), N_("a number")), (str, N_("text")),
    )  # fmt: skip
    return next((gettext(name) for types, name in kinds if isinstance(value, types)), type(value).__name__)


_TYPE_WORDS: dict[type, str] = {
    str: N_("text"), int: N_("a number"), float: N_("a number"), list: N_("a list"), Mapping: N_("an object"),
}  # fmt: skip


def _either(kinds: list[str]) -> str:
    """'text or a number': the kinds a field may hold, as a message names them."""
    named = kinds[0]
    for kind in kinds[1:]:
        named = _("{kind} or {other}").format(kind=named, other=kind)
    return named


def field(
    record: Mapping[str, Any], key: str, types: type[T] | tuple[type, ...], where: str, stats: ReadStats
) -> T | None:
    """`record[key]` if it holds one of `types` (never a boolean); else None, counting a wrong type.

    Absent and null fields are simply None: exports leave out what a post does not have.
    """
    value = record.get(key)
    if value is None:
        return None
    wanted = types if isinstance(types, tuple) else (types,)
    if isinstance(value, wanted) and not isinstance(value, bool):
        return value  # type: ignore[return-value]
    expected = _either([gettext(name) for name in dict.fromkeys(_TYPE_WORDS.get(t, t.__name__) for t in wanted)])
    remark = _("field '{key}' is {kind}, not {expected}, so it was ignored")
    stats.remark(remark.format(key=excerpt(key, 30), kind=kind_of(value), expected=expected), where)
    return None


def mapping(record: Mapping[str, Any], key: str, where: str, stats: ReadStats) -> Mapping[str, Any]:
    """An object field, or an empty one when absent or of another type (counted)."""
    return field(record, key, Mapping, where, stats) or {}


def items(record: Mapping[str, Any], key: str, where: str, stats: ReadStats) -> list[Any]:
    """A list field, or an empty one when absent or of another type (counted)."""
    return field(record, key, list, where, stats) or []


def identifier(record: Mapping[str, Any], key: str, where: str, stats: ReadStats) -> str | None:
    """An id field written as text or as a number."""
    value = field(record, key, (str, int, float), where, stats)
    if isinstance(value, int) and abs(value) >= 10**_ID_DIGITS:  # Python writes no int that long
        remark = _("field '{key}' is a number of over {count} digits, so it was ignored")
        stats.remark(remark.format(key=excerpt(key, 30), count=number(_ID_DIGITS, grouping=True)), where)
        return None
    return None if value is None or value == "" else excerpt(value, 200)


_ID_DIGITS = 4000


def unix_date(value: object, where: str, stats: ReadStats) -> str | None:
    """A Unix time as ISO 8601; one out of the calendar's range, or not a number, is no date (noted)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        stats.remark(_("a timestamp that is {kind}, not a number, read as no date").format(kind=kind_of(value)), where)
        return None
    date = unix_time(value)
    if date is None:
        stats.remark("a timestamp out of the calendar's range, read as no date", where)
    return date


def checked_post(post: Post, stats: ReadStats) -> Post:
    """The post with text that every output can write: lone surrogates become U+FFFD (noted).

    JSON may escape half of a UTF-16 pair ("\\ud800"); no UTF-8 output can hold it, so it
    would fail the whole run when written.
    """
    joined = "".join([getattr(post, name) or "" for name in _POST_TEXTS])
    if joined.isascii() or not _SURROGATE.search(joined):  # nearly every post
        return post
    texts = {name: getattr(post, name) or "" for name in _POST_TEXTS}
    changes = {name: _SURROGATE.sub("\ufffd", text) for name, text in texts.items() if _SURROGATE.search(text)}
    stats.remark("a lone surrogate (half of a UTF-16 pair) replaced by U+FFFD", post.where)
    return dataclasses.replace(post, **changes)


class Skipped:
    """A record that was read past but not built, and why."""

    def __init__(self, reason: str) -> None:
        self.reason = reason


def too_deep() -> str:
    return _("nested deeper than {count} levels").format(count=MAX_DEPTH)


def too_big() -> str:
    return _("a record over {size}").format(size=megabytes(MAX_RECORD_BYTES))


def json_line(line: str, where: str, stats: ReadStats) -> Any | Skipped:
    """One JSON Lines record, within the nesting limit (the line is within the size limit).

    Raises json.JSONDecodeError for text that is not JSON.
    """
    try:
        value = json.loads(line, parse_int=_integer, parse_constant=_constant)
    except RecursionError:
        return Skipped(too_deep())
    if _depth(value) > MAX_DEPTH:
        return Skipped(too_deep())
    return value


def _integer(digits: str) -> int | float:
    """An integer as JSON writes it; beyond Python's limit on digits, as a float (inf)."""
    return int(digits) if len(digits) <= 4000 else float(digits)


def _constant(name: str) -> float:
    """NaN and Infinity, which are not JSON but which json reads: kept as numbers, never dates."""
    return float(name.lower().replace("infinity", "inf"))


def _depth(value: Any) -> int:
    """The nesting depth of a parsed JSON value, without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict | list):
            deepest = max(deepest, depth)
            if depth > MAX_DEPTH:
                return depth
            stack.extend((child, depth + 1) for child in (node.values() if isinstance(node, dict) else node))
    return deepest


class NoArray(InputError):
    """A JSON file with no array where its records should be: it holds no records, not zero."""


def json_records(
    open_stream: Callable[[], BinaryIO],
    prefix: str,
    path: Path,
    stats: ReadStats,
    broken: str | None = None,
    missing: str | None = None,
) -> Iterator[tuple[str, Any]]:
    """(where, value) for each value at `prefix` (ijson's notation: "item", "posts.item"), streamed.

    `broken` is the message of a file that is not JSON, in the words of its format (a message
    id with {path}, {count} and {problem}); by default, that it is not valid JSON. A file
    with no array at `prefix` (an object where the array should be, or no such key) raises
    NoArray with `missing` (the message, in the words of its format), before any record:
    read as empty, it would pass a check it was never given.
    Records over MAX_DEPTH or MAX_RECORD_BYTES are read past and skipped, saying so; nothing
    outside the records is built. ijson's C parser cannot read a lone surrogate escape
    ("\\ud800": it fails, or reads "?") nor an integer beyond 64 bits; a file with one is
    read again from that record on with ijson's Python parser, which can (a lone surrogate
    is kept for `checked_post` to replace and say so).
    """
    done = 0
    for backend in ("yajl2_c", "python"):
        try:
            parser = ijson.get_backend(backend)
        except ImportError:
            continue
        with open_stream() as raw:
            stream = _SurrogateWatch(raw) if backend == "yajl2_c" else raw
            try:
                values = _values(parser.basic_parse(stream, use_float=True), prefix)
                for record, value in enumerate(values, start=1):
                    if record <= done:
                        continue  # read by the first parser
                    done = record
                    where = f"{path}#{record}"
                    if isinstance(value, Skipped):
                        stats.skip(value.reason, where, "too_large")
                    else:
                        yield where, value
                return
            except _Missing:
                raise NoArray(
                    missing or _("{path}: no array of posts where one was expected").format(path=path)
                ) from None
            except (UnicodeDecodeError, _LoneSurrogate):
                continue  # the Python parser reads it
            except (ijson.JSONError, json.JSONDecodeError) as exc:  # the Python parser raises the second
                if backend == "yajl2_c" and "integer overflow" in _first_line(exc):
                    continue  # a number beyond 64 bits, which the Python parser reads
                message = broken or _("{path}: not valid JSON after record {count} ({problem})")
                problem = _first_line(exc)
                raise InputError(message.format(path=path, count=number(done, grouping=True), problem=problem)) from exc
    message = _("{path}: not valid UTF-8 after record {count}; save the file as UTF-8")
    raise InputError(message.format(path=path, count=number(done, grouping=True)))


class _LoneSurrogate(Exception):
    """An escape of half a UTF-16 pair is coming, which ijson's C parser misreads."""


#: An escape of a high half not followed by a low half, or of a low half (whose high half,
#: if any, is looked for before it: a regex starting with a lookbehind would be slow).
_LONE_ESCAPE = re.compile(rb"\\u[dD](?:[89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})|[c-fC-F][0-9a-fA-F]{2})")
_HIGH_ESCAPE = re.compile(rb"\\u[dD][89abAB][0-9a-fA-F]{2}")


class _SurrogateWatch:
    """A byte stream that raises _LoneSurrogate before handing over a lone surrogate escape.

    It may also raise for an escaped backslash before "ud800" (then the slower parser reads
    the file, as well); it never lets a lone surrogate through.
    """

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self._carry = b""  # the end of the last chunk, so an escape cut in two is seen whole
        self._before = 0  # bytes before the carry, which the window no longer shows

    def read(self, size: int = -1) -> bytes:
        chunk = self._raw.read(size)
        window = self._carry + chunk
        for match in _LONE_ESCAPE.finditer(window):
            is_high = match.group()[3:4] in b"89abAB"
            if is_high and chunk and len(window) - match.end() < 6:
                continue  # its low half may start the next chunk: judged then
            if not is_high and _HIGH_ESCAPE.fullmatch(window, max(match.start() - 6, 0), match.start()):
                continue  # the low half of a pair
            if not is_high and self._before and match.start() < 6:
                continue  # its high half may be before the window: it was judged with it
            raise _LoneSurrogate
        self._before += len(window) - len(window[-32:])
        self._carry = window[-32:]
        return chunk


def _first_line(exc: Exception) -> str:
    """ijson's message, whose later lines quote the input, as one short line."""
    message = exc.args[0] if exc.args else ""
    if isinstance(message, bytes):
        message = message.decode("utf-8", errors="replace")
    lines = str(message).strip().splitlines()
    return excerpt(lines[0] if lines else type(exc).__name__, 120)


_START = {"start_map", "start_array"}
_END = {"end_map", "end_array"}


class _Missing(Exception):
    """The stream ended without an array where the values were to be."""


def _values(events: Iterator[tuple[str, Any]], prefix: str) -> Iterator[Any]:
    """The values at `prefix` (its last part "item") in a stream of ijson.basic_parse events,
    each built with bounds; raises _Missing at the end if no array was at that place."""
    target = prefix.split(".")
    path: list[str] = []  # the prefix of the container we are in, while it may lead to the target
    reached = False
    for event, value in events:
        if event == "map_key":
            path[-1] = value
            continue
        if event in _END:
            path.pop()
            continue
        if path == target:
            reached = True
            yield _build(event, value, events)
            continue
        if event in _START:
            if len(path) < len(target) and path == target[: len(path)]:
                path.append("item" if event == "start_array" else "")
                reached = reached or path == target  # an empty array is reached, and holds no records
            else:
                _skip(events)  # a container off the way to the records: read past it
    if not reached:
        raise _Missing


def _skip(events: Iterator[tuple[str, Any]]) -> None:
    """Read past the rest of a container whose start was just read."""
    depth = 1
    for event, _value in events:
        if event in _START:
            depth += 1
        elif event in _END:
            depth -= 1
            if depth == 0:
                return


def _build(event: str, value: Any, events: Iterator[tuple[str, Any]]) -> Any:
    """The value that starts with `event`, or Skipped once it passes a limit (read to its end)."""
    if event not in _START:
        return value
    root: Any = {} if event == "start_map" else []
    stack: list[Any] = [root]
    key: Any = None  # the key of the value to come, in the innermost object
    keys: list[Any] = []  # the keys the outer objects are waiting on
    size = 0  # bytes, about: 8 for each value and key, and the length of each string
    for event, value in events:
        size += 8
        if event == "map_key":
            key = value
            size += len(value)
            continue
        if event == "end_map" or event == "end_array":
            stack.pop()
            if not stack:
                return root
            key = keys.pop()
            continue
        if event == "start_map" or event == "start_array":
            node: Any = {} if event == "start_map" else []
        else:
            node = value
            if event == "string":
                size += len(value)
        parent = stack[-1]
        if type(parent) is list:
            parent.append(node)
        else:
            parent[key] = node
        if type(node) is dict or type(node) is list:
            stack.append(node)
            keys.append(key)
            if len(stack) > MAX_DEPTH:
                _skip_to_end(events, len(stack))
                return Skipped(too_deep())
        if size > MAX_RECORD_BYTES:
            _skip_to_end(events, len(stack))
            return Skipped(too_big())
    return root  # the events ended inside the record: ijson raises on the next read


def _skip_to_end(events: Iterator[tuple[str, Any]], open_containers: int) -> None:
    """Read past the ends of `open_containers` containers (and all they hold)."""
    for _container in range(open_containers):
        _skip(events)
