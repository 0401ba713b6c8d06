"""Making hostile text safe at the output edge: one place, one rule per kind of output.

Posts, ids and file names are anyone's text: an ESC can recolour or rewrite a terminal, a
newline can start a workflow command of its own in a CI log, `=HYPERLINK(...)` runs in a
spreadsheet, and a file name that is not UTF-8 (read as lone surrogates) cannot be encoded
at all. Each output format passes its strings through one of these functions.
"""

from __future__ import annotations

import json
import os
import re
from typing import Any
from urllib.parse import quote

#: Characters that move the cursor, recolour, reorder or break lines rather than show:
#: C0 and C1 controls and DEL, surrogates, line and paragraph separators, bidirectional controls.
_BREAKS = "\t\n\r"
_OTHERS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
HIDDEN = re.compile(f"[{_BREAKS}{_OTHERS}]")
#: In a CSV cell, tabs and line breaks are data that quoting keeps in their cell; the rest is spelt out.
CSV_HIDDEN = re.compile(f"[{_OTHERS}]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}
_SURROGATES = re.compile("[\ud800-\udfff]")
_JSON_RAW = re.compile("[\x7f-\x9f]")  # left raw by json.dumps(ensure_ascii=False); C1 CSI acts as ESC [

#: What makes a spreadsheet read a cell as a formula (OWASP's CSV injection rule).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _shown(match: re.Match[str]) -> str:
    char = match.group(0)
    code = ord(char)
    if char in _NAMED:
        return _NAMED[char]
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a file name that is not UTF-8, as Python reads it
        return f"\\x{code - 0xDC00:02x}"
    return f"\\u{code:04x}"


def visible(text: str) -> str:
    """`text` for people to read: every control or invisible ordering character spelt out.

    ESC becomes `\\x1b`, a newline `\\n`, an undecodable byte of a file name `\\xe9`, so a
    terminal, a log or a spreadsheet shows them instead of obeying them. Backslashes are
    left alone: this is for reading, not for parsing back.
    """
    return HIDDEN.sub(_shown, text)


def visible_lines(text: str) -> str:
    """`visible`, line by line: for messages whose own line breaks are meant (a list of files)."""
    return "\n".join(visible(line) for line in text.split("\n"))


def encodable(text: str) -> str:
    """`text` with lone surrogates (bytes that were not UTF-8) as U+FFFD, so it encodes as UTF-8."""
    return _SURROGATES.sub("\ufffd", text)


def to_json(value: Any, indent: int | None = None) -> str:
    """JSON that any parser reads and any terminal shows safely.

    Controls below U+0020 are escaped by json itself; DEL and C1 are escaped too, and lone
    surrogates, which strict parsers refuse and UTF-8 cannot encode, become U+FFFD. JSON's
    syntax is ASCII, so these characters only ever occur inside strings.
    """
    text = json.dumps(value, ensure_ascii=False, indent=indent)
    if text.isascii() and "\x7f" not in text:  # most posts: nothing to escape or replace
        return text
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group(0)):04x}", encodable(text))


def csv_cell(value: Any) -> Any:
    """A cell a spreadsheet shows as text: a quote before formula starts, controls spelt out.

    Tabs and line breaks stay, as a post's paragraphs do: the CSV quoting keeps them in the cell.
    """
    if not isinstance(value, str):
        return value
    shown = CSV_HIDDEN.sub(_shown, value)
    return "'" + shown if shown.startswith(FORMULA_STARTS) else shown


def csv_row(values: list[Any]) -> list[Any]:
    return [csv_cell(value) for value in values]


def github_data(text: str) -> str:
    """A workflow command's message, kept on one line (GitHub's escaping: %, CR, LF)."""
    return encodable(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_property(text: str) -> str:
    """A workflow command's property (file, title): its message escaping, and `:` and `,` too."""
    return github_data(text).replace(":", "%3A").replace(",", "%2C")


def uri_reference(path: str) -> str:
    """A file path as a URI reference (SARIF's artifactLocation.uri): percent-encoded UTF-8 bytes.

    A relative path stays relative; an absolute one becomes a file:// URI. A name that is not
    UTF-8 keeps its own bytes. `:` is encoded, so `a:b.md` is not read as a scheme.
    """
    try:
        raw = os.fsencode(path)
    except UnicodeEncodeError:  # a surrogate that no file name decodes to
        raw = encodable(path).encode("utf-8")
    encoded = quote(raw, safe="/")
    return "file://" + encoded if path.startswith("/") else encoded
