"""A readable table for people: one line per post, reasons and examples under each flag.

Every string is passed through `visible`, so a post or a file name holding an ESC or a
newline shows it spelt out rather than recolouring the terminal or breaking the table.
"""

from __future__ import annotations

import textwrap
from typing import Any, TextIO

from voicecheck.formats.escape import visible
from voicecheck.i18n import _
from voicecheck.messages import verdict_name


def _short(text: str, width: int) -> str:
    """The text on one line (its whitespace runs as single spaces), cut to `width`."""
    flat = visible(" ".join(text.split()))
    return flat if len(flat) <= width else flat[: width - 1] + "…"


class TextFormatter:
    """The table's heading comes with its first row: a run that reads no post (an empty file, one
    that cannot be read) prints its summary alone, not the heading of an empty table."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.rows = 0

    def _heading(self) -> None:
        score, verdict, channel, post_id, post = _("SCORE"), _("VERDICT"), _("CHANNEL"), _("ID"), _("POST")
        self.out.write(f"{score:>5}  {verdict:<12} {channel:<12} {post_id:<16} {post}\n")

    def write(self, result: dict[str, Any]) -> None:
        if not self.rows:
            self._heading()
        self.rows += 1
        channel = visible(result["channel"] or "-")
        self.out.write(
            f"{result['score']:5.0f}  {verdict_name(result['verdict']):<12} {_short(channel, 12):<12} "
            f"{_short(visible(str(result['id'])), 16):<16} {_short(result['text'], 60)}\n"
        )
        if result["verdict"] == "on-voice" and not result["reasons"]:
            return
        for reason in result["reasons"]:
            self.out.write(textwrap.fill(visible(reason["message"]), 100, initial_indent="       - ",
                                         subsequent_indent="         ") + "\n")  # fmt: skip
            if suggestion := reason.get("suggestion"):
                line = _("Try instead: {suggestion}").format(suggestion=visible(suggestion["message"]))
                self.out.write(
                    textwrap.fill(line, 100, initial_indent="         ", subsequent_indent="           ") + "\n"
                )
                if rewrite := suggestion.get("rewrite"):
                    self.out.write(f"           « {_short(rewrite, 88)} »\n")
        for note in result["notes"]:
            self.out.write(_("       note: {note}").format(note=visible(note)) + "\n")
        if result["examples"]:
            self.out.write(_("       how the brand usually says it:") + "\n")
            for example in result["examples"]:
                self.out.write(f"         > {_short(example['text'], 90)}\n")

    def close(self, summary: dict[str, Any]) -> None:
        if self.rows:
            self.out.write("\n")  # a blank line between the table and the summary
        self.out.write(f"{visible(summary['line'])}\n")
