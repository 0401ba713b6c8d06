import numpy as np
import scipy.sparse as sp

from voicecheck.features.hashing import feature_index
from voicecheck.features.lexical import normalise, tfidf, word_counts, word_tokens
from voicecheck.nlp import Pipelines


def test_word_tokens_fold_apostrophes_and_drop_symbols() -> None:
    nlp = Pipelines("blank").get("en")
    assert word_tokens(nlp("We'd LOVE to help! https://x.co/a 🎉 #tips")) == ["we", "d", "love", "to", "help", "tips"]


def test_word_hash_matches_the_explainer_lookup() -> None:
    column = word_counts([["ménage"]]).indices[0]
    assert column == feature_index("ménage")


def test_normalise_folds_links_and_digits() -> None:
    assert normalise("Call 514 555-0199 or https://maisonclaire.ca/x") == "Call 000 000-0000 or  http "


def test_tfidf_rows_are_unit_length_per_language() -> None:
    counts = sp.csr_matrix(np.array([[1, 2, 0], [0, 0, 0], [3, 0, 1]], dtype=float))
    idf = np.array([[1.0, 2.0, 3.0], [3.0, 2.0, 1.0]])
    out = tfidf(counts, np.array([0, 1, 1]), idf)
    norms = np.sqrt(np.asarray(out.multiply(out).sum(axis=1)).ravel())
    assert np.allclose(norms, [1, 0, 1])
