"""Web pages: one post per HTML file, its main text without navigation, footers and boilerplate.

The main text is found by trafilatura, set for precision: a page's menus, banners and
footers are not the brand's voice. Its publication date is read where the page states it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

from voicecheck.errors import InputError
from voicecheck.i18n import _, number
from voicecheck.readers.base import (
    MAX_DOCUMENT_BYTES,
    Columns,
    Post,
    ReadStats,
    bom_encoding,
    clean_text,
    megabytes,
    not_valid,
    open_binary,
    peek_bytes,
    read_as_marked,
)
from voicecheck.readers.htmltext import web_library

CHANNEL = "website"
#: Far beyond any real page; a bigger file is refused rather than parsed.
MAX_PAGE_BYTES = MAX_DOCUMENT_BYTES
#: Far beyond any real page too (a long encyclopedia article has some 50,000): parsed, each
#: tag costs the page's parser about a kilobyte, so a page of tiny tags would need a
#: hundred times its size.
MAX_PAGE_TAGS = 100_000


def sniff(head: str) -> str | None:
    lowered = head[:200].lower()
    return "html" if lowered.startswith(("<!doctype html", "<html")) else None


def read_page(path: Path, columns: Columns, stats: ReadStats) -> Iterator[Post]:
    del columns  # a page has no columns
    trafilatura = web_library("trafilatura")
    logging.getLogger("trafilatura").setLevel(logging.ERROR)  # its notices are not the user's concern
    encoding = bom_encoding(peek_bytes(path))  # refuses empty and binary files with the usual messages
    with open_binary(path) as raw:
        content = raw.read(MAX_PAGE_BYTES + 1)
    if len(content) > MAX_PAGE_BYTES:
        raise InputError(
            _("{path}: over {size}, too big for a web page").format(path=path, size=megabytes(MAX_PAGE_BYTES))
        )
    if content.count(b"<") > MAX_PAGE_TAGS:
        message = _("{path}: over {count} tags, too many for a web page")
        raise InputError(message.format(path=path, count=number(MAX_PAGE_TAGS, grouping=True)))
    page: bytes | str = content  # as it is: trafilatura reads its charset
    if encoding:
        page = _decoded(content, encoding, path)
        stats.note(read_as_marked(path, encoding))
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
        stats.skip("no main text on the page", where, "no_text")
        return
    yield Post(id=where, text=text, channel=CHANNEL, date=document.date or None, where=where)


def _decoded(page: bytes, encoding: str, path: Path) -> str:
    try:
        return page.decode(encoding)
    except UnicodeDecodeError as exc:
        raise not_valid(path, encoding, exc.reason) from exc
