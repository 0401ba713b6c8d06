"""Saving and loading a model: the round trip, the layout on disk, and damaged files refused."""

import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from voicecheck import MODEL_FORMAT, store
from voicecheck.errors import ModelError
from voicecheck.store import (
    ARRAYS_FILE,
    META_FILE,
    MODEL_FILES,
    POINTER_FILE,
    POSTS_FILE,
    STAGING_PREFIX,
    SavedModel,
    check_target,
    load,
    model_folder,
    save,
)

from .conftest import SAMPLE_MODEL, SAMPLES
from .french import english_words, run_in_french, spaced


@pytest.fixture
def saved_dir(tmp_path: Path, fitted: SavedModel) -> Path:
    directory = tmp_path / "model"
    save(fitted, directory)
    return directory


def files_of(directory: Path) -> dict[str, bytes]:
    """The bytes of the live model's files."""
    folder = model_folder(directory)
    return {name: (folder / name).read_bytes() for name in MODEL_FILES}


def test_round_trip_scores_the_same(saved_dir: Path, fitted: SavedModel) -> None:
    loaded = load(saved_dir)
    assert loaded.meta["format"] == MODEL_FORMAT
    assert loaded.meta["posts_per_channel"] == {"facebook": 62, "instagram": 63, "linkedin": 63}
    assert loaded.profile == fitted.profile
    assert np.allclose(loaded.model.score(fitted.table)[0], fitted.model.score(fitted.table)[0])


def test_metadata_records_versions_and_hash(saved_dir: Path) -> None:
    meta = json.loads((model_folder(saved_dir) / META_FILE).read_text())
    for key in ("voicecheck", "spacy", "scikit_learn", "pipelines", "languages", "training_hash", "calibration"):
        assert meta[key], key
    assert meta["calibration"]["false_flag_rate"] == 0.05


def test_arrays_load_without_pickle(saved_dir: Path) -> None:
    with np.load(model_folder(saved_dir) / ARRAYS_FILE, allow_pickle=False) as arrays:
        assert all(arrays[name].dtype != object for name in arrays.files)


# -- the layout: a pointer to one complete version folder ---------------------------------------
def test_model_is_a_pointer_to_one_version_folder(saved_dir: Path) -> None:
    live = (saved_dir / POINTER_FILE).read_text().strip()
    assert sorted(p.name for p in saved_dir.iterdir()) == sorted([POINTER_FILE, live])
    assert sorted(p.name for p in (saved_dir / live).iterdir()) == sorted(MODEL_FILES)


def test_saving_again_replaces_the_version_and_leaves_nothing_behind(saved_dir: Path, fitted: SavedModel) -> None:
    before = (saved_dir / POINTER_FILE).read_text()
    save(fitted, saved_dir)
    after = (saved_dir / POINTER_FILE).read_text()
    assert after != before
    assert sorted(p.name for p in saved_dir.iterdir()) == sorted([POINTER_FILE, after.strip()])
    load(saved_dir)


def test_the_same_model_saved_twice_gives_the_same_bytes(saved_dir: Path, fitted: SavedModel, tmp_path: Path) -> None:
    again = tmp_path / "again"
    save(SavedModel(fitted.model, fitted.table, fitted.profile, load(saved_dir).meta), again)
    assert files_of(again) == files_of(saved_dir)


def test_a_version_folder_is_a_model_by_itself(saved_dir: Path, tmp_path: Path) -> None:
    alone = tmp_path / "alone"
    shutil.copytree(model_folder(saved_dir), alone)
    assert len(load(alone).table) == len(load(saved_dir).table)


def test_leftovers_of_a_killed_save_are_ignored_then_removed(saved_dir: Path, fitted: SavedModel) -> None:
    live = model_folder(saved_dir)
    half_written = saved_dir / f"{STAGING_PREFIX}0123456789abcdef"
    half_written.mkdir()
    (half_written / ARRAYS_FILE).write_bytes(b"PK\x03\x04 half")
    unreferenced = saved_dir / "v20990101T000000Z-00000000"
    shutil.copytree(live, unreferenced)
    (unreferenced / META_FILE).write_text("{broken")
    (saved_dir / f"{STAGING_PREFIX}pointer").write_text("v20990101T000000Z-00000000\n")
    assert model_folder(saved_dir) == live
    load(saved_dir)
    save(fitted, saved_dir)
    assert sorted(p.name for p in saved_dir.iterdir()) == sorted([POINTER_FILE, model_folder(saved_dir).name])


def test_a_folder_holding_only_leftovers_is_no_model_and_can_be_fitted_into(tmp_path: Path, fitted: SavedModel) -> None:
    directory = tmp_path / "model"
    (directory / f"{STAGING_PREFIX}0123456789abcdef").mkdir(parents=True)
    with pytest.raises(ModelError, match="not a voicecheck model"):
        load(directory)
    check_target(directory)
    save(fitted, directory)
    load(directory)


def test_a_model_of_the_old_flat_layout_is_replaced(tmp_path: Path, fitted: SavedModel) -> None:
    directory = tmp_path / "model"
    shutil.copytree(model_folder(SAMPLE_MODEL), directory)  # model.json, posts.jsonl, arrays.npz at the top
    meta = json.loads((directory / META_FILE).read_text())
    (directory / META_FILE).write_text(json.dumps(dict(meta, format=5)))
    (directory / "README.md").write_text("our notes about this model\n")
    with pytest.raises(ModelError, match="model format 5"):
        load(directory)
    save(fitted, directory)
    assert sorted(p.name for p in directory.iterdir()) == sorted(
        [POINTER_FILE, model_folder(directory).name, "README.md"]
    )
    load(directory)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ({"notes.txt": "mine"}, "it holds notes.txt"),
        ({"model.json": '{"name": "another tool"}'}, "its model.json is not a voicecheck model's"),
        ({"model.json": "[1, 2]"}, "its model.json is not a voicecheck model's"),
        ({"current": "../../elsewhere\n"}, "it holds current"),
        ({"a.txt": "", "b.txt": "", "c.txt": "", "d.txt": ""}, r"it holds a.txt, b.txt, c.txt, …"),
    ],
)
def test_save_refuses_a_folder_of_someone_elses_files(
    tmp_path: Path, fitted: SavedModel, content: dict[str, str], reason: str
) -> None:
    directory = tmp_path / "theirs"
    directory.mkdir()
    for name, text in content.items():
        (directory / name).write_text(text)
    with pytest.raises(ModelError, match=f"not empty and not a voicecheck model \\({reason}\\)"):
        save(fitted, directory)
    assert {p.name: p.read_text() for p in directory.iterdir()} == content


def test_save_refuses_the_version_folder_of_a_model(saved_dir: Path, fitted: SavedModel) -> None:
    before = files_of(saved_dir)
    with pytest.raises(ModelError, match="the live version of the model in .*: replace that model instead"):
        save(fitted, model_folder(saved_dir))
    assert files_of(saved_dir) == before


def test_a_load_during_which_the_model_is_replaced_gets_the_new_model(
    saved_dir: Path, fitted: SavedModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    read_posts = store._read_posts
    replaced = []

    def replaced_while_reading(path: Path, expected: int) -> Any:
        if not replaced:  # a fit in another process swaps the model and removes the version being read
            replaced.append(model_folder(saved_dir))
            save(fitted, saved_dir)
        return read_posts(path, expected)

    monkeypatch.setattr(store, "_read_posts", replaced_while_reading)
    assert len(load(saved_dir).table) == len(fitted.table)
    assert replaced and not replaced[0].exists()


def test_save_into_an_empty_folder(tmp_path: Path, fitted: SavedModel) -> None:
    directory = tmp_path / "empty"
    directory.mkdir()
    save(fitted, directory)
    load(directory)


def test_a_second_save_into_the_same_folder_waits_its_turn(saved_dir: Path, fitted: SavedModel) -> None:
    fcntl = pytest.importorskip("fcntl")
    import os

    holder = os.open(saved_dir, os.O_RDONLY)
    try:
        fcntl.flock(holder, fcntl.LOCK_EX)  # as a save in another process holds it
        before = files_of(saved_dir)
        with pytest.raises(ModelError, match="another fit is saving a model here"):
            save(fitted, saved_dir)
        assert files_of(saved_dir) == before
    finally:
        os.close(holder)


# -- damaged files are refused, saying which ----------------------------------------------------
@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda d: (d / META_FILE).write_text("{not json"), "corrupt model metadata"),
        (lambda d: (d / META_FILE).unlink(), "not a voicecheck model"),
        (lambda d: (d / ARRAYS_FILE).write_bytes(b"PK\x03\x04 garbage"), "corrupt or incomplete model"),
        (lambda d: (d / ARRAYS_FILE).unlink(), "corrupt or incomplete model"),
        (lambda d: (d / POSTS_FILE).write_text("[1, 2]\n"), "corrupt training post"),
        (lambda d: (d / POSTS_FILE).write_text(""), "corrupt"),
        (lambda d: (d / POSTS_FILE).unlink(), "corrupt or incomplete model"),
    ],
)
def test_corrupt_models_are_refused(saved_dir: Path, damage, message: str) -> None:  # type: ignore[no-untyped-def]
    damage(model_folder(saved_dir))
    with pytest.raises(ModelError, match=message):
        load(saved_dir)


@pytest.mark.parametrize(
    ("pointer", "message"),
    [
        ("../elsewhere\n", "corrupt model pointer"),
        ("", "corrupt model pointer"),
        ("v20990101T000000Z-00000000\n", "names v20990101T000000Z-00000000, which is not in"),
    ],
)
def test_a_broken_pointer_is_refused(saved_dir: Path, pointer: str, message: str) -> None:
    (saved_dir / POINTER_FILE).write_text(pointer)
    with pytest.raises(ModelError, match=message):
        load(saved_dir)


def test_other_format_version_is_refused(saved_dir: Path) -> None:
    path = model_folder(saved_dir) / META_FILE
    meta = json.loads(path.read_text())
    meta["format"] = MODEL_FORMAT + 1
    path.write_text(json.dumps(meta))
    with pytest.raises(ModelError, match=f"model format {MODEL_FORMAT + 1}.*fit the model again"):
        load(saved_dir)


def test_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="no such model directory"):
        load(tmp_path / "nothing")


def test_a_folder_that_is_no_model_is_refused_in_french(tmp_path: Path) -> None:
    posts = tmp_path / "posts.csv"
    posts.write_text("text\nBonjour Montréal, une belle journée pour faire le ménage!\n", encoding="utf-8")
    result = run_in_french("check", "--model", tmp_path, posts)
    said = spaced(result.stderr)
    assert result.returncode == 2, said
    message = (
        f"erreur : {tmp_path} : ce n'est pas un modèle voicecheck (aucun model.json; créez-en un avec `voicecheck fit`)"
    )
    assert message in said
    assert not english_words(said.replace("voicecheck fit", ""), tmp_path, posts), said


@pytest.mark.parametrize(
    ("field", "value", "said"),
    [
        ("threshold", "high", "threshold : doit être un nombre, et non la chaîne 'high'"),
        ("posts", 10**9, "posts : doit être de 1 à 50 000 000, et non 1 000 000 000"),
        ("params.smoothing", -0.5, "params.smoothing : doit être strictement entre 0 et 1e+12, et non -0,5"),
        ("colour", "blue", "colour : champ inconnu"),
    ],
)
def test_a_tampered_model_json_is_refused_in_french(tmp_path: Path, field: str, value: object, said: str) -> None:
    model = tmp_path / "model"
    shutil.copytree(SAMPLE_MODEL, model)
    meta_path = model_folder(model) / META_FILE
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    *parents, name = field.split(".")
    table = meta
    for parent in parents:
        table = table[parent]
    table[name] = value
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    result = run_in_french("check", "--model", model, SAMPLES / "new_posts.csv")
    stderr = spaced(result.stderr).replace("\u202f", " ")
    assert result.returncode == 2, stderr
    assert f"erreur : {meta_path} : {said}" in stderr
    assert not english_words(stderr, meta_path), stderr
