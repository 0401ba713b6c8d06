import csv
import io
import json

import pytest

from voicecheck.formats import FORMATTERS, formatter
from voicecheck.formats.location import location

DRIFT = {
    "id": "p1", "channel": "instagram", "lang": "en", "score": 1.5, "flagged": True, "verdict": "drift",
    "reasons": [{"kind": "tone", "message": "far more casual than the brand on instagram: formality 2, usually 30–60"}],
    "examples": [{"id": "ig-1", "channel": "instagram", "text": "Friday! Have a gentle weekend ✨", "similarity": 0.4}],
    "tone": {"formality": 2.0, "humor": 80.0, "irreverence": 70.0, "enthusiasm": 90.0},
    "notes": [], "text": "omg lol", "where": "drafts/post.md#1",
}  # fmt: skip
CLEAN = {**DRIFT, "id": "p2", "score": 80.0, "flagged": False, "verdict": "on-voice", "reasons": [], "examples": [],
         "where": "posts.csv:7"}  # fmt: skip
SUMMARY = {"line": "checked 2 posts: 1 drift", "verdicts": {"drift": 1, "on-voice": 1}, "input": {}}


def render(name: str) -> str:
    out = io.StringIO()
    writer = formatter(name, out)
    writer.write(DRIFT)
    writer.write(CLEAN)
    writer.close(SUMMARY)
    return out.getvalue()


def test_jsonl_is_one_object_per_post_with_the_contract_fields() -> None:
    lines = [json.loads(line) for line in render("jsonl").splitlines()]
    assert [line["id"] for line in lines] == ["p1", "p2"]
    for line in lines:
        assert {"id", "channel", "score", "flagged", "verdict", "reasons"} <= set(line)


def test_json_has_schema_version_summary_and_results() -> None:
    document = json.loads(render("json"))
    assert document["schema_version"] == 1 and len(document["results"]) == 2


def test_csv_rows() -> None:
    rows = list(csv.DictReader(io.StringIO(render("csv"))))
    assert rows[0]["verdict"] == "drift" and "far more casual" in rows[0]["reasons"]
    assert rows[1]["flagged"] == "false"


def test_sarif_reports_flagged_posts_at_file_and_line() -> None:
    document = json.loads(render("sarif"))
    assert document["version"] == "2.1.0"
    (result,) = document["runs"][0]["results"]
    assert result["ruleId"] == "voice-drift"
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "drafts/post.md"
    rule_ids = {rule["id"] for rule in document["runs"][0]["tool"]["driver"]["rules"]}
    assert result["ruleId"] in rule_ids


def test_github_annotations_escape_newlines() -> None:
    lines = render("github").splitlines()
    assert lines[0].startswith("::error file=drafts/post.md,line=1,title=voicecheck%3A drift::")
    assert "%0A- far more casual" in lines[0]
    assert lines[-1].startswith("::notice")


def test_text_table_shows_reasons_and_examples() -> None:
    text = render("text")
    assert "far more casual" in text and "how the brand usually says it" in text and "Friday!" in text


@pytest.mark.parametrize(
    ("where", "expected"), [("a/b.csv:12", ("a/b.csv", 12)), ("x.md#2", ("x.md", 1)), ("C:/x.csv:3", ("C:/x.csv", 3))]
)
def test_location(where: str, expected: tuple[str, int]) -> None:
    assert location(where) == expected


def test_every_format_is_registered() -> None:
    assert set(FORMATTERS) == {"text", "json", "jsonl", "csv", "sarif", "github"}
