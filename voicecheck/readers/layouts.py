"""The CSV exports of social platforms and schedulers, recognised by their header row.

A layout says which columns hold the text, date and id, and where the channel comes from:
a fixed platform (a Meta Business Suite Facebook export is all Facebook) or a column
(a scheduler's export mixes networks). Headers are compared lower-cased.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Layout:
    name: str
    signature: frozenset[str]  # columns that must all be present
    text: str
    date: str | None = None
    id: str | None = None
    channel: str | None = None  # the platform, when the whole export is one
    channel_col: str | None = None  # else the column naming each post's network
    date_formats: tuple[str, ...] = ()  # how the export writes dates, when not ISO 8601

    def matches(self, header: set[str]) -> bool:
        return self.signature <= header


def _layout(name: str, signature: str, *date_formats: str, **columns: str) -> Layout:
    return Layout(name, frozenset(signature.split("|")), date_formats=date_formats, **columns)


_US_DATES = ("%m/%d/%Y %H:%M", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y")


LAYOUTS = (
    _layout("Meta Business Suite (Facebook)", "post id|page name|description|publish time", *_US_DATES,
            text="description", date="publish time", id="post id", channel="facebook"),
    _layout("Meta Business Suite (Instagram)", "post id|account username|description|publish time", *_US_DATES,
            text="description", date="publish time", id="post id", channel="instagram"),
    _layout("LinkedIn Shares.csv", "date|sharelink|sharecommentary",
            text="sharecommentary", date="date", id="sharelink", channel="linkedin"),
    _layout("LinkedIn page content export", "post title|post link|created date", *_US_DATES,
            text="post title", date="created date", id="post link", channel="linkedin"),
    _layout("Hootsuite", "date (gmt)|social network|post message",
            text="post message", date="date (gmt)", id="post id", channel_col="social network"),
    _layout("Buffer", "text|posted at|service",
            text="text", date="posted at", id="update id", channel_col="service"),
    _layout("Sprout Social", "date|network|post type|profile|post", *_US_DATES,
            text="post", date="date", id="post id", channel_col="network"),
)  # fmt: skip


def recognise(header: list[str]) -> Layout | None:
    """The export layout whose columns this header has, or None for a hand-made CSV."""
    names = {name.strip().lower() for name in header}
    return next((layout for layout in LAYOUTS if layout.matches(names)), None)
