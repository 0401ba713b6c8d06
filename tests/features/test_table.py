"""The feature table keeps which words and n-grams a post has, and reads its tone from its words as written."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voicecheck.features.lexical import char_counts, word_counts, word_tokens
from voicecheck.features.sparse import Counts
from voicecheck.features.table import FeatureTable, build_table
from voicecheck.nlp import Pipelines, parse
from voicecheck.readers.base import Post


@pytest.fixture(scope="module")
def blank() -> Pipelines:
    return Pipelines("blank")


def table_of(texts: list[str], pipelines: Pipelines, lang: str = "en") -> FeatureTable:
    return build_table(parse([Post(f"p{i}", text, "x", lang=lang) for i, text in enumerate(texts)], pipelines))


def row(counts: Counts, i: int) -> dict[int, float]:
    start, end = counts.indptr[i], counts.indptr[i + 1]
    return dict(zip(counts.indices[start:end].tolist(), counts.data[start:end].tolist(), strict=True))


def test_a_repeated_word_or_hashtag_counts_once(blank: Pipelines) -> None:
    table = table_of(["Merci #team #team #team merci!", "Merci #team merci!", "Merci #team!"], blank)
    assert row(table.words, 0) == row(table.words, 1) == row(table.words, 2)
    assert row(table.chars, 0) == row(table.chars, 1)
    assert set(row(table.words, 0).values()) == {1.0}


def test_the_tone_still_reads_every_word_as_written(blank: Pipelines) -> None:
    """The register behind formality is a mean over a post's words, repeats and all."""
    table = table_of(["lol lol lol lol thanks", "lol thanks"], blank)
    assert row(table.words, 0) == row(table.words, 1)
    assert table.tone[0, 0] != table.tone[1, 0]


words = st.lists(
    st.sampled_from(["merci", "bonjour", "#promo", "@marie", "thanks", "l'équipe", "🎉", "2025"]), max_size=12
)


@settings(max_examples=40, deadline=None)
@given(texts=st.lists(words.map(" ".join), min_size=1, max_size=6))
def test_each_post_has_its_counted_features_once_each(blank: Pipelines, texts: list[str]) -> None:
    parsed = list(parse([Post(str(i), text, "x", lang="en") for i, text in enumerate(texts)], blank))
    table = build_table(parsed)
    for counted, present in (
        (char_counts(texts), table.chars),
        (word_counts([word_tokens(item.doc) for item in parsed]), table.words),
    ):
        assert np.array_equal(present.indices, counted.indices) and np.array_equal(present.indptr, counted.indptr)
        assert np.array_equal(present.data, (counted.data > 0).astype(counted.data.dtype))
