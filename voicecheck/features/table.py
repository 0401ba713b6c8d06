"""A batch of parsed posts turned into the feature arrays the voice model reads."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import scipy.sparse as sp

from voicecheck.features.lexical import char_counts, word_counts, word_tokens
from voicecheck.features.style import INDEX, style_features
from voicecheck.features.tone import tone_scores
from voicecheck.nlp import LANGUAGES, Parsed
from voicecheck.readers.base import MAX_POST_CHARS, Post


@dataclass
class FeatureTable:
    """Row i of every array describes posts[i]."""

    posts: list[Post]
    langs: list[str]
    tokens: list[list[str]]
    chars: sp.csr_matrix  # hashed character n-gram counts
    words: sp.csr_matrix  # hashed word counts
    style: np.ndarray  # STYLE_FEATURES
    tone: np.ndarray  # TONE_DIMENSIONS, 0-100

    def __len__(self) -> int:
        return len(self.posts)

    @cached_property
    def lang_index(self) -> np.ndarray:
        return np.array([LANGUAGES.index(lang) for lang in self.langs], dtype=np.int64)

    @property
    def word_count(self) -> np.ndarray:
        return self.style[:, INDEX["words"]]

    def channels(self, default: str = "") -> list[str]:
        return [post.channel or default for post in self.posts]


def build_table(parsed: Iterable[Parsed]) -> FeatureTable:
    posts, langs, tokens, texts, styles, tones = [], [], [], [], [], []
    for item in parsed:
        style = style_features(item.doc, item.lang)
        posts.append(item.post)
        langs.append(item.lang)
        tokens.append(word_tokens(item.doc))
        texts.append(item.post.text[:MAX_POST_CHARS])
        styles.append(style)
        tones.append(tone_scores(item.doc, item.lang, style))
    width = len(INDEX)
    return FeatureTable(
        posts=posts,
        langs=langs,
        tokens=tokens,
        chars=char_counts(texts),
        words=word_counts(tokens),
        style=np.array(styles).reshape(-1, width),
        tone=np.array(tones).reshape(-1, 4),
    )
