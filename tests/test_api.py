import re
import warnings

import pytest

from voicecheck import api
from voicecheck.core import CheckResult
from voicecheck.errors import VoicecheckError
from voicecheck.messages import result_dict
from voicecheck.nlp import detect_language
from voicecheck.readers.base import Post
from voicecheck.store import SavedModel


def check_one(saved: SavedModel, text: str, channel: str | None = "facebook", **kw: str) -> CheckResult:
    (result,) = api.check(saved, [Post("p", text, channel, **kw)])
    return result


def test_on_voice_post_has_no_reasons(sample_model: SavedModel) -> None:
    result = check_one(
        sample_model,
        "Petit conseil de la semaine : un linge en microfibre humide sur les plinthes, et le tour est joué.",
    )
    assert result.verdict == "on-voice" and not result.flagged and result.reasons == []
    assert result.lang == "fr"


def test_drift_is_explained_with_examples(sample_model: SavedModel) -> None:
    result = check_one(sample_model, "omg lol our crew literally CRUSHED it today!!! 🔥🔥🔥 dm us asap", "instagram")
    assert result.verdict == "drift" and result.flagged
    kinds = {reason.kind for reason in result.reasons}
    assert "tone" in kinds
    tone = next(r for r in result.reasons if r.kind == "tone")
    assert tone.compared_with == {"channel": "instagram", "lang": "en"} and len(tone.figures["brand_range"]) == 2
    assert len(result.examples) == 2
    assert all(example.channel == "instagram" for example in result.examples)


def test_in_a_batch_only_flagged_posts_get_examples_and_each_gets_its_own(sample_model: SavedModel) -> None:
    on_voice = "Petit conseil de la semaine : un linge en microfibre humide sur les plinthes, et le tour est joué."
    drifts = [
        ("omg lol our crew literally CRUSHED it today!!! 🔥🔥🔥 dm us asap", "instagram"),
        ("BREAKING: Bitcoin just broke $120k. Institutional inflows accelerate, analysts say", "linkedin"),
    ]
    posts = [Post("a", on_voice, "facebook")]
    posts += [Post(f"d{i}", text, channel) for i, (text, channel) in enumerate(drifts)]
    posts += [Post("b", on_voice, "facebook")]
    results = list(api.check(sample_model, posts))
    assert [r.flagged for r in results] == [False, True, True, False]
    assert results[0].examples == [] and results[3].examples == []
    for result, (text, channel) in zip(results[1:3], drifts, strict=True):
        assert result.examples == check_one(sample_model, text, channel).examples
        assert all(example.channel == channel for example in result.examples)


def test_avoided_and_preferred_terms_flag_even_a_good_post(sample_model: SavedModel) -> None:
    result = check_one(sample_model, "Our maids are ready to make your windows shine. Book your visit online!")
    assert result.flagged
    preferred = next(r for r in result.reasons if r.kind == "preferred_term")
    assert preferred.figures["preferred"] == "cleaning team"


def test_brand_term_with_wrong_capitals(sample_model: SavedModel) -> None:
    result = check_one(sample_model, "Thank you for choosing maison claire, see you next week!")
    assert any(r.kind == "brand_term" and r.figures["found"] == "maison claire" for r in result.reasons)


@pytest.mark.parametrize("text", ["🎉🎉🎉", "Merci!", "ok", "👍 Bravo"])
def test_too_short_posts_get_insufficient(sample_model: SavedModel, text: str) -> None:
    result = check_one(sample_model, text)
    assert result.verdict == "insufficient" and not result.flagged
    assert result.reasons[0].kind == "too_short"


def test_unknown_channel_is_judged_against_the_core(sample_model: SavedModel) -> None:
    result = check_one(sample_model, "Spring has reached Montréal! Our cleaning team is ready to help.", "tiktok")
    assert [note.code for note in result.notes] == ["new_channel"]
    assert result.verdict in ("on-voice", "drift")


def test_very_long_post_is_judged_on_its_beginning(sample_model: SavedModel) -> None:
    result = check_one(sample_model, "Nous aimons les maisons propres. " * 3500)
    assert "long_post" in [note.code for note in result.notes]
    assert 0 <= result.score <= 100


def test_output_order_follows_input(sample_model: SavedModel) -> None:
    posts = [
        Post(str(i), text, "linkedin")
        for i, text in enumerate(["Nous recrutons à Laval!", "We are hiring in Laval!"] * 3)
    ]
    assert [r.post.id for r in api.check(sample_model, posts, chunk_size=4)] == [str(i) for i in range(6)]


def test_fit_needs_twenty_posts_and_warns_below_fifty(sample_posts: list) -> None:
    with pytest.raises(VoicecheckError, match="at least 20 posts"):
        api.fit(sample_posts[:19])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        saved = api.fit(sample_posts[:30], pipeline="blank")
    assert any("only 30 posts" in str(w.message) for w in caught)
    assert saved.meta["pipelines"] == {"fr": "blank:fr"} or "blank:fr" in saved.meta["pipelines"].values()


def test_fit_refuses_absurd_false_flag_rate(sample_posts: list) -> None:
    with pytest.raises(VoicecheckError, match="false-flag rate"):
        api.fit(sample_posts, false_flag_rate=0.9)


def test_tone_reads_both_languages() -> None:
    results = list(api.tone([Post("a", "Nous vous remercions de votre confiance."), Post("b", "lol tu capotes!!")]))
    assert [r.lang for r in results] == ["fr", "fr"]
    assert results[0].tone["formality"] > results[1].tone["formality"]


def test_report_on_new_posts_and_on_none(sample_model: SavedModel) -> None:
    posts = [
        Post(f"p{i}", "Nous recrutons à Laval! Des postes de jour, une équipe stable.", "linkedin") for i in range(3)
    ]
    assert api.report(sample_model, posts)["channels"]["linkedin"]["posts"] == 3
    with pytest.raises(VoicecheckError, match="no posts to report on"):
        api.report(sample_model, [])


def test_fit_on_no_posts_is_a_clear_error() -> None:
    with pytest.raises(VoicecheckError, match="at least 20 posts to learn from; got 0"):
        api.fit([])


def test_parallel_check_gives_the_same_results_in_the_same_order(sample_model: SavedModel) -> None:
    posts = [Post(f"{p.id}-{n}", p.text, p.channel) for n in range(2) for p in sample_model.table.posts]
    alone = [result_dict(r, "en") for r in api.check(sample_model, posts, chunk_size=100)]
    together = [result_dict(r, "en") for r in api.check(sample_model, posts, chunk_size=100, jobs=2)]
    assert len(together) == len(posts) > 300  # the first chunk here, three more in the workers
    assert together == alone


def test_a_language_the_brand_never_wrote_in_is_read_without_a_tagger(sample_posts: list, pipelines) -> None:  # type: ignore[no-untyped-def]
    if not pipelines.has_tagger("fr"):
        pytest.skip("fr_core_news_sm is not installed")
    english = [post for post in sample_posts if detect_language(post.text) == "en"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # fewer than FEW_POSTS is fine here
        saved = api.fit(english)
    assert not api.judging_pipelines(saved).has_tagger("fr")  # no French brand posts to compare with
    french = check_one(saved, "Nous sommes ravis de vous accueillir dans notre nouvelle boutique.")
    assert french.lang == "fr"
    assert [(n.code, n.figures["lang"]) for n in french.notes] == [("no_brand_posts_in_language", "fr")]
    assert api.judging_pipelines(saved).has_tagger("en") == pipelines.has_tagger("en")


def test_a_channel_typo_is_named_with_the_nearest_known_channel(sample_model: SavedModel) -> None:
    typo = check_one(sample_model, "Un petit truc pour vos fenêtres cette semaine, essayez le vinaigre!", "instagrm")
    assert [(n.code, n.figures["nearest"]) for n in typo.notes] == [("new_channel_typo", "instagram")]
    new = check_one(sample_model, "Un petit truc pour vos fenêtres cette semaine, essayez le vinaigre!", "tiktok")
    assert [n.code for n in new.notes] == ["new_channel"]


def test_a_model_read_with_other_pipelines_than_it_was_fitted_with_says_so_on_every_result(
    sample_model: SavedModel,
) -> None:
    import dataclasses

    other = dataclasses.replace(sample_model, meta={**sample_model.meta, "pipelines": {
        **sample_model.meta["pipelines"], "fr": "fr_core_news_sm 0.0.1"}}, cache={})  # fmt: skip
    french = check_one(other, "Nous recrutons à Laval! Des postes de jour, bien payés, près de chez vous.", "linkedin")
    english = check_one(other, "We are hiring in Laval! Day shifts, well paid, close to home.", "linkedin")
    (note,) = [note for note in french.notes if note.code == "other_pipeline"]
    assert note.figures["fitted"] == "fr_core_news_sm 0.0.1" and note.figures["now"] != "fr_core_news_sm 0.0.1"
    assert "other_pipeline" not in [note.code for note in english.notes]
    assert "other_pipeline" not in [
        n.code for n in check_one(sample_model, "Nous recrutons à Laval!", "linkedin").notes
    ]


def test_readying_a_model_for_batches_needs_a_post_to_judge(sample_model: SavedModel) -> None:
    with pytest.raises(ValueError, match="at least one post"):
        api.ready_for_batches(sample_model, [])


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda saved: api.fit("not a list of posts"), TypeError, "posts: an iterable of Post, not str"),
        (lambda saved: list(api.check(saved, [Post("1", None)])), TypeError, "posts[0]: its text is NoneType"),  # type: ignore[arg-type]
        (lambda saved: api.fit([Post(None, "Our team cleans homes")] * 25), TypeError, "posts[0]: its id is NoneType"),  # type: ignore[arg-type]
        (lambda saved: list(api.tone(["a string"])), TypeError, "posts[0]: a Post, not str"),  # type: ignore[list-item]
        (lambda saved: api.report(saved, [Post("1", "Our team", date=5)]), TypeError, "its date is int"),  # type: ignore[arg-type]
        (lambda saved: api.report(saved, lang="de"), ValueError, "lang: 'de' is not one of en, fr"),
        (
            lambda saved: api.fit(
                [Post(str(i), f"Our team cleans homes {i}") for i in range(25)], peers={"rival": "x"}
            ),
            TypeError,
            "peers['rival']: an iterable of Post, not str",
        ),
        (lambda saved: api.fit([Post(str(i), f"Post {i}") for i in range(25)], pipeline="xx"), ValueError, "pipeline"),
    ],
)
def test_the_library_refuses_arguments_of_the_wrong_kind_naming_them(
    sample_model: SavedModel, call: object, error: type[Exception], words: str
) -> None:
    # Judged as they were, they failed deep inside (or, for an id, once a whole fit was done).
    with pytest.raises(error, match=re.escape(words)):
        call(sample_model)  # type: ignore[operator]


@pytest.mark.parametrize("text", ["https://example.com/post/{i}?ref=x", "🔥🔥 {i}", "Merci {i}!"])
def test_a_voice_is_not_learned_from_posts_too_short_to_judge(text: str) -> None:
    # Fitted, every held-out score was 100 and every check said "too short to judge".
    posts = [Post(str(i), text.format(i=i)) for i in range(30)]
    with pytest.raises(VoicecheckError, match="20 posts of 3 words or more to learn from; 0 of the 30 posts"):
        api.fit(posts)
