"""A post rewritten the brand's way writes every mark of that kind the brand's way, and nothing else changes."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voicecheck.features import style
from voicecheck.typography import MARKS, NO_BREAK_SPACE


def share(name: str, text: str) -> float:
    found = [match.group("one") is not None for match in style._SHARES[name].finditer(text)]
    return sum(found) / len(found) if found else math.nan


#: Where a mark shown alone sits in a post: an apostrophe between letters, a dash between words.
IN_CONTEXT = {"curly_apostrophes": "l{}a", "long_dashes": "a {} b"}


def test_every_share_feature_has_its_two_ways() -> None:
    assert set(MARKS) == set(style._SHARES)
    for name, marks in MARKS.items():
        context = IN_CONTEXT.get(name, "{}")
        assert share(name, context.format(marks.one_way)) == 1.0, name
        assert share(name, context.format(marks.other_way)) == 0.0, name


@pytest.mark.parametrize(
    ("name", "text", "one_way", "other_way"),
    [
        ("curly_apostrophes", "L'équipe t’attend", "L’équipe t’attend", "L'équipe t'attend"),
        ("spaced_marks", "Bravo! Note : oui", f"Bravo{NO_BREAK_SPACE}! Note : oui", "Bravo! Note: oui"),
        ("guillemets", 'Il dit "oui"', f"Il dit «{NO_BREAK_SPACE}oui{NO_BREAK_SPACE}»", 'Il dit "oui"'),
        ("curly_quotes", 'We said "yes"', "We said “yes”", 'We said "yes"'),
        ("ellipsis_sign", "Wait... what…", "Wait… what…", "Wait... what..."),
        ("long_dashes", "Us - and you", "Us — and you", "Us - and you"),
        ("spaced_percent", "10% off", f"10{NO_BREAK_SPACE}% off", "10% off"),
        ("spaced_guillemets", "«oui» « non »", f"«{NO_BREAK_SPACE}oui{NO_BREAK_SPACE}» «{NO_BREAK_SPACE}non{NO_BREAK_SPACE}»",
         "«oui» «non»"),
    ],
)  # fmt: skip
def test_a_post_is_written_either_way(name: str, text: str, one_way: str, other_way: str) -> None:
    assert MARKS[name].written(text, True) == one_way
    assert MARKS[name].written(text, False) == other_way


def test_the_way_is_what_most_of_the_marks_are() -> None:
    assert MARKS["curly_apostrophes"].way(0.9) == "’" and MARKS["curly_apostrophes"].way(0.1) == "'"


pieces = st.sampled_from([
    "'", "’", "!", "?", ":", ";", " !", " :", "!!", '"', "“", "”", "«", "»", "« ", " »", "...", "…", "....",
    " - ", " — ", "-", "%", "5%", "5 %", "a", "é", "0", " ", "\n", "\u00a0", "Bravo", "l", "https://x.co/a",
])  # fmt: skip
texts = st.lists(pieces, max_size=16).map("".join)


@settings(max_examples=300, deadline=None)
@given(texts, st.sampled_from(sorted(MARKS)), st.booleans())
def test_rewritten_marks_are_all_written_the_brands_way(text: str, name: str, one_way: bool) -> None:
    rewritten = MARKS[name].written(text, one_way)
    got = share(name, style.URL.sub(lambda link: "x" * len(link.group()), rewritten))  # links are left alone
    if not math.isnan(got):
        assert got == (1.0 if one_way else 0.0), (text, rewritten)
    letters = [ch for ch in text if ch.isalnum()]
    assert [ch for ch in rewritten if ch.isalnum()] == letters  # only marks and spaces change


def test_links_keep_their_marks_when_a_post_is_rewritten() -> None:
    text = "FAQ: https://example.com/faq?q=20%25 20% off, voir www.site.fr/a:b"
    assert (
        MARKS["spaced_marks"].written(text, True)
        == f"FAQ{NO_BREAK_SPACE}: https://example.com/faq?q=20%25 20% off, voir www.site.fr/a:b"
    )
    assert (
        MARKS["spaced_percent"].written(text, True)
        == f"FAQ: https://example.com/faq?q=20%25 20{NO_BREAK_SPACE}% off, voir www.site.fr/a:b"
    )
