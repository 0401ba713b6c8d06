import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.readers.exports import TWEETS_JS, X_ARCHIVE
from voicecheck.errors import InputError
from voicecheck.readers import ReadStats, read_posts, sniff_format
from voicecheck.readers.xarchive import tweet_files


def read(*paths: Path, **kwargs: bool) -> tuple[list, ReadStats]:
    stats = ReadStats()
    return list(read_posts(paths, stats, **kwargs)), stats


def test_archive_reads_text_date_id_language_and_channel() -> None:
    posts, stats = read(TWEETS_JS)
    assert len(posts) == 10
    first = posts[0]
    assert first.id == "1800000000000000001"
    assert first.channel == "x"
    assert first.lang == "fr"
    assert first.date == "2025-03-03T14:05:11+00:00"
    assert first.text.endswith("Réservez en ligne : https://maisonclaire.ca/reserver")  # t.co expanded
    assert stats.skipped == {"media only, no text": 1}


def test_archive_text_is_unescaped() -> None:
    posts, _ = read(TWEETS_JS)
    tip = next(p for p in posts if p.id == "1800000000000000004")
    assert tip.text.endswith("Simple & effective.")


def test_replies_and_retweets_are_told_apart() -> None:
    posts, _ = read(TWEETS_JS)
    kinds = {p.id[-2:]: p.kind for p in posts}
    assert kinds["05"] == kinds["06"] == "reply"
    assert kinds["07"] == "retweet"
    assert kinds["01"] is None


def test_skip_retweets_counts_them() -> None:
    posts, stats = read(TWEETS_JS, skip_retweets=True)
    assert len(posts) == 9
    assert all(p.kind != "retweet" for p in posts)
    assert stats.skipped["retweet (--skip-retweets)"] == 1


def test_archive_folder_reads_its_tweets_files_only() -> None:
    assert tweet_files(X_ARCHIVE) == [TWEETS_JS]
    posts, stats = read(X_ARCHIVE)
    assert len(posts) == 10
    assert stats.files == 1


def test_sniffed_from_content() -> None:
    assert sniff_format(TWEETS_JS) == "x-archive"


def test_empty_archive_has_no_posts(tmp_path: Path) -> None:
    path = tmp_path / "tweets.js"
    path.write_text("window.YTD.tweets.part0 = []", encoding="utf-8")
    posts, stats = read(path)
    assert posts == []
    assert stats.errors == []


def test_not_an_archive_is_named(tmp_path: Path) -> None:
    path = tmp_path / "tweets.js"
    path.write_text("console.log('hello');\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"tweets.js: not an X archive tweets file"):
        read(path, input_format="x-archive")  # type: ignore[arg-type]


def test_truncated_archive_is_named(tmp_path: Path) -> None:
    path = tmp_path / "tweets.js"
    path.write_text(TWEETS_JS.read_text(encoding="utf-8")[:3000], encoding="utf-8")
    with pytest.raises(InputError, match=r"tweets.js: the archive is cut short or damaged"):
        read(path)


def _big_archive(path: Path, megabytes: int) -> int:
    """Write a tweets.js of about `megabytes` MB by repeating the fixture's tweets."""
    tweets = json.loads(TWEETS_JS.read_text(encoding="utf-8").split("=", 1)[1])
    chunk = ",\n".join(json.dumps(t, ensure_ascii=False, indent=2) for t in tweets)
    repeats = megabytes * 2**20 // len(chunk.encode()) + 1
    with open(path, "w", encoding="utf-8") as out:
        out.write("window.YTD.tweets.part0 = [\n" + ",\n".join([chunk] * repeats) + "\n]\n")
    return repeats * len(tweets)


# VmHWM is this process's own peak (ru_maxrss would carry over the parent's across exec).
_PEAK_MEMORY = """
import re, sys
from voicecheck.readers import ReadStats, read_posts
count = sum(1 for _ in read_posts([sys.argv[1]], ReadStats()))
with open("/proc/self/status") as status:
    print(count, re.search(r"VmHWM:\\s+(\\d+) kB", status.read()).group(1))
"""


def _read_in_subprocess(path: Path) -> tuple[int, int]:
    """Posts read and the reading process's peak resident memory, in KiB."""
    done = subprocess.run([sys.executable, "-c", _PEAK_MEMORY, str(path)], capture_output=True, text=True, check=True)
    count, peak = done.stdout.split()
    return int(count), int(peak)


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux's /proc to read peak memory")
def test_a_50_mb_archive_reads_in_flat_memory(tmp_path: Path) -> None:
    small, big = tmp_path / "small" / "tweets.js", tmp_path / "big" / "tweets.js"
    small.parent.mkdir()
    big.parent.mkdir()
    _big_archive(small, 5)
    written = _big_archive(big, 50)
    assert big.stat().st_size > 50 * 2**20
    _, small_peak = _read_in_subprocess(small)
    count, big_peak = _read_in_subprocess(big)
    assert count == written * 10 // 11  # one tweet in eleven is media only, skipped
    assert big_peak - small_peak < 10 * 1024, f"peak memory grew {(big_peak - small_peak) / 1024:.0f} MB"


def test_an_archive_in_parts_is_read_whole(tmp_path: Path) -> None:
    data = tmp_path / "twitter-2025" / "data"
    data.mkdir(parents=True)
    tweets = json.loads(TWEETS_JS.read_text(encoding="utf-8").split("=", 1)[1])
    (data / "tweets.js").write_text("window.YTD.tweets.part0 = " + json.dumps(tweets[:4]), encoding="utf-8")
    (data / "tweets-part1.js").write_text("window.YTD.tweets.part1 = " + json.dumps(tweets[4:]), encoding="utf-8")
    (data / "like.js").write_text("window.YTD.like.part0 = []", encoding="utf-8")
    posts, stats = read(data.parent)
    assert len(posts) == 10
    assert [Path(s.path).name for s in stats.sources] == ["tweets.js", "tweets-part1.js"]


def test_an_archive_holding_an_object_where_its_array_of_tweets_should_be_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "tweets.js"
    path.write_text('window.YTD.tweets.part0 = {"tweet": {"id_str": "2", "full_text": "omg lol"}}', encoding="utf-8")
    with pytest.raises(InputError, match=r"tweets.js: not an X archive tweets file \(no array of tweets"):
        read(path)


def _archive(tmp_path: Path, text: str, media: list[dict]) -> Path:
    tweet = {"id_str": "4", "full_text": text, "lang": "en", "entities": {"media": media}}
    path = tmp_path / "tweets.js"
    path.write_text("window.YTD.tweets.part0 = " + json.dumps([{"tweet": tweet}]), encoding="utf-8")
    return path


def test_only_the_media_links_appended_at_the_end_are_cut(tmp_path: Path) -> None:
    link = "https://t.co/AbC123"
    text = f"Our team, before {link} and after! {link} {link}"
    (post,), _ = read(_archive(tmp_path, text, [{"url": link}, {"url": link}]))
    assert post.text == f"Our team, before {link} and after!"


def test_a_media_entry_that_is_not_a_link_cuts_no_words(tmp_path: Path) -> None:
    # A crafted archive could otherwise hide an avoided term from the check.
    text = "Our cheap team is ready to make your windows shine"
    (post,), _ = read(_archive(tmp_path, text, [{"url": "cheap "}, {"url": "shine"}]))
    assert post.text == text


def test_naming_an_archives_tweets_js_reads_its_parts_too(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    for number, text in enumerate(["The first part", "The second part", "The third part"]):
        name = "tweets.js" if number == 0 else f"tweets-part{number}.js"
        tweet = {"tweet": {"id_str": str(number), "full_text": text}}
        (data / name).write_text(f"window.YTD.tweets.part{number} = " + json.dumps([tweet]), encoding="utf-8")
    posts, _ = read(data / "tweets.js")
    assert [p.text for p in posts] == ["The first part", "The second part", "The third part"]
    posts, _ = read(data / "tweets-part2.js")  # a part named alone is read alone
    assert [p.text for p in posts] == ["The third part"]
