"""JSON (one document with a summary) and JSON Lines (one object per post, streamed)."""

from __future__ import annotations

import json
from typing import Any, TextIO

SCHEMA_VERSION = 1


class JsonLinesFormatter:
    def __init__(self, out: TextIO) -> None:
        self.out = out

    def write(self, result: dict[str, Any]) -> None:
        self.out.write(json.dumps(result, ensure_ascii=False) + "\n")

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
        json.dump(document, self.out, ensure_ascii=False, indent=2)
        self.out.write("\n")
