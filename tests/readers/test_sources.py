"""What read_posts does with its inputs: channels per input, folders, standard input, and unreadable files."""

import io
import json
import sys
from pathlib import Path

import pytest

from tests.french import english_words, run_in_french, spaced
from tests.readers.exports import FACEBOOK_POSTS, LINKEDIN_SHARES
from voicecheck.errors import InputError
from voicecheck.readers import ReadStats, Source, parse_source, read_posts


def test_channel_prefix_tags_an_input() -> None:
    source = parse_source(f"careers={LINKEDIN_SHARES}")
    assert (source.path, source.channel) == (LINKEDIN_SHARES, "careers")
    posts = list(read_posts([source], ReadStats()))
    assert {p.channel for p in posts} == {"careers"}  # overrides the export's own channel


def test_a_path_with_an_equals_sign_stays_a_path(tmp_path: Path) -> None:
    path = tmp_path / "a=b.csv"
    path.write_text("text\nBonjour à tous!\n", encoding="utf-8")
    assert parse_source(str(path)).channel is None
    assert parse_source(str(path)).path == path


def test_an_empty_argument_is_refused_rather_than_read_as_the_current_folder() -> None:
    with pytest.raises(InputError, match="an empty argument names no file or folder"):
        parse_source("")


def test_default_channel_fills_only_posts_without_one(tmp_path: Path) -> None:
    plain = tmp_path / "plain.csv"
    plain.write_text("text\nBonjour à tous!\n", encoding="utf-8")
    posts = list(read_posts([plain, FACEBOOK_POSTS], ReadStats(), channel="newsletter"))
    assert posts[0].channel == "newsletter"
    assert {p.channel for p in posts[1:]} == {"facebook"}


def test_a_bad_file_is_named_and_the_rest_still_read(tmp_path: Path) -> None:
    bad = tmp_path / "broken.json"
    bad.write_text('[{"text": "Bonjour"}, {"text": ', encoding="utf-8")
    stats = ReadStats()
    posts = []
    with pytest.raises(
        InputError,
        match=r"2 files could not be read:\n  .*nope.csv: no such file or folder\n  .*broken.json: not valid JSON",
    ):
        for post in read_posts([tmp_path / "nope.csv", bad, LINKEDIN_SHARES], stats):
            posts.append(post)
    assert len(posts) == 1 + 8  # the broken file's first post, then every LinkedIn share
    assert [s.read for s in stats.sources] == [0, 1, 8]
    assert "2 files could not be read to the end" in stats.summary()


def test_an_empty_folder_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "logo.png").write_bytes(b"\x89PNG")
    with pytest.raises(InputError, match="no web pages, Markdown posts or X archive in this folder"):
        list(read_posts([Source(tmp_path)], ReadStats()))


def test_a_folder_of_exports_says_how_to_read_them(tmp_path: Path) -> None:
    folder = tmp_path / "rival exports"
    folder.mkdir()
    (folder / "linkedin.csv").write_bytes(LINKEDIN_SHARES.read_bytes())
    (folder / "facebook.csv").write_bytes(FACEBOOK_POSTS.read_bytes())
    (folder / "instagram.jsonl").write_text('{"id": "1", "text": "Bonjour"}\n', encoding="utf-8")
    (folder / "logo.png").write_bytes(b"\x89PNG")  # not an export: not named
    with pytest.raises(InputError) as raised:
        list(read_posts([Source(folder)], ReadStats()))
    said = str(raised.value)
    assert "no web pages, Markdown posts or X archive in this folder" in said
    assert f"its csv, jsonl files are read when named one by one, as in: '{folder}'/*.csv" in said


def test_a_folder_of_exports_is_explained_in_french(tmp_path: Path) -> None:
    (tmp_path / "posts.csv").write_bytes(LINKEDIN_SHARES.read_bytes())
    done = run_in_french("fit", tmp_path, "--out", tmp_path / "model")
    assert done.returncode == 2
    said = spaced(done.stderr)
    assert f"ses fichiers csv sont lus quand on les nomme un à un, par exemple : {tmp_path}/*.csv" in said
    assert not english_words(said.splitlines()[-1], tmp_path)


def test_breakdown_has_a_line_per_file() -> None:
    stats = ReadStats()
    list(read_posts([FACEBOOK_POSTS, LINKEDIN_SHARES], stats))
    assert stats.breakdown() == [
        f"{FACEBOOK_POSTS} (facebook): 8 posts, skipped 1 (no text (a photo, link or check-in only))",
        f"{LINKEDIN_SHARES} (csv: LinkedIn Shares.csv): 8 posts",
    ]
    assert stats.as_dict()["sources"][1]["read"] == 8  # type: ignore[index]


def test_dash_reads_standard_input_once_for_peeking_and_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    from voicecheck.readers import base

    data = io.BytesIO(json.dumps([{"text": "Bonjour à tous!", "channel": "Facebook"}]).encode())
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(data, encoding="utf-8"))
    monkeypatch.setattr(base, "_stdin_bytes", None)
    stats = ReadStats()
    (post,) = read_posts([parse_source("-")], stats)
    assert (post.text, post.channel, post.where) == ("Bonjour à tous!", "facebook", "-#1")
    assert stats.sources[0].format == "json"


def test_a_file_named_twice_or_by_its_folder_too_is_read_once_saying_so(tmp_path: Path) -> None:
    # Read twice, its posts counted twice, and a fit held each one out beside its own copy.
    (tmp_path / "posts").mkdir()
    post = tmp_path / "posts" / "a.md"
    post.write_text("Our team is ready for the spring cleaning.\n", encoding="utf-8")
    (tmp_path / "b.md").symlink_to(post)
    stats = ReadStats()
    read = list(read_posts([str(post), str(tmp_path / "posts"), str(tmp_path / "b.md")], stats))
    assert [p.text for p in read] == ["Our team is ready for the spring cleaning."]
    assert any("named more than once: its posts are read once" in note for note in stats.notes)
