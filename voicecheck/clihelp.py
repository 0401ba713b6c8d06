"""`--help` in the user's language: click commands whose help texts go through the catalogs.

Click reads a command's docstring and each option's `help` when it formats the help page, so
these classes translate them at that moment, in the language `i18n` speaks by then: the group
sets it from $VOICECHECK_LANG or the locale before anything is parsed, and an eager `--lang`
given before `--help` changes it. The texts are extracted for the catalogs by `extract` below
(babel.cfg names it), since they are keyword arguments and docstrings, not `_()` calls.
"""

from __future__ import annotations

import gettext
import inspect
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from importlib import resources
from typing import Any

import click

from voicecheck import i18n

#: Click's own words on a help page or in a usage error, which its gettext calls look up.
CLICK_MESSAGES = (
    "Usage:", "Options", "Commands", "Show this message and exit.", "Show the version and exit.",
    "Error: {message}", "Try '{command} {option}' for help.", "Invalid value for {param_hint}: {message}",
    "Missing argument", "Missing option", "Missing command.", "No such option {name!r}.", "No such command {name!r}.",
    "default: {default}", "env var: {var}", "{name} {filename!r} does not exist.",
    "{name} {filename!r} is a directory.", "{name} {filename!r} is a file.", "path", "file", "directory",
)  # fmt: skip


def speak(lang: str) -> None:
    """Speak `lang` from now on: voicecheck's messages and click's own (usage errors, headings)."""
    i18n.set_language(lang)
    # click calls the standard gettext functions: give them voicecheck's catalogs and language.
    gettext.bindtextdomain(i18n.DOMAIN, str(resources.files("voicecheck") / "locale"))
    gettext.textdomain(i18n.DOMAIN)
    os.environ["LANGUAGE"] = i18n.active()


@contextmanager
def _translated(params: Sequence[click.Parameter]) -> Iterator[None]:
    """Each option's help in the active language while the block formats them."""
    originals = [getattr(param, "help", None) for param in params]
    try:
        for param, text in zip(params, originals, strict=True):
            if text:
                param.help = i18n.gettext(text)
        yield
    finally:
        for param, text in zip(params, originals, strict=True):
            if text:
                param.help = text


def _doc(text: str | None) -> str | None:
    return i18n.gettext(inspect.cleandoc(text)) if text else text


class TranslatedCommand(click.Command):
    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        original = self.help
        self.help = _doc(original)
        try:
            super().format_help_text(ctx, formatter)
        finally:
            self.help = original

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with _translated(self.get_params(ctx)):
            super().format_options(ctx, formatter)

    def get_short_help_str(self, limit: int = 45) -> str:
        original = self.help
        self.help = _doc(original)
        try:
            return super().get_short_help_str(limit)
        finally:
            self.help = original


class TranslatedGroup(click.Group, TranslatedCommand):
    """The command group: speaks the environment's language from the start; its commands translate."""

    command_class = TranslatedCommand

    def main(self, *args: Any, **kwargs: Any) -> Any:
        speak(i18n.language_from() or i18n.DEFAULT)
        return super().main(*args, **kwargs)

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with _translated(self.get_params(ctx)):
            click.Command.format_options(self, ctx, formatter)
        self.format_commands(ctx, formatter)


def help_texts(group: click.Group) -> Iterator[str]:
    """Every help text of `group` and its commands: docstrings and options' help."""
    for command in [group, *group.commands.values()]:
        if command.help:
            yield inspect.cleandoc(command.help)
        for param in command.params:
            if text := getattr(param, "help", None):
                yield text


def extract(fileobj: Any, keywords: Any, comment_tags: Any, options: Any) -> Iterator[tuple[int, str, str, list[str]]]:
    """A Babel extraction method: the CLI's help texts and click's own words (babel.cfg maps this module to it)."""
    del fileobj, keywords, comment_tags, options
    from voicecheck.cli import main

    for text in dict.fromkeys([*help_texts(main), *CLICK_MESSAGES]):
        yield 0, "", text, []
