"""The sample brand is realistic enough to demo, and its committed model is not stale."""

import csv
from collections import Counter

from voicecheck import MODEL_FORMAT
from voicecheck.readers import ReadStats, read_posts
from voicecheck.store import read_meta, training_hash

from .conftest import SAMPLE_MODEL, SAMPLE_POSTS, SAMPLES

REBUILD = "voicecheck fit samples/posts/* --brand samples/brand.toml --out models/maison-claire"


def test_sample_brand_has_three_bilingual_channels_of_sixty_posts() -> None:
    posts = list(read_posts(SAMPLE_POSTS, ReadStats()))
    per_channel = Counter(p.channel for p in posts)
    assert len(per_channel) >= 3 and min(per_channel.values()) >= 60
    assert {p.lang for p in posts} == {"en", "fr"}


def test_new_posts_drift_in_several_ways() -> None:
    with open(SAMPLES / "new_posts.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert Counter(r["expected"] for r in rows) == {"on-voice": 12, "drift": 10}


def test_committed_model_is_current() -> None:
    meta = read_meta(SAMPLE_MODEL)  # refuses another format version or feature set
    assert meta["format"] == MODEL_FORMAT, f"stale sample model: rebuild it with `{REBUILD}`"
    posts = list(read_posts(SAMPLE_POSTS, ReadStats()))
    assert meta["training_hash"] == training_hash(posts), f"samples changed: rebuild with `{REBUILD}`"
