"""brand.toml: who the brand is, how it speaks, and the words it prefers and avoids.

Loaded with the standard library's tomllib and validated strictly: an unknown key is an error
that names the file and the key, since a misspelt key silently ignored is a rule not applied.
"""

from __future__ import annotations

import json
import re
import tomllib
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from voicecheck.errors import ProfileError
from voicecheck.features.tone import TONE_DIMENSIONS
from voicecheck.i18n import N_, _

#: Words in a proposition that set a tone target when brand.toml gives none (en and fr).
TONE_WORDS: dict[str, tuple[str, float]] = {
    **dict.fromkeys(
        (
            "casual relaxed informal conversational friendly approachable laid-back "
            "décontracté décontractée familier familière convivial conviviale accessible"
        ).split(),
        ("formality", 35.0),
    ),
    **dict.fromkeys(
        (
            "formal professional corporate authoritative polished institutional formel "
            "formelle professionnel professionnelle institutionnel soutenu"
        ).split(),
        ("formality", 70.0),
    ),
    **dict.fromkeys(
        ("funny playful witty humorous cheeky fun drôle ludique espiègle humour enjoué enjouée").split(),
        ("humor", 65.0),
    ),
    **dict.fromkeys(["serious", "sober", "earnest", "sérieux", "sérieuse", "sobre"], ("humor", 25.0)),
    **dict.fromkeys(
        (
            "respectful caring kind considerate courteous warm respectueux respectueuse "
            "bienveillant bienveillante attentionné attentionnée chaleureux chaleureuse "
            "courtois"
        ).split(),
        ("irreverence", 20.0),
    ),
    **dict.fromkeys(
        ("irreverent edgy bold sassy provocative irrévérencieux audacieux audacieuse frondeur").split(),
        ("irreverence", 65.0),
    ),
    **dict.fromkeys(
        (
            "enthusiastic energetic upbeat excited passionate cheerful enthousiaste dynamique "
            "énergique passionné passionnée joyeux joyeuse"
        ).split(),
        ("enthusiasm", 68.0),
    ),
    **dict.fromkeys(
        ("matter-of-fact calm factual understated measured posé posée factuel factuelle mesuré mesurée").split(),
        ("enthusiasm", 32.0),
    ),
}


@dataclass(frozen=True)
class ChannelProfile:
    tone: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class BrandProfile:
    name: str = ""
    proposition: str = ""
    languages: tuple[str, ...] = ()
    tone: dict[str, float] = field(default_factory=dict)
    prefer: dict[str, str] = field(default_factory=dict)
    avoid: tuple[str, ...] = ()
    brand_terms: tuple[str, ...] = ()
    channels: dict[str, ChannelProfile] = field(default_factory=dict)
    pipeline: str = "auto"
    #: [peers]: accounts the brand must not sound like, name → their files (resolved from brand.toml's folder).
    #: Not kept in a model's profile: the model keeps the peers' names and posts instead.
    peers: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False)

    def tone_targets(self, channel: str | None = None) -> dict[str, float]:
        """Targets from the proposition's words, then [tone], then the channel's override."""
        targets = tone_from_words(self.proposition)
        targets.update(self.tone)
        if channel and channel in self.channels:
            targets.update(self.channels[channel].tone)
        return targets

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "proposition": self.proposition,
            "languages": list(self.languages),
            "tone": self.tone,
            "vocabulary": {
                "prefer": self.prefer,
                "avoid": list(self.avoid),
                "brand_terms": list(self.brand_terms),
            },
            "channels": {name: {"tone": c.tone} for name, c in self.channels.items()},
            "nlp": {"pipeline": self.pipeline},
        }


def tone_from_words(text: str) -> dict[str, float]:
    words = text.lower().replace(",", " ").replace(".", " ").split()
    found: dict[str, list[float]] = {}
    for word in words:
        if word in TONE_WORDS:
            dimension, target = TONE_WORDS[word]
            found.setdefault(dimension, []).append(target)
    return {dim: sum(values) / len(values) for dim, values in found.items()}


_ALLOWED = {
    "": {"name", "proposition", "languages", "tone", "vocabulary", "channels", "nlp", "peers"},
    "vocabulary": {"prefer", "avoid", "brand_terms"},
    "nlp": {"pipeline"},
    "channel": {"tone"},
    "tone": set(TONE_DIMENSIONS),
}


def term_problem(term: str) -> str | None:
    """Why `term` cannot be a vocabulary term, or None if it can.

    A term is matched as a word in every post: an empty or blank one matches everywhere, one
    of punctuation alone matches wherever that mark is, and spaces around one stop it matching
    at the start or end of a post. A term needs a letter, a digit or an emoji (category So).
    """
    if not term.strip():
        return _("{term} is blank: a term needs a letter, a digit or an emoji").format(term=repr(term))
    if any(unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp") and char not in _JOINERS for char in term):
        return _("{term} holds a control or invisible character").format(term=repr(term))
    if not any(unicodedata.category(char)[0] in "LN" or unicodedata.category(char) == "So" for char in term):
        return _("{term} has no letter, digit or emoji, so it would match punctuation, not a word").format(
            term=repr(term)
        )
    if term != term.strip():
        message = _("{term} has spaces around it, so it would miss the start and end of a post: write {stripped}")
        return message.format(term=repr(term), stripped=repr(term.strip()))
    return None


#: Invisible characters that belong inside emoji and words: the zero-width joiner and non-joiner.
_JOINERS = frozenset("\u200c\u200d")
_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def _key(prefix: str, name: str) -> str:
    """A dotted TOML key as it is written in brand.toml: `vocabulary.prefer."femme de ménage"`."""
    return f"{prefix}.{name}" if _BARE_KEY.match(name) else f'{prefix}."{name}"'


class _Reader:
    """Pulls typed values out of the parsed TOML, naming file and key on every error."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, key: str, message: str) -> ProfileError:
        """The error of `key` in this file; `message` is a translated message."""
        return ProfileError(_("{path}: {key}: {problem}").format(path=self.path, key=key, problem=message))

    def check_keys(self, table: dict[str, Any], allowed: set[str], prefix: str) -> None:
        for key in table:
            if key not in allowed:
                name = f"{prefix}.{key}" if prefix else key
                raise self.fail(
                    name, _("unknown key (expected one of: {keys})").format(keys=", ".join(sorted(allowed)))
                )

    def table(self, value: Any, key: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(key, _("must be a table"))
        return value

    def text(self, value: Any, key: str) -> str:
        if not isinstance(value, str):
            raise self.fail(key, _("must be a string"))
        return value

    def strings(self, value: Any, key: str) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(key, _("must be a list of strings"))
        return tuple(value)

    def term(self, value: Any, key: str) -> str:
        term = self.text(value, key)
        problem = term_problem(term)
        if problem:
            raise self.fail(key, problem)
        return term

    def terms(self, value: Any, key: str) -> tuple[str, ...]:
        return tuple(self.term(term, key) for term in self.strings(value, key))

    def spellings(self, terms: Iterable[str], key_of: Callable[[str], str]) -> dict[str, str]:
        """Each term by its case-folded form; two that differ only in case are refused at the
        second's key (`key_of`): terms match whatever their case, so one of them would never fire."""
        spellings: dict[str, str] = {}
        for term in terms:
            other = spellings.setdefault(term.casefold(), term)
            if other != term:
                message = _("{term} and {other} differ only in case: keep the one spelling")
                raise self.fail(key_of(term), message.format(term=repr(other), other=repr(term)))
        return spellings

    def prefer(self, value: Any, key: str) -> dict[str, str]:
        """{term to replace: the brand's term}; a term that is its own replacement would always fire."""
        out: dict[str, str] = {}
        for term, preferred in self.table(value, key).items():
            entry = _key(key, term)
            self.term(term, key)
            out[term] = self.term(preferred, entry)
            if term.casefold() == preferred.casefold():
                raise self.fail(entry, _("{term} is preferred to itself").format(term=repr(term)))
        spellings = self.spellings(out, lambda term: _key(key, term))
        for term, preferred in out.items():
            if preferred.casefold() in spellings:  # a post would be told to write each instead of the other
                back = spellings[preferred.casefold()]
                message = _("{term} is to be written {preferred}, which is itself to be written {again}")
                raise self.fail(
                    _key(key, term), message.format(term=repr(term), preferred=repr(preferred), again=repr(out[back]))
                )
        return out

    def vocabulary(self, table: dict[str, Any]) -> tuple[dict[str, str], tuple[str, ...], tuple[str, ...]]:
        """prefer, avoid and brand_terms, each valid and none contradicting another."""
        prefer = self.prefer(table.get("prefer", {}), "vocabulary.prefer")
        avoid = self.terms(table.get("avoid", []), "vocabulary.avoid")
        brand_terms = self.terms(table.get("brand_terms", []), "vocabulary.brand_terms")
        spellings = self.spellings(brand_terms, lambda term: "vocabulary.brand_terms")

        def not_a_brand_term(term: str, key: str) -> None:
            if term.casefold() in spellings:
                message = _("{term} is also a brand term: every post naming the brand would be flagged")
                raise self.fail(key, message.format(term=repr(term)))

        for term in prefer:
            not_a_brand_term(term, _key("vocabulary.prefer", term))
        for term in avoid:
            not_a_brand_term(term, "vocabulary.avoid")
            for wrong, preferred in prefer.items():
                if term.casefold() == preferred.casefold():
                    message = _("{term} is also what the brand says instead of {wrong}")
                    raise self.fail("vocabulary.avoid", message.format(term=repr(term), wrong=repr(wrong)))
        return prefer, avoid, brand_terms

    def tone(self, value: Any, key: str) -> dict[str, float]:
        table = self.table(value, key)
        self.check_keys(table, _ALLOWED["tone"], key)
        out = {}
        for dimension, target in table.items():
            if isinstance(target, bool) or not isinstance(target, int | float) or not 0 <= target <= 100:
                raise self.fail(f"{key}.{dimension}", _("must be a number from 0 to 100"))
            out[dimension] = float(target)
        return out


def load_profile(path: str | Path) -> BrandProfile:
    path = Path(path)
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise ProfileError(_("{path}: no such file").format(path=path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(_("{path}: not valid TOML ({problem})").format(path=path, problem=exc)) from exc
    except UnicodeDecodeError as exc:
        raise ProfileError(_("{path}: not valid UTF-8 ({reason})").format(path=path, reason=exc.reason)) from exc
    return parse_profile(data, path)


def parse_profile(data: dict[str, Any], path: Path) -> BrandProfile:
    read = _Reader(path)
    read.check_keys(data, _ALLOWED[""], "")
    vocabulary = read.table(data.get("vocabulary", {}), "vocabulary")
    read.check_keys(vocabulary, _ALLOWED["vocabulary"], "vocabulary")
    prefer, avoid, brand_terms = read.vocabulary(vocabulary)
    nlp = read.table(data.get("nlp", {}), "nlp")
    read.check_keys(nlp, _ALLOWED["nlp"], "nlp")
    pipeline = read.text(nlp.get("pipeline", "auto"), "nlp.pipeline")
    if pipeline not in ("auto", "blank", "trained"):
        raise read.fail("nlp.pipeline", _("must be auto, blank or trained"))
    languages = read.strings(data.get("languages", []), "languages")
    for lang in languages:
        if lang not in ("en", "fr"):
            raise read.fail("languages", _("{lang} is not supported (en, fr)").format(lang=repr(lang)))
    if len(set(languages)) != len(languages):
        raise read.fail("languages", _("names a language twice"))
    channels = {}
    for name, table in read.table(data.get("channels", {}), "channels").items():
        key = _key("channels", name)
        if not name.strip():
            raise read.fail(key, _("a channel needs a name"))
        read.check_keys(read.table(table, key), _ALLOWED["channel"], key)
        if name.lower() in channels:  # channels are named in lower case: the later table would win unsaid
            message = _("{name} is another spelling of a channel already given: keep one table for it")
            raise read.fail(key, message.format(name=repr(name)))
        channels[name.lower()] = ChannelProfile(tone=read.tone(table.get("tone", {}), f"{key}.tone"))
    return BrandProfile(
        name=read.text(data.get("name", ""), "name"),
        proposition=read.text(data.get("proposition", ""), "proposition").strip(),
        languages=languages,
        tone=read.tone(data.get("tone", {}), "tone"),
        prefer=prefer,
        avoid=avoid,
        brand_terms=brand_terms,
        channels=channels,
        pipeline=pipeline,
        peers=_peers(read, data.get("peers", {}), path),
    )


def _peers(read: _Reader, value: Any, path: Path) -> dict[str, tuple[str, ...]]:
    """[peers]: `name = ["path", ...]`, each path relative to the brand.toml it is written in."""
    peers = {}
    for name, paths in read.table(value, "peers").items():
        key = _key("peers", name)
        if not name.strip() or "=" in name or "/" in name or "\\" in name:
            raise read.fail(key, _("a peer needs a name without '=', '/' or '\\'"))
        files = read.strings(paths, key)
        if not files:
            raise read.fail(key, _("must list at least one file or folder of the peer's posts"))
        if "" in files:  # it would be the folder of brand.toml itself
            raise read.fail(key, _("holds an empty path: name a file or folder of the peer's posts"))
        peers[name] = tuple(str(path.parent / file) for file in files)
    return peers


def toml_string_body(text: str) -> str:
    """`text` escaped to sit between the double quotes of a TOML string and read back as itself
    (JSON's string escapes are TOML's too)."""
    return json.dumps(text, ensure_ascii=False)[1:-1]


STARTER_PROFILE = N_('''\
# brand.toml: how voicecheck knows your brand. Every key is optional but `proposition`.
name = "{name}"

# Who the brand is and how it speaks, in a few sentences. Tone words here
# ("friendly", "casual", "enthusiastic", "chaleureux", "professionnel", ...) set tone
# targets unless [tone] sets them.
proposition = """
We are {name}. We speak like a helpful neighbour: warm, plain and upbeat.
We say "we" and talk to "you"; no jargon, no pressure.
"""

# Languages the brand publishes in: "en", "fr" or both. Each post's language is detected.
languages = ["en", "fr"]

# Optional tone targets, 0 to 100 (higher = more formal, funny, irreverent, enthusiastic).
[tone]
# formality = 40
# enthusiasm = 65

[vocabulary]
# Words that should not appear, and the words to use instead.
avoid = ["cheap"]
# brand_terms: names that must be spelled and capitalised exactly so.
brand_terms = ["{name}"]

[vocabulary.prefer]
# "customers" = "clients"

# Per-channel overrides, e.g. LinkedIn a little more formal:
# [channels.linkedin]
# tone = {{ formality = 60 }}

[nlp]
# auto: use a trained spaCy pipeline when installed; blank: tokenizer only; trained: require it.
pipeline = "auto"
''')
