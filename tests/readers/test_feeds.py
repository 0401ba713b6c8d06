import time
from pathlib import Path

import pytest

from tests.readers.exports import WORDPRESS
from voicecheck.errors import InputError
from voicecheck.readers import ReadStats, read_posts, sniff_format

RSS_WITHOUT_DATES = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Maison Claire</title><link>https://maisonclaire.ca</link>
<item><title>Trois trucs pour des vitres sans traces</title><link>https://maisonclaire.ca/vitres</link>
<description>&lt;p&gt;Un linge en microfibre, de l'eau tiède et un peu de vinaigre blanc.&lt;/p&gt;</description></item>
<item><title>Bienvenue à Karim</title><guid>https://maisonclaire.ca/?p=7</guid>
<description>Karim se joint à notre équipe de la Rive-Sud.</description></item>
</channel></rss>
"""
ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Maison Claire</title><id>urn:mc</id><updated>2025-04-15T13:00:00Z</updated>
<entry><title>Meet Nadia</title><id>urn:mc:436</id><link href="https://maisonclaire.ca/en/blog/meet-nadia/"/>
<published>2025-04-15T13:00:00Z</published><updated>2025-04-16T09:00:00Z</updated>
<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Nadia leads our Laval team.</p><p>Thank you, Nadia!</p></div></content></entry>
<entry><title>Spring tips</title><id>urn:mc:413</id><updated>2025-03-10T13:30:00Z</updated>
<summary type="html">&lt;ul&gt;&lt;li&gt;Dust first.&lt;/li&gt;&lt;li&gt;Then the floors.&lt;/li&gt;&lt;/ul&gt;</summary></entry>
</feed>
"""
BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><item><title>Laughs</title><description>Before &lol9; after the laughs.</description></item></channel></rss>
"""
EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file://{secret}">]>
<rss version="2.0"><channel><item><title>Leak</title><description>Here: &secret; end.</description></item></channel></rss>
"""


def read(tmp_path: Path, content: str, name: str = "feed.xml") -> tuple[list, ReadStats]:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    stats = ReadStats()
    return list(read_posts([path], stats)), stats


def test_wordpress_export_keeps_published_writing_only() -> None:
    stats = ReadStats()
    posts = list(read_posts([WORDPRESS], stats))
    assert [p.id for p in posts] == ["412", "413", "430", "436"]
    assert {p.channel for p in posts} == {"blog"}
    assert stats.sources[0].format == "feed: WordPress export"
    assert set(stats.skipped) == {
        "not writing (a WordPress attachment)",
        "not writing (a WordPress nav_menu_item)",
        "not published (draft)",
        "no text in the body (images or embeds only)",  # the post that is only a video embed
    }


def test_wordpress_html_becomes_text_with_its_title() -> None:
    first = next(iter(read_posts([WORDPRESS], ReadStats())))
    assert first.text.startswith("Ménage du printemps : notre liste en dix minutes par pièce\n\nLe printemps arrive")
    assert "* Videz et essuyez la porte du frigo" in first.text  # list items on their own lines
    assert "<p>" not in first.text and "wp:paragraph" not in first.text
    assert first.date == "2025-03-10T13:00:00+00:00"


def test_rss_without_dates(tmp_path: Path) -> None:
    posts, stats = read(tmp_path, RSS_WITHOUT_DATES)
    assert [p.date for p in posts] == [None, None]
    assert (
        posts[0].text
        == "Trois trucs pour des vitres sans traces\n\nUn linge en microfibre, de l'eau tiède et un peu de vinaigre blanc."
    )
    assert posts[0].id == "https://maisonclaire.ca/vitres"
    assert posts[1].id == "https://maisonclaire.ca/?p=7"
    assert stats.sources[0].format == "feed: RSS"


def test_atom_xhtml_and_html_content(tmp_path: Path) -> None:
    posts, stats = read(tmp_path, ATOM, "feed.atom")
    assert stats.sources[0].format == "feed: Atom"
    assert posts[0].text == "Meet Nadia\n\nNadia leads our Laval team.\n\nThank you, Nadia!"
    assert posts[0].date == "2025-04-15T13:00:00Z"
    assert posts[1].text == "Spring tips\n\n* Dust first.\n* Then the floors."


def test_billion_laughs_is_refused_and_the_batch_goes_on(tmp_path: Path) -> None:
    bomb, good = tmp_path / "bomb.xml", tmp_path / "good.xml"
    bomb.write_text(BILLION_LAUGHS, encoding="utf-8")
    good.write_text(RSS_WITHOUT_DATES, encoding="utf-8")
    stats = ReadStats()
    started = time.perf_counter()
    posts = list(read_posts([bomb, good], stats, raise_at_end=False))
    assert time.perf_counter() - started < 30  # expanded, it would be a billion "lol"s (3 GB)
    assert len(posts) == 2  # the good feed's
    (error,) = stats.errors
    assert error.startswith(f"{bomb}:1: not well-formed XML") and "amplification" in error


def test_external_entities_are_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE", encoding="utf-8")
    posts, _ = read(tmp_path, EXTERNAL_ENTITY.format(secret=secret))
    assert "TOP-SECRET-VALUE" not in posts[0].text


def test_malformed_xml_names_file_and_line(tmp_path: Path) -> None:
    broken = RSS_WITHOUT_DATES.replace("</item>\n<item>", "</itm>\n<item>")
    with pytest.raises(InputError, match=r"feed.xml:4: not well-formed XML \(Opening and ending tag mismatch"):
        read(tmp_path, broken)


def test_sniffed_from_content(tmp_path: Path) -> None:
    path = tmp_path / "export"
    path.write_text(ATOM, encoding="utf-8")
    assert sniff_format(path) == "feed"
    assert sniff_format(WORDPRESS) == "feed"


def test_an_element_whose_prefix_the_file_never_declared_is_a_clear_error_not_a_traceback(tmp_path: Path) -> None:
    # lxml hands such an element over, named "wp:status", before it reports the namespace error
    feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel><item><title>Bonjour</title>'
        "<description>Un linge en microfibre et de l'eau tiède.</description>"
        "<wp:status>publish</wp:status></item></channel></rss>"
    )
    with pytest.raises(InputError, match=r"feed\.xml:1: not well-formed XML \(Namespace prefix wp on status"):
        read(tmp_path, feed)


def test_an_undeclared_entity_is_named_at_its_line(tmp_path: Path) -> None:
    feed = (
        '<?xml version="1.0"?>\n<rss>\n<channel>\n<item><title>A</title><description>Un post.</description></item>\n'
        "<item><title>A &nbsp; B</title><description>Un autre.</description></item>\n</channel></rss>\n"
    )
    with pytest.raises(InputError, match=r"feed\.xml:5: not well-formed XML \(Entity 'nbsp' not defined"):
        read(tmp_path, feed)
