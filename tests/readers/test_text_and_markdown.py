from pathlib import Path

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
