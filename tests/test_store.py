import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from voicecheck import MODEL_FORMAT
from voicecheck.errors import ModelError
from voicecheck.store import ARRAYS_FILE, META_FILE, POSTS_FILE, SavedModel, load, save


@pytest.fixture
def saved_dir(tmp_path: Path, fitted: SavedModel) -> Path:
    directory = tmp_path / "model"
    save(fitted, directory)
    return directory


def test_round_trip_scores_the_same(saved_dir: Path, fitted: SavedModel) -> None:
    loaded = load(saved_dir)
    assert loaded.meta["format"] == MODEL_FORMAT
    assert loaded.meta["posts_per_channel"] == {"facebook": 62, "instagram": 63, "linkedin": 63}
    assert loaded.profile == fitted.profile
    assert np.allclose(loaded.model.score(fitted.table)[0], fitted.model.score(fitted.table)[0])


def test_metadata_records_versions_and_hash(saved_dir: Path) -> None:
    meta = json.loads((saved_dir / META_FILE).read_text())
    for key in ("voicecheck", "spacy", "scikit_learn", "pipelines", "languages", "training_hash", "calibration"):
        assert meta[key], key
    assert meta["calibration"]["false_flag_rate"] == 0.05


def test_arrays_load_without_pickle(saved_dir: Path) -> None:
    with np.load(saved_dir / ARRAYS_FILE, allow_pickle=False) as arrays:
        assert all(arrays[name].dtype != object for name in arrays.files)


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda d: (d / META_FILE).write_text("{not json"), "corrupt model metadata"),
        (lambda d: (d / META_FILE).unlink(), "not a voicecheck model"),
        (lambda d: (d / ARRAYS_FILE).write_bytes(b"PK\x03\x04 garbage"), "corrupt or incomplete model"),
        (lambda d: (d / ARRAYS_FILE).unlink(), "corrupt or incomplete model"),
        (lambda d: (d / POSTS_FILE).write_text("[1, 2]\n"), "corrupt training post"),
        (lambda d: (d / POSTS_FILE).write_text(""), "corrupt"),
    ],
)
def test_corrupt_models_are_refused(saved_dir: Path, damage, message: str) -> None:  # type: ignore[no-untyped-def]
    damage(saved_dir)
    with pytest.raises(ModelError, match=message):
        load(saved_dir)


def test_other_format_version_is_refused(saved_dir: Path) -> None:
    meta = json.loads((saved_dir / META_FILE).read_text())
    meta["format"] = MODEL_FORMAT + 1
    (saved_dir / META_FILE).write_text(json.dumps(meta))
    with pytest.raises(ModelError, match=f"model format {MODEL_FORMAT + 1}.*fit the model again"):
        load(saved_dir)


def test_pickled_arrays_are_not_loaded(saved_dir: Path, tmp_path: Path) -> None:
    with np.load(saved_dir / ARRAYS_FILE) as arrays:
        content = {name: arrays[name] for name in arrays.files}
    content["style"] = np.array([object()], dtype=object)
    np.savez(saved_dir / ARRAYS_FILE, **content)
    with pytest.raises(ModelError):
        load(saved_dir)


def test_model_with_impossible_typical_lengths_is_refused(saved_dir: Path) -> None:
    with np.load(saved_dir / ARRAYS_FILE) as arrays:
        content = {name: arrays[name] for name in arrays.files}
    content["typical_size"] = np.zeros_like(content["typical_size"])
    np.savez(saved_dir / ARRAYS_FILE, **content)
    with pytest.raises(ModelError, match="length"):
        load(saved_dir)


def test_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="no such model directory"):
        load(tmp_path / "nothing")
    shutil.rmtree(tmp_path)
