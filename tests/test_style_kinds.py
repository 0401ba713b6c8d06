"""The style view of a brand whose posts come in kinds: the density test and the nearest posts."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voicecheck import api
from voicecheck.core import Post
from voicecheck.features.style import INDEX, SHARE_COLUMNS, SMART_PUNCTUATION_COLUMNS, STYLE_FEATURES
from voicecheck.features.table import build_table
from voicecheck.readers import ReadStats, read_posts
from voicecheck.store import load
from voicecheck.style_kinds import MAX_NEIGHBOURS, NEAREST_POSTS, kinds_test, nearest_typicality, neighbour_rows

from .conftest import SAMPLE_MODEL, SAMPLE_POSTS, SAMPLES, run_cli

FEATURES = len(STYLE_FEATURES)
FOLDS = 5


def brand_of(values: np.ndarray) -> tuple[np.ndarray, list[np.ndarray], list[np.ndarray]]:
    """Folds in turn, and each fold's centre and spreads from the posts outside it."""
    folds = np.arange(len(values)) % FOLDS
    means = [values[folds != fold].mean(axis=0) for fold in range(FOLDS)]
    stds = [np.maximum(values[folds != fold].std(axis=0), 0.25) for fold in range(FOLDS)]
    return folds, means, stds


def test_a_brand_of_two_kinds_of_post_comes_in_kinds_and_one_of_one_kind_does_not() -> None:
    rng = np.random.default_rng(0)
    short_notices = rng.normal(0.0, 0.3, (60, FEATURES))
    long_posts = rng.normal(6.0, 0.3, (60, FEATURES))
    two_kinds = np.concatenate([short_notices, long_posts])
    assert kinds_test(two_kinds, *brand_of(two_kinds)).passed
    one_kind = rng.normal(0.0, 1.0, (120, FEATURES))
    assert not kinds_test(one_kind, *brand_of(one_kind)).passed


def test_the_density_test_reads_only_the_features_no_post_lacks() -> None:
    rng = np.random.default_rng(1)
    values = rng.normal(0.0, 1.0, (100, FEATURES))
    values[::2, SHARE_COLUMNS] = np.nan  # half the posts have no mark of any kind
    assert not kinds_test(values, *brand_of(values)).passed
    values[:] = np.nan
    assert not kinds_test(values, *brand_of(values)).passed


def test_a_post_of_one_of_the_brands_kinds_is_closer_than_one_between_them() -> None:
    brand = np.concatenate([np.zeros((10, FEATURES)), np.full((10, FEATURES), 6.0)])
    std = np.ones(FEATURES)
    posts = np.stack([np.zeros(FEATURES), np.full(FEATURES, 6.0), np.full(FEATURES, 3.0)])
    closeness = nearest_typicality(posts, brand, std, smart_punctuation=True)
    assert closeness[0] == pytest.approx(0.0) and closeness[1] == pytest.approx(0.0)
    assert closeness[2] < -1.0


def test_a_share_one_post_has_no_mark_for_counts_one_spread() -> None:
    brand = np.zeros((NEAREST_POSTS, FEATURES))
    post = np.zeros((1, FEATURES))
    post[0, SHARE_COLUMNS[0]] = np.nan
    expected = -np.log1p(1.0) / FEATURES  # one feature of all, one spread away
    assert nearest_typicality(post, brand, np.ones(FEATURES), True)[0] == pytest.approx(expected)


def test_a_feature_no_post_has_is_left_out() -> None:
    brand, post = np.zeros((NEAREST_POSTS, FEATURES)), np.zeros((1, FEATURES))
    brand[:, INDEX["nouns"]] = post[:, INDEX["nouns"]] = np.nan  # no tagger
    post[0, INDEX["words"]] = 1.0
    expected = -np.log1p(1.0) / (FEATURES - 1)
    assert nearest_typicality(post, brand, np.ones(FEATURES), True)[0] == pytest.approx(expected)


def closeness_by_definition(post: np.ndarray, brand: np.ndarray, std: np.ndarray, smart: bool) -> float:
    """Minus the mean over the NEAREST_POSTS nearest brand posts of the mean log1p(z²) over the
    features compared, one pair at a time, in double precision: what `nearest_typicality` computes."""
    shares = np.zeros(FEATURES, dtype=bool)
    shares[SHARE_COLUMNS] = True
    compared = shares | ~(np.isnan(post) | np.isnan(brand).all(axis=0))
    if not smart:
        compared[SMART_PUNCTUATION_COLUMNS] = False
    distances = []
    for other in brand:
        z2 = np.log1p(((post - other) / std) ** 2)
        z2[shares & np.isnan(z2)] = np.log1p(1.0)  # a share either post has no mark for: one spread
        counted = compared & ~np.isnan(z2)
        distances.append(z2[counted].sum() / counted.sum())
    return -float(np.mean(sorted(distances)[:NEAREST_POSTS]))


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    brand_posts=st.integers(1, 40),
    missing=st.floats(0.0, 0.5),
    smart=st.booleans(),
)
def test_the_nearest_posts_closeness_is_its_definition_pair_by_pair(
    seed: int, brand_posts: int, missing: float, smart: bool
) -> None:
    rng = np.random.default_rng(seed)
    brand = rng.normal(0.0, 2.0, (brand_posts, FEATURES))
    posts = rng.normal(0.0, 2.0, (7, FEATURES))
    for values in (brand, posts):  # shares with no mark, and features a post lacks (no tagger for it)
        values[rng.random(values.shape) < missing] = np.nan
    std = rng.uniform(0.25, 3.0, FEATURES)
    got = nearest_typicality(posts, brand, std, smart)
    expected = [closeness_by_definition(post, brand, std, smart) for post in posts]
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)


def test_new_posts_reranked_per_fold_score_as_each_fold_measured_in_full() -> None:
    saved = load(SAMPLE_MODEL)
    model, brand = saved.model, saved.model.table_
    assert model.style_by_neighbours_  # the sample brand's posts come in kinds
    table = build_table(api._parse_against(saved, read_posts(SAMPLE_POSTS, ReadStats())))
    each_fold = [model._heldout_nearest_style(table, np.arange(len(table)), fold) for fold in range(model.folds)]
    np.testing.assert_allclose(model._new_nearest_style(table), np.mean(each_fold, axis=0), rtol=1e-6)
    assert len(brand) > MAX_NEIGHBOURS  # its groups are compared through evenly spaced posts


def test_a_large_group_is_compared_through_evenly_spaced_posts() -> None:
    assert list(neighbour_rows(np.arange(10))) == list(range(10))
    many = neighbour_rows(np.arange(1000))
    assert len(many) == MAX_NEIGHBOURS and many[0] == 0 and many[-1] == 999


def two_kind_brand() -> list[Post]:
    """Short event notices with a link beside long statements: a brand whose posts come in kinds."""
    notices = [
        Post(f"n{i}", f"Ce soir à {18 + i % 4} h : assemblée à Laval #{i} https://ex.org/{i}", "x") for i in range(30)
    ]
    statements = [
        Post(f"s{i}", "Nous défendrons les services publics, parce que chaque famille du Québec mérite une école "
             f"ouverte, un hôpital proche et un transport collectif fiable, partout sur le territoire, jour {i}.", "x")
        for i in range(30)
    ]  # fmt: skip
    return notices + statements


def test_a_brand_that_comes_in_kinds_finds_both_its_kinds_on_voice() -> None:
    saved = api.fit(two_kind_brand())
    assert saved.model.style_by_neighbours_
    notice = Post("notice", "Ce soir à 19 h : assemblée à Laval #7 https://ex.org/7", "x")
    statement = Post("statement", two_kind_brand()[-1].text.replace("jour 29", "jour 31"), "x")
    assert [result.flagged for result in api.check(saved, [notice, statement])] == [False, False]


def test_with_peers_the_style_stays_at_the_centre() -> None:
    peers = {
        "rival": [Post(f"r{i}", f"Our rival's post number {i} about something else entirely.", "x") for i in range(30)]
    }
    saved = api.fit(two_kind_brand(), peers=peers)
    assert not saved.model.neighbour_style and not saved.model.style_by_neighbours_


def test_fit_says_when_a_brands_style_is_read_against_its_nearest_posts(tmp_path: Path) -> None:
    result = run_cli("fit", *SAMPLE_POSTS, "--brand", SAMPLES / "brand.toml", "--out", tmp_path / "model")
    assert result.returncode == 0, result.stderr
    assert "the brand's posts come in kinds: each post's style is compared with the brand posts nearest it" in (
        result.stderr
    )
