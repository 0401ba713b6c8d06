"""The records every stage shares: posts, reasons, notes, results. The bottom layer.

Nothing here imports the rest of the package, so any stage can use these records without
reaching back up the flow (readers → nlp → features → voice model → judging → outputs). A
reason or note carries a stable `code` and its figures, never a sentence: the words are
rendered at the output edge, in the reader's language (`voicecheck.messages`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

#: The languages voicecheck reads and speaks, in the order the model's arrays keep them.
LANGUAGES = ("en", "fr")

#: The four tone dimensions (Nielsen Norman Group), each read 0–100; higher means more of the first word.
TONE_DIMENSIONS = ("formality", "humor", "irreverence", "enthusiasm")

#: What `check` says of a post.
ON_VOICE, DRIFT, INSUFFICIENT = "on-voice", "drift", "insufficient"
VERDICTS = (ON_VOICE, DRIFT, INSUFFICIENT)


@dataclass(frozen=True, slots=True)
class Post:
    """One post: its text and whatever the source said about it."""

    id: str
    text: str
    channel: str | None = None
    lang: str | None = None
    date: str | None = None
    where: str = ""  # "file:line", for messages
    kind: str | None = None  # "reply" or "retweet" where the source tells them apart

    def with_channel(self, channel: str) -> Post:
        return dataclasses.replace(self, channel=channel)


@dataclass(frozen=True)
class Suggestion:
    """What to write instead: an edit named by `code` with its figures, and the post rewritten where one can be."""

    code: str
    figures: Mapping[str, Any] = field(default_factory=dict)
    rewrite: str | None = None  # the sentence (or post) as the brand would write it


@dataclass(frozen=True)
class Reason:
    """Why a post was flagged (or judged as it was): a documented `code`, a `kind`, and the figures.

    `figures` are the fields of the reason's JSON (in the order they are shown, unrounded);
    `words` are the post's own words it is about and `spans` their character offsets in the
    post's text; `compared_with` names the brand posts it was measured against (their channel
    and language; None for all of them).
    """

    code: str
    kind: str
    figures: Mapping[str, Any] = field(default_factory=dict)
    words: tuple[str, ...] = ()
    spans: tuple[tuple[int, int], ...] = ()
    compared_with: Mapping[str, str | None] | None = None
    post_lang: str | None = None  # the language of the post it is about
    suggestion: Suggestion | None = None


@dataclass(frozen=True)
class Note:
    """Something a reader should know about how a post was judged (a new channel, a cut post)."""

    code: str
    figures: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Example:
    """One of the brand's own posts, shown as how the brand usually says it."""

    id: str
    channel: str | None
    text: str
    similarity: float


@dataclass
class CheckResult:
    """The verdict on one post, with everything needed to explain it."""

    post: Post
    lang: str
    score: float
    flagged: bool
    verdict: str
    reasons: list[Reason]
    examples: list[Example]
    tone: dict[str, float]
    notes: list[Note] = field(default_factory=list)


@dataclass
class ToneResult:
    """A post read on the four tone dimensions."""

    post: Post
    lang: str
    tone: dict[str, float]
