import json
from pathlib import Path

import pytest

from voicecheck.errors import InputError
from voicecheck.readers import ReadStats, read_posts, sniff_format
from voicecheck.readers.base import open_text

from ..conftest import SAMPLE_MODEL, run_cli
from ..french import english_words, run_in_french, spaced


def test_empty_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    path.write_bytes(b"")
    with pytest.raises(InputError, match="posts.csv: the file is empty"):
        list(read_posts([path], ReadStats()))


def test_binary_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "photo.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10)
    with pytest.raises(InputError, match="photo.csv: this looks like a binary file"):
        list(read_posts([path], ReadStats()))


EXCEL_TEXT = "Été à Montréal, l’œuvre « Café »"


@pytest.mark.parametrize(
    ("name", "content"),
    [("excel.csv", f"id;texte\n1;Bonjour\n2;{EXCEL_TEXT}\n"), ("drafts.txt", f"Bonjour\n\n{EXCEL_TEXT}\n")],
)
def test_windows_1252_from_spreadsheets_is_read_and_said(tmp_path: Path, name: str, content: str) -> None:
    path = tmp_path / name
    path.write_bytes(content.encode("cp1252"))
    stats = ReadStats()
    posts = list(read_posts([path], stats))
    assert [p.text for p in posts] == ["Bonjour", EXCEL_TEXT]
    said = f"{path} is not UTF-8 (line 3): read as Windows-1252"
    assert said in stats.summary() and stats.as_dict()["notes"] == [said]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("mixed.csv", "text\nCafé\n".encode() + "Été\n".encode("cp1252")),  # UTF-8, then not
        ("bom.csv", "\ufefftext\nBonjour\n".encode() + "Été\n".encode("cp1252")),  # says UTF-8, is not
        ("posts.jsonl", '{"text": "Bonjour"}\n{"text": "Été"}\n'.encode("cp1252")),  # JSON is UTF-8
    ],
)
def test_text_that_is_not_utf8_is_refused_naming_file_and_line_when_it_cannot_be_told(
    tmp_path: Path, name: str, content: bytes
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(
        InputError, match=rf"{name}: not valid UTF-8 at line (2|3) \(byte 0xc9\); save the file as UTF-8"
    ):
        list(read_posts([path], ReadStats()))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        list(read_posts([tmp_path / "nope.csv"], ReadStats()))


def test_utf8_bom_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes("\ufefftext\nBonjour à tous\n".encode())
    posts = list(read_posts([path], ReadStats()))
    assert [p.text for p in posts] == ["Bonjour à tous"]


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("a.csv", "text\nx\n", "csv"),
        ("a.jsonl", '{"text": "x"}\n', "jsonl"),
        ("a.md", "---\nchannel: x\n---\nx\n", "markdown"),
        ("export", '[{"text": "x"}]', "json"),
        ("export", '{"text": "x"}\n{"text": "y"}\n', "jsonl"),
        ("notes", "Hello there\n\nSecond post\n", "text"),
    ],
)
def test_sniff_format(tmp_path: Path, name: str, content: str, expected: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert sniff_format(path) == expected


def test_open_text_reads_whole_file(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("one\ntwo\n", encoding="utf-8")
    with open_text(path) as lines:
        assert list(lines) == ["one\n", "two\n"]


def test_stats_summary_names_reasons_and_first_place() -> None:
    stats = ReadStats(files=1, read=3)
    stats.skip("empty text", "a.csv:4", "no_text")
    stats.skip("empty text", "a.csv:9", "no_text")
    assert stats.summary() == "read 3 posts from 1 file; skipped 2 (empty text, first at a.csv:4)"


def test_each_reason_for_a_skip_keeps_its_code_beside_its_words() -> None:
    stats = ReadStats()
    stats.start(Path("a.csv"), "csv")
    stats.skip("empty text", "a.csv:4", "no_text")
    stats.skip("3 fields where the header has 2", "a.csv:5", "malformed")
    stats.skip("empty text", "a.csv:9", "no_text")
    skips = [
        {"code": "no_text", "reason": "empty text", "count": 2, "first": "a.csv:4"},
        {"code": "malformed", "reason": "3 fields where the header has 2", "count": 1, "first": "a.csv:5"},
    ]
    assert stats.as_dict()["skips"] == skips
    assert stats.as_dict()["sources"][0]["skips"] == [{k: v for k, v in skip.items() if k != "first"} for skip in skips]  # type: ignore[index]


def test_the_codes_of_skipped_records_are_the_same_in_french(tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    path.write_text("id,text\n1,Un café crème pour toute l'équipe ce matin à Verdun\n2,\n3,trop,de,champs\n")
    args = ("check", "--model", SAMPLE_MODEL, "--fail-on", "never", "--format", "json", path)
    english, french = run_cli(*args), run_in_french(*args)
    assert english.returncode == french.returncode == 0, english.stderr + french.stderr
    skips = [json.loads(result.stdout)["summary"]["input"]["skips"] for result in (english, french)]
    assert [(skip["code"], skip["count"]) for skip in skips[0]] == [("no_text", 1), ("malformed", 1)]
    assert [(skip["code"], skip["count"], skip["first"]) for skip in skips[1]] == [
        (skip["code"], skip["count"], skip["first"]) for skip in skips[0]
    ]
    assert skips[0][0]["reason"] == "empty text" and skips[1][0]["reason"] != "empty text"  # the words are French


@pytest.mark.parametrize("by_locale", [False, True], ids=["--lang fr", "LANG=fr_CA.UTF-8"])
def test_the_read_summary_of_a_windows_1252_file_is_in_french(tmp_path: Path, by_locale: bool) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes("id,text\n1,Un café crème pour toute l'équipe ce matin à Verdun\n".encode("cp1252"))
    result = run_in_french("check", "--model", SAMPLE_MODEL, "--fail-on", "never", path, by_locale=by_locale)
    said = spaced(result.stdout + result.stderr)
    assert result.returncode == 0, said
    assert "1 publication lue dans 1 fichier" in said
    assert f"{path} n'est pas en UTF-8 (ligne 2) : lu comme du Windows-1252" in said
    assert not english_words(said, path), said


def test_an_empty_file_and_a_missing_one_are_refused_in_french(tmp_path: Path) -> None:
    empty, missing = tmp_path / "empty.csv", tmp_path / "missing.csv"
    empty.write_bytes(b"")
    result = run_in_french("check", "--model", SAMPLE_MODEL, empty, missing)
    said = spaced(result.stderr)
    assert result.returncode == 2, said
    assert "2 fichiers n'ont pas pu être lus :" in said
    assert f"{empty} : le fichier est vide" in said and f"{missing} : fichier ou dossier introuvable" in said
    assert not english_words(said, empty, missing), said
