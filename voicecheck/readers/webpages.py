"""Web pages: one post per HTML file, its main text without navigation, footers and boilerplate.

The main text is found by trafilatura, set for precision: a page's menus, banners and
footers are not the brand's voice. Its publication date is read where the page states it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

from voicecheck.errors import InputError
from voicecheck.readers.base import Columns, Post, ReadStats, clean_text, open_binary, peek
from voicecheck.readers.htmltext import web_library

CHANNEL = "website"
#: Far beyond any real page; a bigger file is refused rather than parsed.
MAX_PAGE_BYTES = 10 * 1024 * 1024


def sniff(head: str) -> str | None:
    lowered = head[:200].lower()
    return "html" if lowered.startswith(("<!doctype html", "<html")) else None


def read_page(path: Path, columns: Columns, stats: ReadStats) -> Iterator[Post]:
    del columns  # a page has no columns
    trafilatura = web_library("trafilatura")
    logging.getLogger("trafilatura").setLevel(logging.ERROR)  # its notices are not the user's concern
    peek(path)  # refuses empty and binary files with the usual messages
    with open_binary(path) as raw:
        page = raw.read(MAX_PAGE_BYTES + 1)
    if len(page) > MAX_PAGE_BYTES:
        raise InputError(f"{path}: over {MAX_PAGE_BYTES // 2**20} MB, too big for a web page")
    document = trafilatura.bare_extraction(
        page,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        favor_precision=True,  # better to miss a paragraph than to judge a cookie banner as the brand's voice
        date_extraction_params={"extensive_search": False, "original_date": True},  # stated dates, not guesses
    )
    text = clean_text(document.text or "") if document is not None else ""
    where = str(path)
    if not text:
        stats.skip("no main text on the page", where)
        return
    yield Post(id=where, text=text, channel=CHANNEL, date=document.date or None, where=where)
