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
    rows = tfidf_rows(Counts.of(sp.csr_matrix(dense)), langs, idf)  # the same entries, in NumPy alone
    assert np.array_equal(rows.data, tfidf(Counts.of(sp.csr_matrix(dense)), langs, idf).data)


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
