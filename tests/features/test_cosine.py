import numpy as np
import pytest
import scipy.sparse as sp

from voicecheck.features import cosine
from voicecheck.features.cosine import BrandVectors


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
    posts = _unit_rows(rng, 40, 2000, 0.01)
    vectors = BrandVectors(brand)
    assert (len(vectors.dense_columns) > 0) == (dense_cells > 0)
    expected = (posts @ brand.T).toarray()
    assert np.allclose(vectors.similarity(posts), expected, atol=1e-12)
    assert np.allclose(vectors.similarity(brand).diagonal(), 1.0)
    assert np.allclose(vectors.similarity(posts[:1]), expected[:1], atol=1e-12)  # a single post: not split


def test_only_columns_most_brand_posts_share_are_dense() -> None:
    rng = np.random.default_rng(1)
    vectors = BrandVectors(_unit_rows(rng, 200, 5000, 0.002))
    assert set(vectors.dense_columns.tolist()) == {0, 1, 2, 3, 4}


def test_no_posts_to_compare() -> None:
    vectors = BrandVectors(_unit_rows(np.random.default_rng(2), 10, 100, 0.1))
    assert vectors.similarity(sp.csr_matrix((0, 105))).shape == (0, 10)
