"""SARIF 2.1.0, for code-scanning uploads: one result per flagged post, at its file and line.

A file's location is a URI reference, so its path is percent-encoded (a space, `#` or `%` in
a name would otherwise change what it points at); message texts spell out control characters.
"""

from __future__ import annotations

from typing import Any, TextIO

from voicecheck import __version__
from voicecheck.formats.escape import to_json, uri_reference, visible
from voicecheck.formats.location import location
from voicecheck.i18n import N_, _, gettext

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
#: Each rule's description, in the run's language when the document is written.
RULES = {
    "voice-drift": N_("The post's tone or wording drifts from the brand voice."),
    "avoided-term": N_("The post uses a term the brand avoids or writes differently."),
}


def rule_of(result: dict[str, Any]) -> str:
    kinds = {reason["kind"] for reason in result["reasons"]}
    return "avoided-term" if kinds & {"avoided_term", "preferred_term", "brand_term"} else "voice-drift"


class SarifFormatter:
    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.results: list[dict[str, Any]] = []

    def write(self, result: dict[str, Any]) -> None:
        if not result["flagged"]:
            return
        path, line = location(result["where"])
        reasons = "; ".join(reason["message"] for reason in result["reasons"])
        heading = _("Post {id} drifts from the brand voice (score {score}):").format(
            id=result["id"], score=result["score"]
        )
        text = f"{heading} {reasons}"
        self.results.append({
            "ruleId": rule_of(result),
            "level": "error",
            "message": {"text": visible(text)},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": uri_reference(path)},
                "region": {"startLine": line},
            }}],
            "properties": {"score": result["score"], "channel": result["channel"], "postId": result["id"]},
        })  # fmt: skip

    def close(self, summary: dict[str, Any]) -> None:
        document = {
            "$schema": SCHEMA,
            "version": "2.1.0",
            "runs": [{
                "tool": {"driver": {
                    "name": "voicecheck",
                    "version": __version__,
                    "rules": [{"id": rid, "shortDescription": {"text": gettext(text)}} for rid, text in RULES.items()],
                }},
                "results": self.results,
                "properties": {"summary": summary},
            }],
        }  # fmt: skip
        self.out.write(to_json(document, indent=2) + "\n")
