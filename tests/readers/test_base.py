from pathlib import Path

import pytest

from voicecheck.errors import InputError
from voicecheck.readers import ReadStats, read_posts, sniff_format
from voicecheck.readers.base import open_text


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


def test_wrong_encoding_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes("text\nBonjour\nÉté à Montréal\n".encode("latin-1"))
    with pytest.raises(InputError, match=r"latin1.csv: not valid UTF-8 at line 3"):
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
    stats.skip("empty text", "a.csv:4")
    stats.skip("empty text", "a.csv:9")
    assert stats.summary() == "read 3 posts from 1 file; skipped 2 (empty text, first at a.csv:4)"
