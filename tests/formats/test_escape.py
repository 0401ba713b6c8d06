"""The escaping every output format relies on, for any text at all (Hypothesis)."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import string
from urllib.parse import unquote_to_bytes

from hypothesis import example, given
from hypothesis import strategies as st

from voicecheck.formats.escape import (
    CSV_HIDDEN,
    FORMULA_STARTS,
    HIDDEN,
    csv_cell,
    github_data,
    github_property,
    to_json,
    uri_reference,
    visible,
)

#: Any text, with the characters that matter here drawn often: controls, surrogates, bidi, formula starts.
HOSTILE = st.sampled_from(list("\x00\x1b\t\n\r\x7f\x85\x9b\ud800\udce9\u2028\u202e\u2066=+-@%:,#/ é"))
TEXT = st.text(st.one_of(st.characters(codec=None), HOSTILE))
#: Text as Python reads file names: any character but NUL, with undecodable bytes as U+DC80–U+DCFF.
FILE_NAMES = st.text(st.one_of(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"),
                               st.sampled_from(list("\udce9\udcff\udc80 #%?:")))).filter(bool)  # fmt: skip


def unescape_github(text: str, property_value: bool = False) -> str:
    """What the Actions runner does to a command's message or property, in its order."""
    pairs = [("%0D", "\r"), ("%0A", "\n"), *([("%3A", ":"), ("%2C", ",")] * property_value), ("%25", "%")]
    for escaped, char in pairs:
        text = text.replace(escaped, char)
    return text


@given(TEXT)
@example("\x1b[2J\x1b[31mred\x1b]0;title\x07")
def test_visible_text_holds_no_control_character_and_encodes(text: str) -> None:
    shown = visible(text)
    assert HIDDEN.search(shown) is None
    shown.encode("utf-8")  # strict: no lone surrogate left


@given(st.text(st.characters(codec="utf-8", exclude_categories=["Cc", "Zl", "Zp"])))
def test_visible_leaves_ordinary_text_alone(text: str) -> None:
    if HIDDEN.search(text) is None:
        assert visible(text) == text


def test_visible_spells_out_what_it_hides() -> None:
    assert visible("a\x1b[31mb\nc\td\udce9\u202e") == "a\\x1b[31mb\\nc\\td\\xe9\\u202e"


@given(TEXT)
@example('=HYPERLINK("http://x","y")')
@example("\t=1+1")
def test_csv_cell_never_starts_a_formula_and_reads_back_as_written(text: str) -> None:
    cell = csv_cell(text)
    assert not cell.startswith(FORMULA_STARTS)
    assert CSV_HIDDEN.search(cell) is None  # tabs and line breaks may stay: quoting keeps them in the cell
    out = io.StringIO(newline="")
    csv.writer(out).writerow([cell, "next"])
    assert next(csv.reader(io.StringIO(out.getvalue(), newline=""))) == [cell, "next"]


@given(
    st.text(string.ascii_letters + string.digits + " é.,;'!?\n\t\r").filter(lambda t: not t.startswith(("\t", "\r")))
)
def test_csv_cell_keeps_plain_text(text: str) -> None:
    assert csv_cell(text) == text
    assert csv_cell(12.5) == 12.5


@given(TEXT)
def test_github_message_stays_on_one_line_and_round_trips(text: str) -> None:
    escaped = github_data(text)
    assert "\n" not in escaped and "\r" not in escaped
    assert unescape_github(escaped) == _without_surrogates(text)


@given(TEXT)
def test_github_property_has_no_separator_and_round_trips(text: str) -> None:
    escaped = github_property(text)
    assert not set(escaped) & set("\r\n:,")
    assert unescape_github(escaped, property_value=True) == _without_surrogates(text)


@given(st.recursive(st.none() | st.booleans() | st.floats(allow_nan=False) | TEXT,
                    lambda inner: st.lists(inner) | st.dictionaries(TEXT, inner), max_leaves=10))  # fmt: skip
def test_json_encodes_parses_and_shows_no_raw_control(value: object) -> None:
    text = to_json(value, indent=2)
    text.encode("utf-8")
    assert re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f]", text) is None  # only the newlines of the indentation
    assert json.loads(text) == _without_surrogates(value)


def _without_surrogates(value: object) -> object:
    if isinstance(value, str):
        return re.sub("[\ud800-\udfff]", "\ufffd", value)
    if isinstance(value, list):
        return [_without_surrogates(v) for v in value]
    if isinstance(value, dict):
        return {_without_surrogates(k): _without_surrogates(v) for k, v in value.items()}
    return value


@given(FILE_NAMES)
@example("drafts/été #2 100%.md")
@example("/tmp/a b.md")
def test_uri_reference_is_percent_encoded_and_keeps_the_bytes(path: str) -> None:
    uri = uri_reference(path)
    assert re.fullmatch(r"(file://)?([A-Za-z0-9_.~/-]|%[0-9A-F]{2})*", uri), uri
    body = uri.removeprefix("file://") if path.startswith("/") else uri
    assert unquote_to_bytes(body) == os.fsencode(path)
