"""JSON (one document with a summary) and JSON Lines (one object per post, streamed)."""

from __future__ import annotations

from typing import Any, TextIO

from voicecheck.formats.escape import to_json

SCHEMA_VERSION = 1


class JsonLinesFormatter:
    def __init__(self, out: TextIO) -> None:
        self.out = out

    @staticmethod
    def line(result: dict[str, Any]) -> str:
        """The line `write` writes for one post: made where the post is judged, so `--jobs` makes it in its workers."""
        return to_json(result) + "\n"

    def write(self, result: dict[str, Any]) -> None:
        self.out.write(self.line(result))

    def write_line(self, line: str) -> None:
        self.out.write(line)

    def close(self, summary: dict[str, Any]) -> None:
        del summary  # counts go to stderr; every stdout line is a post


class JsonFormatter:
    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.results: list[dict[str, Any]] = []

    def write(self, result: dict[str, Any]) -> None:
        self.results.append(result)

    def close(self, summary: dict[str, Any]) -> None:
        document = {"schema_version": SCHEMA_VERSION, "summary": summary, "results": self.results}
        self.out.write(to_json(document, indent=2) + "\n")
