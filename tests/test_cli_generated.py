"""`check` on generated files: exit 0, 1 or 2, a message with 2, no traceback, every post counted.

Most cases run the command in this process (click's runner) so that Hypothesis can try many;
one runs the real command in a subprocess.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzz.readers import STRATEGIES, SUFFIXES
from voicecheck.cli import main

from .conftest import SAMPLE_MODEL, run_cli

READERS = sorted(STRATEGIES)


def assert_kept_promises(code: int, stdout: str, stderr: str) -> None:
    """Exit 0/1/2, a message with 2, no traceback; the JSON output counts every post it judged."""
    assert code in (0, 1, 2), stderr
    assert "Traceback" not in stderr
    if code == 2:
        assert "error: " in stderr
    if not stdout.strip():
        assert code == 2
        return
    document = json.loads(stdout)
    summary, results = document["summary"], document["results"]
    assert len(results) == sum(summary["verdicts"].values()) == summary["input"]["read"]
    sources = summary["input"]["sources"]
    assert sum(source["read"] for source in sources) == summary["input"]["read"]
    skipped = summary["input"]["skipped"]
    assert sum(sum(source["skipped"].values()) for source in sources) == sum(skipped.values())


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.sampled_from(READERS).flatmap(lambda reader: st.tuples(st.just(reader), STRATEGIES[reader])), st.booleans())
def test_check_on_generated_files_keeps_its_promises(case: tuple[str, bytes], told: bool) -> None:
    reader, data = case
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"posts{SUFFIXES[reader]}"
        path.write_bytes(data)
        told_format = ["--input-format", reader] if told else []
        args = [
            "check",
            "--model",
            str(SAMPLE_MODEL),
            "--format",
            "json",
            "--fail-on",
            "drift",
            *told_format,
            str(path),
        ]
        result = CliRunner().invoke(main, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert_kept_promises(result.exit_code, result.stdout, result.stderr)


def test_check_in_a_subprocess_on_hostile_json_lines(tmp_path: Path) -> None:
    path = tmp_path / "posts.jsonl"
    path.write_bytes(
        b'{"text": "Bonjour \\ud800 tout le monde, belle semaine"}\n'
        + b"[" * 50_000 + b"]" * 50_000 + b"\n"
        + b'{"text": 12}\n\xef\xbb\xbf{"text": "Une autre publication pour vous"}\n'
    )  # fmt: skip
    result = run_cli("check", "--model", SAMPLE_MODEL, "--format", "json", path)
    assert_kept_promises(result.returncode, result.stdout, result.stderr)
    document = json.loads(result.stdout)
    assert [r["text"][:9] for r in document["results"]] == ["Bonjour \ufffd", "Une autre"]
    assert document["summary"]["input"]["skipped"] == {
        "nested deeper than 64 levels": 1,
        "text is a number, not a string": 1,
    }
