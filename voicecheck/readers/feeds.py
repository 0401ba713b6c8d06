"""Blogs: WordPress exports (WXR), RSS and Atom feeds, one post per item, HTML turned into text.

XML is parsed with lxml without entity expansion, DTD loading or network access (no
external entities are read, a "billion laughs" is refused by libxml2's bound on
amplification) and with libxml2's size limits on, and streamed: each item is cleared once
read, so a large export reads in flat memory. Entities the file declares for itself
(`<!ENTITY brand "Maison Claire">`) are put in the text here, within a budget. A feed's language
is not used: bilingual blogs declare one for posts in both, so each post's is detected.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from voicecheck.errors import InputError
from voicecheck.i18n import _, number
from voicecheck.readers.base import (
    Columns,
    Post,
    ReadStats,
    bom_encoding,
    clean_text,
    excerpt,
    iso_date,
    open_binary,
    peek_bytes,
    read_as_marked,
)
from voicecheck.readers.htmltext import html_to_text, web_library

CHANNEL = "blog"
ATOM = "http://www.w3.org/2005/Atom"
WORDPRESS = "http://wordpress.org/export/"  # then a version: 1.0/, 1.1/, 1.2/
_SHORT_NAMES = {"http://purl.org/rss/1.0/modules/content/": "content", "http://purl.org/dc/elements/1.1/": "dc"}
_ITEM_TAGS = frozenset({"item", f"{{{ATOM}}}entry"})
#: WordPress post types that hold writing (attachments, menus and the rest do not).
WRITTEN_TYPES = ("post", "page")


def sniff(head: str) -> str | None:
    if head.startswith("<?xml") or head.startswith(("<rss", "<feed")):
        return "feed" if ("<rss" in head or "<feed" in head) else None
    return None


def read_feed(path: Path, columns: Columns, stats: ReadStats) -> Iterator[Post]:
    del columns  # a feed has no columns
    etree = web_library("lxml.etree")
    encoding = bom_encoding(peek_bytes(path))  # refuses empty and binary files with the usual messages
    if encoding:
        stats.note(read_as_marked(path, encoding))
    described = False
    entities: _Entities | None = None
    with open_binary(path) as raw:
        events = etree.iterparse(
            raw, events=("start", "end"), resolve_entities=False, no_network=True, load_dtd=False,
            huge_tree=False, remove_comments=True, remove_pis=True,
        )  # fmt: skip
        open_items = 0  # items begun and not yet ended: what is outside them is never read again
        try:
            for event, elem in events:
                is_item = elem.tag in _ITEM_TAGS
                if event == "start" or not is_item:
                    open_items += is_item
                    if event == "end" and not open_items:
                        _forget(elem)  # a feed of a million other elements reads in flat memory too
                    continue
                open_items -= 1
                if entities is None:
                    entities = _Entities(elem.getroottree().docinfo, path, stats, f"{path}:{elem.sourceline or '?'}")
                fields = _fields(elem, etree, entities)
                if not described:
                    stats.describe(_kind(fields, etree.QName(elem).namespace))
                    described = True
                post = _post(fields, f"{path}:{elem.sourceline or '?'}", stats)
                if post is not None:
                    yield post
                _forget(elem)
        except etree.XMLSyntaxError as exc:
            line, problem = _first_error(events.error_log, exc)
            message = _("{path}:{line}: not well-formed XML ({problem})")
            raise InputError(message.format(path=path, line=line, problem=excerpt(problem, 200))) from exc


def _first_error(log: Any, exc: Any) -> tuple[int, str]:
    """The line and words of this parse's first error (`log`, the parser's own): the exception may
    only say where it gave up ("no element found" at line 0, after an undeclared `&nbsp;` on line 5)."""
    for entry in log:
        if entry.line > 0 and entry.level_name in ("ERROR", "FATAL"):
            return entry.line, entry.message
    return exc.lineno, exc.msg


def _forget(elem: Any) -> None:
    """Free an element that was read, and the siblings before it."""
    elem.clear(keep_tail=False)
    while elem.getprevious() is not None:
        del elem.getparent()[0]


def _fields(item: Any, etree: Any, entities: _Entities) -> dict[str, str]:
    """An item's children by short name ('title', 'content:encoded', 'wp:status', ...)."""
    fields: dict[str, str] = {}
    for child in item:
        if not isinstance(child.tag, str):
            continue  # an unexpanded entity reference
        # "{namespace}local"; or "wp:status" where the file never declared "wp", which lxml hands over
        # before it reports the error (etree.QName would raise ValueError on it)
        namespace, _, local = child.tag[1:].partition("}") if child.tag.startswith("{") else ("", "", child.tag)
        prefix = _prefix(namespace)
        key = f"{prefix}:{local}" if prefix else local
        if key == "link" and child.get("href"):
            fields.setdefault(key, child.get("href"))
        elif (text := _inner(child, etree, entities).strip()) and key not in fields:
            fields[key] = text
    return fields


def _inner(element: Any, etree: Any, entities: _Entities) -> str:
    """An element's content whole: its text, its children's markup (Atom's xhtml, stray HTML)
    and the text of the entities the file declares, each in its place."""
    parts = [element.text or ""]
    for child in element:
        if child.tag is etree.Entity:
            parts.append(entities.text(child.name))
        elif isinstance(child.tag, str):
            parts.append(etree.tostring(child, encoding="unicode", with_tail=False))
        parts.append(child.tail or "")
    return "".join(parts)


_ENTITY_REFERENCE = re.compile(r"&([A-Za-z_][\w.-]*);")
#: Characters the entities of one file may expand to, in all (libxml2 refuses far smaller bombs).
ENTITY_BUDGET = 2**20


class _Entities:
    """The text of the entities a file declares in its DTD, expanded within ENTITY_BUDGET."""

    def __init__(self, docinfo: Any, path: Path, stats: ReadStats, where: str) -> None:
        dtd = docinfo.internalDTD
        declared = list(dtd.iterentities()) if dtd is not None else []
        self._internal = {entity.name: entity.content for entity in declared if entity.content is not None}
        self._path = path
        self._stats = stats
        self._where = where
        self._spent = 0

    def text(self, name: str, depth: int = 0) -> str:
        """An entity's text, its own entities expanded; one declared outside the file is left out."""
        content = self._internal.get(name)
        if content is None or depth > 16:
            remark = _("an entity declared outside the file ({entity}), left out")
            self._stats.remark(remark.format(entity=f"&{excerpt(name, 30)};"), self._where)
            return ""
        expanded = _ENTITY_REFERENCE.sub(lambda m: self._nested(m, depth), content)
        self._spent += len(expanded)
        if self._spent > ENTITY_BUDGET:
            message = _("{path}: its entities expand to over {count} characters")
            raise InputError(message.format(path=self._path, count=number(ENTITY_BUDGET, grouping=True)))
        return html.unescape(expanded) if depth == 0 else expanded

    def _nested(self, match: re.Match[str], depth: int) -> str:
        name = match.group(1)
        if name in ("amp", "lt", "gt", "quot", "apos"):
            return match.group(0)  # unescaped with the character references, once all is expanded
        return self.text(name, depth + 1)


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
        stats.skip(_("not writing (a WordPress {post_type})").format(post_type=post_type), where, "not_a_post")
        return None
    status = fields.get("wp:status", "publish")
    if status != "publish":
        stats.skip(_("not published ({status})").format(status=status), where, "not_published")
        return None
    body = next((fields[k] for k in ("content:encoded", "content", "description", "summary") if k in fields), "")
    text = clean_text(html_to_text(body)) if body else ""
    if not text:
        if body:
            stats.skip("no text in the body (images or embeds only)", where, "no_text")
        else:
            stats.skip("no body", where, "no_text")
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
        from email.utils import parsedate_to_datetime  # for RSS dates only: not imported on every check

        try:
            return parsedate_to_datetime(fields["pubDate"]).isoformat()
        except (TypeError, ValueError):
            return fields["pubDate"]
    for key in ("wp:post_date", "published", "updated", "dc:date"):
        if key in fields:
            return iso_date(fields[key], "%Y-%m-%d %H:%M:%S")
    return None
