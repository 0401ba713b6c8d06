import numpy as np
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from voicecheck.features.hashing import feature_index
from voicecheck.features.lexical import (
    mean_per_post,
    means_by_product,
    normalise,
    tfidf,
    tfidf_rows,
    word_counts,
    word_tokens,
)
from voicecheck.features.sparse import Counts
from voicecheck.nlp import Pipelines


def test_word_tokens_fold_apostrophes_and_drop_symbols() -> None:
    nlp = Pipelines("blank").get("en")
    assert word_tokens(nlp("We'd LOVE to help! https://x.co/a 🎉 #tips")) == ["we", "d", "love", "to", "help", "tips"]


def test_word_hash_matches_the_explainer_lookup() -> None:
    column = word_counts([["ménage"]]).indices[0]
    assert column == feature_index("ménage")


def test_normalise_folds_links_and_digits() -> None:
    assert normalise("Call 514 555-0199 or https://maisonclaire.ca/x") == "Call 000 000-0000 or  http "


def test_tfidf_rows_are_sublinear_tf_times_the_rows_language_idf_unit_length() -> None:
    dense = np.array([[1, 2, 0], [0, 0, 0], [3, 0, 1]], dtype=float)
    idf = np.array([[1.0, 2.0, 3.0], [3.0, 2.0, 1.0]])
    langs = np.array([0, 1, 1])
    out = tfidf(Counts.of(sp.csr_matrix(dense)), langs, idf).toarray()
    weighted = np.log1p(dense) * idf[langs]
    norms = np.linalg.norm(weighted, axis=1, keepdims=True)
    assert np.allclose(out, weighted / np.where(norms == 0, 1, norms))
    assert np.allclose(np.linalg.norm(out, axis=1), [1, 0, 1])


def _tfidf_by_scipy(counts: Counts, lang_rows: np.ndarray, idf: np.ndarray) -> sp.csr_matrix:
    """The tf-idf rows as SciPy's own operations give them: the reference the NumPy entries are held to."""
    weighted = sp.csr_matrix(counts.tocsr(), dtype=np.float64, copy=True)
    row_of_entry = np.repeat(np.arange(weighted.shape[0]), np.diff(weighted.indptr))
    weighted.data = np.log1p(weighted.data) * idf[lang_rows[row_of_entry], weighted.indices]
    norms = np.sqrt(np.bincount(row_of_entry, weights=weighted.data**2, minlength=weighted.shape[0]))
    norms[norms == 0] = 1.0
    weighted.data /= norms[row_of_entry]
    return weighted


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), posts=st.integers(0, 20))
def test_tfidf_rows_are_scipys_tfidf_to_the_bit(seed: int, posts: int) -> None:
    rng = np.random.default_rng(seed)
    matrix = sp.random(posts, 50, density=0.2, format="csr", random_state=rng)
    counts = Counts(np.ceil(matrix.data * 4), matrix.indices, matrix.indptr, matrix.shape)  # whole counts
    langs, idf = rng.integers(0, 2, posts), rng.random((2, 50)) * 5
    expected = _tfidf_by_scipy(counts, langs, idf)
    rows = tfidf_rows(counts, langs, idf)
    assert np.array_equal(rows.data, expected.data) and np.array_equal(rows.indices, expected.indices)
    assert np.array_equal(tfidf(counts, langs, idf).toarray(), expected.toarray())


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), posts=st.integers(1, 30), sets=st.integers(1, 6))
def test_the_peers_means_by_product_are_each_mean_per_post_to_the_bit(seed: int, posts: int, sets: int) -> None:
    rng = np.random.default_rng(seed)
    features = 64
    counts = Counts.of(sp.random(posts, features, density=0.2, format="csr", random_state=rng, dtype=np.float64))
    counts = Counts(
        np.ceil(counts.data * 3), counts.indices, counts.indptr, counts.shape
    )  # whole counts, some rows empty
    lang_rows = rng.integers(0, 2, posts)
    values = [rng.normal(0.0, 1.0, (2, features)) for _ in range(sets)]
    by_product = means_by_product(counts, lang_rows, values)
    for got, each in zip(by_product, values, strict=True):
        assert np.array_equal(got, mean_per_post(counts, lang_rows, each))
