"""Posts written in neither English nor French, and the language they are in.

Every post is read as English or French. A post in Spanish is then measured against the
brand's French (or English) tone and style, and a flag would give reasons that mislead: "far
more irreverent", "more nouns". A flagged post in another language says so instead, and names
it. Two steps keep that cheap: most flagged posts have words English or French know, in the
Latin alphabet, and stop at the first (each word's kind is worked out once, then remembered);
the rest go to py3langid's character model over English, French and `langid_model.OTHERS`,
loaded once a process, when first needed (0.2 s).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING

import numpy as np

from voicecheck.features.hashing import feature_indices

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier

#: A word is known to a language when ordinary text of it uses it at least this often.
KNOWN_FREQUENCY = 1e-6
#: Share of a post's words known to neither language from which its language is asked of the
#: character model; a post with as many words in other alphabets as in the Latin one is asked too.
UNKNOWN_SHARE = 0.5
#: Words of the Latin alphabet (of three letters or more) a post needs before its words can say
#: it is in neither language; fewer say too little ("Merci Biscuit 🐶").
MIN_WORDS = 3
#: Letters a post needs before its language is asked at all.
MIN_LETTERS = 10
#: How sure the character model must be (its probability, over the languages it knows here)
#: that a post is in a language other than English or French. Below it (Malay against
#: Indonesian, a name, a French post in styled letters), the post keeps its usual reasons.
SURE = 0.9
#: Distinct words remembered before the memory starts again (as `features.tokens` does).
MAX_REMEMBERED = 200_000

_LATIN_LETTER = re.compile(r"[A-Za-zÀ-ÖØ-öø-ɏḀ-ỿ]")
_LETTER = re.compile(r"[^\W\d_]")
_LINKS_AND_HANDLES = re.compile(r"https?://\S+|www\.\S+|[@#]\w+")

#: The kinds of word: too short or not a word, a Latin word English or French knows, one
#: neither knows, a word of another alphabet.
_IGNORED, _KNOWN, _UNKNOWN, _OTHER_ALPHABET = range(4)

_identifier: LanguageIdentifier | None = None
_loading = threading.Lock()


class OtherLanguages:
    """Names the language of posts in neither English nor French, against ordinary English and French."""

    def __init__(self, english: np.ndarray, french: np.ndarray) -> None:
        #: How often ordinary English or French uses each hashed word, whichever is higher.
        self._known = np.maximum(english, french)
        self._kinds: dict[str, int] = {}

    def of(self, text: str, words: Sequence[str]) -> str | None:
        """The language `text` is written in, when it is surely neither English nor French, else None.

        `words` are the post's tokens, as the feature table keeps them.
        """
        if not self._worth_asking(words):
            return None
        if len(_LETTER.findall(_LINKS_AND_HANDLES.sub(" ", text))) < MIN_LETTERS:
            return None
        lang, probability = _character_model().classify(unicodedata.normalize("NFKC", text)[:1000])
        return lang if lang not in ("en", "fr") and probability >= SURE else None

    def _worth_asking(self, words: Sequence[str]) -> bool:
        kinds = self._kinds
        new = list(dict.fromkeys(word for word in words if word not in kinds))
        found = dict(zip(new, self._kinds_of(new), strict=True)) if new else {}
        if found:
            if len(kinds) + len(found) > MAX_REMEMBERED:
                kinds.clear()
            kinds.update(found)
        counted = [0, 0, 0, 0]
        for word in words:
            # Another thread (the service judges in several) may have cleared the memory since.
            kind = found.get(word, kinds.get(word))
            counted[self._kinds_of([word])[0] if kind is None else kind] += 1
        latin = counted[_KNOWN] + counted[_UNKNOWN]
        if counted[_OTHER_ALPHABET] and counted[_OTHER_ALPHABET] >= latin:
            return True
        return latin >= MIN_WORDS and counted[_UNKNOWN] >= UNKNOWN_SHARE * latin

    def _kinds_of(self, words: list[str]) -> list[int]:
        kinds = [_IGNORED] * len(words)
        latin: list[tuple[int, str]] = []
        for i, word in enumerate(words):
            if word.isascii():
                plain = word.lower()
            else:  # styled letters (𝗟𝗮, ｆｕｌｌｗｉｄｔｈ) are Latin ones written otherwise
                plain = unicodedata.normalize("NFKC", word).lower()
                letters = _LETTER.findall(plain)
                if len(_LATIN_LETTER.findall(plain)) * 2 < len(letters):
                    kinds[i] = _OTHER_ALPHABET
                    continue
            if len(plain) >= 3 and plain.isalpha():
                latin.append((i, plain))
        if latin:
            frequencies = self._known[feature_indices([plain for _, plain in latin])]
            for (i, _), frequency in zip(latin, frequencies.tolist(), strict=True):
                kinds[i] = _KNOWN if frequency >= KNOWN_FREQUENCY else _UNKNOWN
        return kinds


@cache
def shipped() -> OtherLanguages:
    """The process's reader, on the shipped backgrounds, built when a flagged post first asks.

    Not a model's own backgrounds: a model keeps a flat row for a language its brand never
    wrote in, which would make every word of that language look known. So one reader, and its
    memory of words, serves every model a process loads.
    """
    from voicecheck.features.background import load_word_background

    return OtherLanguages(load_word_background("en"), load_word_background("fr"))


def _character_model() -> LanguageIdentifier:
    global _identifier
    with _loading:
        if _identifier is None:
            from voicecheck.langid_model import load_identifier_of_all

            _identifier = load_identifier_of_all()
    return _identifier
