"""Blogs: WordPress exports (WXR), RSS and Atom feeds, one post per item, HTML turned into text.

XML is parsed with lxml without entity expansion, DTD loading or network access (no
"billion laughs", no external entities) and with libxml2's size limits on, and streamed:
each item is cleared once read, so a large export reads in flat memory. A feed's language
is not used: bilingual blogs declare one for posts in both, so each post's is detected.
"""

from __future__ import annotations

from collections.abc import Iterator
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from voicecheck.errors import InputError
from voicecheck.readers.base import Columns, Post, ReadStats, clean_text, iso_date, open_binary, peek
from voicecheck.readers.htmltext import html_to_text, web_library

CHANNEL = "blog"
ATOM = "http://www.w3.org/2005/Atom"
WORDPRESS = "http://wordpress.org/export/"  # then a version: 1.0/, 1.1/, 1.2/
_SHORT_NAMES = {"http://purl.org/rss/1.0/modules/content/": "content", "http://purl.org/dc/elements/1.1/": "dc"}
#: WordPress post types that hold writing (attachments, menus and the rest do not).
WRITTEN_TYPES = ("post", "page")


def sniff(head: str) -> str | None:
    if head.startswith("<?xml") or head.startswith(("<rss", "<feed")):
        return "feed" if ("<rss" in head or "<feed" in head) else None
    return None


def read_feed(path: Path, columns: Columns, stats: ReadStats) -> Iterator[Post]:
    del columns  # a feed has no columns
    etree = web_library("lxml.etree")
    peek(path)  # refuses empty and binary files with the usual messages
    described = False
    with open_binary(path) as raw:
        events = etree.iterparse(
            raw, events=("end",), resolve_entities=False, no_network=True, load_dtd=False,
            huge_tree=False, remove_comments=True, remove_pis=True,
        )  # fmt: skip
        try:
            for _, elem in events:
                name = etree.QName(elem)
                if (name.localname, name.namespace) not in (("item", None), ("entry", ATOM)):
                    continue
                fields = _fields(elem, etree)
                if not described:
                    stats.describe(_kind(fields, name.namespace))
                    described = True
                post = _post(fields, f"{path}:{elem.sourceline}", stats)
                if post is not None:
                    yield post
                elem.clear(keep_tail=False)
                while elem.getprevious() is not None:
                    del elem.getparent()[0]
        except etree.XMLSyntaxError as exc:
            raise InputError(f"{path}:{exc.lineno}: not well-formed XML ({exc.msg})") from exc


def _fields(item: Any, etree: Any) -> dict[str, str]:
    """An item's children by short name ('title', 'content:encoded', 'wp:status', ...)."""
    fields: dict[str, str] = {}
    for child in item:
        if not isinstance(child.tag, str):
            continue  # an unexpanded entity reference
        name = etree.QName(child)
        prefix = _prefix(name.namespace or "")
        key = f"{prefix}:{name.localname}" if prefix else name.localname
        if key == "link" and child.get("href"):
            fields.setdefault(key, child.get("href"))
        elif key == "content" and child.get("type") == "xhtml":
            fields.setdefault(key, "".join(etree.tostring(part, encoding="unicode") for part in child))
        elif child.text and child.text.strip():
            fields.setdefault(key, child.text.strip())
    return fields


def _prefix(namespace: str) -> str | None:
    if namespace.startswith(WORDPRESS):
        return "excerpt" if namespace.endswith("/excerpt/") else "wp"
    return _SHORT_NAMES.get(namespace)


def _kind(fields: dict[str, str], namespace: str | None) -> str:
    if any(key.startswith("wp:") for key in fields):
        return "WordPress export"
    return "Atom" if namespace == ATOM else "RSS"


def _post(fields: dict[str, str], where: str, stats: ReadStats) -> Post | None:
    post_type = fields.get("wp:post_type", "post")
    if post_type not in WRITTEN_TYPES:
        stats.skip(f"not writing (a WordPress {post_type})", where)
        return None
    status = fields.get("wp:status", "publish")
    if status != "publish":
        stats.skip(f"not published ({status})", where)
        return None
    body = next((fields[k] for k in ("content:encoded", "content", "description", "summary") if k in fields), "")
    text = clean_text(html_to_text(body)) if body else ""
    if not text:
        stats.skip("no text in the body (images or embeds only)" if body else "no body", where)
        return None
    title = clean_text(html_to_text(fields.get("title", "")))
    return Post(
        id=fields.get("wp:post_id") or fields.get("guid") or fields.get("id") or fields.get("link") or where,
        text=f"{title}\n\n{text}" if title else text,
        channel=CHANNEL,
        date=_date(fields),
        where=where,
    )


def _date(fields: dict[str, str]) -> str | None:
    if "pubDate" in fields:
        try:
            return parsedate_to_datetime(fields["pubDate"]).isoformat()
        except (TypeError, ValueError):
            return fields["pubDate"]
    for key in ("wp:post_date", "published", "updated", "dc:date"):
        if key in fields:
            return iso_date(fields[key], "%Y-%m-%d %H:%M:%S")
    return None
