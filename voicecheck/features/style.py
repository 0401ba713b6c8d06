"""Style features: how a post is written, as numbers a marketer can read back.

Word features are counted once per distinct token (see `tokens.py`); punctuation, emoji and
the other marks are read off the text, each pattern once over a whole batch (`texts.py`).
Features that need a tagger (parts of speech, imperative mood) are NaN when the pipeline has
none, and are then left out of comparisons rather than read as zero. Typography (how a post
writes its apostrophes, quotation marks, ellipses and the space before "!") is a share of its
marks of that kind, NaN for a post that has none: style guides set it, and an account's habit
in it is as steady as its words.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
import regex

from voicecheck.features.texts import TextBatch
from voicecheck.features.tokens import TokenCounts

#: "share": of a post's marks of one kind, the share written one way (of its apostrophes, how
#: many are ’), NaN for a post without any: such a post says nothing of how the brand writes them.
Unit = Literal["count", "per100", "mean", "flag", "share"]


@dataclass(frozen=True)
class Feature:
    name: str
    label: str  # what a reader calls it: "emoji", "'we'"
    unit: Unit
    examples: str = ""  # the words it counts, for explanations: "English / French" where they differ

    def examples_in(self, lang: str) -> str:
        """The words it counts, as `lang` writes them (an explanation lists them when a post has too few)."""
        if " / " not in self.examples:
            return self.examples
        english, french = self.examples.split(" / ")
        return french if lang == "fr" else english


STYLE_FEATURES: tuple[Feature, ...] = (
    Feature("words", "words", "count", ""),
    Feature("sentence_length", "words per sentence", "mean", ""),
    Feature("word_length", "letters per word", "mean", ""),
    Feature("we", "'we'", "per100", "we, us, our / nous, notre, on"),
    Feature("you", "'you'", "per100", "you, your / vous, tu"),
    Feature("i", "'I'", "per100", "I, me, my / je, moi, mon"),
    Feature("you_familiar", "familiar 'tu'", "per100", "tu, te, ton"),
    Feature("function_words", "function words", "per100", ""),
    Feature("formal_words", "formal words", "per100", "therefore, kindly / toutefois, veuillez"),
    Feature("casual_words", "casual words and slang", "per100", "lol, gonna / genre, ouf"),
    Feature("contractions", "contractions", "per100", "we're, can't / j'suis"),
    Feature("exclamations", "exclamation marks", "count", ""),
    Feature("questions", "question marks", "count", ""),
    Feature("emoji", "emoji", "count", ""),
    Feature("hashtags", "hashtags", "count", ""),
    Feature("mentions", "@mentions", "count", ""),
    Feature("urls", "links", "count", ""),
    Feature("caps_words", "ALL-CAPS words", "count", ""),
    Feature("ellipses", "ellipses", "count", "..."),
    Feature("commas", "commas", "per100", ""),
    Feature("starts_lowercase", "posts starting in lower case", "flag", ""),
    Feature("no_end_punct", "posts ending without punctuation", "flag", ""),
    Feature("nouns", "nouns", "per100", ""),
    Feature("verbs", "verbs", "per100", ""),
    Feature("adjectives", "adjectives", "per100", ""),
    Feature("imperatives", "imperatives", "per100", "Book now / Réservez"),
    Feature("line_breaks", "line breaks and double spaces", "count", ""),
    Feature("signed", "signed posts", "flag", "*AFM, ^JK"),
    # Typography: the share of a post's marks of each kind written the first way of `typography.MARKS`.
    Feature("curly_apostrophes", "apostrophes", "share", "’"),
    Feature("spaced_marks", "spaces before ! ? : ;", "share", "Bravo !"),
    Feature("guillemets", "quotation marks", "share", "« »"),
    Feature("curly_quotes", "double quotes", "share", "“ ”"),
    Feature("ellipsis_sign", "ellipses", "share", "…"),
    Feature("long_dashes", "dashes between words", "share", "—"),
    Feature("spaced_percent", "spaces before %", "share", "10 %"),
    Feature("spaced_guillemets", "spaces inside « »", "share", "« oui »"),
)
INDEX = {feature.name: i for i, feature in enumerate(STYLE_FEATURES)}
#: The features a tagger gives, in the order of `TokenCounts.tags`.
_TAGGER_NAMES = ("nouns", "verbs", "adjectives", "imperatives")
TAGGER_FEATURES = frozenset(_TAGGER_NAMES)
#: Where the "share" features are in a row of style values.
SHARE_COLUMNS = np.array([INDEX[f.name] for f in STYLE_FEATURES if f.unit == "share"], dtype=np.int64)
#: The typography phones and word processors set on their own as one types ("smart
#: punctuation": ’ “ ” … —), unlike the spaces and guillemets a writer puts in.
SMART_PUNCTUATION = ("curly_apostrophes", "curly_quotes", "ellipsis_sign", "long_dashes")
SMART_PUNCTUATION_COLUMNS = np.array([INDEX[name] for name in SMART_PUNCTUATION], dtype=np.int64)
#: Features that are a word class's share of the words, per 100 words.
_PER_WORD = ("we", "you", "i", "you_familiar", "function_words", "formal_words", "casual_words", "contractions")

_EMOJI = regex.compile(r"\p{Extended_Pictographic}")
_HASHTAG = regex.compile(r"(?<!\w)#\w+")
_MENTION = regex.compile(r"(?<!\w)@\w+")
#: A link, as a post writes one.
URL = regex.compile(r"https?://\S+|www\.\S+")
_SENTENCE_END = regex.compile(r"[.!?…]+(?=\s|$)")
#: A line break, or two spaces or more between words, where an export flattened one.
_LINE_BREAK = regex.compile(r"\n|(?<=\S) {2,}(?=\S)")
#: Typography: each pattern matches every mark of a kind, its group `one` the way a "share"
#: feature counts (`TextBatch.share`). None matches a newline, so a batch reads as each post.
_APOSTROPHES = regex.compile(r"(?<=\w)(?:(?P<one>’)|')(?=\w)")
#: A run of ! ? : ; after a word and before a space or the end, with or without a space before it
#: (French typography spaces them: "Bravo !"); "10:30", ":)" and links are not such runs.
_CLOSING_MARKS = regex.compile(r"(?<=[^\s!?:;](?P<one>[^\S\n])?)[!?:;]+(?=\s|$)")
_QUOTATION_MARKS = regex.compile(r"(?P<one>[«»])|[\"“”]")
_DOUBLE_QUOTES = regex.compile(r"(?P<one>[“”])|\"")
_ELLIPSES = regex.compile(r"(?P<one>…)|\.{3,}")
_DASHES = regex.compile(r"(?<=[^\S\n])(?:(?P<one>[—–])|-)(?=[^\S\n])")
_PERCENT = regex.compile(r"(?<=\d)(?:(?P<one>[^\S\n])|)%")
_SPACED_GUILLEMETS = regex.compile(r"«(?:(?P<one>[^\S\n])|)|(?:(?P<one>(?<=[^\S\n]))|)»")
#: A name or initials closing a post, links aside, the way support agents sign their replies:
#: a name after * ^ or ~ ("*Shannon", "^JK"), initials after a dash or a slash ("-AS", "/MB").
_SIGNED_AS = r"(?:[\^*~]\s?\p{Lu}\p{L}{0,20}(?:\s\p{Lu}\p{L}{0,20})?|[-–—/]\s?\p{Lu}{1,3})"
SIGNATURE = regex.compile(rf"(?:^|\s){_SIGNED_AS}(?:\s+(?:https?://|www\.)\S+)*\s*$")
#: The signature itself, without the links after it.
SIGNED_FROM = regex.compile(_SIGNED_AS)
_SHARES = {
    "curly_apostrophes": _APOSTROPHES,
    "spaced_marks": _CLOSING_MARKS,
    "guillemets": _QUOTATION_MARKS,
    "curly_quotes": _DOUBLE_QUOTES,
    "ellipsis_sign": _ELLIPSES,
    "long_dashes": _DASHES,
    "spaced_percent": _PERCENT,
    "spaced_guillemets": _SPACED_GUILLEMETS,
}
#: For each share, strings one of which each of its matches holds (`TextBatch.share`).
_NEEDLES: dict[str, tuple[str, ...]] = {
    "curly_apostrophes": ("'", "’"),
    "spaced_marks": (),  # "!", "?" or ":" is in most posts
    "guillemets": ('"', "“", "”", "«", "»"),
    "curly_quotes": ('"', "“", "”"),
    "ellipsis_sign": ("...", "…"),
    "long_dashes": ("-", "—", "–"),
    "spaced_percent": ("%",),
    "spaced_guillemets": ("«", "»"),
}
#: The marks a signature starts with (`SIGNATURE`), and how links start.
_SIGNATURE_MARKS = ("^", "*", "~", "-", "–", "—", "/")
_LINK_STARTS = ("http://", "https://", "www.")


def style_matrix(batch: TextBatch, counts: TokenCounts) -> np.ndarray:
    """The STYLE_FEATURES of a batch of posts, from their texts (the docs' texts, joined) and token counts."""
    values = np.zeros((len(batch), len(STYLE_FEATURES)))
    n_words = counts.column("word")
    per100 = np.divide(100.0, n_words, out=np.zeros_like(n_words), where=n_words > 0)
    values[:, INDEX["words"]] = n_words
    values[:, INDEX["word_length"]] = counts.column("letters") * per100 / 100.0
    for name in _PER_WORD:
        values[:, INDEX[name]] = counts.column(name) * per100
    values[:, INDEX["caps_words"]] = counts.column("caps_words")
    _text_features(batch, values)
    for name, column in zip(_TAGGER_NAMES, counts.tags.T, strict=True):
        values[:, INDEX[name]] = np.where(counts.tagged, column * per100, math.nan)
    values[:, INDEX["sentence_length"]] = n_words / values[:, INDEX["sentence_length"]]
    values[:, INDEX["commas"]] *= per100
    return values


def _text_features(batch: TextBatch, out: np.ndarray) -> None:
    """The features read off the texts; sentence_length gets the sentence count, commas the raw count."""
    out[:, INDEX["sentence_length"]] = np.maximum(1, batch.count(_SENTENCE_END))
    out[:, INDEX["exclamations"]] = batch.count_each(lambda text: text.count("!"))
    out[:, INDEX["questions"]] = batch.count_each(lambda text: text.count("?"))
    out[:, INDEX["emoji"]] = batch.count_outside_ascii(_EMOJI)
    out[:, INDEX["hashtags"]] = batch.count(_HASHTAG)
    out[:, INDEX["mentions"]] = batch.count(_MENTION)
    urls = batch.count(URL)
    out[:, INDEX["urls"]] = urls
    out[:, INDEX["ellipses"]] = batch.count_each(lambda text: text.count("...") + text.count("…"))
    out[:, INDEX["commas"]] = batch.count_each(lambda text: text.count(","))
    out[:, INDEX["starts_lowercase"]] = batch.count_each(_starts_lowercase)
    ends = [_ends_without_punct(text, has_url) for text, has_url in zip(batch.texts, (urls > 0).tolist(), strict=True)]
    out[:, INDEX["no_end_punct"]] = ends
    out[:, INDEX["line_breaks"]] = batch.count_each(_line_breaks)
    out[:, INDEX["signed"]] = batch.count_each(_signed)
    for name, pattern in _SHARES.items():
        out[:, INDEX[name]] = batch.share(pattern, _NEEDLES[name])


def _line_breaks(text: str) -> float:
    return len(_LINE_BREAK.findall(text)) if "\n" in text or "  " in text else 0.0


def _signed(text: str) -> float:
    """Whether `text` ends with a SIGNATURE, tried only from the last of each of its marks.

    A signature holds no other mark after its own, so that is the only place it can start;
    a pattern searched through the whole post costs ten times as much.
    """
    end = text.rstrip()
    while True:  # the links after a signature, from the last one back
        rest = end.rsplit(None, 1)
        if len(rest) < 2 or not rest[1].startswith(_LINK_STARTS):
            break
        end = rest[0].rstrip()
    for mark in _SIGNATURE_MARKS:
        at = end.rfind(mark)
        if at >= 0 and SIGNATURE.match(text, max(at - 1, 0)):
            return 1.0
    return 0.0


def _starts_lowercase(text: str) -> float:
    first_letter = next((ch for ch in text if ch.isalpha()), "")
    return float(first_letter.islower())


def _ends_without_punct(text: str, has_url: bool) -> float:
    """Whether the text, links left out, ends on something other than closing punctuation."""
    stripped = (URL.sub("", text) if has_url else text).rstrip()
    return float(bool(stripped) and stripped[-1] not in '.!?…)"»')


def comparable(values: np.ndarray) -> np.ndarray:
    """Counts on a log scale, so that 0 vs 1 emoji weighs more than 10 vs 11."""
    out = values.copy()
    for feature in STYLE_FEATURES:
        if feature.unit == "count":
            i = INDEX[feature.name]
            out[..., i] = np.log1p(out[..., i])
    return out
