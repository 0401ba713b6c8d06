"""CSV for spreadsheets: the post's text and the suggestions in it, and a table French Excel opens as is."""

from __future__ import annotations

import csv
import io

from voicecheck.formats import formatter

RESULT = {
    "id": "p1", "channel": "instagram", "lang": "fr", "score": 12.5, "flagged": True, "verdict": "drift",
    "reasons": [{"kind": "avoided_term", "message": "emploie « cheap »",
                 "suggestion": {"code": "drop_avoided", "message": "retirez « cheap »"}}],
    "tone": {"formality": 40.2, "humor": 10.0, "irreverence": 5.5, "enthusiasm": 61.0},
    "where": "drafts.csv:2", "text": "Du ménage cheap; vraiment!", "examples": [], "notes": [],
}  # fmt: skip


def rows(name: str, delimiter: str) -> tuple[str, list[list[str]]]:
    out = io.StringIO()
    writer = formatter(name, out)
    writer.write(RESULT)
    writer.close({})
    text = out.getvalue()
    return text, list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter))


def test_csv_has_the_posts_text_and_the_suggestions() -> None:
    _, (header, row) = rows("csv", ",")
    cells = dict(zip(header, row, strict=True))
    assert cells["text"] == "Du ménage cheap; vraiment!" and cells["suggestions"] == "retirez « cheap »"
    assert cells["score"] == "12.5"


def test_excel_fr_has_a_byte_order_mark_semicolons_and_decimal_commas() -> None:
    text, (header, row) = rows("excel-fr", ";")
    assert text.startswith("\ufeffid;channel;")
    cells = dict(zip(header, row, strict=True))
    assert cells["score"] == "12,5" and cells["formality"] == "40,2"
    assert cells["text"] == "Du ménage cheap; vraiment!"  # a semicolon in a post stays inside its cell
