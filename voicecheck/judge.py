"""The one place a post's verdict is made, for `check`, `report` and `serve` alike.

Judging reads the scores the voice model gave a table of posts and their features, and hands
back typed `CheckResult` records: verdict, reasons (codes and figures, no sentences), notes and,
beside a flagged post, the brand's nearest posts. Words are rendered later, at the output edge.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from voicecheck.core import DRIFT, INSUFFICIENT, ON_VOICE, TONE_DIMENSIONS, CheckResult, Note, Reason
from voicecheck.explain import Explainer, reason
from voicecheck.features.table import FeatureTable
from voicecheck.nlp import language_prior
from voicecheck.peers import PeerView
from voicecheck.readers.base import MAX_POST_CHARS
from voicecheck.store import SavedModel
from voicecheck.suggest import with_suggestion

#: Posts with fewer words than this are too short to judge: the verdict is "insufficient".
MIN_WORDS = 3


@dataclass(frozen=True)
class Judging:
    """What judging posts against a model needs besides the posts: built once per model."""

    explainer: Explainer
    channels: frozenset[str]  # the channels the brand posted on
    langs: frozenset[str]  # the languages it posted in
    language_prior: float  # how far detection leans to them (`nlp.language_prior`)
    default_lang: str  # the guess for posts too short to tell (`SavedModel.default_lang`)
    _new_channels: dict[str, Note] = field(default_factory=dict, compare=False, repr=False)

    def new_channel(self, channel: str) -> Note:
        """The note for a channel the brand never posted on: likely a typo of one it did, or new.

        Worked out once per channel name: a batch names the same few channels again and again.
        """
        if channel not in self._new_channels:
            nearest = difflib.get_close_matches(channel, sorted(self.channels), n=1, cutoff=0.75)
            self._new_channels[channel] = (
                Note("new_channel_typo", {"channel": channel, "nearest": nearest[0]})
                if nearest
                else Note("new_channel", {"channel": channel})
            )
        return self._new_channels[channel]


def judging(saved: SavedModel) -> Judging:
    """The judging context of `saved`, built on first use and kept with the model."""
    if "judging" not in saved.cache:
        channels, langs = frozenset(saved.table.channels()), frozenset(saved.table.langs)
        prior = language_prior(saved.table.langs)
        saved.cache["judging"] = Judging(Explainer(saved), channels, langs, prior, saved.default_lang)
    context: Judging = saved.cache["judging"]
    return context


def tone_of(values: np.ndarray) -> dict[str, float]:
    """A row of tone readings as the dimension → value mapping results carry."""
    return {dim: round(v, 1) for dim, v in zip(TONE_DIMENSIONS, values.tolist(), strict=True)}


def judge(
    saved: SavedModel,
    table: FeatureTable,
    rows: np.ndarray,
    scores: np.ndarray,
    below: np.ndarray,
    held_out: bool = False,
    notes: Mapping[str, Sequence[Note]] | None = None,
    closer_peer: np.ndarray | None = None,
) -> list[CheckResult]:
    """Verdicts on `rows` of `table`, whose voice scores are `scores` (`below`: under the threshold).

    `held_out`: `table` is the brand's own training table; a post's nearest brand posts then
    leave out the post itself. `notes`: what every result in a language must say besides its own.
    `closer_peer`: with peers, the peer each post of `table` sounds more like, as scoring found
    it (`model.Scores`); without it, the peer view is read again for the posts flagged.
    """
    context = judging(saved)
    style_z = saved.model.style_z(table, rows)
    results = [
        _verdict(context, table, int(row), float(scores[row]), bool(below[row]), style_z[i])
        for i, row in enumerate(rows)
    ]
    for result in results:
        result.notes += (notes or {}).get(result.lang, ())
    if saved.model.peers_ is not None:
        _name_peers(context, saved.model.peers_, table, rows, below, results, closer_peer)
    flagged = [i for i, result in enumerate(results) if result.flagged]
    if flagged:  # examples are shown only beside flagged posts: compare only those
        similarity = saved.model.similarity(table, rows[flagged])
        for k, i in enumerate(flagged):
            if held_out:
                similarity[k, rows[i]] = -np.inf
            result = results[i]
            result.examples = context.explainer.examples(result.post.channel, result.lang, similarity[k])
    return results


def _name_peers(
    context: Judging,
    peers: PeerView,
    table: FeatureTable,
    rows: np.ndarray,
    below: np.ndarray,
    results: list[CheckResult],
    closer_peer: np.ndarray | None,
) -> None:
    """A flagged post that sounds more like a peer than like the brand names the peer, first of its reasons."""
    drifting = [i for i, result in enumerate(results) if below[rows[i]] and result.verdict == DRIFT]
    if not drifting:
        return
    nearest = peers.nearest(table, rows[drifting]) if closer_peer is None else closer_peer[rows[drifting]]
    named = [(i, peer) for i, peer in zip(drifting, nearest.tolist(), strict=True) if peer >= 0]
    if not named:
        return
    examples = peers.examples(table, rows[[i for i, _ in named]], [peer for _, peer in named])
    for (i, peer), shown in zip(named, examples, strict=True):
        result = results[i]
        found = context.explainer.peer(peers.names[peer], shown)
        rest = [r for r in result.reasons if r.kind != "overall"]
        result.reasons = [with_suggestion(found, result.post.text), *rest]


def _verdict(
    context: Judging, table: FeatureTable, row: int, score: float, below: bool, style_z: np.ndarray
) -> CheckResult:
    post, lang = table.posts[row], table.langs[row]
    explainer = context.explainer
    notes = []
    if post.channel and post.channel not in context.channels:
        notes.append(context.new_channel(post.channel))
    if lang not in context.langs:
        notes.append(Note("no_brand_posts_in_language", {"lang": lang}))
    if len(post.text) > MAX_POST_CHARS:
        notes.append(Note("long_post", {"characters": len(post.text), "judged": MAX_POST_CHARS}))
    reasons: list[Reason] = explainer.vocabulary(post.text)  # the profile's rules hold whatever the score
    words = int(table.word_count[row])
    if words < MIN_WORDS and not reasons:
        verdict, flagged = INSUFFICIENT, False
        reasons = [reason("too_short", {"word_count": words})]
    else:
        flagged = below or bool(reasons)
        verdict = DRIFT if flagged else ON_VOICE
        if below:
            tokens = table.tokens[row] if table.tokens else []  # a saved model's own table keeps none
            # A post in another language is measured against English or French ranges that
            # do not apply to it: which language it is in is the one reason worth giving.
            if written_in := explainer.other_language(post.text, tokens):
                reasons.append(written_in)
            else:
                reasons += explainer.drift(table, row, style_z)
                reasons += explainer.unfamiliar_words(tokens, lang) if tokens else []
            if not reasons:
                reasons.append(reason("overall"))
        reasons = [with_suggestion(found, post.text) for found in reasons]
    return CheckResult(post, lang, score, flagged, verdict, reasons, [], tone_of(table.tone[row]), notes)
