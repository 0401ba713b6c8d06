"""The README documents every command and the commands it tells users to run."""

import re

from voicecheck.cli import main

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_command_is_documented() -> None:
    for name in main.commands:
        assert f"### `voicecheck {name}" in README, name


def test_ci_runs_the_readme_test_command() -> None:
    test_command = re.search(r"Install the test dependencies.*?```sh\n(.+?)\n```", README, re.S)
    assert test_command is not None
    assert test_command.group(1) in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_every_output_format_is_documented() -> None:
    for name in ("text", "json", "jsonl", "csv", "sarif", "github"):
        assert f"`{name}`" in README or f"|{name}" in README or f"{name}|" in README, name
