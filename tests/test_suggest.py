"""A fix beside every flag: what to write instead, in the post's own sentence where one can be."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from voicecheck import api
from voicecheck.core import Post, Reason
from voicecheck.messages import reason_dict
from voicecheck.store import SavedModel
from voicecheck.suggest import with_suggestion

ROOT = Path(__file__).resolve().parents[1]


def test_every_reason_of_every_flagged_sample_post_carries_a_suggestion(sample_model: SavedModel) -> None:
    import csv

    with open(ROOT / "samples" / "new_posts.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    posts = [Post(row["id"], row["text"], row["channel"]) for row in rows]
    flagged = [result for result in api.check(sample_model, posts) if result.flagged]
    assert flagged
    for result in flagged:
        for reason in result.reasons:
            assert reason.suggestion is not None, (result.post.id, reason.kind)
            for lang in ("en", "fr"):
                assert reason_dict(reason, lang)["suggestion"]["message"]


@pytest.mark.parametrize(
    ("kind", "figures", "text", "rewrite"),
    [
        ("preferred_term", {"term": "maid", "preferred": "cleaning team"}, "Hi! Looking for a maid? Call us.",
         "Looking for a cleaning team?"),
        ("preferred_term", {"term": "maid", "preferred": "cleaning team"}, "Maid service, done right.",
         "Cleaning team service, done right."),
        ("avoided_term", {"term": "pas chère"}, "Besoin d'une aide pas chère? Écrivez-nous.", "Besoin d'une aide?"),
        ("avoided_term", {"term": "cheap"}, "Cheap and cheerful.", "And cheerful."),
        ("brand_term", {"term": "Maison Claire", "found": "maison claire"}, "Merci de choisir maison claire!",
         "Merci de choisir Maison Claire!"),
    ],
)  # fmt: skip
def test_vocabulary_suggestions_rewrite_the_sentence_that_holds_the_term(
    kind: str, figures: dict[str, str], text: str, rewrite: str
) -> None:
    suggestion = with_suggestion(Reason("VC2", kind, figures), text).suggestion
    assert suggestion is not None and suggestion.rewrite == rewrite


def test_a_style_suggestion_says_how_many_marks_to_drop() -> None:
    reason = Reason("VC102", "style", {"feature": "exclamations", "value": 3.0, "brand_range": [0.0, 1.0]},
                    compared_with={"channel": "facebook", "lang": "fr"})  # fmt: skip
    rendered = reason_dict(with_suggestion(reason, "Super!!!"), "fr")["suggestion"]["message"]
    assert rendered == "retirez 2 points d'exclamation (gardez-en 1 au plus, comme la marque sur facebook en français)"


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("en", "apostrophes: write ’, as the brand does on facebook in French"),
        ("fr", "apostrophes : écrivez ’, comme la marque sur facebook en français"),
    ],
)
def test_a_typography_suggestion_rewrites_the_post_with_the_brands_marks(lang: str, message: str) -> None:
    reason = Reason("VC102", "style", {"feature": "curly_apostrophes", "value": 0.0, "brand_range": [0.6, 1.0]},
                    compared_with={"channel": "facebook", "lang": "fr"})  # fmt: skip
    suggested = with_suggestion(reason, "L'équipe t'attend, aujourd'hui!")
    assert suggested.suggestion is not None
    assert suggested.suggestion.rewrite == "L’équipe t’attend, aujourd’hui!"
    rendered = reason_dict(suggested, lang)
    assert rendered["suggestion"]["message"] == message
    assert "'" in rendered["message"] and "’" in rendered["message"]


@pytest.mark.parametrize(
    ("value", "brand_range", "text", "code", "rewrite", "message"),
    [
        (1.0, [0.0, 0.0], "Sorry for the wait! *AFM", "drop_signature", "Sorry for the wait!",
         "retirez la signature à la fin : la marque ne signe pas ses publications sur x"),
        (1.0, [0.0, 0.0], "Fixed now! ^JK https://help.example.com/t/1", "drop_signature",
         "Fixed now! https://help.example.com/t/1",
         "retirez la signature à la fin : la marque ne signe pas ses publications sur x"),
        (0.0, [1.0, 1.0], "Sorry for the wait!", "sign_post", None,
         "signez la publication d'un nom ou d'initiales à la fin, comme la marque sur x"),
    ],
)  # fmt: skip
def test_a_signature_is_dropped_or_added_as_the_brand_signs(
    value: float, brand_range: list[float], text: str, code: str, rewrite: str | None, message: str
) -> None:
    reason = Reason("VC102", "style", {"feature": "signed", "value": value, "brand_range": brand_range},
                    compared_with={"channel": "x"})  # fmt: skip
    suggested = with_suggestion(reason, text)
    assert suggested.suggestion is not None
    assert (suggested.suggestion.code, suggested.suggestion.rewrite) == (code, rewrite)
    rendered = reason_dict(suggested, "fr")
    assert rendered["suggestion"]["message"] == message
    assert rendered["message"].startswith("fait partie" if value else "ne fait pas partie")


def run_check(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "voicecheck", "check", "--model", str(ROOT / "models" / "maison-claire"), *args]
    environ = {key: value for key, value in os.environ.items() if key not in ("LANG", "LC_ALL", "LC_MESSAGES")}
    return subprocess.run(command, capture_output=True, text=True, env={**environ, **(env or {})}, check=False)


@pytest.mark.parametrize(("args", "env"), [(["--lang", "fr"], {}), ([], {"LANG": "fr_CA.UTF-8"})])
def test_check_speaks_french_with_lang_fr_or_a_french_locale(args: list[str], env: dict[str, str]) -> None:
    result = run_check(*args, str(ROOT / "samples" / "new_posts.csv"), env=env)
    assert result.returncode == 1, result.stderr
    assert "Essayez plutôt" in result.stdout and "dérive" in result.stdout
    assert "Try instead" not in result.stdout and "how the brand usually says it" not in result.stdout


def test_json_lines_in_french_keep_codes_and_figures_and_translate_messages() -> None:
    english = run_check("--format", "jsonl", "--lang", "en", str(ROOT / "samples" / "new_posts.csv"))
    french = run_check("--format", "jsonl", "--lang", "fr", str(ROOT / "samples" / "new_posts.csv"))
    for en_line, fr_line in zip(english.stdout.splitlines(), french.stdout.splitlines(), strict=True):
        en, fr = json.loads(en_line), json.loads(fr_line)
        assert [r["code"] for r in en["reasons"]] == [r["code"] for r in fr["reasons"]]
        assert (en["score"], en["verdict"]) == (fr["score"], fr["verdict"])
        for en_reason, fr_reason in zip(en["reasons"], fr["reasons"], strict=True):
            assert en_reason["message"] != fr_reason["message"]


def test_a_channel_typo_is_warned_about_once_on_stderr(tmp_path: Path) -> None:
    drafts = tmp_path / "drafts.csv"
    drafts.write_text(
        "id,channel,text\n1,instagrm,Un petit truc pour vos fenêtres: le vinaigre blanc.\n"
        "2,instagrm,Un autre petit truc pour vos miroirs: un linge sec.\n",
        encoding="utf-8",
    )
    result = run_check("--format", "jsonl", "--lang", "fr", str(drafts))
    assert result.stderr.count("vouliez-vous dire instagram?") == 1
    assert all("vouliez-vous dire instagram?" in json.loads(line)["notes"][0] for line in result.stdout.splitlines())
