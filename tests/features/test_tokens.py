import numpy as np
import pytest

from voicecheck.features import tokens
from voicecheck.features.tokens import COLUMN, TokenClassifier, classify, lexical_word
from voicecheck.nlp import Pipelines


@pytest.fixture(scope="module")
def blank() -> Pipelines:
    return Pipelines("blank")


def test_a_token_is_classified_by_its_text_and_language() -> None:
    we = classify("We're", "en")
    assert we[COLUMN["word"]] == 1 and we[COLUMN["we"]] == 1 and we[COLUMN["contractions"]] == 1
    assert we[COLUMN["letters"]] == len("we're")
    caps = classify("LOVE", "en")
    assert caps[COLUMN["caps_words"]] == 1 and caps[COLUMN["enthusiasm"]] == 1
    assert classify("réservez", "fr")[COLUMN["vous_verbs"]] == 1
    assert classify("chez", "fr")[COLUMN["vous_verbs"]] == 0
    assert classify("réservez", "en")[COLUMN["vous_verbs"]] == 0
    assert classify("tu", "fr")[COLUMN["you_familiar"]] == 1 and classify("tu", "en")[COLUMN["you_familiar"]] == 0
    for mark in ("!", "🎉", " ", "2024"):
        assert not classify(mark, "en")[[COLUMN["word"], COLUMN["tone_word"]]].any(), mark


def test_lexical_words_fold_apostrophes_and_leave_out_links_and_marks() -> None:
    assert lexical_word("L’") == "l"
    assert lexical_word("'cause") == "cause"
    assert lexical_word("https://x.co") == ""
    assert lexical_word("🎉") == ""


def test_batch_counts_are_the_sum_of_each_posts_tokens(blank: Pipelines) -> None:
    texts = [("We LOVE you, we do!", "en"), ("Nous vous aimons, tu sais.", "fr"), ("", "en"), ("🎉🎉", "en")]
    docs = [blank.get(lang)(text) for text, lang in texts]
    langs = [lang for _, lang in texts]
    counts = TokenClassifier().count(docs, langs)
    for row, (doc, lang) in enumerate(zip(docs, langs, strict=True)):
        expected = sum((classify(token.text, lang) for token in doc), np.zeros(len(COLUMN)))
        assert np.array_equal(counts.classes[row], expected)
    assert counts.column("we")[0] == 2
    assert counts.words == [["we", "love", "you", "we", "do"], ["nous", "vous", "aimons", "tu", "sais"], [], []]


def test_the_cache_is_cleared_past_its_size_and_counts_do_not_change(
    blank: Pipelines, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tokens, "CACHE_TOKENS", 5)
    classifier = TokenClassifier()
    first_docs = [blank.get("en")(f"word{i} and more") for i in range(20)]
    other_docs = [blank.get("en")(f"other{i} and more") for i in range(20)]
    first = classifier.count(first_docs, ["en"] * 20)
    classifier.count(other_docs, ["en"] * 20)
    assert len(classifier._classes["en"]._row) == 22  # only the last batch's distinct tokens are kept
    again = classifier.count(first_docs, ["en"] * 20)
    assert np.array_equal(first.classes, again.classes)
