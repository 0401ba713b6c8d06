"""`--help` and usage errors in the user's language: click's words and the commands' help texts.

Click reads a command's docstring and each option's `help` when it formats the help page, so
these classes translate them at that moment, in the language `i18n` speaks by then: the group
sets it before anything is parsed, from a `--lang` on the command line, else $VOICECHECK_LANG
or the locale, so that even an error in parsing the rest is in that language. The texts are
extracted for the catalogs by `extract` below (babel.cfg names it), since they are keyword
arguments and docstrings, not `_()` calls.

Click's own words ("Usage:", "No such option", "Missing argument"...) are in a catalog of their
own, `click` (`voicecheck/locale/<lang>/LC_MESSAGES/click.po`), extracted from click's sources.
Each of click's modules translates through the `_` and `ngettext` it imported from the standard
`gettext`; `speak` binds them to that catalog in another language, and gives click back its own
in English, so an English run is click as it comes.
"""

from __future__ import annotations

import importlib
import inspect
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import click

from voicecheck import i18n
from voicecheck.i18n import N_

#: Click's modules that translate words, each through its own `_` and `ngettext`.
CLICK_MODULES = (
    "core", "decorators", "exceptions", "formatting", "parser", "shell_completion", "termui", "types", "utils",
    "_termui_impl",
)  # fmt: skip
#: Click's functions as imported, given back when the run speaks English.
_CLICK_FUNCTIONS: dict[tuple[str, str], Any] = {}


def looked_up(message: str) -> str:
    """Marks a word click translates that its sources do not mark (`pybabel extract -k looked_up`)."""
    return message


#: Words click passes to `_` at run time that extraction from its sources cannot see.
CLICK_UNMARKED = (looked_up("required"),)


def speak(lang: str) -> None:
    """Speak `lang` from now on: voicecheck's messages and click's own (usage errors, headings)."""
    i18n.set_language(lang)
    _bind_click(i18n.active())


def _bind_click(lang: str) -> None:
    """Click's translation functions: its `click` catalog in `lang`; in English, click's own, untouched."""
    if lang == i18n.DEFAULT:
        for (name, function), original in _CLICK_FUNCTIONS.items():
            setattr(sys.modules[f"click.{name}"], function, original)
        return
    catalog = i18n.translations(lang, i18n.CLICK_DOMAIN)
    for name in CLICK_MODULES:
        try:
            module = importlib.import_module(f"click.{name}")
        except ImportError:  # a click without this module
            continue
        for function, method in (("_", catalog.gettext), ("ngettext", catalog.ngettext)):
            if hasattr(module, function):
                _CLICK_FUNCTIONS.setdefault((name, function), getattr(module, function))
                setattr(module, function, method)


def language_asked(args: Sequence[str]) -> str | None:
    """The language a `--lang` among `args` asks for (the last one, as click takes it), before click parses them."""
    asked = None
    for index, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and index + 1 < len(args):
            asked = i18n.language_from(args[index + 1], {}) or asked
        elif arg.startswith("--lang="):
            asked = i18n.language_from(arg.removeprefix("--lang="), {}) or asked
    return asked


def _help(text: str) -> str:
    """An option's help in the active language: voicecheck's words, else click's (--help, --version)."""
    translated = i18n.gettext(text)
    return translated if translated != text else i18n.translations(i18n.active(), i18n.CLICK_DOMAIN).gettext(text)


@contextmanager
def _translated(params: Sequence[click.Parameter]) -> Iterator[None]:
    """Each option's help in the active language while the block formats them."""
    originals = [getattr(param, "help", None) for param in params]
    try:
        for param, text in zip(params, originals, strict=True):
            if text:
                param.help = _help(text)
        yield
    finally:
        for param, text in zip(params, originals, strict=True):
            if text:
                param.help = text


def _doc(text: str | None) -> str | None:
    return i18n.gettext(inspect.cleandoc(text)) if text else text


#: The help of --help, as click words it.
HELP_OPTION_HELP = "Show this message and exit."


#: Click's names of its number types, which its "not a valid ..." error inserts as they are.
NUMBER_KINDS = {
    "integer": N_("whole number"),
    "integer range": N_("whole number"),
    "float": N_("number"),
    "float range": N_("number"),
}


class _TranslatedNumber(click.ParamType):
    """A number type whose errors name the kind of number in the language spoken then.

    Click writes "'abc' is not a valid {number_type}." with the type's English name ("integer
    range"); in another language this names the kind in that language's words. Help pages keep
    click's English metavars (INTEGER RANGE, FLOAT), as `TranslatedPath` keeps FILE.
    """

    english_name: str

    @property
    def name(self) -> str:
        if i18n.active() == i18n.DEFAULT:
            return self.english_name
        return i18n.gettext(NUMBER_KINDS[self.english_name])

    @name.setter
    def name(self, value: str) -> None:
        del value  # the English name is the class's own

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str | None:
        return self.english_name.upper()


class TranslatedIntRange(_TranslatedNumber, click.IntRange):
    """`click.IntRange`, its "not a valid" error in the language spoken then."""

    english_name = "integer range"


class TranslatedFloatRange(_TranslatedNumber, click.FloatRange):
    """`click.FloatRange`, its "not a valid" error in the language spoken then."""

    english_name = "float range"


class TranslatedFloat(_TranslatedNumber, click.types.FloatParamType):
    """`click.FLOAT`'s type, its "not a valid" error in the language spoken then."""

    english_name = "float"


class TranslatedPath(click.Path):
    """A `click.Path` whose kind ("file", "directory", "path") its errors name in the language spoken then.

    Click names the kind when the type is made, as the command line is imported, before any
    language is chosen; this names it when a message is written. Help pages keep click's
    English metavars (FILE, DIRECTORY, PATH), as they keep INTEGER and TEXT.
    """

    @property
    def name(self) -> str:
        return click.types._(self._kind())

    @name.setter
    def name(self, value: str) -> None:
        del value  # the kind follows file_okay and dir_okay

    def _kind(self) -> str:
        if self.file_okay and not self.dir_okay:
            return "file"
        return "directory" if self.dir_okay and not self.file_okay else "path"

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str | None:
        # An option's metavar is click's word for the kind; an argument's, its own name (None here).
        return self._kind().upper() if isinstance(param, click.Option) else super().get_metavar(param, ctx)


class TranslatedCommand(click.Command):
    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        # Click keeps the option it makes first, its help in the language of that run: say it in this one's.
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = _help(HELP_OPTION_HELP)
        return option

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

    def main(self, args: Sequence[str] | None = None, *rest: Any, **kwargs: Any) -> Any:
        arguments = sys.argv[1:] if args is None else list(args)
        speak(i18n.language_from(language_asked(arguments)) or i18n.DEFAULT)
        return super().main(args, *rest, **kwargs)

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
    """A Babel extraction method: the CLI's help texts and the kinds of number its errors name.

    babel.cfg maps this module to it alone, so its own `N_` marks are handed over here.
    """
    del fileobj, keywords, comment_tags, options
    from voicecheck.cli import main

    for text in dict.fromkeys([*help_texts(main), *NUMBER_KINDS.values()]):
        yield 0, "", text, []
