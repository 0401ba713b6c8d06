"""`voicecheck fit --out`: a model folder is replaced whole; anyone else's folder is refused."""

from __future__ import annotations

import csv
from pathlib import Path

from voicecheck.store import POINTER_FILE, load, model_folder

from .conftest import SAMPLES, run_cli


def small_posts(path: Path, count: int = 36, first: int = 0) -> Path:
    """`count` of the sample brand's Facebook and LinkedIn posts, half of each from the `first`, as one CSV."""
    rows = []
    for name in ("facebook.csv", "linkedin.csv"):
        with open(SAMPLES / "posts" / name, encoding="utf-8", newline="") as handle:
            for row in list(csv.reader(handle))[1 + first : 1 + first + count // 2]:
                rows.append({"id": row[0], "channel": row[2], "text": row[4]})
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["id", "channel", "text"])
        writer.writeheader()
        writer.writerows(rows)
    return path


def snapshot(directory: Path) -> dict[str, bytes]:
    return {str(p.relative_to(directory)): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


def test_fit_refuses_a_folder_of_someone_elses_files(tmp_path: Path) -> None:
    theirs = tmp_path / "photos"
    theirs.mkdir()
    (theirs / "holiday.jpg").write_bytes(b"\xff\xd8\xff not really a photo")
    (theirs / "notes.txt").write_text("keep me\n")
    before = snapshot(theirs)
    result = run_cli("fit", small_posts(tmp_path / "posts.csv"), "--out", theirs)
    assert result.returncode == 2, result.stderr
    assert "not empty and not a voicecheck model (it holds holiday.jpg, notes.txt)" in result.stderr
    assert "write the model to a new or empty folder" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(theirs) == before


def test_fit_refuses_a_folder_whose_model_json_is_not_a_voicecheck_model(tmp_path: Path) -> None:
    theirs = tmp_path / "other-tool"
    theirs.mkdir()
    (theirs / "model.json").write_text('{"architecture": "resnet50", "weights": "model.bin"}\n')
    before = snapshot(theirs)
    result = run_cli("fit", small_posts(tmp_path / "posts.csv"), "--out", theirs)
    assert result.returncode == 2, result.stderr
    assert "its model.json is not a voicecheck model's" in result.stderr
    assert snapshot(theirs) == before


def test_fit_replaces_a_model_and_leaves_one_version(tmp_path: Path) -> None:
    out = tmp_path / "model"
    posts = small_posts(tmp_path / "posts.csv")
    assert run_cli("fit", posts, "--out", out).returncode == 0
    first = model_folder(out)
    again = run_cli("fit", posts, "--out", out)
    assert again.returncode == 0, again.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted([POINTER_FILE, model_folder(out).name])
    assert model_folder(out) != first
    assert len(load(out).table) == 36
