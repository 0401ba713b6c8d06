"""Hostile and careless input: each file ends in posts, counted skips or one clear InputError.

Cases that once cost gigabytes run in a subprocess whose address space is capped, so a
regression fails the test (MemoryError) instead of exhausting the machine.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from voicecheck.errors import InputError
from voicecheck.readers import ReadStats, guard, read_posts
from voicecheck.readers.base import MAX_RECORD_BYTES

#: Address space for the reading subprocess: far above what bounded reading needs.
MEMORY_CAP = 1024 * 2**20

_READ = """
import json, sys
from voicecheck.errors import InputError
from voicecheck.readers import ReadStats, guard, read_posts
stats = ReadStats()
posts = [post.text[:40] for post in read_posts(sys.argv[1:], stats, raise_at_end=False)]
print(json.dumps({"posts": posts, "skipped": dict(stats.skipped), "errors": stats.errors}))
"""


def read_capped(*paths: Path, cap: int = MEMORY_CAP) -> dict:
    """Read `paths` in a subprocess that may use at most `cap` bytes of address space."""

    def cap_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    done = subprocess.run(
        [sys.executable, "-c", _READ, *map(str, paths)],
        capture_output=True, text=True, cwd=ROOT, preexec_fn=cap_memory, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def read(path: Path, **options: object) -> tuple[list, ReadStats]:
    stats = ReadStats()
    return list(read_posts([path], stats, raise_at_end=False, **options)), stats  # type: ignore[arg-type]


# --- nesting depth -----------------------------------------------------------------------


def test_a_json_file_of_nested_brackets_is_skipped_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text('[{"text": "Before"}, ' + "[" * 100_000 + "]" * 100_000 + ', {"text": "After"}]')
    result = read_capped(path)
    assert result["posts"] == ["Before", "After"]
    assert result["skipped"] == {"nested deeper than 64 levels": 1}


def test_a_whole_json_file_of_brackets_is_one_skipped_record(tmp_path: Path) -> None:
    path = tmp_path / "brackets.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    assert read_capped(path) == {"posts": [], "skipped": {"nested deeper than 64 levels": 1}, "errors": []}


def test_deep_json_on_one_json_lines_line_is_skipped_and_the_others_read(tmp_path: Path) -> None:
    path = tmp_path / "posts.jsonl"
    path.write_text('{"text": "One"}\n' + "[" * 100_000 + "]" * 100_000 + '\n{"text": "Two"}\n')
    posts, stats = read(path)
    assert [p.text for p in posts] == ["One", "Two"]
    assert stats.skipped == {"nested deeper than 64 levels": 1}
    assert stats.examples["nested deeper than 64 levels"] == f"{path}:2"


def test_a_yaml_alias_bomb_in_front_matter_is_refused_in_bounded_memory(tmp_path: Path) -> None:
    levels = ["a: &a [" + ",".join(['"lol"'] * 9) + "]"]
    levels += [f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]" for i in range(8)]
    bomb = tmp_path / "bomb.md"
    bomb.write_text("---\n" + "\n".join(levels) + "\nchannel: *i\nid: *i\n---\nHello\n")
    good = tmp_path / "good.md"
    good.write_text("---\nchannel: x\n---\nStill read.\n")
    result = read_capped(bomb, good)
    assert result["posts"] == ["Still read."]
    assert result["errors"] == [f"{bomb}:3: unreadable front matter (aliases (*name) are not read here)"]


def test_deeply_nested_front_matter_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "deep.md"
    path.write_text("---\nchannel: " + "[" * 10_000 + "]" * 10_000 + "\n---\nHi\n")
    with pytest.raises(InputError, match=r"deep.md:2: unreadable front matter \(nested deeper than 64 levels\)"):
        list(read_posts([path], ReadStats()))


# --- lone surrogates ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "where"),
    [
        ("posts.jsonl", '{"text": "Caf\\ud800 ouvert"}\n{"text": "Second post"}\n', "posts.jsonl:1"),
        ("posts.json", '[{"text": "Caf\\ud800 ouvert"}, {"text": "Second post"}]', "posts.json#1"),
        ("low.json", '[{"text": "Caf\\udc00 ouvert"}, {"text": "Second post"}]', "low.json#1"),
    ],
)
def test_a_lone_surrogate_is_replaced_and_said_and_the_other_posts_kept(
    tmp_path: Path, name: str, content: str, where: str
) -> None:
    path = tmp_path / name
    path.write_text(content)
    posts, stats = read(path)
    assert [p.text for p in posts] == ["Caf\ufffd ouvert", "Second post"]
    note = f"1 record: a lone surrogate (half of a UTF-16 pair) replaced by U+FFFD (first at {tmp_path / where})"
    assert note in stats.summary()


def test_a_surrogate_pair_escaped_in_json_is_the_character(tmp_path: Path) -> None:
    path = tmp_path / "posts.json"
    path.write_text('[{"text": "Merci \\ud83d\\ude00"}]')
    posts, stats = read(path)
    assert [p.text for p in posts] == ["Merci 😀"] and not stats.remarks


# --- field types ---------------------------------------------------------------------------


def _tweets_js(path: Path, tweets: list) -> Path:
    path.write_text("window.YTD.tweets.part0 = " + json.dumps([{"tweet": tweet} for tweet in tweets]))
    return path


@pytest.mark.parametrize(
    "oddity",
    [
        {"entities": "oops"},
        {"entities": 5},
        {"entities": ["a"]},
        {"entities": {"urls": "x", "media": 5}},
        {"entities": {"urls": [5, {"url": 3, "expanded_url": []}]}},
        {"extended_entities": {"media": [{"url": {}}]}},
        {"lang": 5},
        {"lang": ["en"]},
        {"lang": {"code": "en"}},
        {"created_at": 1700000000},
        {"id_str": {"x": 1}, "id": [1]},
        {"full_text": 12, "text": "Hello there"},
    ],
)
def test_an_x_archive_field_of_an_unexpected_type_is_ignored_and_counted(tmp_path: Path, oddity: dict) -> None:
    path = _tweets_js(tmp_path / "tweets.js", [{"full_text": "Hello there", **oddity}, {"full_text": "Next one"}])
    posts, stats = read(path)
    assert [p.text for p in posts] == ["Hello there", "Next one"]
    assert "so it was ignored" in stats.summary() and not stats.errors


@pytest.mark.parametrize("timestamp", [1e300, -1e300, -1e20, 10**30, 253402300800, "2024-01-01", True, [1], {"t": 1}])
def test_a_facebook_timestamp_out_of_range_or_of_another_type_is_no_date(tmp_path: Path, timestamp: object) -> None:
    path = tmp_path / "your_posts_1.json"
    path.write_text(json.dumps([
        {"timestamp": timestamp, "data": [{"post": "Bonjour"}]},
        {"timestamp": 1700000000, "data": [{"post": "Salut"}]},
    ]))  # fmt: skip
    posts, stats = read(path, input_format="facebook")
    assert [(p.text, p.date) for p in posts] == [("Bonjour", None), ("Salut", "2023-11-14T22:13:20+00:00")]
    assert "read as no date" in stats.summary()


@pytest.mark.parametrize(
    ("reader", "record", "read_as"),
    [
        ("facebook", {"timestamp": 1, "data": 5}, []),
        ("instagram", {"media": 5, "title": "Bonjour"}, [("Bonjour", "1970-01-01T00:00:01+00:00")]),
        ("instagram", {"media": [{"uri": {"a": 1}}], "creation_timestamp": 1e300, "title": "Salut"}, [("Salut", None)]),
    ],
)
def test_meta_exports_with_fields_of_another_type_are_read_or_skipped_with_a_reason(
    tmp_path: Path, reader: str, record: dict, read_as: list
) -> None:
    path = tmp_path / "posts_1.json"
    path.write_text(json.dumps([{"creation_timestamp": 1, **record}]))
    posts, stats = read(path, input_format=reader)
    assert [(p.text, p.date) for p in posts] == read_as
    assert len(posts) + stats.total_skipped == 1 and not stats.errors


def test_integers_past_any_float_are_no_date_and_no_id() -> None:
    stats = ReadStats()
    huge = 10**5000
    assert guard.unix_date(huge, "a.json#1", stats) is None
    assert guard.identifier({"id": huge}, "id", "a.json#1", stats) is None
    assert guard.identifier({"id": -(10**3999)}, "id", "a.json#2", stats) == "-1" + "0" * 197 + "…"
    assert len(stats.remarks) == 2


def test_json_fields_of_another_type_are_ignored_and_counted(tmp_path: Path) -> None:
    path = tmp_path / "posts.json"
    path.write_text(json.dumps([{"text": "Hi there", "id": {"a": 1}, "channel": [1], "lang": 5, "date": True}]))
    (post,) = read(path)[0]
    assert (post.id, post.channel, post.lang, post.date) == (f"{path}#1", None, None, None)


# --- entities in feeds ------------------------------------------------------------------------

FEED_WITH_ENTITIES = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE rss [<!ENTITY brand "Maison Claire"> <!ENTITY where "chez &brand;">]>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:wp="http://wordpress.org/export/1.2/"><channel>
<item><title>Caf&#233; &amp; th&#xe9;</title><wp:post_type>post</wp:post_type><wp:status>publish</wp:status>
<content:encoded>Un caf&#233; &amp; un th&#233; &where; : tout le monde est bienvenu.</content:encoded></item>
<item><title>Deux</title><description>Le printemps &brand; &amp; vous, enfin.</description></item>
</channel></rss>
"""


def test_a_feed_item_is_read_whole_through_its_entities(tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    path.write_text(FEED_WITH_ENTITIES, encoding="utf-8")
    posts, stats = read(path)
    assert [p.text for p in posts] == [
        "Café & thé\n\nUn café & un thé chez Maison Claire : tout le monde est bienvenu.",
        "Deux\n\nLe printemps Maison Claire & vous, enfin.",
    ]
    assert not stats.errors


# --- bounded messages and records ----------------------------------------------------------


def test_a_header_of_a_million_columns_gives_a_short_message(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_text(",".join(f"c{i}" for i in range(1_000_000)) + "\n")
    with pytest.raises(InputError) as raised:
        list(read_posts([path], ReadStats()))
    assert len(str(raised.value)) < 300


def test_a_wide_header_is_named_by_its_first_columns_and_counted(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_text(",".join(f"c{i}" for i in range(300_000)) + "\nx\n")
    with pytest.raises(InputError) as raised:
        list(read_posts([path], ReadStats()))
    message = str(raised.value)
    assert "c0, c1, c2" in message and "(300,000 in all)" in message and len(message) < 300


@pytest.mark.parametrize("name", ["posts.jsonl", "drafts.txt"])
def test_a_line_over_the_record_limit_is_skipped_without_reading_it_whole(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    line = '{"text": "' + "a" * (60 * 2**20) + '"}' if name.endswith("jsonl") else "a" * (60 * 2**20)
    first, last = ('{"text": "First"}', '{"text": "Last"}') if name.endswith("jsonl") else ("First", "Last")
    path.write_text(f"{first}\n\n{line}\n\n{last}\n")
    result = read_capped(path)
    assert result["posts"] == ["First", "Last"]
    assert result["skipped"] == {"a line over 4 MB": 1}


def test_a_csv_line_over_the_record_limit_is_refused_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    path.write_text("text\nFirst\n" + "a" * (60 * 2**20) + "\nLast\n")
    result = read_capped(path)
    assert result["posts"] == ["First"]
    assert result["errors"] == [f"{path}:3: a line over 4 MB, not read"]


@pytest.mark.parametrize("markup", ["![", "[a](", "["])
def test_markdown_of_brackets_never_closed_reads_in_time_linear_in_its_length(tmp_path: Path, markup: str) -> None:
    path = tmp_path / "draft.md"
    path.write_text("---\nchannel: x\n---\n" + markup * 100_000 + "\n")
    result = read_capped(path)  # quadratic, it would take hours: the subprocess's timeout fails it
    assert len(result["posts"]) == 1 and not result["errors"]


#: Address space for reading about 10 MB in flat memory: three times what it takes here,
#: half what keeping the whole file as elements or lines takes.
FLAT_CAP = 130 * 2**20


def test_a_feed_of_a_million_other_elements_reads_in_flat_memory(tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    junk = "<x/>" * 2_500_000
    path.write_text(
        f'<?xml version="1.0"?><rss><channel>{junk}<item><description>Hello there</description></item></channel></rss>'
    )
    assert read_capped(path, cap=FLAT_CAP)["posts"] == ["Hello there"]


def test_a_paragraph_over_the_record_limit_is_skipped_without_keeping_it(tmp_path: Path) -> None:
    path = tmp_path / "drafts.txt"
    path.write_text("First\n\n" + "Hello\n" * 1_800_000 + "\nLast\n")
    result = read_capped(path, cap=FLAT_CAP)
    assert result["posts"] == ["First", "Last"] and result["skipped"] == {"a paragraph over 4 MB": 1}


def test_a_page_of_too_many_tags_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text("<!DOCTYPE html><html><body>" + "<p>a b</p>" * 60_000 + "</body></html>")
    with pytest.raises(InputError, match=r"page.html: over 100,000 tags, too many for a web page"):
        list(read_posts([path], ReadStats()))


def test_a_json_record_over_the_limit_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "posts.json"
    big = ["word"] * (MAX_RECORD_BYTES // 8)
    path.write_text(json.dumps([{"text": "First"}, {"text": "x", "extra": big}, {"text": "Last"}]))
    posts, stats = read(path)
    assert [p.text for p in posts] == ["First", "Last"] and stats.skipped == {"a record over 4 MB": 1}


def test_skip_reasons_from_the_file_are_cut_short_and_summaries_bounded(tmp_path: Path) -> None:
    items = "".join(
        f"<item><wp:post_type>{i}{'type' * 100}</wp:post_type><description>x</description></item>" for i in range(50)
    )
    path = tmp_path / "feed.xml"
    path.write_text(
        f'<?xml version="1.0"?><rss xmlns:wp="http://wordpress.org/export/1.2/"><channel>{items}</channel></rss>'
    )
    _, stats = read(path)
    assert stats.total_skipped == 50
    assert len(stats.summary()) < 4000 and "skipped 38 for other reasons" in stats.summary()


# --- encodings -----------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32", "utf-32-be"])
@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("posts.csv", "id,text\n1,Été à Montréal\n2,Deuxième\n"),
        ("drafts.txt", "Été à Montréal\n\nDeuxième\n"),
        ("posts.jsonl", '{"text": "Été à Montréal"}\n{"text": "Deuxième"}\n'),
        ("posts.json", '[{"text": "Été à Montréal"}, {"text": "Deuxième"}]'),
        ("drafts.md", "---\nchannel: x\n---\nÉté à Montréal\n\n---\n\nDeuxième\n"),
    ],
)
def test_utf16_and_utf32_with_a_byte_order_mark_are_read_and_said(
    tmp_path: Path, encoding: str, name: str, content: str
) -> None:
    path = tmp_path / name
    bom = {"utf-16-be": b"\xfe\xff", "utf-32-be": b"\x00\x00\xfe\xff"}.get(encoding, b"")
    path.write_bytes(bom + content.encode(encoding))
    posts, stats = read(path)
    assert [p.text for p in posts] == ["Été à Montréal", "Deuxième"], stats.errors
    assert f"{path} is {encoding[:6].upper()} (by its byte order mark): read as such" in stats.notes


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_named_as_such(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "posts.csv"
    path.write_bytes("text\nBonjour à tous\n".encode(encoding))
    with pytest.raises(
        InputError, match="posts.csv: this looks like UTF-16 without a byte order mark; save the file as UTF-8"
    ):
        list(read_posts([path], ReadStats()))


def test_a_utf8_byte_order_mark_before_json_is_read(tmp_path: Path) -> None:
    path = tmp_path / "posts.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps([{"text": "Hi there"}]).encode())
    assert [p.text for p in read(path)[0]] == ["Hi there"]


def test_byte_order_marks_of_files_joined_with_cat_are_read_past(tmp_path: Path) -> None:
    path = tmp_path / "joined.jsonl"
    path.write_bytes(b'\xef\xbb\xbf{"text": "One"}\n\xef\xbb\xbf{"text": "Two"}\n')
    assert [p.text for p in read(path)[0]] == ["One", "Two"]


@pytest.mark.parametrize(("name", "header"), [("posts.csv", "text\r"), ("drafts.txt", "")])
def test_lines_ended_by_a_carriage_return_alone(tmp_path: Path, name: str, header: str) -> None:
    path = tmp_path / name
    path.write_bytes(f"{header}First post\r\rSecond post\r".encode())
    assert [p.text for p in read(path)[0]] == ["First post", "Second post"]


# --- shapes ---------------------------------------------------------------------------------


def test_a_symlink_loop_in_a_folder_is_not_followed(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "post.md").write_text("A post in a folder.\n")
    (tmp_path / "site" / "loop").symlink_to(tmp_path / "site")
    (tmp_path / "site" / "self.md").symlink_to(tmp_path / "site" / "self.md")
    posts, stats = read(tmp_path / "site")
    assert [p.text for p in posts] == ["A post in a folder."] and stats.ignored_files == 0
    # the link to itself is a post file that cannot be read: an error, never passed over
    assert [error for error in stats.errors if "self.md" in error and "symbolic links" in error]


def test_a_post_file_that_is_a_broken_link_in_a_folder_fails_the_run_rather_than_passing_unread(
    tmp_path: Path,
) -> None:
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "post.md").write_text("A post in a folder.\n")
    (tmp_path / "site" / "draft.md").symlink_to(tmp_path / "nowhere.md")
    (tmp_path / "site" / "logo.svg").symlink_to(tmp_path / "nowhere.svg")
    posts, stats = read(tmp_path / "site")
    assert [p.text for p in posts] == ["A post in a folder."] and stats.ignored_files == 1  # the logo
    assert [error for error in stats.errors if "draft.md" in error]
    with pytest.raises(InputError, match="draft.md"):
        list(read_posts([tmp_path / "site"], ReadStats()))


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "posts.csv"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match=r"posts.csv: not a regular file \(a pipe, socket or device\)"):
        list(read_posts([fifo], ReadStats()))


def test_a_name_too_long_for_the_system_is_named(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"cannot read \(File name too long\)"):
        list(read_posts([tmp_path / ("a" * 5000)], ReadStats()))
