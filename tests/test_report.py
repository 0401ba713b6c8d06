from voicecheck import api
from voicecheck.features.table import build_table
from voicecheck.nlp import parse
from voicecheck.readers.base import Post
from voicecheck.report import build_report, month_of
from voicecheck.store import SavedModel


def test_report_on_training_posts(sample_model: SavedModel) -> None:
    report = build_report(sample_model)
    assert set(report["channels"]) == {"facebook", "instagram", "linkedin"}
    assert report["most_divergent_channel"] == "instagram"
    assert any("emoji" in phrase for phrase in report["most_divergent_because"])
    assert report["distances"]["facebook"]["linkedin"] == report["distances"]["linkedin"]["facebook"]
    assert report["drift"]["linkedin"][0]["month"] == "2025-01"
    assert report["channels"]["linkedin"]["tone_targets"]["formality"] == 60


def test_a_channel_fed_another_voice_is_the_most_divergent(sample_model: SavedModel, pipelines) -> None:  # type: ignore[no-untyped-def]
    own = [Post(p.id, p.text, p.channel, p.lang, p.date) for p in sample_model.table.posts]
    own = [p for p in own if p.channel != "linkedin"]
    stranger = [
        Post(f"x{i}", text, "linkedin", "en", "2026-01-01")
        for i, text in enumerate([
            "BREAKING: markets slide as the central bank signals another rate hike. Live updates.",
            "The Senate passed the infrastructure bill 69-30 late Tuesday night.",
            "Opinion: why the new zoning law will change downtown forever.",
            "Watch: the president's full remarks at the summit.",
            "Analysts expect quarterly earnings to beat estimates despite supply problems.",
        ] * 4)
    ]  # fmt: skip
    table = build_table(parse(own + stranger, pipelines))
    scores, _ = sample_model.model.score(table)
    report = build_report(sample_model, table, scores)
    assert report["most_divergent_channel"] == "linkedin"


def test_month_of_common_date_forms() -> None:
    assert month_of("2017-07-14T02:09:02+0000") == "2017-07"
    assert month_of("2025-01-06") == "2025-01"
    assert month_of("July 4") is None and month_of(None) is None


def test_report_carries_the_figures_the_html_draws(sample_model: SavedModel) -> None:
    report = api.report(sample_model)
    posts = len(sample_model.table)
    assert len(report["map"]["points"]) == posts
    assert set(report["map"]["centres"]) == set(report["channels"])
    assert report["map"]["proposition"] is not None  # the brand has a proposition
    assert all(low <= high for low, high in report["brand_tone_range"].values())
    assert report["language"] == "fr"
    assert report["channels"]["instagram"]["sets_apart_fr"][0].startswith("13 fois plus d'emoji")


def test_report_lists_flagged_posts_with_examples_other_than_themselves(sample_model: SavedModel) -> None:
    flagged = api.report(sample_model)["flagged"]
    assert 0 < len(flagged) <= api.REPORT_FLAGGED
    assert [f["score"] for f in flagged] == sorted(f["score"] for f in flagged)
    for post in flagged:
        assert post["verdict"] == "drift" and post["reasons"]
        assert post["examples"] and all(example["id"] != post["id"] for example in post["examples"])


def test_new_posts_are_set_against_the_brands_own(sample_model: SavedModel) -> None:
    own = [Post(p.id, p.text, p.channel, p.lang, p.date) for p in sample_model.table.posts if p.channel == "facebook"]
    report = api.report(sample_model, own)
    facebook = report["channels"]["facebook"]
    assert report["compared_with"] == "the brand's own posts"
    assert {"distance_to_core", "distance_to_channel_voice", "score_drop", "divergence"} <= set(facebook)
    assert facebook["distance_to_channel_voice"] < facebook["distance_to_core"]  # its own channel is nearest
