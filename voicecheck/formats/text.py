"""A readable table for people: one line per post, reasons and examples under each flag."""

from __future__ import annotations

import textwrap
from typing import Any, TextIO


def _short(text: str, width: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


class TextFormatter:
    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.out.write(f"{'SCORE':>5}  {'VERDICT':<12} {'CHANNEL':<12} {'ID':<16} POST\n")

    def write(self, result: dict[str, Any]) -> None:
        channel = result["channel"] or "-"
        self.out.write(
            f"{result['score']:5.0f}  {result['verdict']:<12} {_short(channel, 12):<12} "
            f"{_short(str(result['id']), 16):<16} {_short(result['text'], 60)}\n"
        )
        if result["verdict"] == "on-voice" and not result["reasons"]:
            return
        for reason in result["reasons"]:
            self.out.write(textwrap.fill(reason["message"], 100, initial_indent="       - ",
                                         subsequent_indent="         ") + "\n")  # fmt: skip
        for note in result["notes"]:
            self.out.write(f"       note: {note}\n")
        if result["examples"]:
            self.out.write("       how the brand usually says it:\n")
            for example in result["examples"]:
                self.out.write(f"         > {_short(example['text'], 90)}\n")

    def close(self, summary: dict[str, Any]) -> None:
        self.out.write(f"\n{summary['line']}\n")
