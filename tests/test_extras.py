"""A missing optional extra is a clear error naming the pip command: exit 2, no traceback, no file left."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: Runs the CLI with some packages unimportable, as on an install without their extra.
WITHOUT = "import sys; [sys.modules.__setitem__(name, None) for name in {hidden!r}]; " \
          "from voicecheck.cli import main; sys.argv = ['voicecheck', *{args!r}]; main()"  # fmt: skip


def run_without(hidden: list[str], *args: str) -> subprocess.CompletedProcess[str]:
    code = WITHOUT.format(hidden=hidden, args=list(args))
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False)


@pytest.mark.parametrize("hidden", [["matplotlib"], ["jinja2"]])
def test_html_report_without_its_extra_names_the_pip_command(tmp_path: Path, hidden: list[str]) -> None:
    target = tmp_path / "report.html"
    result = run_without(hidden, "report", "--model", "models/maison-claire", "--format", "html", "-o", str(target))
    assert result.returncode == 2
    assert "pip install 'voicecheck[html]'" in result.stderr and "Traceback" not in result.stderr
    assert not target.exists()


@pytest.mark.parametrize("hidden", [["uvicorn", "starlette"], ["httptools"]])
def test_serve_without_its_extra_names_the_pip_command(hidden: list[str]) -> None:
    result = run_without(hidden, "serve", "--model", "models/maison-claire")
    assert result.returncode == 2
    assert "pip install 'voicecheck[serve]'" in result.stderr and "Traceback" not in result.stderr
