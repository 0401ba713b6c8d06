"""GitHub Actions workflow commands: an annotation on the file and line of each flagged post.

The runner reads one command per line, so everything in it is escaped by GitHub's rules
(`%`, CR and LF; in properties `:` and `,` too); the file property keeps the exact path, so
the annotation lands on the file, while the words shown spell out any control character.
"""

from __future__ import annotations

from typing import Any, TextIO

from voicecheck.formats.escape import github_data, github_property, visible
from voicecheck.formats.location import location
from voicecheck.i18n import _
from voicecheck.messages import verdict_name


class GithubFormatter:
    def __init__(self, out: TextIO) -> None:
        self.out = out

    def write(self, result: dict[str, Any]) -> None:
        if not result["flagged"]:
            return
        path, line = location(result["where"])
        reasons = "\n".join(f"- {visible(reason['message'])}" for reason in result["reasons"])
        heading = _("Post {id} drifts from the brand voice (score {score}):").format(
            id=visible(str(result["id"])), score=result["score"]
        )
        message = f"{heading}\n{reasons}"
        title = _("voicecheck: {verdict}").format(verdict=verdict_name(result["verdict"]))  # the reader's words
        self.out.write(
            f"::error file={github_property(path)},line={line},title={github_property(title)}::{github_data(message)}\n"
        )

    def close(self, summary: dict[str, Any]) -> None:
        self.out.write(f"::notice title=voicecheck::{github_data(visible(summary['line']))}\n")
