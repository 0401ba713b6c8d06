"""A model whose files were tampered with is refused with a ModelError naming the file and field.

Each case edits one value of a saved model, as someone editing the files by hand, a bad
merge, or a hostile model would, and expects `load` to refuse it saying where.
"""

from __future__ import annotations

import io
import json
import math
import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from voicecheck.errors import ModelError
from voicecheck.features.hashing import N_FEATURES
from voicecheck.features.style import INDEX, STYLE_FEATURES
from voicecheck.store import ARRAYS_FILE, META_FILE, POSTS_FILE, SavedModel, load, model_folder, save

from .conftest import run_cli

STYLES = len(STYLE_FEATURES)


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory, fitted: SavedModel) -> Path:
    directory = tmp_path_factory.mktemp("pristine") / "model"
    save(fitted, directory)
    return directory


@pytest.fixture
def model(tmp_path: Path, pristine: Path) -> Path:
    """A fresh copy of a saved model, to damage."""
    directory = tmp_path / "model"
    shutil.copytree(pristine, directory)
    return directory


def edit_meta(directory: Path, change: Callable[[dict[str, Any]], Any]) -> None:
    path = model_folder(directory) / META_FILE
    meta = json.loads(path.read_text(encoding="utf-8"))
    change(meta)
    path.write_text(json.dumps(meta), encoding="utf-8")


def setter(dotted: str, value: Any) -> Callable[[dict[str, Any]], None]:
    """Sets meta["a"]["b"] = value for "a.b"."""

    def change(meta: dict[str, Any]) -> None:
        *parents, last = dotted.split(".")
        for key in parents:
            meta = meta[key]
        meta[last] = value

    return change


def arrays_of(directory: Path) -> dict[str, np.ndarray]:
    with np.load(model_folder(directory) / ARRAYS_FILE, allow_pickle=False) as npz:
        return {name: npz[name] for name in npz.files}


def edit_array(directory: Path, name: str, change: Callable[[np.ndarray], np.ndarray | None]) -> None:
    arrays = arrays_of(directory)
    copy = arrays[name].copy()
    changed = change(copy)
    arrays[name] = copy if changed is None else changed
    np.savez_compressed(model_folder(directory) / ARRAYS_FILE, **arrays)


def refused(directory: Path, message: str) -> None:
    with pytest.raises(ModelError, match=message):
        load(directory)


# -- model.json ---------------------------------------------------------------------------------
NAN, INF = math.nan, math.inf


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("threshold", NAN, "threshold: must be a finite number, not nan"),
        ("threshold", INF, "threshold: must be a finite number"),
        ("threshold", -INF, "threshold: must be a finite number"),
        ("threshold", "-3.3", "threshold: must be a number, not the string"),
        ("threshold", True, "threshold: must be a number, not true"),
        ("threshold", None, "threshold: must be a number, not null"),
        ("threshold", 1e300, "threshold: does not match the calibration"),
        ("threshold", -1e300, "threshold: does not match the calibration"),
        ("params.folds", 10**9, "params.folds: must be from 2 to 50, not 1,000,000,000"),
        ("params.folds", 0, "params.folds: must be from 2"),
        ("params.folds", -1, "params.folds: must be from 2"),
        ("params.folds", 1.5, "params.folds: must be a whole number, not 1.5"),
        ("params.folds", 5.0, "params.folds: must be a whole number, not 5.0"),
        ("params.folds", "5", "params.folds: must be a whole number, not the string '5'"),
        ("params.folds", True, "params.folds: must be a whole number, not true"),
        ("params.folds", 4, "calibration.folds: must be from 4 to 4, not 5"),
        ("params.smart_punctuation", "yes", "params.smart_punctuation: must be true or false, not the string 'yes'"),
        ("params.smart_punctuation", 1, "params.smart_punctuation: must be true or false, not 1"),
        ("params.smart_punctuation", False, "params.smart_punctuation: must be true for a model without peers"),
        ("params.neighbour_style", "yes", "params.neighbour_style: must be true or false, not the string 'yes'"),
        ("params.neighbour_style", False, "params.neighbour_style: must be true for a model without peers"),
        ("style_kinds.nearest_posts", 1, "style_kinds.nearest_posts: must be true or false, not 1"),
        ("style_kinds.nearest_posts", False, "style_kinds.nearest_posts: does not follow from the gain, the margin"),
        ("style_kinds.gain", -1e9, "style_kinds.nearest_posts: does not follow from the gain, the margin"),
        ("style_kinds.gain", "big", "style_kinds.gain: must be a number"),
        ("style_kinds.margin", -1.0, "style_kinds.margin: must be"),
        ("style_kinds.extra", 1, "style_kinds.extra: unknown field"),
        ("params.false_flag_rate", NAN, "params.false_flag_rate: must be a finite number"),
        ("params.false_flag_rate", 0, "params.false_flag_rate: must be between 0 and 0.5"),
        ("params.false_flag_rate", 0.5, "params.false_flag_rate: must be between 0 and 0.5"),
        ("params.false_flag_rate", 2, "params.false_flag_rate: must be between"),
        ("params.false_flag_rate", 0.1, "calibration.false_flag_rate: differs from params.false_flag_rate"),
        ("params.smoothing", 0, "params.smoothing: must be between 0"),
        ("params.smoothing", -2000.0, "params.smoothing: must be between 0"),
        ("params.smoothing", NAN, "params.smoothing: must be a finite number"),
        ("params.smoothing", "2000", "params.smoothing: must be a number"),
        ("params.smoothing", 10**400, "params.smoothing: must be a finite number"),
        ("params.random_state", -1, "params.random_state: must be from 0"),
        ("params.random_state", 2**40, "params.random_state: must be from 0"),
        ("params.random_state", 0.5, "params.random_state: must be a whole number"),
        ("params.random_state", False, "params.random_state: must be a whole number, not false"),
        ("params.extra", 1, "params.extra: unknown field"),
        ("params", [5], "params: must be an object, not a list"),
        ("calibration.threshold_score", 101, "calibration.threshold_score: must be from 0 to 100"),
        ("calibration.threshold_score", NAN, "calibration.threshold_score: must be a finite number"),
        ("calibration.threshold_score", 90.0, "calibration.threshold_score: does not match the held-out scores"),
        ("calibration.heldout_posts", -188, "calibration.heldout_posts: must be from 188 to 188"),
        ("calibration", "5%", "calibration: must be an object, not the string"),
        ("posts", -1, "posts: must be from 1"),
        ("posts", 0, "posts: must be from 1"),
        ("posts", "188", "posts: must be a whole number"),
        ("posts", 10**12, "posts: must be from 1"),
        ("posts", 187, "calibration.heldout_posts: must be from 187 to 187"),
        ("posts_per_channel.facebook", -62, "posts_per_channel.facebook: must be from 1"),
        ("posts_per_channel.facebook", True, "posts_per_channel.facebook: must be a whole number, not true"),
        ("posts_per_channel.facebook", 61, "posts_per_channel: adds up to 187 posts, not the model's 188"),
        ("posts_per_channel", {"facebook": 125, "instagram": 63}, "posts_per_channel: does not match posts.jsonl"),
        ("posts_per_language", {"en": 188}, "posts_per_language: must count the posts in en, fr"),
        ("languages", ["de"], "languages: must be a non-empty list of en, fr"),
        ("languages", "en", "languages: must be a non-empty list"),
        ("languages", [], "languages: must be a non-empty list"),
        ("languages", ["fr", "en"], "languages: must be sorted"),
        ("training_hash", "abc", "training_hash: malformed"),
        ("training_hash", 12, "training_hash: must be a string"),
        ("training_hash", "0" * 64, "posts.jsonl: the training posts differ from those the model was fitted on"),
        ("pipeline_mode", "turbo", "pipeline_mode: must be one of auto, blank, trained"),
        ("pipelines", ["fr"], "pipelines: must be an object"),
        ("pipelines.de", "de_core", "pipelines.de: not a language"),
        ("created", "yesterday", "created: not a date and time"),
        ("created", 1700000000, "created: must be a string"),
        ("voicecheck", ["0.1"], "voicecheck: must be a string"),
        ("style_features", ["words"], "style_features: differ from this version's"),
        ("brand", "Someone Else", "brand: differs from the profile's name"),
        ("profile", "Maison Claire", "profile: must be an object"),
        ("profile.name", 5, "name: must be a string .in the model's brand profile"),
        ("profile.tone", {"formality": 500}, "tone.formality: must be a number from 0 to 100"),
        ("profile.colour", "blue", "colour: unknown key"),
        ("profile.proposition", "Nous \ud800 parlons", r"profile.proposition: not valid Unicode \(a lone surrogate\)"),
        ("brand", "Maison \udfff", r"brand: not valid Unicode \(a lone surrogate\)"),
        ("extra", {}, "extra: unknown field"),
    ],
)
def test_a_tampered_value_in_model_json_is_refused(model: Path, field: str, value: Any, message: str) -> None:
    edit_meta(model, setter(field, value))
    refused(model, message if message.startswith("posts.jsonl") else f"model.json: {message}")


def test_a_missing_field_is_refused(model: Path) -> None:
    edit_meta(model, lambda meta: meta.pop("threshold"))
    refused(model, "model.json: missing threshold")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[1, 2, 3]", "not a voicecheck model"),
        ('"model"', "not a voicecheck model"),
        ('{"format": 6, "format": 5}', "the key 'format' is given twice"),
        ("[" * 100_000 + "]" * 100_000, "corrupt model metadata"),
        (b"\xff\xfe{}", "corrupt model metadata"),
        (" " * (17 * 2**20) + "{}", "over 16 MiB"),
        ('{"format": "6"}', "model format the string '6'"),
    ],
)
def test_model_json_that_is_not_a_model_object_is_refused(model: Path, content: str | bytes, message: str) -> None:
    path = model_folder(model) / META_FILE
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    refused(model, message)


# -- posts.jsonl --------------------------------------------------------------------------------
def edit_posts(directory: Path, change: Callable[[list[str]], list[str]]) -> None:
    path = model_folder(directory) / POSTS_FILE
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(change(lines)), encoding="utf-8")


def edit_first_post(**fields: Any) -> Callable[[list[str]], list[str]]:
    def change(lines: list[str]) -> list[str]:
        record = json.loads(lines[0])
        record.update(fields)
        return [json.dumps(record) + "\n", *lines[1:]]

    return change


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (edit_first_post(text="Achetez maintenant, pas cher!"), "edited after fitting; fit the model again"),
        (edit_first_post(channel="x"), "training posts differ"),
        (edit_first_post(lang="de"), "posts.jsonl:1: lang: unknown language the string 'de'"),
        (edit_first_post(id=5), "posts.jsonl:1: id: must be a string, not 5"),
        (edit_first_post(text=None), "posts.jsonl:1: text: must be a string, not null"),
        (edit_first_post(date=["2025"]), "posts.jsonl:1: date: must be a string"),
        (edit_first_post(likes=3), "posts.jsonl:1: likes: unknown field"),
        (edit_first_post(text="\ud800"), "posts.jsonl:1: text: not valid Unicode"),
        (lambda lines: ['"a post"\n', *lines[1:]], "posts.jsonl:1: corrupt training post"),
        (lambda lines: ["{" * 50_000 + "\n", *lines[1:]], "posts.jsonl:1: corrupt training post"),
        (lambda lines: [*lines, lines[0]], "more posts than the 188 of model.json"),
        (lambda lines: lines[:-1], "187 posts, model.json says 188"),
    ],
)
def test_a_tampered_training_post_is_refused(
    model: Path, change: Callable[[list[str]], list[str]], message: str
) -> None:
    edit_posts(model, change)
    refused(model, message)


def test_a_huge_line_in_posts_jsonl_is_refused_without_reading_it_whole(model: Path) -> None:
    path = model_folder(model) / POSTS_FILE
    with open(path, "w", encoding="utf-8") as handle:
        handle.write('{"id": "1", "text": "' + "a" * (65 * 2**20) + '"}\n')
    refused(model, r"posts.jsonl:1: corrupt training post \(over 67,108,864 characters\)")


def test_posts_jsonl_that_is_not_utf8_is_refused(model: Path) -> None:
    path = model_folder(model) / POSTS_FILE
    path.write_bytes(path.read_bytes().replace("é".encode(), b"\xe9", 1))
    refused(model, "posts.jsonl: corrupt training posts .not UTF-8")


# -- arrays.npz ---------------------------------------------------------------------------------
def set_values(value: Any, where: Any = 0) -> Callable[[np.ndarray], None]:
    def change(array: np.ndarray) -> None:
        array.flat[where] = value

    return change


@pytest.mark.parametrize(
    ("name", "change", "message"),
    [
        ("style", lambda a: a.astype(np.float32), "style: has dtype float32, expected float64"),
        ("style", lambda a: a.astype(np.complex128), "style: has dtype complex128, expected float64"),
        ("style", lambda a: a[:-1], rf"style: has shape \(187, {STYLES}\), expected \(188, {STYLES}\)"),
        ("style", lambda a: a.ravel(), rf"style: has shape \({188 * STYLES},\), expected \(188, {STYLES}\)"),
        ("style", set_values(INF), "style: holds values that are not finite numbers"),
        ("style", set_values(NAN), "style: holds values that are not finite numbers"),
        ("style", set_values(-1.0), "style: holds negative values"),
        ("style", set_values(1.5), "style: holds counts that are not whole"),
        ("style", set_values(0.5, INDEX["starts_lowercase"]), "style: holds flags other than 0 and 1"),
        ("style", set_values(1.5, INDEX["curly_apostrophes"]), "style: holds shares above 1"),
        ("style", set_values(1e30, INDEX["commas"]), "style: holds values too large for a post"),
        ("tone", set_values(NAN), "tone: holds values that are not finite"),
        ("tone", set_values(150.0), "tone: holds values outside 0–100"),
        ("heldout_scores", set_values(-1.0), "heldout_scores: holds values outside 0–100"),
        ("heldout_scores", lambda a: np.full_like(a, 100.0), "heldout_scores: do not match the calibration"),
        ("calibration", lambda a: a[::-1].copy(), "calibration: is not sorted"),
        ("calibration", set_values(-INF), "calibration: holds values that are not finite"),
        ("calibration", lambda a: a + 1.0, "model.json: threshold: does not match the calibration in arrays.npz"),
        ("typical_size", np.zeros_like, "typical_size: holds values outside 1–inf"),
        ("typical_value", set_values(NAN), "typical_value: holds values that are not finite"),
        ("component_std", np.zeros_like, "component_std: holds values outside 1e-06–inf"),
        ("component_mean", set_values(INF), "component_mean: holds values that are not finite"),
        ("nearest_scale", set_values(NAN), "nearest_scale: holds values that are not finite"),
        ("nearest_scale", set_values(1.5), "nearest_scale: holds values outside 0–1"),
        ("nearest_scale", lambda a: np.zeros_like(a), "nearest_scale: holds a spread below 0.02"),
        ("nearest_scale", lambda a: a[:, :1], r"nearest_scale: has shape \(2, 1\), expected \(2, 2\)"),
        ("fold_of_row", set_values(7), "fold_of_row: must hold each fold from 0 to 4"),
        ("fold_of_row", set_values(-1), "fold_of_row: must hold each fold from 0 to 4"),
        ("fold_of_row", np.zeros_like, "fold_of_row: must hold each fold from 0 to 4"),
        ("fold_of_row", lambda a: a.astype(np.float64), "fold_of_row: has dtype float64, expected int64"),
        ("fold_of_row", lambda a: a.astype(bool), "fold_of_row: has dtype bool, expected int64"),
        ("background_chars", set_values(0.0), "background_chars: holds values outside 1e-30–1"),
        ("background_chars", set_values(-0.5), "background_chars: holds values outside"),
        ("background_chars", set_values(2.0), "background_chars: holds values outside"),
        ("background_words", set_values(NAN), "background_words: holds values that are not finite"),
        ("background_words", lambda a: a / 2, "background_words: rows are not probabilities"),
        ("background_words", lambda a: a[:, :-1], r"background_words: has shape \(2, 262143\), expected \(2, 262144\)"),
        ("chars_data", set_values(-1.0), "chars_data: holds values outside 1–inf"),
        ("chars_data", set_values(0.5), "chars_data: holds values outside 1–inf"),
        ("chars_data", set_values(1.5), "chars_data: holds counts that are not whole"),
        ("chars_data", set_values(NAN), "chars_data: holds values that are not finite"),
        ("chars_data", lambda a: a[:-1], "chars_indices: has a length other than chars_data's"),
        ("chars_indices", set_values(N_FEATURES), f"chars_indices: holds values outside 0–{N_FEATURES - 1}"),
        ("words_indices", set_values(-1), "words_indices: holds values outside"),
        ("chars_indptr", set_values(5), "chars_indptr: is not a row index into chars_data"),
        ("words_indptr", lambda a: a[::-1].copy(), "words_indptr: is not a row index into words_data"),
    ],
)
def test_a_tampered_array_is_refused(model: Path, name: str, change: Callable[[np.ndarray], Any], message: str) -> None:
    edit_array(model, name, change)
    refused(model, message if message.startswith("model.json") else f"arrays.npz: {message}")


def test_an_object_array_is_refused_without_unpickling(model: Path) -> None:
    arrays: dict[str, Any] = arrays_of(model)
    arrays["style"] = np.array([{"a": 1}] * 188, dtype=object)
    np.savez(model_folder(model) / ARRAYS_FILE, **arrays)  # written with pickle, which loading must never run
    refused(model, "arrays.npz: style: has dtype object, expected float64")


def test_a_missing_or_extra_array_is_refused(model: Path) -> None:
    arrays = arrays_of(model)
    del arrays["calibration"]
    np.savez(model_folder(model) / ARRAYS_FILE, **arrays)
    refused(model, r"arrays.npz: corrupt or incomplete model \(missing calibration\)")
    arrays["calibration"] = arrays["heldout_scores"]
    arrays["extra"] = np.zeros(3)
    np.savez(model_folder(model) / ARRAYS_FILE, **arrays)
    refused(model, "arrays.npz: corrupt or incomplete model .unexpected or repeated members")


def npy_bytes(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, array)
    return buffer.getvalue()


def write_members(directory: Path, members: dict[str, bytes]) -> None:
    """An arrays.npz of the given .npy members (raw bytes), the other arrays as they were."""
    path = model_folder(directory) / ARRAYS_FILE
    arrays = {f"{name}.npy": npy_bytes(array) for name, array in arrays_of(directory).items()}
    arrays.update(members)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in arrays.items():
            archive.writestr(name, data)


def test_a_zip_bomb_member_is_refused_before_it_is_unpacked(model: Path) -> None:
    # 64 MiB of zeros, a few dozen KiB packed, where style takes 40 KB: NumPy would read the start.
    header = npy_bytes(np.zeros((188, STYLES)))
    write_members(model, {"style.npy": header + bytes(64 * 2**20)})
    refused(model, r"arrays.npz: style: unpacks to [\d,]+ bytes, more than a model of 188 posts holds")


def test_a_member_whose_header_claims_a_huge_array_is_refused_before_allocating_it(model: Path) -> None:
    lying = io.BytesIO()  # a header saying 4 TB of float32, and no data
    np.lib.format.write_array_header_1_0(lying, {"descr": "<f4", "fortran_order": False, "shape": (10**12,)})
    write_members(model, {"chars_data.npy": lying.getvalue()})
    refused(model, r"arrays.npz: chars_data: has shape \(1000000000000,\), expected \(n\)")


def test_a_member_shorter_than_its_shape_is_refused(model: Path) -> None:
    write_members(model, {"tone.npy": npy_bytes(np.zeros((188, 4)))[:-8]})
    refused(model, "arrays.npz: tone: its size does not match its shape")


def test_arrays_that_are_not_an_archive_are_refused(model: Path) -> None:
    (model_folder(model) / ARRAYS_FILE).write_bytes(b"\x93NUMPY not an archive")
    refused(model, r"arrays.npz: corrupt or incomplete model \(not a NumPy archive")


# -- at the command line: exit 2 and a message, never a traceback -------------------------------
@pytest.mark.parametrize(
    ("field", "value"), [("threshold", NAN), ("params.folds", "5"), ("params.folds", 10**9), ("params.folds", 0)]
)
def test_check_refuses_a_tampered_model_with_exit_2(model: Path, tmp_path: Path, field: str, value: Any) -> None:
    edit_meta(model, setter(field, value))
    posts = tmp_path / "posts.csv"
    posts.write_text("text\nNous avons hâte de vous rencontrer ce samedi au marché!\n", encoding="utf-8")
    result = run_cli("check", "--model", model, "--fail-on", "never", posts)
    assert result.returncode == 2, result.stdout + result.stderr
    assert f"model.json: {field}: must be" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("name", [META_FILE, ARRAYS_FILE, POSTS_FILE, "../current"])
def test_a_model_file_that_is_a_pipe_is_refused_without_waiting_for_a_writer(
    model: Path, tmp_path: Path, name: str
) -> None:
    target = model_folder(model) / name
    target.unlink()
    os.mkfifo(target)
    posts = tmp_path / "posts.csv"
    posts.write_text("text\nNous avons hâte de vous rencontrer ce samedi au marché!\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "voicecheck", "check", "--model", str(model), str(posts)],
                            capture_output=True, text=True, timeout=120)  # fmt: skip
    assert result.returncode == 2, result.stderr
    assert "not a regular file (a pipe, socket or device)" in result.stderr or "corrupt model pointer" in result.stderr
    assert "Traceback" not in result.stderr
