"""Reasons, notes and suggestions in words, in the reader's language: the output edge of judging.

Judging hands over typed records (`voicecheck.core`) with a code and figures; this module is
the one place they become sentences, through the gettext catalogs (`voicecheck.i18n`). The
message ids are the English sentences, so English output reads exactly as the ids do.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from voicecheck.core import CheckResult, Example, Note, Reason, Suggestion, ToneResult
from voicecheck.i18n import N_, gettext, ngettext, number, percent
from voicecheck.typography import MARKS

#: What a higher and a lower value of each tone dimension reads as.
TONE_POLES = {
    "formality": (N_("more formal"), N_("more casual")),
    "humor": (N_("more joking"), N_("more serious")),
    "irreverence": (N_("more irreverent"), N_("more respectful")),
    "enthusiasm": (N_("more enthusiastic"), N_("more matter-of-fact")),
}
LANGUAGE_IN = {"en": N_("in English"), "fr": N_("in French")}
#: The tone dimensions by name, as a reader calls them.
DIMENSION_NAMES = {
    "formality": N_("formality"),
    "humor": N_("humor"),
    "irreverence": N_("irreverence"),
    "enthusiasm": N_("enthusiasm"),
}


#: The verdicts as a reader calls them (the JSON keeps the codes).
VERDICT_NAMES = {"on-voice": N_("on-voice"), "drift": N_("drift"), "insufficient": N_("insufficient")}


def verdict_name(verdict: str, lang: str | None = None) -> str:
    """A verdict as a reader calls it; a code this version does not know, as it is."""
    name = VERDICT_NAMES.get(verdict)
    return gettext(name, lang) if name else verdict


#: The channel of posts that name none, as reports key it.
NO_CHANNEL = "(none)"


def channel_label(name: str, lang: str | None = None) -> str:
    """A channel as a reader sees it: the posts that name none are "(no channel)", in their words."""
    return gettext(N_("(no channel)"), lang) if name == NO_CHANNEL else name


def figure(value: float, lang: str) -> str:
    """A figure as a reader wants it: whole when it is near whole or large, else one decimal."""
    whole = abs(value - round(value)) < 0.05 or abs(value) >= 10
    return number(value, lang, 0 if whole else 1)


def figure_span(low: float, high: float, lang: str) -> str:
    low_text, high_text = figure(low, lang), figure(high, lang)
    return low_text if low_text == high_text else f"{low_text}–{high_text}"


def where(compared_with: Mapping[str, str | None] | None, lang: str) -> str:
    """The brand posts a post was compared with: "on facebook in French", "across its channels"."""
    if not compared_with:
        return gettext("across its channels", lang)
    parts = []
    if channel := compared_with.get("channel"):
        parts.append(gettext("on {channel}", lang).format(channel=channel))
    if written := compared_with.get("lang"):
        parts.append(gettext(LANGUAGE_IN[written], lang))
    return " ".join(parts)


def quoted(words: Sequence[str], lang: str) -> str:
    """Words as quoted in a sentence: 'a', 'b' / « a », « b »."""
    return ", ".join(gettext("'{word}'", lang).format(word=word) for word in words)


def _tone(reason: Reason, lang: str) -> str:
    f = reason.figures
    dimension, value = f["dimension"], f["value"]
    low, high = f["brand_range"]
    pole = gettext(TONE_POLES[dimension][0 if value > high else 1], lang)
    if value - high >= 25 or low - value >= 25:
        pole = gettext("far {pole}", lang).format(pole=pole)
    message = gettext("{pole} than the brand {where}: {dimension} {value}, usually {low}–{high}", lang).format(
        pole=pole,
        where=where(reason.compared_with, lang),
        dimension=gettext(DIMENSION_NAMES[dimension], lang),
        value=number(value, lang),
        low=number(low, lang),
        high=number(high, lang),
    )
    if reason.words:
        template = (
            N_("{message} (words of writing more than of social media: {words})")
            if value > high
            else N_("{message} (words of social media: {words})")
        )
        message = gettext(template, lang).format(message=message, words=", ".join(reason.words))
    return message


def _style(reason: Reason, lang: str) -> str:
    from voicecheck.features.style import INDEX, STYLE_FEATURES

    f = reason.figures
    feature = STYLE_FEATURES[INDEX[f["feature"]]]
    value, (low, high) = f["value"], f["brand_range"]
    label = gettext(feature.label, lang)  # extracted from the Feature table (babel.cfg)
    at = where(reason.compared_with, lang)
    if feature.unit == "share":
        marks = MARKS[feature.name]
        return gettext("{label}: {post_way} here; the brand writes {brand_way} {where}", lang).format(
            label=label, post_way=marks.way(value), brand_way=marks.way((low + high) / 2), where=at
        )
    if feature.unit == "flag":
        share = percent(high, lang) if low == high else f"{percent(low, lang)}–{percent(high, lang)}"
        template = (
            N_("one of the {label}, which are {share} of the brand's posts {where}")
            if value > high
            else N_("not one of the {label}, which are {share} of the brand's posts {where}")
        )
        return gettext(template, lang).format(label=label, share=share, where=at)
    if feature.unit == "per100":
        # "More" cites only the post's own words; "fewer" may give examples of what the brand writes.
        listed = feature.examples_in(reason.post_lang or lang) if value < low else ""
        examples = ", ".join(reason.words) or listed
        described = f"{label} ({examples})" if examples else label
        template = (
            N_("more {described}: {value} per 100 words, the brand uses {span} {where}")
            if value > high
            else N_("fewer {described}: {value} per 100 words, the brand uses {span} {where}")
        )
        return gettext(template, lang).format(
            described=described, value=figure(value, lang), span=figure_span(low, high, lang), where=at
        )
    return gettext("{value} {label}; the brand uses {span} {where}", lang).format(
        value=figure(value, lang), label=label, span=figure_span(low, high, lang), where=at
    )


def _too_short(reason: Reason, lang: str) -> str:
    words = int(reason.figures["word_count"])
    return ngettext("{count} word: too short to judge", "{count} words: too short to judge", words, lang).format(
        count=words
    )


def _plain(template: str) -> Callable[[Reason, str], str]:
    def render(reason: Reason, lang: str) -> str:
        return gettext(template, lang).format(**reason.figures)

    return render


#: What a reader cannot see in a misspelt brand name, said aloud: look-alike, styled or hidden letters.
_UNSEEN = {
    "lookalike": N_("look-alike letters from another alphabet"),
    "styled": N_("styled (fullwidth or mathematical) letters"),
    "hidden": N_("invisible characters"),
}


def _brand_term(reason: Reason, lang: str) -> str:
    unseen = [gettext(_UNSEEN[d], lang) for d in reason.figures.get("differences", ()) if d in _UNSEEN]
    if unseen:
        template = N_("writes '{found}' with {unseen}; the brand writes '{term}'")
        return gettext(template, lang).format(unseen=", ".join(unseen), **reason.figures)
    return gettext(N_("writes '{found}'; the brand writes '{term}'"), lang).format(**reason.figures)


def language_name(code: str, lang: str) -> str:
    """A language as the reader names it ("Spanish", « espagnol »), from the CLDR data Babel ships."""
    from babel import Locale

    return str(Locale.parse(lang).languages.get(code, code))


def brand_languages(codes: Sequence[str], lang: str, either: bool = False) -> str:
    """The languages the brand writes in: "in English and in French" ("or", if `either`)."""
    from babel.lists import format_list

    spelt = [gettext(LANGUAGE_IN[code], lang) for code in codes]
    return format_list(spelt, style="or" if either else "standard", locale=lang)


def _other_language(reason: Reason, lang: str) -> str:
    f = reason.figures
    written_in = gettext("in {language}", lang).format(language=language_name(f["language"], lang))
    template = gettext("written {written_in}; the brand writes {languages}", lang)
    return template.format(written_in=written_in, languages=brand_languages(f["brand_languages"], lang))


def _unfamiliar(reason: Reason, lang: str) -> str:
    return gettext("words the brand does not use: {words}", lang).format(words=quoted(reason.words, lang))


#: How each kind of reason reads. Every reason's code and kind are listed in docs/reasons.md.
_REASONS: dict[str, Callable[[Reason, str], str]] = {
    "tone": _tone,
    "style": _style,
    "too_short": _too_short,
    "unfamiliar_words": _unfamiliar,
    "other_language": _other_language,
    "overall": _plain(N_("its wording and rhythm are unlike the brand's posts, though no single habit stands out")),
    "avoided_term": _plain(N_("uses '{term}', which the brand avoids")),
    "preferred_term": _plain(N_("says '{term}' where the brand says '{preferred}'")),
    "brand_term": _brand_term,
    "peer": _plain(N_("sounds more like {peer} than like the brand")),
}


def reason_message(reason: Reason, lang: str) -> str:
    return _REASONS[reason.kind](reason, lang)


_NOTES = {
    "new_channel": N_("channel '{channel}' is new to this model: judged against the brand's core voice"),
    "new_channel_typo": N_(
        "channel '{channel}' is new to this model (did you mean {nearest}?): judged against the brand's core voice"
    ),
    "no_brand_posts_in_language": N_("the brand has no {lang} posts in its model: its vocabulary cannot be compared"),
    "other_pipeline": N_(
        "read with the spaCy pipeline {now}, not {fitted} the model was fitted with: scores may differ; "
        "install the same pipeline or fit the model again"
    ),
    "long_post": N_("long post ({characters} characters): judged on its first {judged}"),
}


def note_message(note: Note, lang: str) -> str:
    figures = {
        name: number(value, lang, grouping=True) if isinstance(value, int) else value
        for name, value in note.figures.items()
    }
    return gettext(_NOTES[note.code], lang).format(**figures)


#: How each edit reads; figures named in braces, "{where}" the brand posts it follows.
_SUGGESTIONS = {
    "use_preferred": N_("write '{preferred}' instead of '{term}'"),
    "drop_avoided": N_("drop '{term}'"),
    "write_brand_name": N_("write the brand's name as it does: '{term}'"),
    "plainer_words": N_("use everyday words, as the brand does {where}"),
    "plainer_words_named": N_("use everyday words instead of {words}, as the brand does {where}"),
    "drop_casual_words": N_("write less casually, as the brand does {where}"),
    "drop_casual_words_named": N_("drop {words} and write as the brand does {where}"),
    "less_humor": N_("drop the jokes and laughing emoji: the brand is more serious {where}"),
    "more_humor": N_("allow a lighter touch: the brand jokes more {where}"),
    "less_irreverence": N_("drop the teasing and the slang: the brand stays respectful {where}"),
    "more_irreverence": N_("loosen up a little: the brand is bolder {where}"),
    "less_enthusiasm": N_("tone down the excitement (fewer exclamation marks, superlatives and emoji) {where}"),
    "more_enthusiasm": N_("show a little more warmth, as the brand does {where}"),
    "fewer_marks": N_("drop {drop} {label} (keep {keep} at most, as the brand does {where})"),
    "more_marks": N_("add {add} {label}, as the brand does {where}"),
    "use_vous": N_("use 'vous', as the brand does {where}"),
    "capitalise": N_("start the post with a capital letter, as the brand does {where}"),
    "end_punctuation": N_(
        "end the post with a full stop, an exclamation or a question mark, as the brand does {where}"
    ),
    "say_we": N_("say 'we', as the brand does {where}"),
    "shorter_sentences": N_("split long sentences: the brand writes {low}–{high} words per sentence {where}"),
    "longer_sentences": N_("join short sentences: the brand writes {low}–{high} words per sentence {where}"),
    "shorter_post": N_("cut the post to about {high} words, as the brand writes {where}"),
    "longer_post": N_("say a little more: the brand's posts run {low}–{high} words {where}"),
    "drop_words": N_("drop or replace {words}"),
    "brand_typography": N_("{label}: write {way}, as the brand does {where}"),
    "sign_post": N_("sign the post with a name or initials at the end, as the brand does {where}"),
    "drop_signature": N_("drop the signature at the end: the brand does not sign its posts {where}"),
    "closer_range_more": N_("use more {label}: the brand uses {span} {where}"),
    "closer_range_fewer": N_("use fewer {label}: the brand uses {span} {where}"),
    "replace_unfamiliar": N_("replace {words} with words the brand uses"),
    "follow_examples": N_("rewrite it closer to the brand's posts shown with it"),
    "write_brand_language": N_("write it {languages}, as the brand does, or check that it is meant for this brand"),
    "unlike_peer": N_("rewrite it in the brand's own words, unlike {peer}'s posts shown with this reason"),
}


def suggestion_message(suggestion: Suggestion, lang: str) -> str:
    from voicecheck.features.style import INDEX, STYLE_FEATURES

    f = dict(suggestion.figures)
    code = suggestion.code
    values: dict[str, Any] = {"where": where(f.pop("compared_with", None), lang)}
    if words := f.pop("words", None):
        values["words"] = quoted(words, lang)
        if code in ("plainer_words", "drop_casual_words"):
            code += "_named"
    if feature := f.pop("feature", None):
        values["label"] = gettext(STYLE_FEATURES[INDEX[feature]].label, lang)
    if code == "closer_range":
        code += "_more" if f.pop("more") else "_fewer"
        values["span"] = figure_span(f.pop("low"), f.pop("high"), lang)
    if languages := f.pop("brand_languages", None):
        values["languages"] = brand_languages(languages, lang, either=True)
    for name, value in f.items():
        values[name] = figure(value, lang) if isinstance(value, float) else value
    return gettext(_SUGGESTIONS[code], lang).format(**values)


#: Decimal places of a measured value in JSON, by kind of reason.
_DECIMALS = {"tone": 1, "style": 2}


def _rounded(value: Any, decimals: int) -> Any:
    if isinstance(value, float):
        return round(value, decimals)
    if isinstance(value, list | tuple):
        return [_rounded(item, decimals) for item in value]
    return value


def reason_dict(reason: Reason, lang: str) -> dict[str, Any]:
    """A reason as JSON: kind, its figures, the message, then code, words, spans and suggestion."""
    figures = reason.figures
    if (decimals := _DECIMALS.get(reason.kind)) is not None:
        figures = {name: _rounded(value, decimals) for name, value in figures.items()}
    out: dict[str, Any] = {"kind": reason.kind, **figures, "message": reason_message(reason, lang)}
    if reason.words and "words" not in out:
        out["words"] = list(reason.words)
    out["code"] = reason.code
    if reason.spans:
        out["spans"] = [list(span) for span in reason.spans]
    if reason.suggestion is not None:
        out["suggestion"] = suggestion_dict(reason.suggestion, lang)
    return out


def suggestion_dict(suggestion: Suggestion, lang: str) -> dict[str, Any]:
    out: dict[str, Any] = {"code": suggestion.code, "message": suggestion_message(suggestion, lang)}
    if suggestion.rewrite is not None:
        out["rewrite"] = suggestion.rewrite
    return out


def example_dict(example: Example) -> dict[str, Any]:
    return {"id": example.id, "channel": example.channel, "text": example.text, "similarity": example.similarity}


def result_dict(result: CheckResult, lang: str) -> dict[str, Any]:
    """The fields of `check --format jsonl` for one post, its words in `lang`."""
    return {
        "id": result.post.id,
        "channel": result.post.channel,
        "post_kind": result.post.kind,
        "lang": result.lang,
        "score": round(result.score, 1),
        "flagged": result.flagged,
        "verdict": result.verdict,
        "reasons": [reason_dict(reason, lang) for reason in result.reasons],
        "examples": [example_dict(example) for example in result.examples],
        "tone": result.tone,
        "notes": [note_message(note, lang) for note in result.notes],
        "text": result.post.text,
        "where": result.post.where,
    }


def tone_dict(result: ToneResult) -> dict[str, Any]:
    return {"id": result.post.id, "channel": result.post.channel, "lang": result.lang, "tone": result.tone}
