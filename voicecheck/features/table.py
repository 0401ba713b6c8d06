"""A batch of parsed posts turned into the feature arrays the voice model reads.

A post's words and character n-grams are kept as which ones it has, not how often: a short
post that repeats a hashtag, a name or a word says it once more, not twice as much in its
voice, and counted, the repeats outweighed what the rest of the post says. Every view that
reads them (the likelihood ratios, the nearest post, the peers' regression, the similarities
behind the examples) sets a post's presence against the brand's, which ranks other voices
below the brand's own better on every corpus measured (BENCHMARKS.md, model format 10).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from voicecheck.features.lexical import char_counts, word_counts
from voicecheck.features.register import post_register
from voicecheck.features.sparse import Counts
from voicecheck.features.style import INDEX, style_matrix
from voicecheck.features.texts import TextBatch
from voicecheck.features.tokens import TokenClassifier
from voicecheck.features.tone import tone_matrix
from voicecheck.nlp import LANGUAGES, Parsed
from voicecheck.readers.base import MAX_POST_CHARS, Post


@dataclass
class FeatureTable:
    """Row i of every array describes posts[i]."""

    posts: list[Post]
    langs: list[str]
    tokens: list[list[str]]
    chars: Counts  # the hashed character n-grams each post has (1 each, see above)
    words: Counts  # the hashed words each post has (1 each)
    style: np.ndarray  # STYLE_FEATURES
    tone: np.ndarray  # TONE_DIMENSIONS, 0-100

    def __len__(self) -> int:
        return len(self.posts)

    @cached_property
    def lang_index(self) -> np.ndarray:
        return language_rows(self.langs)

    @property
    def word_count(self) -> np.ndarray:
        return self.style[:, INDEX["words"]]

    def channels(self, default: str = "") -> list[str]:
        return [post.channel or default for post in self.posts]


def language_rows(langs: list[str]) -> np.ndarray:
    """Each language's row in per-language arrays (see LANGUAGES)."""
    return np.array([LANGUAGES.index(lang) for lang in langs], dtype=np.int64)


#: Remembers each distinct token's classes across batches (a run sees the same words again and again).
_TOKENS = TokenClassifier()


def build_table(parsed: Iterable[Parsed]) -> FeatureTable:
    items = list(parsed)
    posts = [item.post for item in items]
    langs = [item.lang for item in items]
    docs = [item.doc for item in items]
    texts = TextBatch([post.text[:MAX_POST_CHARS] for post in posts])  # what the docs were made from
    counts = _TOKENS.count(docs, langs)
    style = style_matrix(texts, counts)
    words = word_counts(counts.words)
    return FeatureTable(
        posts=posts,
        langs=langs,
        tokens=counts.words,
        chars=char_counts(texts).presence(),
        words=words.presence(),
        style=style,
        # A post's register is a mean over its words as written, repeats included.
        tone=tone_matrix(texts, langs, style, counts, post_register(words, language_rows(langs))),
    )
