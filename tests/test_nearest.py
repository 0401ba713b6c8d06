import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from voicecheck import nearest
from voicecheck.features.lexical import normed_entries, tfidf
from voicecheck.features.sparse import Counts
from voicecheck.features.table import build_table
from voicecheck.nearest import NearestView, rare_columns
from voicecheck.nlp import parse
from voicecheck.readers.base import Post
from voicecheck.store import SavedModel

FEATURES = 40


def counts_of(dense: np.ndarray) -> Counts:
    return Counts.of(sp.csr_matrix(dense.astype(np.float32)))


def brute_force_maxima(brand: np.ndarray, posts: np.ndarray, folds: np.ndarray, idf: np.ndarray) -> np.ndarray:
    """The same maxima by the plain route: SciPy tf-idf rows, rare columns kept, a dense product."""
    kept = np.zeros(FEATURES, dtype=bool)
    kept[rare_columns(counts_of(brand))] = True

    def rows(dense: np.ndarray) -> np.ndarray:
        vectors = tfidf(counts_of(dense), np.zeros(len(dense), dtype=np.int64), idf).toarray()
        return vectors * kept

    similarity = rows(posts) @ rows(brand).T
    return np.column_stack([similarity[:, folds == fold].max(axis=1, initial=0.0) for fold in range(folds.max() + 1)])


matrices = st.integers(5, 30).flatmap(
    lambda brand: st.tuples(
        st.lists(st.lists(st.integers(0, 3), min_size=FEATURES, max_size=FEATURES), min_size=brand, max_size=brand),
        st.lists(st.lists(st.integers(0, 3), min_size=FEATURES, max_size=FEATURES), min_size=1, max_size=12),
        st.integers(2, 5),
    )
)


@settings(max_examples=60, deadline=None)
@given(matrices, st.sampled_from([1, 7, 1 << 22]))
def test_maxima_match_a_dense_product(case, cells: int) -> None:  # type: ignore[no-untyped-def]
    brand_rows, post_rows, folds = case
    brand, posts = np.array(brand_rows), np.array(post_rows)
    fold_of_row = np.arange(len(brand)) % folds  # every fold holds posts, as fitting makes them
    idf = np.linspace(0.5, 9.0, FEATURES, dtype=np.float32)[None, :].repeat(2, axis=0)
    view = NearestView(counts_of(brand), np.zeros(len(brand), dtype=np.int64), fold_of_row, folds, idf)
    old, nearest.CELLS = nearest.CELLS, cells  # slices of a post or a few posts give the same maxima
    try:
        got = view.maxima(counts_of(posts), np.zeros(len(posts), dtype=np.int64))
    finally:
        nearest.CELLS = old
    assert np.allclose(got, brute_force_maxima(brand, posts, fold_of_row, idf))


@settings(max_examples=60, deadline=None)
@given(matrices)
def test_numpy_and_scipy_sum_the_same_similarities_to_the_bit(case) -> None:  # type: ignore[no-untyped-def]
    """Few posts are compared in NumPy, many by SciPy's product: a post's maxima must not depend on which."""
    brand_rows, post_rows, folds = case
    brand, posts = np.array(brand_rows), np.array(post_rows)
    fold_of_row = np.arange(len(brand)) % folds
    idf = np.linspace(0.5, 9.0, FEATURES, dtype=np.float32)[None, :].repeat(2, axis=0)
    view = NearestView(counts_of(brand), np.zeros(len(brand), dtype=np.int64), fold_of_row, folds, idf)
    langs = np.zeros(len(posts), dtype=np.int64)
    old = nearest.SCIPY_FROM_POSTS
    try:
        nearest.SCIPY_FROM_POSTS = 1
        by_scipy = view.maxima(counts_of(posts), langs)
        nearest.SCIPY_FROM_POSTS = 10**9
        by_numpy = view.maxima(counts_of(posts), langs)
    finally:
        nearest.SCIPY_FROM_POSTS = old
    assert np.array_equal(by_scipy, by_numpy)


def test_a_post_scores_the_same_alone_and_among_many(fitted: SavedModel, pipelines) -> None:  # type: ignore[no-untyped-def]
    """Checked alone (NumPy) or in a batch past SCIPY_FROM_POSTS (SciPy), a real post gets the same maxima."""
    texts = [post.text for post in fitted.table.posts]
    many = [Post(f"p{i}", texts[i % len(texts)] + f" #{i}", "linkedin") for i in range(nearest.SCIPY_FROM_POSTS + 5)]
    table = build_table(parse(many, pipelines))
    view = fitted.model.nearest_view_
    together = view.maxima(table.chars, table.lang_index)
    alone = np.vstack([view.maxima(table.chars[[i]], table.lang_index[[i]]) for i in range(len(many))])
    assert np.array_equal(together, alone)


def test_rare_columns_keep_what_few_brand_posts_use() -> None:
    brand = np.zeros((100, FEATURES))
    brand[:, 0] = 1  # every post: says nothing about which post is nearest
    brand[:11, 1] = 1  # 11 of 100: more than a tenth
    brand[:10, 2] = 1  # a tenth
    brand[:1, 3] = 1
    assert rare_columns(counts_of(brand)).tolist() == [2, 3]
    large = np.zeros((1000, FEATURES))
    large[:21, 0] = 1
    large[:20, 1] = 1  # a large brand: at most RARE_POSTS posts, however many a tenth is
    assert rare_columns(counts_of(large)).tolist() == [1]


def test_a_held_out_post_is_never_compared_with_its_own_fold() -> None:
    brand = np.eye(FEATURES)[:30] * 2  # thirty posts, each with an n-gram of its own
    brand[29] = brand[0]  # the last post repeats the first
    idf = np.ones((2, FEATURES), dtype=np.float32)
    lang_rows = np.zeros(len(brand), dtype=np.int64)
    apart = np.arange(30) % 5  # the copy (fold 4) in another fold than the first (fold 0)
    together = apart.copy()
    together[29] = 0
    assert NearestView(counts_of(brand), lang_rows, apart, 5, idf).heldout()[0] == pytest.approx(1.0)
    assert NearestView(counts_of(brand), lang_rows, together, 5, idf).heldout()[0] == 0.0


def test_a_post_echoing_a_brand_post_scores_higher(fitted: SavedModel, pipelines) -> None:  # type: ignore[no-untyped-def]
    own = fitted.table.posts[0]
    posts = [Post("echo", own.text, own.channel), Post("plain", "Thank you for your message.", own.channel)]
    table = build_table(parse(posts, pipelines))
    model = fitted.model
    similarity = model.nearest_view_.new(table.chars, table.lang_index)
    assert similarity[0] > similarity[1]
    assert similarity[0] > model.nearest_scale_[table.lang_index[0], 0]  # above the brand's typical post


def test_with_peers_the_nearest_view_weighs_half(fitted: SavedModel, pipelines) -> None:  # type: ignore[no-untyped-def]
    from voicecheck import api
    from voicecheck.model import NEAREST_WEIGHT, NEAREST_WEIGHT_WITH_PEERS

    rival = [Post(f"r{i}", f"Huge sale on sneakers today, code SNEAK{i} at checkout!", "instagram") for i in range(12)]
    with_peers = api.fit(fitted.table.posts, fitted.profile, peers={"rival": rival})
    table = build_table(parse([Post("p", "Our new loaf is out of the oven.", "instagram")], pipelines))
    for saved, weight in ((fitted, NEAREST_WEIGHT), (with_peers, NEAREST_WEIGHT_WITH_PEERS)):
        model = saved.model
        before, scale = model.totals(table), model.nearest_scale_
        model.nearest_scale_ = scale - [[0.01, 0.0]]  # the brand's typical post a little less near
        try:
            after = model.totals(table)
        finally:
            model.nearest_scale_ = scale
        spread = scale[table.lang_index[0], 1]
        assert after[0] - before[0] == pytest.approx(weight * 0.01 / spread)


def test_the_entries_shared_by_the_views_of_n_grams_give_what_each_view_weighs_alone(fitted) -> None:  # type: ignore[no-untyped-def]
    table, idf = fitted.table, fitted.model.background_.char_idf
    entries = normed_entries(table.chars, table.lang_index, idf)
    view = fitted.model.nearest_view_
    assert np.array_equal(view.new(table.chars, table.lang_index, entries), view.new(table.chars, table.lang_index))
