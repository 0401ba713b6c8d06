"""voicecheck.spark on a real local Spark (two cores, loopback only), against the real CLI."""

from __future__ import annotations

import csv
import json
import math
import os
import runpy
import shutil
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from voicecheck import spark as voicecheck_spark
from voicecheck.errors import InputError, ModelError, ProfileError, VoicecheckError
from voicecheck.readers import ReadStats, read_posts
from voicecheck.store import ARRAYS_FILE, META_FILE, POSTS_FILE, model_folder, save

from .conftest import ROOT, SAMPLE_MODEL, SAMPLE_POSTS, SAMPLES, run_cli

NEW_POSTS = SAMPLES / "new_posts.csv"
POSTS_SCHEMA = (
    "brand string, id string, text string, channel string, lang string, date string, post_kind string, `where` string"
)


def java_installed() -> bool:
    home = os.environ.get("JAVA_HOME")
    return shutil.which("java") is not None or bool(home and Path(home, "bin", "java").is_file())


@pytest.fixture(scope="session")
def spark(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    if not java_installed():
        pytest.skip("Java is not installed: local Spark needs a Java runtime (.ci/run installs default-jre-headless)")
    from pyspark.sql import SparkSession

    scratch = tmp_path_factory.mktemp("spark")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SPARK_LOCAL_IP", "127.0.0.1")  # loopback only, even where the host name resolves elsewhere
        patch.setenv("PYSPARK_PYTHON", sys.executable)  # workers run this interpreter, where voicecheck is
        session = (
            SparkSession.builder.master("local[2]")
            .appName("voicecheck-tests")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.default.parallelism", "2")
            .config("spark.driver.memory", "1g")
            .config("spark.pyspark.python", sys.executable)
            .config("spark.sql.warehouse.dir", str(scratch / "warehouse"))
            .getOrCreate()
        )
        session.sparkContext.setLogLevel("ERROR")
        yield session
        session.stop()


@pytest.fixture(scope="session")
def cli_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample brand fitted by the real `voicecheck fit`, in a folder of models named by brand."""
    out = tmp_path_factory.mktemp("cli-models") / "maison-claire"
    result = run_cli("fit", *SAMPLE_POSTS, "--brand", SAMPLES / "brand.toml", "--out", out)
    assert result.returncode == 0, result.stderr
    return out


def read(paths: list[Path]) -> list[Any]:
    return list(read_posts(paths, ReadStats()))


def post_rows(brand: str | None, posts: list[Any]) -> list[dict[str, Any]]:
    """Posts as read by voicecheck's readers, as rows of a posts DataFrame."""
    return [
        {"brand": brand, "id": p.id, "text": p.text, "channel": p.channel, "lang": p.lang, "date": p.date,
         "post_kind": p.kind, "where": p.where}
        for p in posts
    ]  # fmt: skip


def as_jsonl(row: Any) -> dict[str, Any]:
    """A result row as `check --format jsonl` writes the post: reasons' details back in place."""
    fields = row.asDict(recursive=True)
    del fields["brand"], fields["error"]
    fields["reasons"] = [
        {"kind": r["kind"], "message": r["message"], **({"code": r["code"]} if r["code"] else {}),
         **json.loads(r["details"])}
        for r in fields["reasons"]
    ]  # fmt: skip
    return fields


def cli_check(model: Path, *paths: Path) -> list[dict[str, Any]]:
    result = run_cli("check", "--model", model, "--format", "jsonl", "--fail-on", "never", *paths)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


@pytest.fixture(scope="session")
def unlabelled_posts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """New posts with no language given (so it is detected), some on a channel new to the brand, some short."""
    path = tmp_path_factory.mktemp("posts") / "unlabelled.csv"
    with open(NEW_POSTS, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "channel", "text"])
        for number, row in enumerate(rows):
            writer.writerow([f"u-{number}", "tiktok" if number % 5 == 0 else row["channel"], row["text"]])
        writer.writerow(["u-short", "instagram", "Merci!"])
        writer.writerow(["u-tiny", "facebook", "Super!"])
    return path


def test_check_gives_what_the_cli_gives_field_by_field(spark: Any, cli_model: Path, unlabelled_posts: Path) -> None:
    models = {"sample": SAMPLE_MODEL, "refit": cli_model}
    files = [NEW_POSTS, unlabelled_posts]
    rows, expected = [], []
    for brand, model in models.items():
        rows += post_rows(brand, read(files))
        expected += cli_check(model, *files)
    frame = spark.createDataFrame(rows, POSTS_SCHEMA).repartition(3)  # brands and files mixed in every batch
    results = voicecheck_spark.check(frame, models).collect()

    assert len(results) == len(expected) == 2 * (22 + 24)
    got = {(row["brand"], row["where"]): row for row in results}
    wanted = {(row["brand"], one["where"]): one for row, one in zip(rows, expected, strict=True)}
    assert got.keys() == wanted.keys()
    for key, row in got.items():
        assert row["error"] is None, row["error"]
        fields = as_jsonl(row)
        assert fields.keys() == wanted[key].keys()
        for name, value in wanted[key].items():
            assert fields[name] == value, (key, name)
    verdicts = {row["verdict"] for row in results}
    assert verdicts == {"on-voice", "drift", "insufficient"}  # every kind of result went through Spark


def test_messages_are_in_the_language_asked_for_as_with_the_cli(spark: Any) -> None:
    rows = post_rows("maison-claire", read([NEW_POSTS]))
    result = run_cli(
        "check", "--model", SAMPLE_MODEL, "--format", "jsonl", "--fail-on", "never", "--lang", "fr", NEW_POSTS
    )
    assert result.returncode == 0, result.stderr
    expected = [json.loads(line) for line in result.stdout.splitlines()]
    frame = spark.createDataFrame(rows, POSTS_SCHEMA)
    got = [as_jsonl(row) for row in voicecheck_spark.check(frame, ROOT / "models", language="fr").collect()]
    assert got == expected
    assert any("que la marque" in reason["message"] for post in got for reason in post["reasons"])  # French indeed
    with pytest.raises(VoicecheckError, match="not 'de'"):
        voicecheck_spark.check(frame, ROOT / "models", language="de")


def test_results_keep_the_input_order_within_a_partition(spark: Any) -> None:
    rows = post_rows("maison-claire", read([NEW_POSTS]))
    results = voicecheck_spark.check(spark.createDataFrame(rows, POSTS_SCHEMA).coalesce(1), ROOT / "models")
    assert [row["id"] for row in results.collect()] == [row["id"] for row in rows]


def test_posts_without_a_model_or_text_are_kept_with_the_reason(spark: Any) -> None:
    good = {"id": "ok", "text": "Le printemps est arrivé à Montréal! Notre équipe est prête.", "channel": "facebook"}
    rows = [
        {"brand": "maison-claire", **good},
        {"brand": "nobody", **good, "id": "n1"},
        {"brand": None, **good, "id": "n2"},
        {"brand": "../models/maison-claire", **good, "id": "n3"},
        {"brand": "maison-claire", "id": "e1", "text": "  \n ", "channel": "facebook"},
        {"brand": "maison-claire", "id": None, "text": good["text"], "channel": "facebook"},
    ]
    frame = spark.createDataFrame(rows, "brand string, id string, text string, channel string")
    results = {row["id"]: row for row in voicecheck_spark.check(frame, ROOT / "models").collect()}

    assert len(results) == len(rows)
    assert results["ok"]["error"] is None and results["ok"]["verdict"] == "on-voice"
    errors = {post_id: row["error"] for post_id, row in results.items() if post_id != "ok"}
    assert errors["n1"] == f"no model for brand 'nobody': no folder {ROOT / 'models' / 'nobody'}"
    assert errors["n2"] == "the post has no brand"
    assert errors["n3"].startswith("brand '../models/maison-claire' cannot name a model folder")
    assert errors["e1"] == "empty text"
    assert errors[None] == "no id"
    for post_id in errors:
        row = results[post_id]
        assert row["score"] is None and row["verdict"] is None and row["flagged"] is None
        assert row["text"] == next(r["text"] for r in rows if r["id"] == post_id)  # the post itself is kept


def test_a_brand_missing_from_a_mapping_is_named(spark: Any) -> None:
    frame = spark.createDataFrame([("acme", "1", "Hello there, friends of ours", "x")], "brand string, id string, text string, channel string")  # fmt: skip
    (row,) = voicecheck_spark.check(frame, {"maison-claire": SAMPLE_MODEL}).collect()
    assert row["error"] == "no model for brand 'acme': it is not among the models given"


def test_wrong_columns_and_missing_models_fail_at_once(spark: Any, tmp_path: Path) -> None:
    frame = spark.createDataFrame([("maison-claire", "1", "facebook")], "brand string, id string, channel string")
    with pytest.raises(InputError, match="missing: text"):
        voicecheck_spark.check(frame, ROOT / "models")
    with pytest.raises(ModelError, match="no such folder of models"):
        voicecheck_spark.check(frame, tmp_path / "absent")
    with pytest.raises(ModelError, match="no models given"):
        voicecheck_spark.check(frame, {})
    with pytest.raises(InputError, match="missing: text"):
        voicecheck_spark.fit(frame, tmp_path)
    bad_profile = tmp_path / "brand.toml"
    bad_profile.write_text("colour = 'blue'\n", encoding="utf-8")
    with pytest.raises(ProfileError):
        voicecheck_spark.fit(frame, tmp_path, profiles={"maison-claire": bad_profile})


def model_files(directory: Path) -> tuple[dict[str, Any], bytes, dict[str, np.ndarray]]:
    """What a model directory holds, without its creation time."""
    directory = model_folder(directory)
    meta = json.loads((directory / META_FILE).read_text(encoding="utf-8"))
    del meta["created"]
    with np.load(directory / ARRAYS_FILE, allow_pickle=False) as npz:
        arrays = {name: npz[name] for name in npz.files}
    return meta, (directory / POSTS_FILE).read_bytes(), arrays


def assert_same_model(got: Path, want: Path) -> None:
    got_meta, got_posts, got_arrays = model_files(got)
    want_meta, want_posts, want_arrays = model_files(want)
    assert got_meta == want_meta
    assert got_posts == want_posts
    assert got_arrays.keys() == want_arrays.keys()
    for name, array in want_arrays.items():
        assert np.array_equal(got_arrays[name], array, equal_nan=True), name


def test_fit_many_brands_gives_the_models_the_cli_gives(spark: Any, cli_model: Path, tmp_path: Path) -> None:
    sample = read(SAMPLE_POSTS)
    english = [post for post in sample if post.lang == "en"]
    english_file = tmp_path / "english.jsonl"
    with open(english_file, "w", encoding="utf-8") as handle:
        for post in english:
            record = {"id": post.id, "channel": post.channel, "lang": post.lang, "date": post.date, "text": post.text}
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    english_cli = tmp_path / "cli" / "english"
    assert run_cli("fit", english_file, "--out", english_cli).returncode == 0

    rows = post_rows("maison-claire", sample) + post_rows("english", read([english_file]))
    rows += post_rows("tiny", sample[:5]) + post_rows("../escape", sample[:30])
    rows.append({"brand": "english", "id": "blank", "text": " ", "channel": "facebook"})
    frame = spark.createDataFrame(rows, POSTS_SCHEMA)  # in two partitions: brands meet again after a shuffle
    destination = tmp_path / "models"
    profiles = {"maison-claire": SAMPLES / "brand.toml"}
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)  # nothing for the user to act on
        fitted = voicecheck_spark.fit(frame, destination, profiles=profiles)
    results = {row["brand"]: row for row in fitted.collect()}

    assert set(results) == {"maison-claire", "english", "tiny", "../escape"}
    claire, english_row = results["maison-claire"], results["english"]
    assert claire["error"] is None and claire["model"] == str(destination / "maison-claire")
    cli_meta = json.loads((model_folder(cli_model) / META_FILE).read_text(encoding="utf-8"))
    assert claire["posts"] == 188 and claire["threshold"] == cli_meta["calibration"]["threshold_score"]
    assert claire["warning"] is None
    assert_same_model(destination / "maison-claire", cli_model)
    assert english_row["error"] is None and english_row["posts"] == len(english)
    assert english_row["warning"] == "skipped 1 (empty text)"
    assert_same_model(destination / "english", english_cli)
    assert results["tiny"]["error"] == "a voice needs at least 20 posts to learn from; got 5"
    assert results["tiny"]["model"] is None and not (destination / "tiny").exists()
    assert "cannot name a model folder" in results["../escape"]["error"]
    assert not (tmp_path / "escape").exists()

    # The fitted folder of models is what `check` reads.
    checked = voicecheck_spark.check(
        spark.createDataFrame(post_rows("english", english[:4]), POSTS_SCHEMA), destination
    )
    assert [row["error"] for row in checked.collect()] == [None] * 4


def test_a_model_fitted_anew_is_loaded_anew(tmp_path: Path) -> None:
    directory = tmp_path / "maison-claire"
    shutil.copytree(SAMPLE_MODEL, directory)
    first = voicecheck_spark.cached_model(directory)
    assert voicecheck_spark.cached_model(directory) is first  # loaded once per process
    save(first, directory)  # as a new fit replaces it
    assert voicecheck_spark.cached_model(directory) is not first


def test_a_missing_model_folder_is_a_model_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="no such model directory"):
        voicecheck_spark.cached_model(tmp_path / "absent")


brands = st.sampled_from(["maison-claire", "nobody", None, "..", "a/b"])
texts = st.one_of(st.none(), st.just(math.nan), st.text(max_size=80), st.sampled_from(["Bonjour à vous tous!", "ok"]))
records = st.fixed_dictionaries({
    "brand": brands, "id": st.one_of(st.none(), st.text(max_size=5)), "text": texts,
    "channel": st.one_of(st.none(), st.sampled_from(["facebook", "Instagram", "tiktok"])),
    "lang": st.sampled_from([None, "fr", "EN", "und"]), "date": st.none(), "post_kind": st.none(), "where": st.none(),
})  # fmt: skip


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(records, max_size=6))
def test_every_record_gets_one_row_judged_or_saying_why(batch: list[dict[str, Any]]) -> None:
    rows = voicecheck_spark.check_records(str(ROOT / "models"), batch)
    assert len(rows) == len(batch)
    for record, row in zip(batch, rows, strict=True):
        assert set(row) == set(voicecheck_spark.CHECK_COLUMNS)
        text = record["text"] if isinstance(record["text"], str) else ""
        judgeable = record["brand"] == "maison-claire" and record["id"] is not None and text.strip()
        if judgeable:
            assert row["error"] is None and 0 <= row["score"] <= 100 and row["verdict"] is not None
            assert row["id"] == record["id"]
        else:
            assert row["error"] and row["score"] is None and row["verdict"] is None


def test_the_check_path_never_imports_spark() -> None:
    code = (
        "import sys; from voicecheck import api, cli, store, server\n"
        "from voicecheck.readers.base import Post\n"
        "saved = store.load(sys.argv[1]); list(api.check(saved, [Post('p', 'Bonjour à tous!', 'facebook')]))\n"
        "loaded = [m for m in ('voicecheck.spark', 'pyspark', 'pandas', 'pyarrow') if m in sys.modules]\n"
        "assert not loaded, loaded"
    )
    result = subprocess.run([sys.executable, "-c", code, str(SAMPLE_MODEL)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_without_pyspark_the_error_says_how_to_install_it() -> None:
    code = (
        "import sys; sys.modules['pyspark'] = None\n"
        "from voicecheck import spark\n"
        "from voicecheck.errors import VoicecheckError\n"
        "try:\n    spark.check(None, 'models')\nexcept VoicecheckError as exc:\n    print(exc)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "pip install 'voicecheck[spark]'" in result.stdout


def test_the_readme_example_checks_a_csv_into_json_lines(
    spark: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    example = runpy.run_path(str(ROOT / "examples" / "spark_check.py"))  # as spark-submit runs it, in this session
    out = tmp_path / "results"
    example["main"](["--models", str(ROOT / "models"), "--brand", "maison-claire", str(NEW_POSTS), str(out)])
    assert "checked 22 posts: 10 drift, 12 on-voice, 0 too short to judge, 0 not judged" in capsys.readouterr().out
    lines = [json.loads(line) for part in sorted(out.glob("part-*.json")) for line in part.read_text().splitlines()]
    assert len(lines) == 22 and sum(line["flagged"] for line in lines) == 10
    assert all(line.keys() == set(voicecheck_spark.CHECK_COLUMNS) for line in lines)  # nulls written too


def test_the_errors_of_rows_are_in_the_language_asked_for_and_in_english_by_default() -> None:
    record = {"brand": "nobody", "id": "1", "text": "Bonjour à vous tous!", "channel": None, "lang": None,
              "date": None, "post_kind": None, "where": None}  # fmt: skip
    folder = ROOT / "models" / "nobody"
    (english,) = voicecheck_spark.check_records(str(ROOT / "models"), [record])
    (french,) = voicecheck_spark.check_records(str(ROOT / "models"), [record], "fr")
    assert english["error"] == f"no model for brand 'nobody': no folder {folder}"
    assert french["error"] == f"aucun modèle pour la marque 'nobody'\u00a0: aucun dossier {folder}"
    assert voicecheck_spark.check_records(str(ROOT / "models"), [record])[0]["error"] == english["error"]
