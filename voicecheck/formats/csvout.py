"""CSV: one row per post, reasons and suggestions joined, for spreadsheets.

`excel-fr` is the same table as Excel set to French opens it as is: UTF-8 with a byte order
mark (else Excel reads Windows-1252), semicolons between cells and decimal commas.

Cells go through `csv_cell`: a cell starting with `=`, `+`, `-` or `@` is one a spreadsheet
would run as a formula, so it gets a leading quote, and control characters are spelt out.
"""

from __future__ import annotations

import csv
from typing import Any, TextIO

from voicecheck.features.tone import TONE_DIMENSIONS
from voicecheck.formats.escape import csv_row

COLUMNS = [
    "id", "channel", "lang", "score", "flagged", "verdict", "reasons", *TONE_DIMENSIONS, "where", "text", "suggestions",
]  # fmt: skip


class CsvFormatter:
    delimiter = ","

    def __init__(self, out: TextIO) -> None:
        self.writer = csv.writer(out, delimiter=self.delimiter)
        self.writer.writerow(COLUMNS)

    def number(self, value: float) -> str | float:
        return value

    def write(self, result: dict[str, Any]) -> None:
        reasons = "; ".join(reason["message"] for reason in result["reasons"])
        suggestions = "; ".join(r["suggestion"]["message"] for r in result["reasons"] if r.get("suggestion"))
        tone = [self.number(result["tone"][d]) for d in TONE_DIMENSIONS]
        self.writer.writerow(csv_row([
            result["id"], result["channel"] or "", result["lang"], self.number(result["score"]),
            str(result["flagged"]).lower(), result["verdict"], reasons, *tone, result["where"], result["text"],
            suggestions,
        ]))  # fmt: skip

    def close(self, summary: dict[str, Any]) -> None:
        del summary


class ExcelFrenchFormatter(CsvFormatter):
    """For Excel set to French: a byte order mark, semicolons and decimal commas."""

    delimiter = ";"

    def __init__(self, out: TextIO) -> None:
        out.write("\ufeff")
        super().__init__(out)

    def number(self, value: float) -> str | float:
        return str(value).replace(".", ",")
