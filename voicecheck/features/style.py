"""Style features: how a post is written, as numbers a marketer can read back.

Each feature is computed from the spaCy Doc in one pass over its tokens. Features that need
a tagger (parts of speech, imperative mood) are NaN when the pipeline has none, and are then
left out of comparisons rather than read as zero.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np
import regex

from voicecheck.features import lexicon

Unit = Literal["count", "per100", "mean", "flag"]

if TYPE_CHECKING:
    from spacy.tokens import Doc


@dataclass(frozen=True)
class Feature:
    name: str
    label: str  # what a reader calls it: "emoji", "'we'"
    unit: Unit
    examples: str = ""  # the words it counts, for explanations
    label_fr: str = ""  # the label in French, for reports written in the brand's language

    @property
    def described(self) -> str:
        return f"{self.label} ({self.examples})" if self.examples else self.label


STYLE_FEATURES: tuple[Feature, ...] = (
    Feature("words", "words", "count", "", "mots"),
    Feature("sentence_length", "words per sentence", "mean", "", "mots par phrase"),
    Feature("word_length", "letters per word", "mean", "", "lettres par mot"),
    Feature("we", "'we'", "per100", "we, us, our / nous, notre, on", "« nous »"),
    Feature("you", "'you'", "per100", "you, your / vous, tu", "« vous »"),
    Feature("i", "'I'", "per100", "I, me, my / je, moi, mon", "« je »"),
    Feature("you_familiar", "familiar 'tu'", "per100", "tu, te, ton", "« tu »"),
    Feature("function_words", "function words", "per100", "", "mots grammaticaux"),
    Feature("formal_words", "formal words", "per100", "therefore, kindly / toutefois, veuillez", "mots soutenus"),
    Feature("casual_words", "casual words and slang", "per100", "lol, gonna / genre, ouf", "mots familiers et d'argot"),
    Feature("contractions", "contractions", "per100", "we're, can't / j'suis", "contractions"),
    Feature("exclamations", "exclamation marks", "count", "", "points d'exclamation"),
    Feature("questions", "question marks", "count", "", "points d'interrogation"),
    Feature("emoji", "emoji", "count", "", "emoji"),
    Feature("hashtags", "hashtags", "count", "", "mots-clics"),
    Feature("mentions", "@mentions", "count", "", "mentions @"),
    Feature("urls", "links", "count", "", "liens"),
    Feature("caps_words", "ALL-CAPS words", "count", "", "mots en MAJUSCULES"),
    Feature("ellipses", "ellipses", "count", "...", "points de suspension"),
    Feature("commas", "commas", "per100", "", "virgules"),
    Feature("starts_lowercase", "posts starting in lower case", "flag", "", "débuts en minuscule"),
    Feature("no_end_punct", "posts ending without punctuation", "flag", "", "publications sans ponctuation finale"),
    Feature("nouns", "nouns", "per100", "", "noms"),
    Feature("verbs", "verbs", "per100", "", "verbes"),
    Feature("adjectives", "adjectives", "per100", "", "adjectifs"),
    Feature("imperatives", "imperatives", "per100", "Book now / Réservez", "impératifs"),
)
INDEX = {feature.name: i for i, feature in enumerate(STYLE_FEATURES)}
TAGGER_FEATURES = frozenset({"nouns", "verbs", "adjectives", "imperatives"})

_EMOJI = regex.compile(r"\p{Extended_Pictographic}")
_HASHTAG = regex.compile(r"(?<!\w)#\w+")
_MENTION = regex.compile(r"(?<!\w)@\w+")
_URL = regex.compile(r"https?://\S+|www\.\S+")
_SENTENCE_END = regex.compile(r"[.!?…]+(?=\s|$)")


def style_features(doc: Doc, lang: str) -> np.ndarray:
    """The STYLE_FEATURES of one post, in order."""
    text = doc.text
    values = np.zeros(len(STYLE_FEATURES), dtype=np.float64)
    words = [token for token in doc if token.is_alpha or "'" in token.text or "’" in token.text]
    lowered = [token.lower_.replace("’", "'") for token in words]
    n_words = len(words)
    per100 = 100.0 / n_words if n_words else 0.0
    sentences = max(1, len(_SENTENCE_END.findall(text)))

    def share(vocabulary: frozenset[str]) -> float:
        return sum(word in vocabulary for word in lowered) * per100

    values[INDEX["words"]] = n_words
    values[INDEX["sentence_length"]] = n_words / sentences
    values[INDEX["word_length"]] = (sum(len(w) for w in lowered) / n_words) if n_words else 0.0
    values[INDEX["we"]] = share(lexicon.WE[lang])
    values[INDEX["you"]] = share(lexicon.YOU[lang])
    values[INDEX["i"]] = share(lexicon.I[lang])
    values[INDEX["you_familiar"]] = share(lexicon.YOU_FAMILIAR[lang])
    values[INDEX["function_words"]] = share(lexicon.FUNCTION_WORDS[lang])
    values[INDEX["formal_words"]] = share(lexicon.FORMAL[lang])
    values[INDEX["casual_words"]] = share(lexicon.CASUAL[lang])
    values[INDEX["contractions"]] = (
        sum(w.endswith(lexicon.CONTRACTION_SUFFIXES) or w in lexicon.FRENCH_SPOKEN for w in lowered) * per100
    )
    values[INDEX["exclamations"]] = text.count("!")
    values[INDEX["questions"]] = text.count("?")
    values[INDEX["emoji"]] = len(_EMOJI.findall(text))
    values[INDEX["hashtags"]] = len(_HASHTAG.findall(text))
    values[INDEX["mentions"]] = len(_MENTION.findall(text))
    values[INDEX["urls"]] = len(_URL.findall(text))
    values[INDEX["caps_words"]] = sum(len(token.text) >= 3 and token.is_upper and token.is_alpha for token in words)
    values[INDEX["ellipses"]] = text.count("...") + text.count("…")
    values[INDEX["commas"]] = text.count(",") * per100
    first_letter = next((ch for ch in text if ch.isalpha()), "")
    values[INDEX["starts_lowercase"]] = float(first_letter.islower())
    stripped = _URL.sub("", text).rstrip()
    values[INDEX["no_end_punct"]] = float(bool(stripped) and stripped[-1] not in '.!?…)"»')
    if doc.has_annotation("POS"):
        pos = [token.pos_ for token in words]
        values[INDEX["nouns"]] = sum(p in ("NOUN", "PROPN") for p in pos) * per100
        values[INDEX["verbs"]] = sum(p in ("VERB", "AUX") for p in pos) * per100
        values[INDEX["adjectives"]] = pos.count("ADJ") * per100
        values[INDEX["imperatives"]] = sum("Imp" in token.morph.get("Mood", []) for token in words) * per100
    else:
        for name in TAGGER_FEATURES:
            values[INDEX[name]] = math.nan
    return values


def comparable(values: np.ndarray) -> np.ndarray:
    """Counts on a log scale, so that 0 vs 1 emoji weighs more than 10 vs 11."""
    out = values.copy()
    for feature in STYLE_FEATURES:
        if feature.unit == "count":
            i = INDEX[feature.name]
            out[..., i] = np.log1p(out[..., i])
    return out
