"""GitHub Actions workflow commands: an annotation on the file and line of each flagged post."""

from __future__ import annotations

from typing import Any, TextIO

from voicecheck.formats.location import location


def _escape(value: str, property_value: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


class GithubFormatter:
    def __init__(self, out: TextIO) -> None:
        self.out = out

    def write(self, result: dict[str, Any]) -> None:
        if not result["flagged"]:
            return
        path, line = location(result["where"])
        reasons = "\n".join(f"- {reason['message']}" for reason in result["reasons"])
        message = f"Post {result['id']} drifts from the brand voice (score {result['score']}):\n{reasons}"
        self.out.write(
            f"::error file={_escape(path, True)},line={line},title={_escape('voicecheck: ' + result['verdict'], True)}"
            f"::{_escape(message)}\n"
        )

    def close(self, summary: dict[str, Any]) -> None:
        self.out.write(f"::notice title=voicecheck::{_escape(summary['line'])}\n")
