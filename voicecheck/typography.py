"""Typography: the two ways of writing each kind of mark, and a post rewritten the brand's way.

The style features of unit "share" (`features.style`) measure, of a post's marks of one kind,
the share written the first way below: of its apostrophes, how many are ’ rather than '. When
a post writes them the other way from the brand, the suggestion is the post itself with its
marks written as the brand writes them, which a writer can paste back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import regex

from voicecheck.features.style import URL

#: Between a French word and its "!", "?", ":" or ";", and inside « »: a space that never breaks
#: the line, so the mark never starts one.
NO_BREAK_SPACE = "\u00a0"


@dataclass(frozen=True)
class Marks:
    """One kind of mark, as a reader sees it: its two ways, shown by example, and how to turn one into the other."""

    one_way: str  # as the share counts it: "’"
    other_way: str  # "'"
    to_one_way: Callable[[str], str]
    to_other_way: Callable[[str], str]

    def way(self, share: float) -> str:
        """The way a post or brand with this share of its marks written the first way writes them."""
        return self.one_way if share >= 0.5 else self.other_way

    def written(self, text: str, one_way: bool) -> str:
        """`text` with its marks of this kind all written one way (True) or the other."""
        return self.to_one_way(text) if one_way else self.to_other_way(text)


def _substitute(pattern: str, replacement: str | Callable[[regex.Match[str]], str]) -> Callable[[str], str]:
    compiled = regex.compile(pattern)

    def substituted(text: str) -> str:
        links = [link.span() for link in URL.finditer(text)]  # "%20" and "?" in links are left as they are
        if not links:
            return compiled.sub(replacement, text)

        def outside_links(match: regex.Match[str]) -> str:
            if any(start <= match.start() < end for start, end in links):
                return match.group()
            return match.expand(replacement) if isinstance(replacement, str) else replacement(match)

        return compiled.sub(outside_links, text)

    return substituted


def _chain(*steps: Callable[[str], str]) -> Callable[[str], str]:
    def chained(text: str) -> str:
        for step in steps:
            text = step(text)
        return text

    return chained


def _spaced_guillemet(match: regex.Match[str]) -> str:
    return "«" + NO_BREAK_SPACE if "«" in match.group() else NO_BREAK_SPACE + "»"


MARKS: dict[str, Marks] = {
    "curly_apostrophes": Marks("’", "'", _substitute(r"(?<=\w)'(?=\w)", "’"), _substitute(r"(?<=\w)’(?=\w)", "'")),
    "spaced_marks": Marks(
        "Bravo !",
        "Bravo!",
        _substitute(r"(?<=[^\s!?:;])([!?:;]+)(?=\s|$)", NO_BREAK_SPACE + r"\1"),
        _substitute(r"(?<=[^\s!?:;])[^\S\n]([!?:;]+)(?=\s|$)", r"\1"),
    ),
    "guillemets": Marks(
        "« »",
        '" "',
        _chain(
            _substitute(r"[\"“][^\S\n]*([^\"“”\n]*?)[^\S\n]*[\"”]", f"«{NO_BREAK_SPACE}\\1{NO_BREAK_SPACE}»"),
            _substitute(r"[\"“”](?=\w)", f"«{NO_BREAK_SPACE}"),  # one left unpaired: by the side its words are
            _substitute(r"[\"“”]", f"{NO_BREAK_SPACE}»"),
        ),
        _substitute(r"«[^\S\n]*|[^\S\n]*»", '"'),
    ),
    "curly_quotes": Marks(
        "“ ”",
        '" "',
        _chain(_substitute(r"\"([^\"\n]*)\"", r"“\1”"), _substitute(r"\"(?=\w)", "“"), _substitute(r"\"", "”")),
        _substitute(r"[“”]", '"'),
    ),
    "ellipsis_sign": Marks("…", "...", _substitute(r"\.{3,}", "…"), _substitute(r"…", "...")),
    "long_dashes": Marks(
        "—", "-", _substitute(r"(?<=[^\S\n])-(?=[^\S\n])", "—"), _substitute(r"(?<=[^\S\n])[—–](?=[^\S\n])", "-")
    ),
    "spaced_percent": Marks(
        "10 %", "10%", _substitute(r"(?<=\d)%", NO_BREAK_SPACE + "%"), _substitute(r"(?<=\d)[^\S\n]%", "%")
    ),
    "spaced_guillemets": Marks(
        "« oui »",
        "«oui»",
        _substitute(r"«[^\S\n]*|[^\S\n]*»", _spaced_guillemet),
        _substitute(r"«[^\S\n]+|[^\S\n]+»", lambda m: m.group().strip()),
    ),
}
