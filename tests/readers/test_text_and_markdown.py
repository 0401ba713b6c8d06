import re
from pathlib import Path

import pytest

from voicecheck.errors import InputError
from voicecheck.readers import ReadStats, read_posts


def test_plain_text_is_one_post_per_paragraph(tmp_path: Path) -> None:
    path = tmp_path / "drafts.txt"
    path.write_text("First post\non two lines\n\n\nSecond post\n", encoding="utf-8")
    posts = list(read_posts([path], ReadStats(), channel="facebook"))
    assert [p.text for p in posts] == ["First post\non two lines", "Second post"]
    assert [p.where.rsplit(":", 1)[1] for p in posts] == ["1", "5"]
    assert {p.channel for p in posts} == {"facebook"}


def test_markdown_front_matter_sets_channel_lang_id(tmp_path: Path) -> None:
    path = tmp_path / "spring.md"
    path.write_text(
        "---\nchannel: Instagram\nlang: fr\nid: spring-2026\n---\n# Printemps\n\n**Réservez** [ici](https://x.ca)!\n",
        encoding="utf-8",
    )
    (post,) = read_posts([path], ReadStats())
    assert (post.id, post.channel, post.lang) == ("spring-2026", "instagram", "fr")
    assert post.text == "Printemps\n\nRéservez ici https://x.ca!"


def test_markdown_with_rules_holds_several_posts(tmp_path: Path) -> None:
    path = tmp_path / "week.md"
    path.write_text("---\nchannel: linkedin\n---\nMonday post\n\n---\n\nTuesday post\n", encoding="utf-8")
    posts = list(read_posts([path], ReadStats()))
    assert [(p.id, p.text) for p in posts] == [("week-1", "Monday post"), ("week-2", "Tuesday post")]


def test_markdown_without_front_matter(tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    path.write_text("Just a draft post.\n", encoding="utf-8")
    (post,) = read_posts([path], ReadStats())
    assert (post.id, post.channel) == ("note", None)


@pytest.mark.parametrize(
    ("front_matter", "line", "problem"),
    [
        ("channel: instagram\nid: spring\ndate: 2024-13-45\n", 4, "month must be in 1..12"),
        ("channel: instagram\ntitle: !!python/object:os.system x\n", 3, "could not determine a constructor"),
        ("channel: instagram\nid: [spring\n", 4, "expected ',' or ']'"),  # found at the closing ---
    ],
)
def test_unreadable_front_matter_is_named_at_its_line(
    tmp_path: Path, front_matter: str, line: int, problem: str
) -> None:
    path = tmp_path / "post.md"
    path.write_text(f"---\n{front_matter}---\nOur team cleaned the park.\n", encoding="utf-8")
    with pytest.raises(InputError, match=rf"post\.md:{line}: unreadable front matter \({re.escape(problem)}"):
        list(read_posts([path], ReadStats()))
