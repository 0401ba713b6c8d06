import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from voicecheck.features import cosine
from voicecheck.features.cosine import BrandVectors
from voicecheck.features.sparse import ByFeature, Counts, dense_product


def _unit_rows(rng: np.random.Generator, rows: int, features: int, density: float) -> sp.csr_matrix:
    matrix = sp.random(rows, features, density=density, random_state=rng, format="csr")
    common = rng.random((rows, 5))  # five columns nearly every row has, as " th" in English
    matrix = sp.hstack([sp.csr_matrix(common), matrix]).tocsr()
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    return sp.csr_matrix(sp.diags(1 / np.maximum(norms, 1e-12)) @ matrix)


@pytest.mark.parametrize("dense_cells", [0, 2**21])
def test_similarity_is_the_plain_sparse_product(monkeypatch: pytest.MonkeyPatch, dense_cells: int) -> None:
    monkeypatch.setattr(cosine, "DENSE_CELLS", dense_cells)
    rng = np.random.default_rng(0)
    brand = _unit_rows(rng, 300, 2000, 0.01)
    posts = _unit_rows(rng, 80, 2000, 0.01)
    vectors = BrandVectors(Counts.of(brand))
    assert (len(vectors.dense_columns) > 0) == (dense_cells > 0)
    expected = (posts @ brand.T).toarray()
    assert np.allclose(vectors.similarity(Counts.of(posts)), expected, atol=1e-12)  # split: dense and sparse
    assert np.allclose(vectors.similarity(Counts.of(brand)).diagonal(), 1.0)
    assert np.array_equal(vectors.similarity(Counts.of(posts[:1])), expected[:1])  # a lone post: NumPy's sums
    assert np.array_equal(vectors.similarity(Counts.of(posts[:40])), expected[:40])  # a few: not split


def test_only_columns_most_brand_posts_share_are_dense() -> None:
    rng = np.random.default_rng(1)
    vectors = BrandVectors(Counts.of(_unit_rows(rng, 200, 5000, 0.002)))
    assert set(vectors.dense_columns.tolist()) == {0, 1, 2, 3, 4}


def test_no_posts_to_compare() -> None:
    vectors = BrandVectors(Counts.of(_unit_rows(np.random.default_rng(2), 10, 100, 0.1)))
    assert vectors.similarity(Counts.empty(0, 105)).shape == (0, 10)
    assert vectors.similarity(Counts.of(sp.csr_matrix((70, 105)))).shape == (70, 10)


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    posts=st.integers(0, 12),
    brand=st.integers(1, 40),
    density=st.floats(0.0, 0.6),
)
def test_numpy_products_are_scipys_sums_to_the_bit(seed: int, posts: int, brand: int, density: float) -> None:
    rng = np.random.default_rng(seed)
    rows = sp.random(posts, 30, density=density, format="csr", random_state=rng)
    index = sp.random(brand, 30, density=density, format="csr", random_state=rng)
    brand_rows = Counts.of(index)
    by_feature = ByFeature.of(brand_rows.row_of_entry(), brand_rows.indices, brand_rows.data, 30)
    entries = Counts.of(rows)
    got = dense_product(entries.row_of_entry(), entries.indices, entries.data, by_feature, (posts, brand))
    assert np.array_equal(got, (rows @ index.T.tocsr()).toarray())
