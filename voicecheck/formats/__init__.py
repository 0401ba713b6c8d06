"""Output formats for `check`, one per module, all behind the same two-call interface."""

from __future__ import annotations

from typing import Any, Protocol, TextIO

from voicecheck.formats import csvout, github, jsonout, sarif, text


class Formatter(Protocol):
    def write(self, result: dict[str, Any]) -> None: ...

    def close(self, summary: dict[str, Any]) -> None: ...


FORMATTERS: dict[str, type[Formatter]] = {
    "text": text.TextFormatter,
    "json": jsonout.JsonFormatter,
    "jsonl": jsonout.JsonLinesFormatter,
    "csv": csvout.CsvFormatter,
    "excel-fr": csvout.ExcelFrenchFormatter,
    "sarif": sarif.SarifFormatter,
    "github": github.GithubFormatter,
}


def formatter(name: str, out: TextIO) -> Formatter:
    return FORMATTERS[name](out)  # type: ignore[call-arg]
