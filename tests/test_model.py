import numpy as np
import pytest
from sklearn.exceptions import NotFittedError

from voicecheck.features.table import build_table
from voicecheck.model import COMPONENTS, LEXICAL, VoiceModel
from voicecheck.nlp import parse
from voicecheck.readers.base import Post
from voicecheck.store import SavedModel


def test_calibration_holds_the_nominal_false_flag_rate(fitted: SavedModel) -> None:
    model = fitted.model
    flagged = np.mean(model.heldout_scores_ < 100 * model.false_flag_rate)
    assert 0.02 <= flagged <= 0.08
    assert model.component_std_.shape == (len(COMPONENTS),)
    assert np.all(np.diff(model.calibration_) >= 0)


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


def test_a_longer_post_with_the_same_wording_weighs_more(fitted: SavedModel, pipelines) -> None:  # type: ignore[no-untyped-def]
    sentence = "BREAKING: the Senate votes tonight on the budget bill."
    posts = [Post("short", sentence, "facebook"), Post("long", " ".join([sentence] * 4), "facebook")]
    model = fitted.model
    views = model.components(build_table(parse(posts, pipelines)))
    distance = views * model.component_std_ + model.component_mean_  # from the brand's typical value
    # Four times the words and n-grams at the same means: twice the evidence on the lexical views.
    assert np.allclose(distance[1, LEXICAL], 2 * distance[0, LEXICAL])
    assert np.all(distance[0, LEXICAL] < 0)


def test_unfitted_model_refuses_to_score(fitted: SavedModel) -> None:
    with pytest.raises(NotFittedError):
        VoiceModel().score(fitted.table)


def test_style_is_judged_against_the_posts_channel(fitted: SavedModel) -> None:
    instagram = fitted.model.style_stats("instagram")
    linkedin = fitted.model.style_stats("linkedin")
    unknown = fitted.model.style_stats("tiktok")
    assert instagram.count == 63 and linkedin.count == 63
    assert unknown is fitted.model.reference_.core_style
