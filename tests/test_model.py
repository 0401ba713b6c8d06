import numpy as np
import pytest
from sklearn.exceptions import NotFittedError

from voicecheck.features.style import INDEX
from voicecheck.features.table import build_table
from voicecheck.model import COMPONENTS, LEXICAL, VoiceModel, comparison_groups, group_of
from voicecheck.nlp import LANGUAGES, parse
from voicecheck.readers.base import Post
from voicecheck.store import SavedModel


def test_calibration_holds_the_nominal_false_flag_rate(fitted: SavedModel) -> None:
    model = fitted.model
    flagged = np.mean(model.heldout_below())
    assert 0.02 <= flagged <= 0.08
    assert model.component_std_.shape == (len(LANGUAGES), len(COMPONENTS))
    assert np.all(np.diff(model.calibration_) >= 0)


def test_held_out_posts_under_the_threshold_are_those_a_new_post_of_their_sum_would_be(fitted: SavedModel) -> None:
    model = fitted.model
    below = model.heldout_below()
    # As many as the calibration sums under the threshold, and they are the lowest scores.
    assert below.sum() == np.sum(model.calibration_ < model.threshold_) > 0
    assert model.heldout_scores_[below].max() < model.heldout_scores_[~below].min()
    # The threshold interpolates between two sums, so the score of the last post under it
    # (its rank) is not under the nominal rate: counting scores under the rate misses it.
    assert below.sum() > np.sum(model.heldout_scores_ < 100 * model.false_flag_rate)


def test_scores_are_percentiles_and_flags_follow_the_threshold(fitted: SavedModel, pipelines) -> None:  # type: ignore[no-untyped-def]
    posts = [
        Post("own", "Petit conseil : un linge en microfibre humide et vos plinthes brillent. Nous sommes là pour vous aider!", "facebook"),
        Post("other", "BREAKING: the Senate votes tonight on the budget bill. Full coverage on our live blog.", "facebook"),
    ]  # fmt: skip
    table = build_table(parse(posts, pipelines))
    scores, flagged = fitted.model.score(table)
    assert np.all((scores >= 0) & (scores <= 100))
    assert scores[0] > scores[1]
    assert not flagged[0] and flagged[1]


def test_a_post_that_says_it_again_adds_no_evidence(fitted: SavedModel, pipelines) -> None:  # type: ignore[no-untyped-def]
    sentence = "BREAKING: the Senate votes tonight on the budget bill."
    posts = [Post("short", sentence, "facebook"), Post("long", " ".join([sentence] * 4), "facebook")]
    views = fitted.model.components(build_table(parse(posts, pipelines)))
    assert np.allclose(views[0, LEXICAL], views[1, LEXICAL])


def test_more_distinct_words_at_the_same_means_weigh_more(fitted: SavedModel) -> None:
    model = fitted.model
    english = LANGUAGES.index("en")
    raw = np.tile(model.typical_value_[english] - 1.0, (2, 1))  # the same means, below the typical value
    sizes = np.array([[10.0, 40.0], [40.0, 160.0]])  # four times the distinct words and n-grams
    distance = model._weigh_by_length(raw, sizes, np.array([english, english]))
    # Four times the words and n-grams at the same means: twice the evidence on the lexical views.
    assert np.allclose(distance[1, LEXICAL], 2 * distance[0, LEXICAL])
    assert np.all(distance[0, LEXICAL] < 0)
    assert np.allclose(distance[1, 2:], distance[0, 2:])  # style is not weighed by length


def test_unfitted_model_refuses_to_score(fitted: SavedModel) -> None:
    with pytest.raises(NotFittedError):
        VoiceModel().score(fitted.table)


def test_style_is_judged_against_the_posts_channel_and_language(fitted: SavedModel) -> None:
    model = fitted.model
    on_instagram = [model.style_stats("instagram", lang) for lang in ("en", "fr")]
    assert [stats.count for stats in on_instagram] == [31, 32]  # the sample brand writes both
    assert model.style_stats("linkedin", "en").count == 31
    # French runs to longer words than English: each language is judged against its own.
    length = INDEX["word_length"]
    assert on_instagram[1].mean[length] > on_instagram[0].mean[length]
    assert model.style_stats("tiktok", "fr").count == fitted.table.langs.count("fr")  # a new channel
    assert model.style_stats(None, "fr") is model.reference_.group_style["", "fr"]


def test_groups_split_by_language_only_for_a_brand_that_writes_in_several() -> None:
    channels = ["x"] * 40 + ["y"] * 20
    english_only = comparison_groups(channels, ["en"] * 60)
    assert set(english_only) == {("x", ""), ("y", "")}
    bilingual = comparison_groups(channels, ["en", "fr"] * 30)
    assert set(bilingual) == {("x", ""), ("y", ""), ("x", "en"), ("x", "fr"), ("", "en"), ("", "fr")}
    assert group_of(bilingual, "y", "fr") == ("y", "")  # 10 French posts on y: too few for their own
    assert group_of(bilingual, "z", "fr") == ("", "fr")
    assert group_of(english_only, "z", "fr") is None


def test_each_language_with_enough_posts_gets_its_own_scale(fitted: SavedModel) -> None:
    model = fitted.model
    english, french = LANGUAGES.index("en"), LANGUAGES.index("fr")
    assert not np.allclose(model.typical_value_[english], model.typical_value_[french])
    # The threshold was set on both languages' held-out posts, each on its own scale.
    flagged = model.heldout_below()
    langs = np.array(fitted.table.langs)
    assert 0 < flagged[langs == "en"].mean() < 0.15 and 0 < flagged[langs == "fr"].mean() < 0.15


def test_a_post_without_a_kind_of_mark_counts_one_spread_from_the_brand_on_it() -> None:
    from voicecheck.features.style import SHARE_COLUMNS, STYLE_FEATURES
    from voicecheck.model import _typicality

    z = np.zeros((2, len(STYLE_FEATURES)))
    z[:, SHARE_COLUMNS] = np.nan  # no apostrophe, quote or dash: nothing says which way it writes them
    z[1, SHARE_COLUMNS] = 1.0
    assert _typicality(z)[0] == pytest.approx(_typicality(z)[1])
    assert _typicality(z)[1] < 0
    tagged = z.copy()
    tagged[:, INDEX["nouns"]] = np.nan  # a tagger's feature without a tagger is left out, not imputed
    assert _typicality(tagged)[1] < _typicality(z)[1]


def test_without_smart_punctuation_the_marks_phones_set_change_nothing() -> None:
    from voicecheck.features.style import SHARE_COLUMNS, SMART_PUNCTUATION_COLUMNS, STYLE_FEATURES
    from voicecheck.model import _typicality

    z = np.full((4, len(STYLE_FEATURES)), 0.5)
    z[1, SMART_PUNCTUATION_COLUMNS] = 3.0  # apostrophes, quotes, ellipses and dashes the other way
    z[2, SMART_PUNCTUATION_COLUMNS] = np.nan
    typed = np.setdiff1d(SHARE_COLUMNS, SMART_PUNCTUATION_COLUMNS)
    z[3, typed] = 3.0  # "Bravo!" and "oui" where the brand writes "Bravo !" and « oui »
    typical = _typicality(z, smart_punctuation=False)
    assert typical[0] == typical[1] == typical[2] > typical[3]
    assert _typicality(z)[1] < _typicality(z)[0]
