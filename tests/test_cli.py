"""The real `voicecheck` command, run in subprocesses the way users and CI run it."""

from __future__ import annotations

import csv
import gc
import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from voicecheck import __version__
from voicecheck.cli import run
from voicecheck.profile import load_profile
from voicecheck.store import model_folder

from .conftest import ROOT, SAMPLE_MODEL, SAMPLE_POSTS, SAMPLES, run_cli
from .french import english_words, run_in_french, spaced
from .readers.exports import ALL_SOURCES, LINKEDIN_SHARES, WEBSITE, X_ARCHIVE

NEW_POSTS = SAMPLES / "new_posts.csv"


def expected_verdicts() -> dict[str, str]:
    with open(NEW_POSTS, encoding="utf-8") as handle:
        return {row["id"]: row["expected"] for row in csv.DictReader(handle)}


@pytest.fixture(scope="module")
def cli_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cli") / "model"
    result = run_cli("fit", *SAMPLE_POSTS, "--brand", SAMPLES / "brand.toml", "--out", out)
    assert result.returncode == 0, result.stderr
    assert "read 188 posts from 3 files" in result.stderr
    assert "facebook 62, instagram 63, linkedin 63" in result.stderr
    return out


def test_version() -> None:
    result = run_cli("--version")
    assert result.returncode == 0 and __version__ in result.stdout and "model format" in result.stdout


@pytest.mark.parametrize("command", ["init", "fit", "check", "tone", "report", "serve"])
def test_every_command_has_help_with_examples(command: str) -> None:
    result = run_cli(command, "--help")
    assert result.returncode == 0
    assert "Example" in result.stdout and f"voicecheck {command}" in result.stdout


def test_demo_flags_exactly_the_drifting_sample_posts(cli_model: Path) -> None:
    result = run_cli("check", "--model", cli_model, "--format", "jsonl", NEW_POSTS)
    assert result.returncode == 1, result.stderr
    got = {o["id"]: o for o in map(json.loads, result.stdout.splitlines())}
    expected = expected_verdicts()
    assert set(got) == set(expected)
    for post_id, verdict in expected.items():
        assert got[post_id]["verdict"] == verdict, (post_id, got[post_id]["reasons"])
        if verdict == "drift":
            assert got[post_id]["reasons"], post_id
    assert "checked 22 posts: 10 drift, 12 on-voice" in result.stderr


def test_committed_sample_model_gives_the_same_verdicts() -> None:
    result = run_cli("check", "--model", SAMPLE_MODEL, "--format", "csv", NEW_POSTS)
    rows = list(csv.DictReader(result.stdout.splitlines()))
    expected = expected_verdicts()
    assert {row["id"]: row["verdict"] for row in rows} == expected


def test_fail_on_never_reports_but_exits_zero() -> None:
    result = run_cli("check", "--model", SAMPLE_MODEL, "--fail-on", "never", NEW_POSTS)
    assert result.returncode == 0
    assert "how the brand usually says it" in result.stdout


def test_clean_posts_exit_zero(tmp_path: Path) -> None:
    path = tmp_path / "ok.md"
    path.write_text(
        "---\nchannel: instagram\nlang: fr\n---\nFin de journée, mission accomplie 🙌 Une maison propre à Rosemont. #MaisonClaire\n"
    )
    result = run_cli("check", "--model", SAMPLE_MODEL, path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_sarif_and_github_formats(tmp_path: Path) -> None:
    out = tmp_path / "results.sarif"
    result = run_cli("check", "--model", SAMPLE_MODEL, "--format", "sarif", "--output", out, NEW_POSTS)
    assert result.returncode == 1
    assert len(json.loads(out.read_text())["runs"][0]["results"]) == 10
    result = run_cli("check", "--model", SAMPLE_MODEL, "--format", "github", NEW_POSTS)
    assert result.stdout.count("::error file=") == 10


def test_tone_jsonl_contract(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text(
        "id,text,lang\na,Nous vous remercions de votre confiance.,fr\nb,lol tu capotes!!,fr\n", encoding="utf-8"
    )
    result = run_cli("tone", "--format", "jsonl", path)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["id"] for line in lines] == ["a", "b"]
    assert set(lines[0]["tone"]) == {"formality", "humor", "irreverence", "enthusiasm"}
    assert lines[0]["tone"]["formality"] > lines[1]["tone"]["formality"]


def test_a_csv_saved_by_a_spreadsheet_set_to_french(tmp_path: Path) -> None:
    """Semicolons between fields and Windows-1252 text, as Excel in French saves "CSV"."""
    path = tmp_path / "brouillons.csv"
    path.write_bytes("Titre;Texte\nÉté;Venez goûter nos crèmes glacées à l'érable, dès samedi!\n".encode("cp1252"))
    result = run_cli("tone", "--format", "jsonl", path)
    assert result.returncode == 0, result.stderr
    (line,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert line["id"] == f"{path}:2" and line["lang"] == "fr"
    assert "is not UTF-8 (line 2): read as Windows-1252" in result.stderr


def test_a_draft_piped_to_standard_input() -> None:
    draft = "Nouvelle saison, nouveaux savons : venez sentir la lavande à la boutique ce samedi!\n"
    result = run_cli("check", "--model", SAMPLE_MODEL, "--channel", "instagram", "--format", "jsonl", "-", input=draft)
    assert result.returncode in (0, 1), result.stderr
    (line,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert (line["id"], line["channel"], line["lang"]) == ("-:1", "instagram", "fr")
    assert "read 1 post from 1 file" in result.stderr
    csv_rows = "id;texte\na;Nous vous remercions de votre confiance.\nb;lol tu capotes!!\n"
    tone = run_cli("tone", "--input-format", "csv", "--format", "jsonl", "-", input=csv_rows)
    assert [json.loads(line)["id"] for line in tone.stdout.splitlines()] == ["a", "b"], tone.stderr
    empty = run_cli("tone", "-", input="")
    assert empty.returncode == 2 and "error: standard input is empty" in empty.stderr


def test_report_json_and_text(tmp_path: Path) -> None:
    result = run_cli("report", "--model", SAMPLE_MODEL, "--format", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["most_divergent_channel"] == "instagram"
    text = run_cli("report", "--model", SAMPLE_MODEL, NEW_POSTS, "--lang", "en")
    assert text.returncode == 0 and "Most divergent channel" in text.stdout
    assert "read 22 posts" in text.stderr
    assert "Posts that drift most (5 of 10; all in --format json or html)" in text.stdout  # the ten drifting posts


def test_init_writes_a_profile_that_fit_accepts(tmp_path: Path) -> None:
    result = run_cli("init", "--name", "Acme", tmp_path / "brand.toml")
    assert result.returncode == 0 and (tmp_path / "brand.toml").exists()
    again = run_cli("init", tmp_path / "brand.toml")
    assert again.returncode == 2 and "exists" in again.stderr


@pytest.mark.parametrize(
    ("name", "problem"),
    [("", "'' is blank"), ("   ", "'   ' is blank"), ("Maison\tClaire", "'Maison\\tClaire' holds a control")],
)
def test_init_refuses_a_name_fit_would_refuse_and_writes_nothing(tmp_path: Path, name: str, problem: str) -> None:
    result = run_cli("init", "--name", name, tmp_path / "brand.toml")
    assert result.returncode == 2 and f"--name: {problem}" in result.stderr
    assert not (tmp_path / "brand.toml").exists()


# -- bad input: a clear message on stderr, exit 2, never a traceback ----------------------------
def bad_input_cases(tmp_path: Path) -> list[tuple[list[str], str]]:
    (tmp_path / "empty.csv").write_bytes(b"")
    (tmp_path / "image.csv").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" * 20)
    (tmp_path / "mixed.csv").write_bytes("text\nCafé\n".encode() + "Été\n".encode("latin-1"))
    (tmp_path / "open-quote.csv").write_text('id,text\n1,"never closed\n2,lost\n', encoding="utf-8")
    (tmp_path / "stats.csv").write_text("date,likes\n2025-01-01,3\n")
    corrupt = tmp_path / "corrupt-model"
    shutil.copytree(SAMPLE_MODEL, corrupt)
    (model_folder(corrupt) / "arrays.npz").write_bytes(b"not a zip")
    (tmp_path / "bad.toml").write_text('nmae = "x"\n')
    model = str(SAMPLE_MODEL)
    return [
        (["check", "--model", model, str(tmp_path / "empty.csv")], "empty.csv: the file is empty"),
        (["check", "--model", model, str(tmp_path / "image.csv")], "image.csv: this looks like a binary file"),
        (["check", "--model", model, str(tmp_path / "mixed.csv")], "mixed.csv: not valid UTF-8 at line 3"),
        (["check", "--model", model, str(tmp_path / "open-quote.csv")], "open-quote.csv:2: a quoted field"),
        (["check", "--model", model, str(tmp_path / "stats.csv")], "no text column found among date, likes"),
        (["check", "--model", model, str(tmp_path / "missing.csv")], "missing.csv: no such file"),
        (["check", "--model", str(corrupt), str(NEW_POSTS)], "corrupt or incomplete model"),
        (["check", "--model", str(tmp_path / "nowhere"), str(NEW_POSTS)], "no such model directory"),
        (
            ["fit", str(NEW_POSTS), "--brand", str(tmp_path / "bad.toml"), "--out", str(tmp_path / "m")],
            "nmae: unknown key",
        ),
        (
            ["fit", str(tmp_path / "stats.csv"), "--text-col", "likes", "--out", str(tmp_path / "m")],
            "at least 20 posts",
        ),
        (["check", "--model", model, "--format", "yaml", str(NEW_POSTS)], "Invalid value for '-f' / '--format'"),
        (["check", "--model", model, ""], "an empty argument names no file or folder"),  # an unset variable
        (["tone", ""], "an empty argument names no file or folder"),
        (["init", str(tmp_path / "missing" / "brand.toml")], "brand.toml: cannot write (No such file or directory)"),
        (
            ["fit", str(NEW_POSTS), "--peers", "rival=", "--out", str(tmp_path / "m")],
            "--peers 'rival=': give the peer's file or folder",
        ),
    ]


def test_bad_input_exits_2_with_a_message_and_no_traceback(tmp_path: Path) -> None:
    for args, message in bad_input_cases(tmp_path):
        result = run_cli(*args)
        assert result.returncode == 2, (args, result.stdout, result.stderr)
        assert message in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.stderr


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs a device that is always full")
@pytest.mark.parametrize(
    "args",
    [
        ["check", "--model", str(SAMPLE_MODEL), "--fail-on", "never", str(NEW_POSTS)],
        ["check", "--model", str(SAMPLE_MODEL), "--fail-on", "never", "-o", "/dev/full", str(NEW_POSTS)],
        ["report", "--model", str(SAMPLE_MODEL)],
        ["tone", str(NEW_POSTS)],
    ],
)
def test_a_full_disk_is_an_error_with_exit_2_not_a_traceback(args: list[str]) -> None:
    with open("/dev/full", "w") as full:
        result = subprocess.run([sys.executable, "-m", "voicecheck", *args], stdout=full, stderr=subprocess.PIPE,
                                text=True, cwd=ROOT, timeout=600)  # fmt: skip
    assert result.returncode == 2, result.stderr
    assert "cannot write (No space left on device)" in result.stderr
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr


def test_init_writes_a_name_that_reads_back_as_given(tmp_path: Path) -> None:
    name = 'Le "Petit" Ménage \\ C:\\new'
    result = run_cli("init", "--name", name, tmp_path / "brand.toml")
    assert result.returncode == 0, result.stderr
    assert load_profile(tmp_path / "brand.toml").name == name


def test_edge_posts_each_get_a_defined_verdict(tmp_path: Path) -> None:
    path = tmp_path / "edge.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "channel", "text"])
        writer.writerow(["long", "facebook", "Nous prenons soin de votre maison. " * 3000])  # ~100,000 characters
        writer.writerow(["emoji", "instagram", "🎉✨💛"])
        writer.writerow(["unknown-channel", "tiktok", "Spring has reached Montréal! Our cleaning team is ready."])
        writer.writerow(["blank", "facebook", "   "])
    result = run_cli("check", "--model", SAMPLE_MODEL, "--format", "jsonl", "--fail-on", "never", path)
    assert result.returncode == 0, result.stderr
    got = {o["id"]: o for o in map(json.loads, result.stdout.splitlines())}
    assert set(got) == {"long", "emoji", "unknown-channel"}
    assert got["emoji"]["verdict"] == "insufficient"
    assert any("judged on its first" in note for note in got["long"]["notes"])
    assert any("new to this model" in note for note in got["unknown-channel"]["notes"])
    assert "skipped 1 (empty text, first at" in result.stderr  # the blank row is counted, not lost


def test_six_channels_from_platform_exports_in_one_fit_and_one_report(tmp_path: Path) -> None:
    """An X archive, Facebook and Instagram downloads, LinkedIn, WordPress and the website."""
    out = tmp_path / "model"
    fitted = run_cli("fit", *ALL_SOURCES, "--brand", SAMPLES / "brand.toml", "--out", out)
    assert fitted.returncode == 0, fitted.stderr
    assert "read 42 posts from 9 files" in fitted.stderr
    assert "blog 4, facebook 8, instagram 8, linkedin 8, website 4, x 10" in fitted.stderr
    assert "(csv: LinkedIn Shares.csv): 8 posts" in fitted.stderr  # a line per file
    reported = run_cli("report", "--model", out, "--format", "json")
    assert reported.returncode == 0, reported.stderr
    report = json.loads(reported.stdout)
    assert sorted(report["channels"]) == ["blog", "facebook", "instagram", "linkedin", "website", "x"]
    assert report["most_divergent_channel"] in report["channels"]
    assert len(report["distances"]) == 6


def test_report_on_exports_with_channel_tags_and_retweets_left_out(cli_model: Path) -> None:
    result = run_cli(
        "report", "--model", cli_model, "--format", "json", "--skip-retweets",
        f"twitter={X_ARCHIVE}", f"site={WEBSITE}",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert sorted(json.loads(result.stdout)["channels"]) == ["site", "twitter"]
    assert "skipped 1 (retweet (--skip-retweets)" in result.stderr


def test_check_reports_every_readable_file_then_fails_for_the_bad_one(cli_model: Path, tmp_path: Path) -> None:
    bad = tmp_path / "broken.xml"
    bad.write_text("<rss><channel><item><title>Oops</title></channel></rss>", encoding="utf-8")
    result = run_cli("check", "--model", cli_model, "--format", "jsonl", "--fail-on", "never", bad, LINKEDIN_SHARES)
    assert result.returncode == 2
    assert len(result.stdout.splitlines()) == 8  # every LinkedIn share was checked
    assert f"error: {bad}:1: not well-formed XML" in result.stderr


def test_fit_says_what_it_fitted_in_french(tmp_path: Path) -> None:
    out = tmp_path / "model"
    result = run_in_french("fit", *SAMPLE_POSTS, "--brand", SAMPLES / "brand.toml", "--out", out, by_locale=True)
    said = spaced(result.stderr)
    assert result.returncode == 0, said
    assert "188 publications lues dans 3 fichiers" in said
    assert "modèle entraîné sur 188 publications (facebook 62, instagram 63, linkedin 63); pipelines " in said
    assert (
        "seuil de signalement : score sous " in said
        and f"(environ 5 % des propres publications de la marque); modèle enregistré dans {out}" in said
    )
    assert "les publications de la marque sont de plusieurs sortes : le style de chaque publication" in said
    pipelines = said.split("; pipelines ")[1].split("\n")[0]  # the pipelines' own names
    assert not english_words(said.replace(pipelines, ""), out, *SAMPLE_POSTS), said


def test_tone_heads_its_table_in_french() -> None:
    result = run_in_french("tone", SAMPLES / "new_posts.csv")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0].split() == ["FORMALITÉ", "HUMOUR", "IRRÉV", "ENTHOUS", "LANGUE", "ID"]
    assert "22 publications lues dans 1 fichier" in spaced(result.stderr)


def test_the_command_exits_with_its_code_and_its_objects_kept_from_the_last_collection(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    frozen: list[bool] = []
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(True))
    for argv, code in ((["voicecheck", "--version"], 0), (["voicecheck", "check"], 2)):
        monkeypatch.setattr(sys, "argv", argv)
        with pytest.raises(SystemExit) as exited:
            run()
        assert exited.value.code == code
    assert frozen == [True, True]  # after every run, however it ends


def test_check_names_the_language_of_a_post_in_neither_english_nor_french(tmp_path: Path) -> None:
    posts = tmp_path / "posts.csv"
    rows = [
        {
            "id": "es-1",
            "text": "Hoy presentamos nuestra nueva colección de otoño, con descuentos para todos nuestros clientes.",
        },
        {
            "id": "uk-1",
            "text": "Нова колекція вже в магазині, приходьте всі та отримайте знижку для постійних клієнтів.",
        },
    ]
    with open(posts, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, ["id", "text"])
        writer.writeheader()
        writer.writerows(rows)
    result = run_cli("check", "--model", str(SAMPLE_MODEL), str(posts), "--format", "jsonl")
    assert result.returncode == 1, result.stderr
    found = {line["id"]: line["reasons"] for line in map(json.loads, result.stdout.splitlines())}
    assert [(r["code"], r["language"]) for r in found["es-1"]] == [("VC104", "es")]
    assert [(r["code"], r["language"]) for r in found["uk-1"]] == [("VC104", "uk")]
    said = run_in_french("check", "--model", SAMPLE_MODEL, posts)
    assert said.returncode == 1, said.stderr
    assert "écrit en espagnol ; la marque écrit en anglais et en français" in said.stdout
    assert "écrit en ukrainien" in said.stdout


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_an_interrupted_check_exits_130_saying_so_where_1_would_say_posts_drift(lang: str) -> None:
    command = [sys.executable, "-m", "voicecheck", "check", "--lang", lang, "--model", str(SAMPLE_MODEL), "-"]
    process = subprocess.Popen(command, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdin is not None
    process.stdin.write("id,text\n1,Merci de nous faire confiance pour votre grand ménage du printemps!\n".encode())
    process.stdin.flush()  # left open: the check waits for more posts
    time.sleep(3)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    words = "interrupted: the run did not finish" if lang == "en" else "interrompue"
    assert words in stderr.decode() and "Traceback" not in stderr.decode()


@pytest.mark.parametrize("after", [0.15, 0.3])
def test_ctrl_c_while_the_command_starts_exits_130_without_a_traceback(after: float) -> None:
    # Within the CLI's imports no handler of its own is in place yet.
    command = [sys.executable, "-m", "voicecheck", "check", "--model", str(SAMPLE_MODEL), "-"]
    process = subprocess.Popen(command, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(after)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130 and "Traceback" not in stderr.decode(), stderr.decode()
