"""A batch of post texts read as one string, so that each pattern runs once over the whole batch.

Style and tone count marks in the text (emoji, hashtags, links, runs of "!?"). Calling a
pattern once per post and per mark costs more than the matching itself, so the batch's texts
are joined with a newline between them and each pattern scans the joined string once; every
match is given back to the post it starts in.

A newline can neither start nor end a match of these patterns, and it reads as the edge of
a string to their look-arounds and word boundaries: whitespace for `\\s`, `\\S` and `$`, a
non-word character for `\\b` and `\\w`. So each post gets exactly the matches it would get
alone. A pattern used here must keep to that (`tests/features/test_texts.py` checks the
shipped ones against each post read alone).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cached_property

import numpy as np
import regex

#: Put between posts: whitespace, and no mark's pattern matches it.
SEPARATOR = "\n"


class TextBatch:
    """The texts of a batch of posts, joined for patterns to scan once."""

    def __init__(self, texts: Sequence[str]) -> None:
        self.texts = list(texts)
        self.joined = SEPARATOR.join(self.texts)
        lengths = np.fromiter(map(len, self.texts), dtype=np.int64, count=len(self.texts))
        #: Where each text starts in `joined`.
        self.starts = np.concatenate([[0], np.cumsum(lengths + len(SEPARATOR))[:-1]]).astype(np.int64)

    def __len__(self) -> int:
        return len(self.texts)

    def owners(self, positions: Sequence[int]) -> np.ndarray:
        """The text each position of `joined` lies in."""
        if len(self.texts) == 1:  # a lone post, as the service judges one
            return np.zeros(len(positions), dtype=np.int64)
        return np.searchsorted(self.starts, np.asarray(positions, dtype=np.int64), side="right") - 1

    def count(self, pattern: regex.Pattern[str]) -> np.ndarray:
        """How many times `pattern` matches in each text (as `len(pattern.findall(text))`)."""
        starts = [match.start() for match in pattern.finditer(self.joined)]
        return np.bincount(self.owners(starts), minlength=len(self)).astype(np.float64)

    def share(self, pattern: regex.Pattern[str], needles: tuple[str, ...] = ()) -> np.ndarray:
        """Of each text's matches of `pattern`, the share whose group `one` matched; NaN for a text without any.

        How a kind of mark is written: of a post's apostrophes, how many are ’ rather than '.
        With `needles`, strings one of which every match holds, only the texts that hold one are
        scanned: most posts have no quotation marks, and a scan of them all costs more than
        looking for the marks.
        """
        if needles:
            rows = self.holding(needles)
            shares = np.full(len(self), np.nan)
            if len(rows) == len(self):
                shares = self.share(pattern)
            elif len(rows):
                shares[rows] = self._subset(rows).share(pattern)
            return shares
        starts, ones = [], []
        for match in pattern.finditer(self.joined):
            starts.append(match.start())
            ones.append(match.group("one") is not None)
        owners = self.owners(starts)
        matches = np.bincount(owners, minlength=len(self)).astype(np.float64)
        written_one_way = np.bincount(owners, weights=np.asarray(ones, dtype=np.float64), minlength=len(self))
        return np.divide(written_one_way, matches, out=np.full(len(self), np.nan), where=matches > 0)

    def count_outside_ascii(self, pattern: regex.Pattern[str]) -> np.ndarray:
        """`count` of a pattern that matches only characters outside ASCII (emoji): ASCII texts have none."""
        rows, others = self._outside_ascii
        counts = np.zeros(len(self))
        counts[rows] = others.count(pattern)
        return counts

    @cached_property
    def _outside_ascii(self) -> tuple[np.ndarray, TextBatch]:
        """The texts with a character outside ASCII, and where they are in the batch."""
        ascii_only = np.fromiter(map(str.isascii, self.texts), dtype=bool, count=len(self))
        rows = np.flatnonzero(~ascii_only)
        return rows, self._subset(rows)

    def _subset(self, rows: np.ndarray) -> TextBatch:
        return TextBatch([self.texts[row] for row in rows.tolist()])

    def holding(self, needles: tuple[str, ...]) -> np.ndarray:
        """Where the texts that hold one of `needles` are in the batch."""
        found: list[int] = []
        for needle in needles:  # `str.find` runs at memory speed; a Python test of each text does not
            at = self.joined.find(needle)
            while at >= 0:
                found.append(at)
                at = self.joined.find(needle, at + len(needle))
        if not found:
            return np.zeros(0, dtype=np.int64)
        return np.flatnonzero(np.bincount(self.owners(found), minlength=len(self)))

    def count_each(self, counter: Callable[[str], float]) -> np.ndarray:
        """`counter` of each text, as floats (for plain string methods such as `str.count`)."""
        return np.fromiter(map(counter, self.texts), dtype=np.float64, count=len(self))
