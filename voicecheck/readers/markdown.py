"""Markdown drafts with YAML front matter (`channel`, `lang`, `id`, `date`).

A file is one post; a body split by horizontal rules (`---` or `***` alone on a line) holds
several, numbered `id-1`, `id-2`, …. Markup is stripped so only the words are judged.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import frontmatter
import yaml

from voicecheck.errors import InputError
from voicecheck.readers.base import Columns, Post, ReadStats, channel_name, clean_text, lang_code, open_text

_RULE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,})\s*$", re.M)
_MARKUP = [
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),  # images -> alt text
    (re.compile(r"\[([^\]]+)\]\(([^)]*)\)"), r"\1 \2"),  # links -> text and address
    (re.compile(r"^#{1,6}\s+", re.M), ""),  # headings
    (re.compile(r"^\s*>\s?", re.M), ""),  # quotes
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),  # bold
    (re.compile(r"`([^`]*)`"), r"\1"),  # code
]


def strip_markup(text: str) -> str:
    for pattern, replacement in _MARKUP:
        text = pattern.sub(replacement, text)
    return clean_text(text)


def read_markdown(path: Path, columns: Columns, stats: ReadStats) -> Iterator[Post]:
    del columns
    with open_text(path, stats) as handle:
        source = handle.read()
    try:
        document = frontmatter.loads(source)
    except yaml.YAMLError as exc:
        raise InputError(f"{path}: unreadable front matter ({exc})") from exc
    meta = document.metadata
    base_id = str(meta.get("id") or path.stem)
    parts = [strip_markup(part) for part in _RULE.split(document.content)]
    numbered = len([part for part in parts if part]) > 1
    for number, text in enumerate(parts, start=1):
        where = f"{path}#{number}"
        if not text:
            if not numbered:
                stats.skip("empty text", where)
            continue
        yield Post(
            id=f"{base_id}-{number}" if numbered else base_id,
            text=text,
            channel=channel_name(str(meta["channel"])) if meta.get("channel") else None,
            lang=lang_code(str(meta["lang"])) if meta.get("lang") else None,
            date=str(meta["date"]) if meta.get("date") else None,
            where=where,
        )
