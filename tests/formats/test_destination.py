"""`-o FILE`: never one of the inputs, never left half-written."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from voicecheck.errors import InputError, VoicecheckError
from voicecheck.formats.destination import atomic_output, refuse_overwriting_inputs

from ..conftest import SAMPLE_MODEL, run_cli

POST = "Nous recrutons à Longueuil! Des postes de jour, une équipe qui vous attend.\n"


@pytest.fixture
def drafts(tmp_path: Path) -> Path:
    folder = tmp_path / "drafts"
    folder.mkdir()
    (folder / "été.md").write_text(POST, encoding="utf-8")
    (folder / "notes.csv").write_text("text\nA post.\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("output", "arguments"),
    [
        ("drafts/été.md", ["drafts/été.md"]),
        ("drafts/./x/../été.md", ["drafts/été.md"]),
        ("drafts/été.md", ["linkedin=drafts/été.md"]),
        ("drafts/été.md", ["drafts"]),
        ("drafts/link.md", ["drafts/été.md"]),
        ("hard.md", ["drafts/été.md"]),
        ("drafts/notes.csv", ["posts.csv", "drafts/notes.csv"]),
        ("drafts/results.md", ["drafts"]),  # not there yet, but the next run would read it as posts
        ("drafts/sub/results.html", ["website=drafts"]),
    ],
)
def test_an_output_that_is_an_input_is_refused(
    drafts: Path, monkeypatch: pytest.MonkeyPatch, output: str, arguments: list[str]
) -> None:
    monkeypatch.chdir(drafts.parent)
    (drafts / "link.md").symlink_to(drafts / "été.md")
    os.link(drafts / "été.md", drafts.parent / "hard.md")
    with pytest.raises(InputError, match="is also an input"):
        refuse_overwriting_inputs(output, arguments)


def test_other_outputs_are_fine(drafts: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(drafts.parent)
    refuse_overwriting_inputs("results.csv", ["drafts", "drafts/notes.csv", "-"])
    refuse_overwriting_inputs("drafts/.results.md", ["drafts"])  # a hidden file: the folder's reading passes it over
    refuse_overwriting_inputs("drafts/notes.csv", ["drafts"])  # reading the folder passes CSV files over


def test_an_output_inside_the_model_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="inside the model folder"):
        refuse_overwriting_inputs(str(tmp_path / "model" / "model.json"), [], str(tmp_path / "model"))


def test_output_replaces_the_file_only_when_complete(tmp_path: Path) -> None:
    target = tmp_path / "results.csv"
    target.write_text("the last good results\n")
    target.chmod(0o640)
    with pytest.raises(RuntimeError), atomic_output(str(target)) as out:
        out.write("half of the new")
        raise RuntimeError("the run failed")
    assert target.read_text() == "the last good results\n"
    assert os.listdir(tmp_path) == ["results.csv"]  # no temporary file left behind
    with atomic_output(str(target)) as out:
        out.write("new results\n")
    assert target.read_text() == "new results\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert os.listdir(tmp_path) == ["results.csv"]


def test_output_through_a_link_writes_its_target(tmp_path: Path) -> None:
    (tmp_path / "real.csv").write_text("old\n")
    (tmp_path / "link.csv").symlink_to(tmp_path / "real.csv")
    with atomic_output(str(tmp_path / "link.csv")) as out:
        out.write("new\n")
    assert (tmp_path / "link.csv").is_symlink() and (tmp_path / "real.csv").read_text() == "new\n"


def test_output_into_a_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with (
        pytest.raises(VoicecheckError, match="no/results.csv: cannot write"),
        atomic_output(str(tmp_path / "no" / "results.csv")),
    ):
        pass


# The command, as users run it.


def test_check_refuses_to_write_over_its_input_and_leaves_it_intact(drafts: Path) -> None:
    before = (drafts / "été.md").read_bytes()
    result = run_cli("check", "--model", SAMPLE_MODEL, "-o", "drafts/été.md", "drafts/été.md", cwd=drafts.parent)
    assert result.returncode == 2
    assert "error: -o drafts/été.md is also an input" in result.stderr
    assert (drafts / "été.md").read_bytes() == before


def test_check_output_that_cannot_be_written_is_an_error_not_a_traceback(drafts: Path) -> None:
    result = run_cli("check", "--model", SAMPLE_MODEL, "-o", "missing/out.csv", "drafts", cwd=drafts.parent)
    assert result.returncode == 2
    assert "error: missing/out.csv: cannot write" in result.stderr and "Traceback" not in result.stderr


def test_check_writes_the_output_whole(drafts: Path) -> None:
    out = drafts.parent / "results.sarif"
    result = run_cli("check", "--model", SAMPLE_MODEL, "--format", "sarif", "-o", out, "--fail-on", "never", "drafts",
                     cwd=drafts.parent)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert out.read_text(encoding="utf-8").rstrip().endswith("}")
    assert sorted(os.listdir(drafts.parent)) == ["drafts", "results.sarif"]
