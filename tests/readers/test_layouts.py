from pathlib import Path

import pytest

from tests.readers.exports import LINKEDIN_SHARES
from voicecheck.readers import Columns, ReadStats, read_posts
from voicecheck.readers.layouts import recognise

META_FACEBOOK = """Post ID,Page ID,Page name,Title,Description,Duration (sec),Publish time,Caption type,Permalink,Is crosspost,Is share,Post type,Languages,Custom labels,Funded content status,Data comment,Date,Reach,Reactions
122101,4401,Maison Claire,,"Bonne nouvelle : des plages le samedi matin dès avril!",,03/04/2025 09:00,,https://www.facebook.com/122101,No,No,Photos,fr,,,,Lifetime,812,31
"""
META_INSTAGRAM = """Post ID,Account ID,Account username,Account name,Description,Duration (sec),Publish time,Permalink,Post type,Data comment,Date,Views,Reach,Likes
1790,1784,maisonclaire,Maison Claire,"Avant / après d'une cuisine à Verdun ✨ #MaisonClaire",0,03/05/2025 12:00,https://www.instagram.com/p/C1/,IG carousel,,Lifetime,2210,1400,96
"""
LINKEDIN_PAGE = """All posts,,,,
Post title,Post link,Post type,Posted by,Created date,Impressions
"Maison Claire recrute à Longueuil! Salaire de 24 $ l'heure.",https://www.linkedin.com/feed/update/urn:li:activity:1,Organic,Nadia,03/06/2025,1200
"""
HOOTSUITE = """Date (GMT),Social Network,Social Profile,Post Message,Post ID
2025-03-03 14:05,Twitter,@maisonclaire,"Spring is almost here! Book online.",18000001
2025-03-04 14:00,Facebook Page,Maison Claire,"Good news for Longueuil families!",122101
"""
BUFFER = """Text,Posted At,Service,Profile,Update ID
"Our South Shore team is growing: welcome, Karim!",2025-04-11 12:00,linkedin,Maison Claire,b-1
"""
SPROUT = """Date,Post ID,Network,Post Type,Content Type,Profile,Sent by,Link,Post,Impressions
04/11/2025 8:00 am,s-1,X,Tweet,Text,@maisonclaire,Nadia,https://x.com/1,"Notre équipe de la Rive-Sud s'agrandit!",900
04/12/2025 9:15,s-2,Instagram,Post,Photo,maisonclaire,Nadia,https://instagram.com/p/2,"Lundi matin, café en main ☕️",1500
"""


def read(tmp_path: Path, content: str) -> tuple[list, ReadStats]:
    path = tmp_path / "export.csv"
    path.write_text(content, encoding="utf-8")
    stats = ReadStats()
    return list(read_posts([path], stats)), stats


@pytest.mark.parametrize(
    ("content", "layout", "channels", "first_text", "first_date"),
    [
        (META_FACEBOOK, "Meta Business Suite (Facebook)", ["facebook"],
         "Bonne nouvelle : des plages le samedi matin dès avril!", "2025-03-04T09:00:00"),
        (META_INSTAGRAM, "Meta Business Suite (Instagram)", ["instagram"],
         "Avant / après d'une cuisine à Verdun ✨ #MaisonClaire", "2025-03-05T12:00:00"),
        (LINKEDIN_PAGE, "LinkedIn page content export", ["linkedin"],
         "Maison Claire recrute à Longueuil! Salaire de 24 $ l'heure.", "2025-03-06T00:00:00"),
        (HOOTSUITE, "Hootsuite", ["x", "facebook"], "Spring is almost here! Book online.", "2025-03-03 14:05"),
        (BUFFER, "Buffer", ["linkedin"], "Our South Shore team is growing: welcome, Karim!", "2025-04-11 12:00"),
        (SPROUT, "Sprout Social", ["x", "instagram"], "Notre équipe de la Rive-Sud s'agrandit!", "04/11/2025 8:00 am"),
    ],
)  # fmt: skip
def test_export_layouts_are_recognised(
    tmp_path: Path, content: str, layout: str, channels: list[str], first_text: str, first_date: str
) -> None:
    posts, stats = read(tmp_path, content)
    assert stats.sources[0].format == f"csv: {layout}"
    assert [p.channel for p in posts] == channels
    assert posts[0].text == first_text
    assert posts[0].date == first_date  # converted where the export's date format is known, else as written


def test_linkedin_shares_export() -> None:
    stats = ReadStats()
    posts = list(read_posts([LINKEDIN_SHARES], stats))
    assert len(posts) == 8
    assert stats.sources[0].format == "csv: LinkedIn Shares.csv"
    assert {p.channel for p in posts} == {"linkedin"}
    assert posts[0].id.startswith("https://www.linkedin.com/feed/update/")
    assert posts[0].date == "2025-03-06 13:02:11"


def test_a_hand_made_csv_matches_no_layout() -> None:
    assert recognise(["id", "date", "channel", "message"]) is None


def test_title_line_above_the_header_is_passed_over(tmp_path: Path) -> None:
    posts, _ = read(tmp_path, "Exported 2025-04-30\ntext,channel\nBonjour à tous!,facebook\n")
    assert [(p.text, p.channel, p.where.rsplit(":", 1)[1]) for p in posts] == [("Bonjour à tous!", "facebook", "3")]


def test_a_users_channel_column_wins_over_the_layout(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(META_FACEBOOK, encoding="utf-8")
    posts = list(read_posts([path], ReadStats(), Columns(channel="Page name")))
    assert posts[0].channel == "maison claire"
