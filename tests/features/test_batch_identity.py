"""Features computed a batch at a time equal those computed post by post, token by token, to the bit.

The reference functions below are how style marks, tone marks, parts of speech and character
n-grams were read before batching: one post, one token at a time.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.tokens import Doc

from tests.conftest import SAMPLE_POSTS, SAMPLES
from voicecheck.features import lexical, style, tone
from voicecheck.features.hashing import N_FEATURES, WordHasher, feature_indices
from voicecheck.features.style import INDEX
from voicecheck.features.table import build_table
from voicecheck.features.texts import TextBatch
from voicecheck.nlp import Pipelines, parse
from voicecheck.readers import ReadStats, read_posts
from voicecheck.readers.base import MAX_POST_CHARS, Post

PATTERNS = {
    "sentence ends": style._SENTENCE_END,
    "emoji": style._EMOJI,
    "hashtags": style._HASHTAG,
    "mentions": style._MENTION,
    "links": style.URL,
    "laughs": tone._LAUGH,
    "laughing emoji": tone._LAUGHING_EMOJI,
    "warm emoji": tone._WARM_EMOJI,
    "runs of !?": tone._STRONG_PUNCT,
}
SHARES = style._SHARES
OUTSIDE_ASCII = {"emoji": style._EMOJI, "laughing emoji": tone._LAUGHING_EMOJI, "warm emoji": tone._WARM_EMOJI}


def text_features(text: str) -> dict[str, float]:
    """The marks style reads off one text, one pattern call each."""
    stripped = style.URL.sub("", text).rstrip()
    first_letter = next((ch for ch in text if ch.isalpha()), "")
    return {
        "sentence_length": max(1, len(style._SENTENCE_END.findall(text))),
        "exclamations": text.count("!"),
        "questions": text.count("?"),
        "emoji": len(style._EMOJI.findall(text)),
        "hashtags": len(style._HASHTAG.findall(text)),
        "mentions": len(style._MENTION.findall(text)),
        "urls": len(style.URL.findall(text)),
        "ellipses": text.count("...") + text.count("…"),
        "commas": text.count(","),
        "starts_lowercase": float(first_letter.islower()),
        "no_end_punct": float(bool(stripped) and stripped[-1] not in '.!?…)"»'),
        "line_breaks": len(style._LINE_BREAK.findall(text)),
        "signed": float(style.SIGNATURE.search(text) is not None),  # searched through the whole post
        **{name: share_alone(pattern, text) for name, pattern in style._SHARES.items()},
    }


def tone_marks(text: str) -> list[int]:
    return [len(pattern.findall(text)) for pattern in (tone._LAUGH, tone._LAUGHING_EMOJI, tone._WARM_EMOJI, tone._STRONG_PUNCT)]  # fmt: skip


def tagger_features(doc: Doc, per100: float) -> dict[str, float]:
    """Parts of speech of one doc, read token by token (NaN without a tagger)."""
    if not doc.has_annotation("POS"):
        return dict.fromkeys(("nouns", "verbs", "adjectives", "imperatives"), math.nan)
    words = [token for token in doc if token.is_alpha or "'" in token.text or "’" in token.text]
    pos = [token.pos_ for token in words]
    return {
        "nouns": sum(p in ("NOUN", "PROPN") for p in pos) * per100,
        "verbs": sum(p in ("VERB", "AUX") for p in pos) * per100,
        "adjectives": pos.count("ADJ") * per100,
        "imperatives": sum("Imp" in token.morph.get("Mood", []) for token in words) * per100,
    }


def char_counts(texts: list[str]) -> sp.csr_matrix:
    """Character n-gram counts, each text normalised alone and each word's row summed by scipy."""
    documents = [lexical.normalise(text).split() for text in texts]
    distinct = list(dict.fromkeys(word for words in documents for word in words))
    column = {word: i for i, word in enumerate(distinct)}
    cells = [column[word] for words in documents for word in words]
    indptr = np.cumsum([0] + [len(words) for words in documents])
    per_document = sp.csr_matrix((np.ones(len(cells)), cells, indptr), shape=(len(texts), len(distinct)))
    ngrams = [lexical.char_ngrams(word) for word in distinct]
    columns = feature_indices([ngram for grams in ngrams for ngram in grams])
    word_indptr = np.cumsum([0] + [len(grams) for grams in ngrams])
    rows = sp.csr_matrix((np.ones(len(columns)), columns, word_indptr), shape=(len(distinct), N_FEATURES))
    rows.sum_duplicates()
    counts: sp.csr_matrix = per_document @ rows
    return counts


def present(counts: sp.csr_matrix) -> sp.csr_matrix:
    """1 where a post has a feature, as the table keeps them (`Counts.presence`)."""
    return sp.csr_matrix(((counts.data > 0).astype(counts.dtype), counts.indices, counts.indptr), shape=counts.shape)


def assert_same_sparse(got: sp.csr_matrix, want: sp.csr_matrix) -> None:
    """The same entries in the same order: sums over them then round the same way."""
    for name in ("data", "indices", "indptr"):
        assert np.array_equal(getattr(got, name), getattr(want, name)), name
    assert got.shape == want.shape and got.dtype == want.dtype


def assert_table_matches_each_post_alone(parsed: list) -> None:  # type: ignore[type-arg]
    table = build_table(parsed)
    texts = [item.post.text[:MAX_POST_CHARS] for item in parsed]
    for row, item in enumerate(parsed):
        values = table.style[row]
        for name, value in text_features(texts[row]).items():
            if name == "sentence_length":
                assert values[INDEX[name]] == table.word_count[row] / value, (name, texts[row])
            elif name == "commas":
                per100 = 100.0 / table.word_count[row] if table.word_count[row] > 0 else 0.0
                assert values[INDEX[name]] == value * per100, (name, texts[row])
            else:
                assert np.array_equal(values[INDEX[name]], value, equal_nan=True), (name, texts[row])
        per100 = 100.0 / table.word_count[row] if table.word_count[row] > 0 else 0.0
        for name, value in tagger_features(item.doc, per100).items():
            assert np.array_equal(values[INDEX[name]], value, equal_nan=True), (name, texts[row])
    assert_same_sparse(table.chars, present(char_counts(texts)))


@pytest.fixture(scope="module")
def trained() -> Pipelines:
    return Pipelines("auto")  # French posts get the tagger where it is installed


@pytest.fixture(scope="module")
def blank() -> Pipelines:
    return Pipelines("blank")


@pytest.fixture(scope="module")
def real_posts() -> list[Post]:
    return list(read_posts([*SAMPLE_POSTS, SAMPLES / "new_posts.csv"], ReadStats()))


def test_real_posts_read_as_a_batch_as_each_alone(real_posts: list[Post], trained: Pipelines) -> None:
    assert_table_matches_each_post_alone(list(parse(real_posts, trained)))


def test_each_pattern_finds_in_a_batch_what_it_finds_in_each_text(real_posts: list[Post]) -> None:
    texts = [post.text for post in real_posts]
    batch = TextBatch(texts)
    for name, pattern in PATTERNS.items():
        assert batch.count(pattern).tolist() == [len(pattern.findall(text)) for text in texts], name


def share_alone(pattern, text: str) -> float:  # type: ignore[no-untyped-def]
    found = [match.group("one") is not None for match in pattern.finditer(text)]
    return sum(found) / len(found) if found else math.nan


def assert_shares_read_as_each_alone(texts: list[str]) -> None:
    batch = TextBatch(texts)
    for name, pattern in SHARES.items():
        want = np.array([share_alone(pattern, text) for text in texts])
        assert np.array_equal(batch.share(pattern), want, equal_nan=True), name
        assert np.array_equal(batch.share(pattern, style._NEEDLES[name]), want, equal_nan=True), name


def test_each_typography_share_in_a_batch_is_each_texts_own(real_posts: list[Post]) -> None:
    assert_shares_read_as_each_alone([post.text for post in real_posts])


def test_the_emoji_patterns_match_nothing_in_ascii() -> None:
    every_ascii = "".join(map(chr, range(128)))
    for name, pattern in OUTSIDE_ASCII.items():
        assert not pattern.findall(every_ascii), name


#: Text made of what the patterns look for, and what sits next to it: marks, emoji, links,
#: hashtags, letters of several scripts, digits, all kinds of whitespace, NULs and line breaks.
pieces = st.sampled_from([
    "!", "?", "!!", "?!", ".", "...", "…", ",", ")", '"', "»", "«", "“", "”", "#", "@", "#tag", "@you", "_", "'", "’",
    ":", ";", " :", " !", "-", " - ", "—", "%", "5 %", "  ", " *AFM", "^JK", " -AS", " /MB", "~", "*", "Shannon", "AB",
    "https://x.co/a", "http://", "www.", "www.site.fr", "haha", "HAHA", "lol", "LOOOL", "mdr", "ptdr", "hihi",
    "😂", "🤣", "❤", "✨", "🔥", "🎉", "©", "👍🏽", "a", "Z", "é", "ß", "İ", "ı", "ǅ", "Ω", "ж", "中", "٣", "5",
    " ", "\n", "\t", "\r", "\x0b", "\x1c", "\u00a0", "\u2028", "\u3000", "\x00", "\n\x00",
])  # fmt: skip
texts = st.lists(st.one_of(pieces, st.text(max_size=3)), max_size=12).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(texts, min_size=1, max_size=8))
def test_any_texts_read_as_a_batch_as_each_alone(batch_texts: list[str]) -> None:
    batch = TextBatch(batch_texts)
    for name, pattern in PATTERNS.items():
        assert batch.count(pattern).tolist() == [len(pattern.findall(text)) for text in batch_texts], name
    for name, pattern in OUTSIDE_ASCII.items():
        assert batch.count_outside_ascii(pattern).tolist() == batch.count(pattern).tolist(), name
    counts = np.array([tone_marks(text) for text in batch_texts], dtype=np.float64)
    assert np.array_equal(np.column_stack(tone._marks(batch)), counts)
    assert lexical.normalised_words(batch_texts) == [lexical.normalise(text).split() for text in batch_texts]
    assert_shares_read_as_each_alone(batch_texts)


@settings(max_examples=100, deadline=None)
@given(batch_texts=st.lists(texts, min_size=1, max_size=6), lang=st.sampled_from(["en", "fr"]))
def test_any_posts_features_equal_each_posts_own(batch_texts: list[str], lang: str, blank: Pipelines) -> None:
    posts = [Post(f"p{i}", text, lang=lang) for i, text in enumerate(batch_texts)]
    assert_table_matches_each_post_alone(list(parse(posts, blank)))


def test_word_rows_are_kept_in_the_order_summing_duplicates_leaves() -> None:
    hasher = WordHasher(lexical.char_ngrams)
    words = ["aaaa", "abab", "ab", "a", "ménage", "aaaa"]
    rows = hasher._word_rows(list(dict.fromkeys(words)))
    columns = feature_indices([gram for word in dict.fromkeys(words) for gram in lexical.char_ngrams(word)])
    lengths = [len(lexical.char_ngrams(word)) for word in dict.fromkeys(words)]
    want = sp.csr_matrix((np.ones(len(columns)), columns, np.cumsum([0, *lengths])), shape=(5, N_FEATURES))
    want.sum_duplicates()
    assert_same_sparse(rows, want)
