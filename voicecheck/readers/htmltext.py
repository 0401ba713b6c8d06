"""HTML to readable text, for blog bodies and web pages (the optional `web` extra)."""

from __future__ import annotations

import importlib
import re
from types import ModuleType

from voicecheck.errors import InputError
from voicecheck.i18n import _

_BLANK_LINES = re.compile(r"\n{3,}")


def web_library(name: str) -> ModuleType:
    """Import a library of the `web` extra, or say how to install it."""
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        raise InputError(
            _(
                "reading blog exports, feeds and web pages needs the web extra: pip install 'voicecheck[web]' ({error})"
            ).format(error=exc)
        ) from exc


def html_to_text(fragment: str) -> str:
    """The words of an HTML fragment, paragraphs and list items on their own lines.

    Every element's text is kept (a blog body is all content); scripts and styles are not.
    """
    inscriptis = web_library("inscriptis")
    config = web_library("inscriptis.model.config").ParserConfig(display_links=False, display_images=False)
    text = inscriptis.get_text(fragment, config)
    lines = "\n".join(line.strip() for line in text.splitlines())
    return _BLANK_LINES.sub("\n\n", lines).strip()
