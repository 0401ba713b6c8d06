import json
from pathlib import Path

import pytest

from voicecheck.errors import InputError
from voicecheck.readers import Columns, ReadStats, read_posts


def test_json_array(tmp_path: Path) -> None:
    path = tmp_path / "posts.json"
    path.write_text(json.dumps([{"id": 1, "caption": "Allô!", "platform": "Instagram"}, "Just text"]))
    posts = list(read_posts([path], ReadStats()))
    assert (posts[0].id, posts[0].text, posts[0].channel) == ("1", "Allô!", "instagram")
    assert posts[1].text == "Just text"


def test_json_object_with_posts(tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    path.write_text(json.dumps({"account": "x", "posts": [{"text": "One"}, {"text": ""}, {"likes": 3}]}))
    stats = ReadStats()
    assert [p.text for p in read_posts([path], stats)] == ["One"]
    assert stats.skipped == {"empty text": 1, "no text": 1}


def test_json_without_posts_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text('{"hello": 1}')
    with pytest.raises(InputError, match="expected a JSON array"):
        list(read_posts([path], ReadStats()))


def test_broken_json_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text('[{"text": "a"}, {"text": ')
    with pytest.raises(InputError, match="not valid JSON"):
        list(read_posts([path], ReadStats()))


def test_jsonl_bad_line_names_line(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text('{"text": "a"}\n\n{"text": oops}\n')
    with pytest.raises(InputError, match=r"x.jsonl:3: not valid JSON"):
        list(read_posts([path], ReadStats()))


def test_a_json_array_in_a_jsonl_file_is_refused_rather_than_skipped_as_one_record(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text('{"text": "One post."}\n[{"text": "a"}, {"text": "b"}]\n')
    with pytest.raises(InputError, match=r"x.jsonl:2: a JSON array, where JSON Lines has one post per line"):
        list(read_posts([path], ReadStats()))


def test_text_that_is_not_a_string_is_skipped_saying_what_it_is(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text('[{"text": {"fr": "Bonjour"}}, {"text": 12}, {"text": [1]}, {"text": true}, {"text": "Hi"}]')
    stats = ReadStats()
    assert [p.text for p in read_posts([path], stats)] == ["Hi"]
    assert stats.skipped == {
        "text is an object, not a string": 1,
        "text is a number, not a string": 1,
        "text is a list, not a string": 1,
        "text is true or false, not a string": 1,
    }


def test_the_posts_are_read_from_the_key_that_holds_an_array_not_one_named_as_a_value(tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    path.write_text(json.dumps({"kind": "data", "items": [{"text": "Our team is ready for spring"}]}))
    assert [p.text for p in read_posts([path], ReadStats())] == ["Our team is ready for spring"]


@pytest.mark.parametrize(
    "holding",
    [
        {"page": {"posts": [{"text": "Nested one level down"}]}},  # not at the top level
        {"posts": {"text": "An object where the array should be"}},
        {"data": "posts"},
    ],
)
def test_an_object_whose_posts_key_holds_no_array_is_refused_not_read_as_empty(tmp_path: Path, holding: dict) -> None:
    # Read as an empty file, it would pass a check it was never given.
    path = tmp_path / "export.json"
    path.write_text(json.dumps(holding))
    with pytest.raises(InputError, match=r"export.json: expected a JSON array of posts"):
        list(read_posts([path], ReadStats()))


def test_an_empty_array_of_posts_is_an_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    path.write_text('{"posts": []}')
    stats = ReadStats()
    assert list(read_posts([path], stats)) == [] and stats.errors == []


@pytest.mark.parametrize("name", ["posts.jsonl", "posts.json"])
def test_a_file_none_of_whose_records_has_a_text_field_is_refused_naming_its_fields(tmp_path: Path, name: str) -> None:
    # Every record skipped for want of text, the file would pass a check it was never given.
    records = [{"id": "a", "Post Body": "Our cheap maid service"}, {"id": "b", "Post Body": "Book today"}]
    path = tmp_path / name
    body = "\n".join(json.dumps(r) for r in records) if name.endswith("l") else json.dumps(records)
    path.write_text(body, encoding="utf-8")
    with pytest.raises(InputError, match=r"2 records, none with a text field \(their fields: 'id', 'Post Body'\)"):
        list(read_posts([path], ReadStats()))
    with pytest.raises(InputError, match=r"2 records, none with the field 'caption'"):
        list(read_posts([path], ReadStats(), Columns(text="caption")))
    assert [p.text for p in read_posts([path], ReadStats(), Columns(text="Post Body"))] == [
        "Our cheap maid service", "Book today",
    ]  # fmt: skip


def test_records_with_a_text_field_left_empty_are_skipped_not_refused(tmp_path: Path) -> None:
    path = tmp_path / "posts.jsonl"
    path.write_text('{"text": ""}\n{"text": null}\n', encoding="utf-8")
    stats = ReadStats()
    assert list(read_posts([path], stats)) == [] and stats.skipped == {"empty text": 1, "no text": 1}
