"""What to write instead: a concrete edit beside every reason, and the sentence rewritten where one can be.

A suggestion is a typed record (`core.Suggestion`): an edit's code and its figures (which words
to drop, how many marks to keep, the brand's own range), and for vocabulary the sentence as
the brand would write it. Its words are rendered at the output edge (`messages`).
"""

from __future__ import annotations

import dataclasses
import math
import re

from voicecheck.core import Reason, Suggestion
from voicecheck.features.style import SIGNATURE, SIGNED_FROM
from voicecheck.typography import MARKS

#: Style habits whose fix is to bring a count down (or up) to the brand's usual number.
_COUNTED_MARKS = frozenset({
    "exclamations", "questions", "emoji", "hashtags", "mentions", "urls", "ellipses", "line_breaks",
})  # fmt: skip
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


def with_suggestion(reason: Reason, text: str) -> Reason:
    """`reason` with the edit that answers it (unchanged where no edit fits)."""
    suggestion = _suggest(reason, text)
    return dataclasses.replace(reason, suggestion=suggestion) if suggestion else reason


def _suggest(reason: Reason, text: str) -> Suggestion | None:
    f = reason.figures
    if reason.kind == "preferred_term":
        return Suggestion("use_preferred", {"term": f["term"], "preferred": f["preferred"]},
                          _rewrite(text, f["term"], f["preferred"], reason.spans))  # fmt: skip
    if reason.kind == "avoided_term":
        return Suggestion("drop_avoided", {"term": f["term"]}, _rewrite(text, f["term"], "", reason.spans))
    if reason.kind == "brand_term":
        return Suggestion("write_brand_name", {"term": f["term"], "found": f["found"]},
                          _rewrite(text, f["found"], f["term"], reason.spans, exact=True))  # fmt: skip
    if reason.kind == "tone":
        return _tone(reason)
    if reason.kind == "style" and reason.figures["feature"] in MARKS:
        return _typography(reason, text)
    if reason.kind == "style" and reason.figures["feature"] == "signed":
        return _signature(reason, text)
    if reason.kind == "style":
        return _style(reason)
    if reason.kind == "unfamiliar_words":
        return Suggestion("replace_unfamiliar", {"words": list(reason.words)})
    if reason.kind == "overall":
        return Suggestion("follow_examples")
    if reason.kind == "other_language":
        return Suggestion("write_brand_language", {"brand_languages": list(f["brand_languages"])})
    if reason.kind == "peer":
        return Suggestion("unlike_peer", {"peer": f["peer"]})
    return None


def _tone(reason: Reason) -> Suggestion:
    f = reason.figures
    dimension, value = f["dimension"], f["value"]
    higher = value > f["brand_range"][1]
    words = list(reason.words)
    if dimension == "formality":
        code = "plainer_words" if higher else "drop_casual_words"
        return Suggestion(code, {"words": words, "compared_with": dict(reason.compared_with or {})})
    direction = "less" if higher else "more"
    return Suggestion(f"{direction}_{dimension}", {"compared_with": dict(reason.compared_with or {})})


def _typography(reason: Reason, text: str) -> Suggestion:
    """Marks written the brand's way, and the post with all of them so written."""
    f = reason.figures
    marks = MARKS[f["feature"]]
    low, high = f["brand_range"]
    brand_way = marks.way((low + high) / 2)
    figures = {"feature": f["feature"], "way": brand_way, "compared_with": dict(reason.compared_with or {})}
    return Suggestion("brand_typography", figures, marks.written(text, brand_way == marks.one_way))


def _signature(reason: Reason, text: str) -> Suggestion:
    """Sign as the brand signs, or drop a signature the brand never writes (the post without it)."""
    where = {"compared_with": dict(reason.compared_with or {})}
    if reason.figures["value"] < reason.figures["brand_range"][0]:
        return Suggestion("sign_post", where)
    signature = SIGNATURE.search(text)
    signed_as = SIGNED_FROM.search(text, signature.start()) if signature else None
    unsigned = (text[: signed_as.start()].rstrip() + text[signed_as.end() :]).strip() if signed_as else None
    return Suggestion("drop_signature", where, unsigned or None)  # its links kept


def _style(reason: Reason) -> Suggestion:
    f = reason.figures
    name, value = f["feature"], f["value"]
    low, high = f["brand_range"]
    where = {"compared_with": dict(reason.compared_with or {})}
    if name in _COUNTED_MARKS or name == "caps_words":
        keep = max(0, math.floor(high))
        if value > high:
            drop = max(1, round(value) - keep)
            return Suggestion("fewer_marks", {"feature": name, "drop": drop, "keep": keep, **where})
        return Suggestion("more_marks", {"feature": name, "add": max(1, math.ceil(low) - round(value)), **where})
    if name == "starts_lowercase" and value > high:
        return Suggestion("capitalise", where)
    if name == "no_end_punct" and value > high:
        return Suggestion("end_punctuation", where)
    if name == "you_familiar" and value > high:
        return Suggestion("use_vous", where)
    if name == "i" and value > high:
        return Suggestion("say_we", where)
    if name == "sentence_length":
        code = "shorter_sentences" if value > high else "longer_sentences"
        return Suggestion(code, {"low": low, "high": high, **where})
    if name == "words":
        code = "shorter_post" if value > high else "longer_post"
        return Suggestion(code, {"low": round(low), "high": round(high), **where})
    if value > high and reason.words:
        return Suggestion("drop_words", {"words": list(reason.words), "feature": name, **where})
    return Suggestion("closer_range", {"feature": name, "low": low, "high": high, "more": value < low, **where})


def _rewrite(
    text: str, found: str, replacement: str, spans: tuple[tuple[int, int], ...], exact: bool = False
) -> str | None:
    """The sentence holding `found` (at `spans`, else searched for) with `replacement` in its place."""
    if spans:
        start, end = spans[0]
    else:
        flags = 0 if exact else re.IGNORECASE
        match = re.search(rf"(?<!\w){re.escape(found)}(?!\w)", text, flags)
        if match is None:
            return None
        start, end = match.span()
    written = text[start:end]
    if replacement and written[:1].isupper() and replacement[:1].islower() and not exact:
        replacement = replacement[0].upper() + replacement[1:]
    sentence_start = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
    following = _SENTENCE_END.search(text, end)
    sentence_end = following.start() if following else len(text)
    if not replacement:  # a word dropped goes with the space before it (or else after it)
        if start > sentence_start and text[start - 1].isspace():
            start -= 1
        elif end < sentence_end and text[end].isspace():
            end += 1
    rewritten = (text[sentence_start:start] + replacement + text[end:sentence_end]).strip()
    if not replacement and start == sentence_start and written[:1].isupper():  # the sentence's first word went
        rewritten = rewritten[:1].upper() + rewritten[1:]
    return rewritten
