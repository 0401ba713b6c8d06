"""Markdown drafts with YAML front matter (`channel`, `lang`, `id`, `date`).

A file is one post; a body split by horizontal rules (`---` or `***` alone on a line) holds
several, numbered `id-1`, `id-2`, …. Markup is stripped so only the words are judged.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import Any

import frontmatter
import yaml

from voicecheck.errors import InputError
from voicecheck.i18n import _
from voicecheck.readers import guard
from voicecheck.readers.base import Columns, Post, ReadStats, channel_name, clean_text, excerpt, lang_code, open_text

_RULE = re.compile(r"^[ \t]*(?:-{3,}|\*{3,}|_{3,})[ \t]*$", re.M)
# Each pattern stops at the next bracket it opens with, and none crosses lines with `\s*`: on
# hostile text ("[[[[…", "![![…", blank lines) a pattern that could run on would take
# time quadratic in the file's length.
_MARKUP = [
    (re.compile(r"!\[([^\[\]]*)\]\([^()]*\)"), r"\1"),  # images -> alt text
    (re.compile(r"\[([^\[\]]+)\]\(([^()]*)\)"), r"\1 \2"),  # links -> text and address
    (re.compile(r"^#{1,6}\s+", re.M), ""),  # headings
    (re.compile(r"^[ \t]*>[ \t]?", re.M), ""),  # quotes
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),  # bold
    (re.compile(r"`([^`]*)`"), r"\1"),  # code
]


def strip_markup(text: str) -> str:
    for pattern, replacement in _MARKUP:
        text = pattern.sub(replacement, text)
    return clean_text(text)


class _FrontMatterLoader(yaml.SafeLoader):
    """YAML's safe loader without aliases and within MAX_DEPTH: front matter never needs either.

    An alias makes a "billion laughs" of a few hundred bytes (nine lists of nine aliases);
    deep nesting makes the composer recurse until Python stops it.
    """

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(None, None, _("aliases (*name) are not read here"), event.start_mark)
        self._depth = getattr(self, "_depth", 0) + 1
        try:
            if self._depth > guard.MAX_DEPTH:
                raise yaml.composer.ComposerError(None, None, guard.too_deep(), self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        """A value no calendar holds (`date: 2024-13-45`) is an error at its own line."""
        try:
            return super().construct_object(node, deep)
        except (ValueError, OverflowError) as exc:
            raise yaml.constructor.ConstructorError(None, None, str(exc), node.start_mark) from exc


def _split(source: str, path: Path, stats: ReadStats) -> tuple[Mapping[str, Any], str]:
    """The front matter (YAML between `---` lines at the top, if any) and the body."""
    handler = frontmatter.YAMLHandler()
    if not handler.detect(source):
        return {}, source
    try:
        matter, body = handler.split(source)
    except ValueError:
        return {}, source  # no closing `---`: all of it is the post
    try:
        meta = yaml.load(matter, Loader=_FrontMatterLoader)
    except yaml.MarkedYAMLError as exc:
        # the front matter is read from the end of the opening `---` line: its line 0 is the file's line 1
        line = f":{exc.problem_mark.line + 1}" if exc.problem_mark else ""
        raise _unreadable(f"{path}{line}", exc.problem or exc) from exc
    except (yaml.YAMLError, ValueError, OverflowError) as exc:
        raise _unreadable(path, exc) from exc
    if meta is not None and not isinstance(meta, Mapping):
        remark = _("front matter that is {kind}, not keys and values, so it was ignored")
        stats.remark(remark.format(kind=guard.kind_of(meta)), str(path))
        meta = None
    return meta or {}, body.strip()


def _unreadable(where: object, problem: object) -> InputError:
    return InputError(
        _("{where}: unreadable front matter ({problem})").format(where=where, problem=excerpt(problem, 200))
    )


def read_markdown(path: Path, columns: Columns, stats: ReadStats) -> Iterator[Post]:
    del columns
    with open_text(path, stats) as handle:
        source = clean_text(handle.read())
    meta, body = _split(source, path, stats)
    where = f"{path}#1"

    def scalar(key: str) -> str | None:
        value = guard.field(meta, key, (str, int, float, date), where, stats)
        return None if value is None or value == "" else excerpt(value, 200)

    base_id = scalar("id") or path.stem
    channel, lang, when = channel_name(scalar("channel")), lang_code(scalar("lang")), scalar("date")
    parts = [strip_markup(part) for part in _RULE.split(body)]
    numbered = len([part for part in parts if part]) > 1
    for number, text in enumerate(parts, start=1):
        where = f"{path}#{number}"
        if not text:
            if not numbered:
                stats.skip("empty text", where, "no_text")
            continue
        yield Post(
            id=f"{base_id}-{number}" if numbered else base_id,
            text=text,
            channel=channel,
            lang=lang,
            date=when,
            where=where,
        )
