import csv
import io
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from voicecheck.formats import FORMATTERS, formatter
from voicecheck.formats.escape import HIDDEN
from voicecheck.formats.location import location
from voicecheck.formats.report_text import write_report

from ..conftest import SAMPLE_MODEL, run_cli

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


def test_text_without_posts_is_the_summary_alone_without_a_table_heading() -> None:
    out = io.StringIO()
    writer = formatter("text", out)
    writer.close({**SUMMARY, "line": "checked 0 posts"})
    assert out.getvalue() == "checked 0 posts\n"
    assert render("text").startswith("SCORE")


@pytest.mark.parametrize(
    ("where", "expected"), [("a/b.csv:12", ("a/b.csv", 12)), ("x.md#2", ("x.md", 1)), ("C:/x.csv:3", ("C:/x.csv", 3))]
)
def test_location(where: str, expected: tuple[str, int]) -> None:
    assert location(where) == expected


def test_every_format_is_registered() -> None:
    assert set(FORMATTERS) == {"text", "json", "jsonl", "csv", "excel-fr", "sarif", "github"}


# Hostile text: posts, ids and file names are anyone's, and each format must keep them inert.
ESC = "\x1b[31mred\x1b[0m\x1b]0;owned\x07"
HOSTILE = {
    **DRIFT, "id": "=HYPERLINK(\"http://x.example\",\"click\")", "channel": "+cmd", "text": f"Hello {ESC}\u202e",
    "reasons": [{"kind": "tone", "message": f"-uses {ESC}"}, {"kind": "tone", "message": "@SUM(1+1)"}],
    "notes": [f"note {ESC}"], "examples": [{"id": "x", "channel": "x", "text": ESC, "similarity": 0.1}],
    "where": "drafts/été #2 100%\nnew:line, \x1b.md#1",
}  # fmt: skip
ANY_TEXT = st.text(st.one_of(st.characters(), st.sampled_from(list("\x1b\n\r\t\x9b\ud800\udce9\u2028%:,#"))))


def render_one(name: str, result: dict) -> str:
    out = io.StringIO()
    writer = formatter(name, out)
    writer.write(result)
    writer.close({**SUMMARY, "line": f"read 1 post from {result['where']}"})
    return out.getvalue()


def test_text_spells_out_control_characters() -> None:
    text = render_one("text", HOSTILE)
    assert HIDDEN.search(text.replace("\n", "")) is None
    assert "Hello \\x1b[31mred" in text and "\\u202e" in text and "note \\x1b[31mred" in text
    assert "drafts/été #2 100%\\nnew:line" in text  # the file name in the summary, on its line


@given(text=ANY_TEXT, post_id=ANY_TEXT, where=ANY_TEXT, message=ANY_TEXT)
def test_text_lines_never_hold_a_raw_control_character(text: str, post_id: str, where: str, message: str) -> None:
    result = {**HOSTILE, "text": text, "id": post_id, "channel": message, "where": where,
              "reasons": [{"kind": "tone", "message": message}], "notes": [message],
              "examples": [{"id": "x", "channel": "x", "text": text, "similarity": 0.1}]}  # fmt: skip
    rendered = render_one("text", result)
    rendered.encode("utf-8")
    assert all(HIDDEN.search(line) is None for line in rendered.split("\n"))


def test_csv_cells_never_run_as_formulas() -> None:
    (row,) = list(csv.DictReader(io.StringIO(render_one("csv", HOSTILE))))
    assert row["id"] == '\'=HYPERLINK("http://x.example","click")'
    assert row["channel"] == "'+cmd"
    assert row["reasons"].startswith("'-uses \\x1b[31mred")
    assert row["where"] == "drafts/été #2 100%\nnew:line, \\x1b.md#1"  # the line break quoted in its cell
    assert "\x1b" not in render_one("csv", HOSTILE)


def test_csv_keeps_a_post_of_several_paragraphs_in_its_cell() -> None:
    (row,) = list(csv.DictReader(io.StringIO(render_one("csv", {**CLEAN, "text": "Line one.\r\n\tLine two."}))))
    assert row["text"] == "Line one.\r\n\tLine two."


@pytest.mark.parametrize(
    ("cell", "written"),
    [("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"), ("\t=1", "'\t=1"), ("\r=1", "'\r=1")],
)
def test_csv_every_formula_start_is_neutralised(cell: str, written: str) -> None:
    (row,) = list(csv.DictReader(io.StringIO(render_one("csv", {**CLEAN, "id": cell, "where": cell}))))
    assert row["id"] == row["where"] == written


def test_github_annotation_stays_on_one_line_at_the_right_file() -> None:
    lines = render_one("github", HOSTILE).splitlines()
    assert len(lines) == 2 and lines[0].startswith("::error ") and lines[1].startswith("::notice ")
    assert lines[0].startswith("::error file=drafts/été #2 100%25%0Anew%3Aline%2C \x1b.md,line=1,")
    message = lines[0].split("::", 2)[2]
    assert "\x1b" not in message and "\\x1b[31mred" in message


@given(where=ANY_TEXT, post_id=ANY_TEXT, message=ANY_TEXT)
def test_github_each_annotation_is_one_line(where: str, post_id: str, message: str) -> None:
    result = {
        **HOSTILE,
        "where": where,
        "id": post_id,
        "verdict": message,
        "reasons": [{"kind": "x", "message": message}],
    }
    rendered = render_one("github", result)
    rendered.encode("utf-8")
    lines = rendered.split("\n")
    assert lines[-1] == "" and len(lines) == 3
    assert all(line.startswith(("::error file=", "::notice title=")) and "\r" not in line for line in lines[:2])


def test_sarif_uri_is_percent_encoded() -> None:
    document = json.loads(render_one("sarif", {**HOSTILE, "where": "drafts/été #2 100%.md#1"}))
    (result,) = document["runs"][0]["results"]
    uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "drafts/%C3%A9t%C3%A9%20%232%20100%25.md"
    assert "\x1b" not in result["message"]["text"]


@pytest.mark.parametrize("name", ["json", "jsonl", "sarif"])
def test_json_formats_encode_names_that_are_not_utf8_and_lone_surrogates(name: str) -> None:
    result = {**HOSTILE, "text": "Hello \ud800 there\x9b", "id": "a\udce9", "where": "\udce9t\udce9.md#1"}
    rendered = render_one(name, result)
    rendered.encode("utf-8")  # strict, as a file or a UTF-8 terminal takes it
    assert "\x9b" not in rendered
    assert "\ufffd" in rendered or "%E9t%E9.md" in rendered


@pytest.mark.parametrize("where", ["drafts/a#b.md#3", "a:12#1", "x#1.csv:4"])
def test_location_with_hash_or_colon_in_the_file_name(where: str) -> None:
    assert location(where)[0] == {"drafts/a#b.md#3": "drafts/a#b.md", "a:12#1": "a:12", "x#1.csv:4": "x#1.csv"}[where]


def test_text_report_spells_out_control_characters() -> None:
    tone = {"formality": 50.0, "humor": 10.0, "irreverence": 10.0, "enthusiasm": 40.0}
    channel = {"posts": 3, "divergence": 0.2, "mean_score": 60.0, "tone": tone, "sets_apart": [f"more {ESC}"]}
    report = {
        "brand": f"Acme{ESC}", "posts": 6, "channels": {f"x{ESC}": channel, "linkedin": channel},
        "most_divergent_channel": f"x{ESC}", "most_divergent_because": [ESC],
        "distances": {f"x{ESC}": {f"x{ESC}": 0.0, "linkedin": 0.3}, "linkedin": {f"x{ESC}": 0.3, "linkedin": 0.0}},
        "drift": {f"x{ESC}": [{"month": "2025-01", "posts": 3, "mean_score": 50.0}]}, "brand_band": [20.0, 80.0],
        "flagged": [{"score": 3.0, "channel": ESC, "id": f"id\n{ESC}", "text": ESC,
                     "reasons": [{"message": f"uses {ESC}"}]}],
    }  # fmt: skip
    out = io.StringIO()
    write_report(report, out)
    assert HIDDEN.search(out.getvalue().replace("\n", "")) is None
    assert "Voice report for Acme\\x1b[31mred" in out.getvalue() and "id\\n\\x1b" in out.getvalue()


def test_tone_csv_cells_never_run_as_formulas(tmp_path: Path) -> None:
    posts = tmp_path / "posts.csv"
    posts.write_text('id,channel,text\n"=HYPERLINK(""http://x.example"",""click"")",@SUM(1),Hello there!\n', "utf-8")
    result = run_cli("tone", "--format", "csv", "--pipeline", "blank", posts)
    assert result.returncode == 0, result.stderr
    (row,) = list(csv.DictReader(io.StringIO(result.stdout)))
    assert row["id"] == '\'=HYPERLINK("http://x.example","click")' and row["channel"] == "'@sum(1)"


def test_messages_on_stderr_spell_out_control_characters_in_file_names(tmp_path: Path) -> None:
    (tmp_path / "\x1b]0;owned\x07été.md").write_bytes(b"\x00binary")
    (tmp_path / "good.md").write_text("Bonjour! Notre équipe passe chez vous demain matin.\n", encoding="utf-8")
    result = run_cli("check", "--model", SAMPLE_MODEL, "--fail-on", "never", ".", cwd=tmp_path)
    assert result.returncode == 2
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "\\x1b]0;owned\\x07été.md" in result.stderr


@pytest.mark.parametrize("name", ["github", "sarif"])
def test_annotations_say_which_post_drifts_in_the_readers_language(name: str) -> None:
    from voicecheck.i18n import active, set_language

    spoken = active()
    set_language("fr")
    try:
        rendered = render(name)
    finally:
        set_language(spoken)
    assert "La publication" in rendered and "s'écarte de la voix de la marque" in rendered
    assert "drifts from the brand voice (score" not in rendered
    if name == "github":  # the annotation's title too
        assert "title=voicecheck %3A dérive::" in rendered and "voicecheck: drift" not in rendered
    else:  # and the rules' descriptions
        rules = json.loads(rendered)["runs"][0]["tool"]["driver"]["rules"]
        assert [rule["shortDescription"]["text"] for rule in rules] == [
            "Le ton ou les mots de la publication s'écartent de la voix de la marque.",
            "La publication emploie un terme que la marque évite ou écrit autrement.",
        ]  # fmt: skip
