"""brand.toml's rules on terms, found in a post: avoided terms, preferred terms, the brand's names.

How a term is found, in the order the work is done:

1. **Folding.** Post and term are read the same way, character by character: compatibility
   forms become plain letters (NFKD: fullwidth "Ｃａｆé", ligatures, styled letters), letters
   that only look Latin become the Latin letter (Cyrillic "а", Greek "ο", from Unicode's
   confusables data, see `build_lookalikes`), then capitals, accents, invisible characters
   (zero-width spaces, soft hyphens) and the difference between ’ and ' are dropped, "œ" reads
   "oe". Each folded character remembers which character of the post it came from, so every
   match is reported at its exact offsets in the original text.
2. **Words.** The folded text is cut into words (runs of letters and digits) and symbols (one
   character each: "&", "#", "!"). A term matches whole words only: "bon" never matches
   "bonbon", "pas cher" matches "pas cher" and "pas-cher" but not "pas, cher".
3. **Inflection.** Each word of a term matches its plural and, in French, its feminine:
   "pain au chocolat" catches "pains au chocolat", "pas cher" catches "pas chères", "story"
   catches "stories"; a word given in the plural matches its plurals only (`word_forms`).
   The forms are made by suffix rules (`PLURALS`, `FEMININES`); a form made by a rule of one
   language is kept only when the shipped word frequencies of ordinary English and French
   vouch for it (`WordOdds`), so "car" does not catch "care" and "cheap" catches nothing but
   "cheap". Comparatives and verb forms are other words: "cheaper" is not "cheap".
4. **The brand's names** (its `name` and `brand_terms`) are also found with their words run
   together or split otherwise ("MaisonClaire", "Maison-Claire", "Éco Propre"), and with "&",
   "et" and "and" for one another ("Mie et Miel" for "Mie & Miel"); run together, a name keeps
   its own words ("Maison Claire s'occupe" is not "MaisonClaires"). Any occurrence not written
   exactly as the brand writes it is reported, with what differs (`DIFFERENCES`); an inflected
   name ("Maisons Claires", "Maison Clair") is reported too, as trademark guidelines ask. A
   name made of ordinary words is reported in lower case in prose as well ("une maison claire"):
   a post cannot tell the two apart.
5. **One rule a place.** Where two rules find the same words ("pas cher" and "pas chère" both
   avoided), the one written as the post writes it is reported, else the first; a name found
   inside a longer one ("Claire" in "Maison Claire") gives way to it.

Tags and links: a hashtag or mention is a tag, not prose, so the brand's name in one
("#MaisonClaire", "@maisonclaire", "#MieEtMiel") is not a misspelling whatever its spaces,
capitals, accents or "&": a tag holds no spaces or "&", and platforms match tags regardless
of case. Only look-alike, styled or invisible letters in it are reported, as they make a tag
that looks like the brand's and is not. An avoided or preferred term is found in a hashtag
that is the term itself ("#cheap") but not inside a longer one ("#painauchocolat",
"#cheapdeals"). In links and e-mail addresses avoided and preferred terms are not looked for
(their words are addresses, not the brand's wording) and the brand's name is treated as in a tag.

Rules are compiled once per profile (`TermRules.from_profile`); finding them in a post is a
pass over its words with dictionary look-ups.
"""

from __future__ import annotations

import math
import re
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from itertools import product
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from voicecheck.profile import BrandProfile

#: Kinds of reason, as `voicecheck.explain` names them.
AVOIDED, PREFERRED, BRAND = "avoided_term", "preferred_term", "brand_term"

LOOKALIKES_FILE = "lookalikes.npz"
#: Connectors that stand for one another between two words of a term.
CONNECTORS = frozenset({"&", "et", "and"})
#: Words ending in s that are not the plural of the word without it ("news" is not "new"s).
NOT_PLURALS = frozenset(
    "news pays fois temps corps bras mais vers dans sans sous plus tous cours fils gens lens this thus".split()
)

#: (singular ending, plural ending, language whose word list must vouch for the form). The
#: plain "s" of both languages needs no voucher; it is not added to a word ending in s, x or z.
PLURALS: tuple[tuple[str, str, str | None], ...] = (
    ("", "s", None),
    ("eau", "eaux", "fr"),  # gâteau
    ("au", "aux", "fr"),  # tuyau
    ("eu", "eux", "fr"),  # jeu
    ("ou", "oux", "fr"),  # bijou
    ("al", "aux", "fr"),  # journal
    ("s", "ses", "en"),  # bus
    ("x", "xes", "en"),  # box
    ("z", "zes", "en"),  # quiz
    ("ch", "ches", "en"),  # church
    ("sh", "shes", "en"),  # brush
    ("y", "ies", "en"),  # story
    ("f", "ves", "en"),  # leaf
    ("fe", "ves", "en"),  # knife
)
#: (masculine ending, feminine ending) in French; every form needs the French word list's voucher.
#: Endings whose feminine is seldom regular are left out rather than guessed: "mal" is not
#: "malle", "pas" not "passe", "long" not "longe".
FEMININES: tuple[tuple[str, str], ...] = (
    ("t", "te"),  # petit, gratuit, client
    ("d", "de"),  # grand
    ("r", "re"),  # clair, noir
    ("s", "se"),  # gris, français
    ("l", "le"),  # seul, normal
    ("n", "ne"),  # voisin, brun, certain
    ("é", "ée"),  # passé
    ("i", "ie"),  # ami, joli
    ("u", "ue"),  # vendu
    ("er", "ère"),  # cher
    ("eux", "euse"),  # heureux
    ("eur", "euse"),  # vendeur
    ("eur", "eure"),  # meilleur
    ("teur", "trice"),  # directeur
    ("if", "ive"),  # actif
    ("f", "ve"),  # neuf
    ("el", "elle"),  # cruel
    ("eil", "eille"),  # pareil
    ("en", "enne"),  # ancien
    ("on", "onne"),  # bon
    ("et", "ette"),  # net
    ("et", "ète"),  # complet
    ("c", "che"),  # blanc
    ("ic", "ique"),  # public
    ("g", "gue"),  # long
    ("eau", "elle"),  # nouveau
)
#: How often a word must be in a language's list (share of words) for the list to vouch for it.
ATTESTED = 1e-6
#: Log-odds of English over French past which a form is the other language's word ("care", "note").
FORM_MARGIN = 1.0
#: Log-odds past which the word a rule starts from is plainly the other language's ("cut", "sit").
BASE_MARGIN = 2.0

#: The ways a brand's name can be written differently, in the order they are told.
DIFFERENCES = ("lookalike", "styled", "hidden", "capitals", "accents", "connector", "spacing", "form")

_APOSTROPHES = frozenset("'’‘ʼʹ`")  # the apostrophes people type
_LIGATURES = {"œ": "oe", "æ": "ae"}
_DROPPED = frozenset({"Mn", "Me", "Cf"})  # accents and other marks; invisible format characters
_ASCII_FOLD = str.maketrans({**{ch: " " for ch in "\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f"}, "`": "'"})
#: Words (letters and digits), or one symbol; spaces, apostrophes and hyphens lie between them.
_TOKEN = re.compile(r"[^\W_]+|[^\w\s'\-]|_")
_WORDS = re.compile(r"[^\W_]+")
_ASCII_SPECIAL = re.compile(r"[\t\n\r\x0b\x0c\x1c-\x1f`]")
_LINK = re.compile(
    r"(?:https?://|www\.)\S+"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:com|net|org|ca|fr|be|ch|io|co|info|shop|app|quebec)\b(?:/\S*)?"
)


# ---------------------------------------------------------------------------------------------
# Folding, with a map back to the original text


@cache
def lookalikes() -> dict[str, str]:
    """Non-Latin letters that look like a Latin letter or digit, and that letter (Cyrillic "а" → "a")."""
    import numpy as np

    source = resources.files("voicecheck.data").joinpath(LOOKALIKES_FILE)
    with source.open("rb") as handle, np.load(handle, allow_pickle=False) as arrays:
        return dict(zip(arrays["sources"].tolist(), arrays["targets"].tolist(), strict=True))


def _fold_char(char: str, table: dict[str, str]) -> str:
    """One character as matching reads it: plain, Latin, lower-case, without accents."""
    out = []
    for part in unicodedata.normalize("NFKD", char):
        for ch in table.get(part, part).casefold():
            if ch in _APOSTROPHES:
                out.append("'")
            elif ch.isspace():
                out.append(" ")
            elif unicodedata.category(ch) == "Pd":
                out.append("-")
            elif unicodedata.category(ch) not in _DROPPED:
                out.append(_LIGATURES.get(ch, ch))
    return "".join(out)


class _FoldCache(dict[int, str]):
    """Each character's folded form by code point, worked out on first sight (str.translate reads it)."""

    def __init__(self) -> None:
        super().__init__()
        #: Characters whose folded form is not one character: offsets shift after them.
        self.irregular: set[str] = set()

    def __missing__(self, code: int) -> str:
        folded = _fold_char(chr(code), lookalikes())
        if len(folded) != 1:
            self.irregular.add(chr(code))
        self[code] = folded
        return folded


_FOLDED = _FoldCache()


@dataclass(frozen=True, slots=True)
class Folded:
    """A text as matching reads it, and where each of its characters came from in the original.

    `origin[k]` is the offset in the original of the character that folded character k came
    from; `origin_end[k]` the end of that character with any marks (accents) that follow it.
    Both are None when folding kept every character in place (an ASCII post).
    """

    text: str
    origin: Sequence[int] | None = None
    origin_end: Sequence[int] | None = None

    def span(self, start: int, end: int) -> tuple[int, int] | None:
        """Original offsets of folded [start, end), or None if they would cut an original character."""
        if self.origin is None or self.origin_end is None:
            return start, end
        first, last = self.origin[start], self.origin_end[end - 1]
        if start > 0 and self.origin[start - 1] == first:
            return None  # starts inside what one character folded to ("⒜" → "(a)")
        if end < len(self.origin) and self.origin[end] == self.origin[end - 1]:
            return None
        return first, last


def fold(text: str) -> Folded:
    """Fold a text for matching (see the module's docstring), keeping the way back to its offsets."""
    if text.isascii():
        lowered = text.lower()
        return Folded(lowered.translate(_ASCII_FOLD) if _ASCII_SPECIAL.search(lowered) else lowered)
    folded = text.translate(_FOLDED)
    if _FOLDED.irregular.isdisjoint(text):
        return Folded(folded)
    origin: list[int] = []
    origin_end: list[int] = []
    for i, char in enumerate(text):
        part = _FOLDED[ord(char)]
        if part:
            origin.extend([i] * len(part))
            origin_end.extend([i + 1] * len(part))
        elif origin and origin_end[-1] == i and unicodedata.category(char) in ("Mn", "Me"):
            last = origin[-1]  # an accent belongs to the letter before it
            for k in range(len(origin) - 1, -1, -1):
                if origin[k] != last:
                    break
                origin_end[k] = i + 1
    return Folded(folded, origin, origin_end)


# ---------------------------------------------------------------------------------------------
# Words


@dataclass(frozen=True, slots=True)
class Tokens:
    """The words and symbols of a folded text, and their offsets in it."""

    text: str
    keys: list[str]
    starts: list[int]
    ends: list[int]

    @classmethod
    def of(cls, text: str) -> Tokens:
        spans = [match.span() for match in _TOKEN.finditer(text)]
        return cls(text, [text[start:end] for start, end in spans], [s for s, _ in spans], [e for _, e in spans])

    def gap(self, i: int) -> str:
        """What lies between token i and the one before it: spaces, hyphens, apostrophes, or nothing."""
        return self.text[self.ends[i - 1] : self.starts[i]] if i else self.text[: self.starts[0]]


# ---------------------------------------------------------------------------------------------
# Inflection


class WordOdds:
    """How common a word is in ordinary English and in French, from the shipped background model."""

    def __init__(self) -> None:
        from voicecheck.features.background import load_background

        self._english = load_background("en")[1]
        self._french = load_background("fr")[1]

    def frequencies(self, word: str) -> tuple[float, float]:
        from voicecheck.features.hashing import feature_index

        column = feature_index(word)
        return float(self._english[column]), float(self._french[column])

    def vouches(self, lang: str, base: str, form: str) -> bool:
        """Whether `form`, made from `base` by a rule of `lang`, is a word of that language."""
        english, french = self.frequencies(form)
        base_english, base_french = self.frequencies(base)
        form_odds, base_odds = math.log(english / french), math.log(base_english / base_french)
        if lang == "fr":
            attested = min(french, base_french) >= ATTESTED
            return attested and form_odds < FORM_MARGIN and base_odds < BASE_MARGIN
        attested = min(english, base_english) >= ATTESTED
        return attested and form_odds > -FORM_MARGIN and base_odds > -BASE_MARGIN


@cache
def _word_odds() -> WordOdds:
    return WordOdds()


def _plain_plural(word: str) -> bool:
    return len(word) >= 3 and word[-1] not in "sxz" and word + "s" not in NOT_PLURALS


def _swap(word: str, ending: str, other: str) -> str | None:
    """`word` with `ending` replaced by `other`, if it has that ending and a letter before it."""
    if not word.endswith(ending):
        return None
    stem = word[: len(word) - len(ending)] if ending else word
    return stem + other if stem else None


def _plurals(word: str, odds: WordOdds) -> set[str]:
    out = set()
    for singular, plural, lang in PLURALS:
        form = _swap(word, singular, plural)
        if form is None:
            continue
        if lang is None:
            if _plain_plural(word):
                out.add(form)
        elif odds.vouches(lang, word, form):
            out.add(form)
    return out


def _singulars(word: str, odds: WordOdds) -> set[str]:
    out = set()
    for singular, plural, lang in PLURALS:
        base = _swap(word, plural, singular)
        if base is None:
            continue
        if lang is None:
            if _plain_plural(base) and word not in NOT_PLURALS and len(word) >= 4:
                out.add(base)
        elif odds.vouches(lang, base, word):
            out.add(base)
    return out


def _feminines(word: str, odds: WordOdds) -> set[str]:
    forms = (_swap(word, masculine, feminine) for masculine, feminine in FEMININES)
    return {form for form in forms if form and form != word and odds.vouches("fr", word, form)}


def _masculines(word: str, odds: WordOdds) -> set[str]:
    bases = (_swap(word, feminine, masculine) for masculine, feminine in FEMININES)
    return {base for base in bases if base and base != word and odds.vouches("fr", base, word)}


def word_forms(word: str, odds: WordOdds | None = None) -> frozenset[str]:
    """A word and its plurals and feminines (lower-case, accents kept): "cher" → cher, chers, chère, chères.

    A word in the feminine ("chère") has the forms of its masculine. A word in the plural has
    only the plurals ("chères" → chers, chères; "maids" → maids): a term given in the plural
    is about the plural, and the singular of an English noun is often an adjective
    ("chemicals" is not "chemical perfume").
    """
    word = word.lower()
    if not word.isalpha() or len(word) < 2:
        return frozenset({word})
    odds = odds or _word_odds()
    singulars = _singulars(word, odds)
    plural_only = bool(singulars)
    singulars = singulars or {word}
    bases = singulars | {base for singular in singulars for base in _masculines(singular, odds)}
    forms = {word}
    for base in bases:
        for gendered in {base} | _feminines(base, odds):
            forms |= _plurals(gendered, odds) if plural_only else {gendered} | _plurals(gendered, odds)
    return frozenset(forms)


# ---------------------------------------------------------------------------------------------
# Rules


@dataclass(frozen=True)
class Term:
    """One rule of brand.toml, compiled: the folded forms each of its words may take."""

    kind: str
    term: str
    preferred: str | None
    words: tuple[frozenset[str], ...]
    exact: tuple[str, ...]  # the term's own folded words
    #: The brand's names only: the name with its words run together ("maisonclaire"), and
    #: their beginnings; every spelling, inflected too, to pass over posts without any (none
    #: if there are too many to list).
    squashed: frozenset[str] = frozenset()
    prefixes: frozenset[str] = frozenset()
    spellings: frozenset[str] = frozenset()
    apostrophe: bool = False  # the name has one, so an apostrophe may join its words
    canonical: str = ""  # the name as a reader sees it (see `_canonical`)

    @classmethod
    def compile(cls, kind: str, term: str, preferred: str | None = None, odds: WordOdds | None = None) -> Term | None:
        """The rule for `term`, or None if it has no word or symbol to find."""
        folded = fold(term)
        tokens = Tokens.of(folded.text)
        if not tokens.keys:
            return None
        words = tuple(_forms_of_token(term, folded, tokens, i, odds) for i in range(len(tokens.keys)))
        exact = tuple(tokens.keys)
        if kind != BRAND:
            return cls(kind, term, preferred, words, exact)
        # Run together, a name keeps its own words: "Maison Claire s'occupe" is not "MaisonClaires".
        own = [CONNECTORS if forms is CONNECTORS else frozenset({key}) for forms, key in zip(words, exact, strict=True)]
        squashed = _run_together(own)
        prefixes = frozenset(name[:n] for name in squashed for n in range(1, len(name) + 1))
        spellings = _run_together(words) if math.prod(map(len, words)) <= MAX_SPELLINGS else frozenset()
        apostrophe = "'" in folded.text
        return cls(kind, term, preferred, words, exact, squashed, prefixes, spellings, apostrophe, _canonical(term))


#: Past this many spellings of a name with every word inflected, posts are not passed over by them.
MAX_SPELLINGS = 256


def _forms_of_token(term: str, folded: Folded, tokens: Tokens, i: int, odds: WordOdds | None) -> frozenset[str]:
    """The folded forms token i of a term may take: a connector between words, a word's
    inflections (made from the word as brand.toml writes it, accents and all), or itself."""
    key = tokens.keys[i]
    if key in CONNECTORS and 0 < i < len(tokens.keys) - 1:
        return CONNECTORS
    if not key.isalpha():
        return frozenset({key})
    start, end = folded.span(tokens.starts[i], tokens.ends[i]) or (0, len(term))
    forms = {fold(form).text for form in word_forms(term[start:end], odds)}
    return frozenset({key} | {form for form in forms if form})


def _run_together(words: Sequence[frozenset[str]]) -> frozenset[str]:
    return frozenset("".join(parts) for parts in product(*words))


@dataclass(frozen=True, slots=True)
class Found:
    """One occurrence of a rule's term in a post, at its offsets in the original text."""

    term: Term
    start: int
    end: int
    written: str
    exact: bool  # written as brand.toml writes it (for the brand's names, character for character)
    in_tag: bool  # a hashtag or mention
    in_link: bool  # a link or e-mail address


@dataclass(frozen=True)
class Hit:
    """A rule that a post breaks: every occurrence of its term, and the words as written."""

    kind: str
    term: str
    preferred: str | None
    spans: tuple[tuple[int, int], ...]
    words: tuple[str, ...]
    differences: tuple[str, ...] = ()  # the brand's names: how the first occurrence differs

    @property
    def found(self) -> str:
        return self.words[0]

    def figures(self) -> dict[str, Any]:
        """The reason's figures, as `voicecheck.explain` has always given them."""
        if self.kind == AVOIDED:
            return {"term": self.term}
        if self.kind == PREFERRED:
            return {"term": self.term, "preferred": self.preferred}
        return {"term": self.term, "found": self.found, "differences": list(self.differences)}


@dataclass
class TermRules:
    """Every rule on terms of one profile, compiled once, to be found in any number of posts."""

    terms: list[Term]
    _first: dict[str, list[Term]] = field(default_factory=dict, init=False, repr=False)
    _names: dict[str, list[Term]] = field(default_factory=dict, init=False, repr=False)
    #: Words that can start a match, and the brand's names with their words run together: to
    #: pass over at once the many posts that have none.
    _starts: frozenset[str] | None = field(default=None, init=False, repr=False)
    _any_name: re.Pattern[str] | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        for term in self.terms:
            if term.kind == BRAND:
                for start in term.prefixes | term.words[0]:
                    self._names.setdefault(start, []).append(term)
            else:
                for form in term.words[0]:
                    self._first.setdefault(form, []).append(term)
        starts = frozenset(self._first)
        self._starts = starts if all(key[0].isalnum() for key in starts) else None  # a symbol: no shortcut
        names = [term for term in self.terms if term.kind == BRAND]
        spellings = sorted({name for term in names for name in term.squashed | term.spellings}, key=len, reverse=True)
        if not names:
            self._any_name = None
        elif all(term.spellings for term in names):
            self._any_name = re.compile("|".join(map(re.escape, spellings)))
        else:  # a name with too many spellings to list: no shortcut
            self._any_name = re.compile("")

    @classmethod
    def compile(
        cls,
        avoid: Iterable[str] = (),
        prefer: dict[str, str] | None = None,
        brand_terms: Iterable[str] = (),
        odds: WordOdds | None = None,
    ) -> TermRules:
        rules: list[tuple[str, str, str | None]] = [(AVOIDED, term, None) for term in avoid]
        rules += [(PREFERRED, term, preferred) for term, preferred in (prefer or {}).items()]
        rules += [(BRAND, term, None) for term in dict.fromkeys(t for t in brand_terms if t.strip())]
        compiled = (Term.compile(kind, term, preferred, odds) for kind, term, preferred in rules)
        return cls([term for term in compiled if term is not None])

    @classmethod
    def from_profile(cls, profile: BrandProfile) -> TermRules:
        """The profile's avoided and preferred terms, and its names: `name` and `brand_terms`."""
        return cls.compile(profile.avoid, profile.prefer, [profile.name, *profile.brand_terms])

    def find(self, text: str) -> list[Found]:
        """Every occurrence of every rule's term in `text`, in the order of the text."""
        if not self.terms:  # a brand without brand.toml's rules: nothing to look for
            return []
        folded = fold(text)
        words = self._starts is None or not self._starts.isdisjoint(_WORDS.findall(folded.text))
        unspaced = folded.text.replace(" ", "").replace("-", "").replace("'", "")
        names = self._any_name is not None and self._any_name.search(unspaced) is not None
        if not (words or names):
            return []
        tokens = Tokens.of(folded.text)
        links = [match.span() for match in _LINK.finditer(folded.text)] if "." in folded.text else []
        found = []
        name_ends: dict[int, int] = {}  # a name found once is not found again inside itself
        for i, key in enumerate(tokens.keys):
            for term in self._first.get(key, ()):
                last = _match_words(term, tokens, i)
                if last is not None:
                    found.append(self._found(term, text, folded, tokens, links, i, last))
            for term in self._names.get(key, ()) if names else ():
                if name_ends.get(id(term), -1) >= i:
                    continue
                last = _match_name(term, tokens, i)
                if last is not None:
                    name_ends[id(term)] = last
                    found.append(self._found(term, text, folded, tokens, links, i, last))
        return [f for f in found if f is not None]

    def _found(
        self,
        term: Term,
        text: str,
        folded: Folded,
        tokens: Tokens,
        links: list[tuple[int, int]],
        first: int,
        last: int,
    ) -> Found | None:
        span = folded.span(tokens.starts[first], tokens.ends[last])
        if span is None:
            return None
        start, end = span
        written = text[start:end]
        in_tag = first > 0 and tokens.keys[first - 1] in "#@" and not tokens.gap(first)
        in_link = any(low <= tokens.starts[first] < high for low, high in links)
        if term.kind == BRAND:
            exact = written == term.term or _canonical(written) == term.canonical
        else:
            exact = tuple(tokens.keys[first : last + 1]) == term.exact
        return Found(term, start, end, written, exact, in_tag, in_link)

    def hits(self, text: str) -> list[Hit]:
        """The rules `text` breaks, in brand.toml's order: avoided, preferred, then the brand's names."""
        found = [f for f in _one_rule_per_span(self.find(text)) if _reported(f)]
        by_term: dict[int, list[Found]] = {}
        for f in found:
            by_term.setdefault(id(f.term), []).append(f)
        out = []
        for term in self.terms:
            occurrences = by_term.get(id(term))
            if not occurrences:
                continue
            words = tuple(dict.fromkeys(f.written for f in occurrences))
            differences = _differences(occurrences[0]) if term.kind == BRAND else ()
            spans = tuple((f.start, f.end) for f in occurrences)
            out.append(Hit(term.kind, term.term, term.preferred, spans, words, differences))
        return out


def _match_words(term: Term, tokens: Tokens, first: int) -> int | None:
    """Index of the last token if the term's words match the tokens from `first`, else None."""
    last = first + len(term.words) - 1
    if last >= len(tokens.keys):
        return None
    for k in range(1, len(term.words)):
        if tokens.keys[first + k] not in term.words[k]:
            return None
    return last


def _match_name(term: Term, tokens: Tokens, first: int) -> int | None:
    """Index of the last token of the longest match of the name from `first`: word for word,
    each word in any of its forms, or its own words run together or split ("MaisonClaire")."""
    best = _match_words(term, tokens, first) if tokens.keys[first] in term.words[0] else None
    spelt = ""
    for j in range(first, len(tokens.keys)):
        if j > first and ("'" in tokens.gap(j) and not term.apostrophe):
            break
        spelt += tokens.keys[j]
        if spelt not in term.prefixes:
            break
        if spelt in term.squashed and (best is None or j > best):
            best = j
    return best


#: What makes the brand's name in a tag or link a different tag or address that looks the same.
_DISGUISES = frozenset({"lookalike", "styled", "hidden"})


def _differences(found: Found) -> tuple[str, ...]:
    """How the brand's name was written differently; in a tag or link, only what disguises it."""
    differences = differences_from(found.written, found.term.term)
    if found.in_tag or found.in_link:
        return tuple(d for d in differences if d in _DISGUISES)
    return differences


def _reported(found: Found) -> bool:
    """Whether an occurrence breaks its rule (see the module's docstring on tags and links)."""
    if found.term.kind != BRAND:
        return not found.in_link
    if found.exact:
        return False
    return _disguised(found.written) if found.in_tag or found.in_link else True


def _disguised(written: str) -> bool:
    """Whether a text has look-alike, styled or invisible letters (`_DISGUISES`)."""
    return not written.isascii() and (
        _latin(written) != written or _styled(written) != written or _visible(written) != written
    )


def _one_rule_per_span(found: list[Found]) -> list[Found]:
    """One rule for each stretch of text: the one written as found, else the first; and names
    inside a longer name ("Claire" in "Maison Claire") give way to it."""
    best: dict[tuple[str, int, int], Found] = {}
    for f in found:
        group = "brand" if f.term.kind == BRAND else f.term.kind
        key = (group, f.start, f.end)
        if key not in best or (f.exact and not best[key].exact):
            best[key] = f
    names = [f for f in best.values() if f.term.kind == BRAND]
    return [f for f in best.values() if f.term.kind != BRAND or not any(_inside(f, name) for name in names)]


def _inside(inner: Found, outer: Found) -> bool:
    """Whether `inner` lies within the longer `outer`."""
    return outer.start <= inner.start and inner.end <= outer.end and outer.end - outer.start > inner.end - inner.start


# ---------------------------------------------------------------------------------------------
# How a name was written differently


def _canonical(text: str) -> str:
    """Text as a reader sees it: composed accents, one kind of space, apostrophe and hyphen."""
    out: list[str] = []
    for ch in unicodedata.normalize("NFC", text):
        if ch.isspace():
            if not out or out[-1] != " ":
                out.append(" ")
        elif ch in _APOSTROPHES:
            out.append("'")
        elif unicodedata.category(ch) == "Pd":
            out.append("-")
        else:
            out.append(ch)
    return "".join(out).strip()


def _styled(text: str) -> str:
    return "".join(ch if ch.isspace() else unicodedata.normalize("NFKC", ch) for ch in text)


def _visible(text: str) -> str:
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")


def _latin(text: str) -> str:
    table = lookalikes()
    return "".join(table.get(ch, ch) for ch in text)


def _no_accents(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))


def _one_connector(text: str) -> str:
    return re.sub(r"(?<=\s)(?:et|and)(?=\s)", "&", text, flags=re.IGNORECASE)


def _unspaced(text: str) -> str:
    return re.sub(r"[\s'\-]+", "", text)


_STEPS = {
    "styled": _styled,
    "hidden": _visible,
    "lookalike": _latin,
    "capitals": str.casefold,
    "accents": _no_accents,
    "connector": _one_connector,
    "spacing": _unspaced,
}


def _normalised(text: str, steps: Iterable[str]) -> str:
    text = _canonical(text)
    for name in _STEPS:
        if name in steps:
            text = _STEPS[name](text)
    return text


def _alike(written: str, term: str, steps: set[str]) -> bool:
    return _normalised(written, steps) == _normalised(term, steps)


def differences_from(written: str, term: str) -> tuple[str, ...]:
    """How `written` differs from the brand's `term`, as names from `DIFFERENCES`.

    A difference is named when undoing every other kind leaves the two apart. What no kind
    explains (an inflected or changed word: "Claires", "Clair") is "form".
    """
    everything = set(_STEPS)
    if _alike(written, term, everything):
        named = {name for name in _STEPS if not _alike(written, term, everything - {name})}
    else:
        named = {"form"}
        named |= {"lookalike"} if _latin(written) != written else set()
        named |= {"styled"} if _styled(written) != written else set()
        named |= {"hidden"} if _visible(written) != written else set()
    return tuple(name for name in DIFFERENCES if name in named)


# ---------------------------------------------------------------------------------------------
# The look-alike letters, derived from Unicode's confusables data


def build_lookalikes(confusables: str) -> dict[str, str]:
    """Non-Latin letters that Unicode's confusables.txt (UTS #39) maps to a Latin letter or digit.

    Only characters that compatibility folding (NFKD) leaves alone are kept: it already turns
    fullwidth and styled letters into plain ones. A prototype that stands for several ASCII
    characters (Greek "Ι" and the letter "l" share the prototype of "I", "l" and "1") becomes
    the one of the same case; marks on a prototype are dropped ("ø" → "o"), as accents are.
    """
    mapping: dict[str, str] = {}
    for line in confusables.splitlines():
        data = line.split("#", 1)[0].strip().lstrip("\ufeff")
        if data.count(";") < 2:
            continue
        source, target = ("".join(chr(int(code, 16)) for code in part.split()) for part in data.split(";")[:2])
        mapping[source] = target
    ascii_prototypes: dict[str, list[str]] = {}
    for code in range(0x21, 0x7F):
        if chr(code).isalnum():
            ascii_prototypes.setdefault(mapping.get(chr(code), chr(code)), []).append(chr(code))
    table = {}
    for source, target in mapping.items():
        if len(source) != 1 or source.isascii() or unicodedata.normalize("NFKD", source) != source:
            continue
        target = _no_accents(target)
        candidates = ascii_prototypes.get(target) or ([target] if target.isascii() and target.isalnum() else [])
        if candidates:
            table[source] = _same_case(source, candidates)
    return table


def _same_case(source: str, candidates: list[str]) -> str:
    def rank(candidate: str) -> tuple[bool, bool]:
        if source.isupper():
            return (not candidate.isupper(), not candidate.isalpha())
        return (not candidate.islower(), not candidate.isalpha())

    return min(candidates, key=rank)


def main(argv: Sequence[str] | None = None) -> None:
    """Rebuild voicecheck/data/lookalikes.npz from Unicode's confusables.txt.

    Usage: python -m voicecheck.vocabulary confusables.txt
    (https://www.unicode.org/Public/security/latest/confusables.txt)
    """
    import numpy as np

    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        raise SystemExit(main.__doc__)
    text = Path(args[0]).read_text(encoding="utf-8-sig")
    version = re.search(r"^# Version: (\S+)", text, re.M)
    table = build_lookalikes(text)
    target = resources.files("voicecheck.data").joinpath(LOOKALIKES_FILE)
    np.savez_compressed(
        str(target),
        sources=np.array(list(table)),
        targets=np.array(list(table.values())),
        unicode_version=np.array(version.group(1) if version else "unknown"),
    )
    print(f"{target}: {len(table)} look-alike characters from confusables.txt {version.group(1) if version else ''}")


if __name__ == "__main__":
    main()
