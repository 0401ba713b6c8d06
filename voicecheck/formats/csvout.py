"""CSV: one row per post, reasons joined, for spreadsheets.

Cells go through `csv_cell`: a cell starting with `=`, `+`, `-` or `@` is one a spreadsheet
would run as a formula, so it gets a leading quote, and control characters are spelt out.
"""

from __future__ import annotations

import csv
from typing import Any, TextIO

from voicecheck.features.tone import TONE_DIMENSIONS
from voicecheck.formats.escape import csv_row

COLUMNS = ["id", "channel", "lang", "score", "flagged", "verdict", "reasons", *TONE_DIMENSIONS, "where"]


class CsvFormatter:
    def __init__(self, out: TextIO) -> None:
        self.writer = csv.writer(out)
        self.writer.writerow(COLUMNS)

    def write(self, result: dict[str, Any]) -> None:
        reasons = "; ".join(reason["message"] for reason in result["reasons"])
        tone = [result["tone"][d] for d in TONE_DIMENSIONS]
        self.writer.writerow(csv_row([
            result["id"], result["channel"] or "", result["lang"], result["score"],
            str(result["flagged"]).lower(), result["verdict"], reasons, *tone, result["where"],
        ]))  # fmt: skip

    def close(self, summary: dict[str, Any]) -> None:
        del summary
