import json
import os
import re
import subprocess
import sys
from collections import Counter

import pytest

from tests.conftest import ROOT, SAMPLE_MODEL, SAMPLES, run_cli
from voicecheck import api
from voicecheck.features.style import INDEX, STYLE_FEATURES
from voicecheck.features.table import build_table
from voicecheck.nlp import parse
from voicecheck.readers.base import Post
from voicecheck.report import FEW_POSTS, _ratio_phrase, build_report, month_of, phrase_text
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


@pytest.mark.parametrize("date", ["2025-13-45", "2025-00-10", "1900-02-29", "2025-02-30", "2025-13"])
def test_a_date_no_calendar_has_is_no_month(date: str) -> None:
    assert month_of(date) is None  # drawn as a month of its own, "2025-13" or "1900-02", before


def test_the_report_says_how_many_dates_it_could_not_read_and_leaves_them_out(tmp_path) -> None:  # type: ignore[no-untyped-def]
    dates = ["2025-01-06", "2025-02-30", "15/03/2025", "2025-03-02"]
    rows = "".join(f"{i},facebook,Notre équipe passe chez vous cette semaine {i},{d}\n" for i, d in enumerate(dates))
    (tmp_path / "posts.csv").write_text("id,channel,text,date\n" + rows, encoding="utf-8")
    shown = run_cli("report", "--model", str(SAMPLE_MODEL), "--format", "json", "posts.csv", cwd=tmp_path)
    report = json.loads(shown.stdout)
    assert report["dates_not_read"] == {"posts": 2, "example": "2025-02-30"}
    assert sorted(m["month"] for months in report["drift"].values() for m in months) == ["2025-01", "2025-03"]
    as_text = run_cli("report", "--lang", "en", "--model", str(SAMPLE_MODEL), "posts.csv", cwd=tmp_path)
    assert "2 posts have a date that cannot be read as one (such as '2025-02-30')" in as_text.stdout


def test_report_carries_the_figures_the_html_draws(sample_model: SavedModel) -> None:
    report = api.report(sample_model)
    posts = len(sample_model.table)
    assert len(report["map"]["points"]) == posts
    assert set(report["map"]["centres"]) == set(report["channels"])
    assert report["map"]["proposition"] is not None  # the brand has a proposition
    assert all(low <= high for low, high in report["brand_tone_range"].values())
    assert report["language"] == "fr"
    assert report["channels"]["instagram"]["sets_apart_fr"][0] == "6,3 émojis par 100 mots; la marque en met 0,1"


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


def test_the_report_counts_the_posts_check_flags_and_why() -> None:
    new_posts = SAMPLES / "new_posts.csv"
    checked = run_cli("check", "--model", SAMPLE_MODEL, "--format", "jsonl", new_posts)
    results = [json.loads(line) for line in checked.stdout.splitlines() if line.strip()]
    flagged = [r for r in results if r["flagged"]]
    done = run_cli("report", "--model", SAMPLE_MODEL, "--format", "json", new_posts)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["flag_counts"]["posts"] == len(flagged) > 0
    assert sum(channel["flagged"] for channel in report["channels"].values()) == len(flagged)
    assert sum(round(c["flagged_share"] * c["posts"]) for c in report["channels"].values()) == len(flagged)
    assert report["flag_counts"]["by_code"] == dict(Counter(r["code"] for f in flagged for r in f["reasons"]))
    assert {p["id"] for p in report["flagged"]} <= {f["id"] for f in flagged}


def test_each_drift_point_says_how_many_posts_it_stands_on(sample_model: SavedModel) -> None:
    points = [point for series in build_report(sample_model)["drift"].values() for point in series]
    assert all(point["few_posts"] == (point["posts"] < FEW_POSTS) for point in points)
    assert any(point["few_posts"] for point in points)  # the sample brand posts about 3 times a month


def test_the_text_report_marks_thin_months_and_shows_tone_targets() -> None:
    done = run_cli("report", "--model", SAMPLE_MODEL, "--lang", "en")
    assert done.returncode == 0, done.stderr
    assert re.search(r"facebook: 2025-11 \d+ \(3\)\*,", done.stdout)  # a score, its 3 posts, marked thin
    assert "* fewer than 5 posts: too few for the mean to say much" in done.stdout
    target_rows = [line for line in done.stdout.splitlines() if line.strip().startswith("target (brand.toml)")]
    assert len(target_rows) == 3 and target_rows[0].split()[2:] == ["45", "20", "60"]  # facebook's targets


def test_flagged_posts_carry_their_dates(sample_model: SavedModel) -> None:
    flagged = api.report(sample_model)["flagged"]
    dates = {post.id: post.date for post in sample_model.table.posts}
    assert all(post["date"] == dates[post["id"]] for post in flagged)
    assert any(post["date"] for post in flagged)


def test_a_tiny_base_is_compared_as_rates_not_as_a_ratio() -> None:
    hashtags = STYLE_FEATURES[INDEX["hashtags"]]
    mine, theirs, words = 2.4, 0.0, (20.0, 25.0)
    phrase = _ratio_phrase((mine + 0.05) / (theirs + 0.05), hashtags, mine, theirs, words)
    assert phrase is not None
    assert phrase_text(phrase, "en") == "12 hashtags per 100 words; the brand uses 0"
    assert phrase_text(phrase, "fr") == "12 mots-clics par 100 mots; la marque en met 0"
    few = _ratio_phrase(3.05 / 1.05, hashtags, 3.0, 1.0, words)
    assert few is not None and phrase_text(few, "en") == "three times the hashtags"
    assert phrase_text(few, "fr") == "trois fois plus de mots-clics"


def test_a_channel_that_writes_marks_the_other_way_is_said_to() -> None:
    import numpy as np

    from voicecheck.report import _sets_apart, _Voice

    def voice(apostrophes: float) -> _Voice:
        style = np.zeros(len(STYLE_FEATURES))
        style[INDEX["words"]] = 20.0
        style[INDEX["curly_apostrophes"]] = apostrophes
        return _Voice(np.zeros(1), style, style, np.zeros(4))

    phrases = _sets_apart(voice(0.1), voice(0.9))
    assert [phrase_text(phrase, "en") for phrase in phrases] == ["apostrophes written ' where the brand writes ’"]
    assert [phrase_text(phrase, "fr") for phrase in phrases] == ["apostrophes : ' là où la marque écrit ’"]
    assert _sets_apart(voice(0.6), voice(0.9)) == []  # both mostly ’: nothing a reader would notice


def _report_without_language(*args: str) -> dict:  # type: ignore[type-arg]
    """`report --format json` run with no --lang, no $VOICECHECK_LANG and no locale that names a language."""
    env = {k: v for k, v in os.environ.items() if k not in ("VOICECHECK_LANG", "LC_ALL", "LC_MESSAGES", "LANG")}
    done = subprocess.run(
        [sys.executable, "-m", "voicecheck", "report", "--model", str(SAMPLE_MODEL), "--format", "json", *args],
        capture_output=True, text=True, cwd=ROOT, env=dict(env, PYTHONWARNINGS="ignore"), timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    result: dict = json.loads(done.stdout)  # type: ignore[type-arg]
    return result


def test_the_report_speaks_the_language_asked_for_else_the_brands_first(sample_model: SavedModel) -> None:
    def said(report: dict) -> list[str]:  # type: ignore[type-arg]
        return [r["message"] for post in report["flagged"] for r in post["reasons"]]

    unasked, english = _report_without_language(), _report_without_language("--lang", "en")
    assert unasked["language"] == "fr" and english["language"] == "en"  # Maison Claire lists French first
    assert said(unasked) == said(api.report(sample_model, lang="fr"))
    assert said(english) == said(api.report(sample_model, lang="en")) != said(unasked)
    assert english["channels"]["instagram"]["sets_apart_text"] == english["channels"]["instagram"]["sets_apart"]


def test_posts_that_name_no_channel_are_shown_as_such_in_the_readers_language(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "draft.txt").write_text("Notre équipe est prête pour le grand ménage du printemps à Montréal\n")
    for lang, label in (("en", "(no channel)"), ("fr", "(sans canal)")):
        for fmt in ("text", "html"):
            shown = run_cli(
                "report", "--lang", lang, "--model", str(SAMPLE_MODEL), "--format", fmt, "draft.txt", cwd=tmp_path
            )
            assert shown.returncode == 0, shown.stderr
            assert label in shown.stdout and "(none)" not in shown.stdout
    as_json = run_cli("report", "--model", str(SAMPLE_MODEL), "--format", "json", "draft.txt", cwd=tmp_path)
    assert "(none)" in json.loads(as_json.stdout)["channels"]  # tools read the key as before
