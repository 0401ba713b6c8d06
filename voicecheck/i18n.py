"""The language voicecheck speaks to its user, and its message catalogs.

Messages are English message ids with named placeholders, translated through standard gettext
catalogs (`voicecheck/locale/<lang>/LC_MESSAGES/voicecheck.po`, compiled to `.mo` and shipped
in the package), so a translator adds a language by adding a catalog, without touching code.
Click's own words (usage errors, help headings) have their catalog beside it, `click.po`.
The language is chosen once per run: `--lang`, else `$VOICECHECK_LANG`, else the locale
(`LC_ALL`, `LC_MESSAGES`, `LANG`), else English. Numbers are formatted for the language
("0,59", "10 %" in French) at the edge, by `number` and `percent`.
"""

from __future__ import annotations

import gettext as _gettext
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from importlib import resources

DOMAIN = "voicecheck"
#: The catalog of click's own words (usage errors, help headings), which clihelp gives click.
CLICK_DOMAIN = "click"
DEFAULT = "en"
#: The languages voicecheck speaks: English (the message ids) and those with a catalog.
SPOKEN = ("en", "fr")
_active = DEFAULT
#: The language of one piece of work inside the run (a service request's upload, read in a
#: thread of its own), over the run's.
_speaking: ContextVar[str | None] = ContextVar("voicecheck_speaking", default=None)


def language_from(explicit: str | None = None, environ: Mapping[str, str] | None = None) -> str | None:
    """The language asked for: `explicit`, else $VOICECHECK_LANG, else the locale; None if none is ours."""
    environ = os.environ if environ is None else environ
    for value in (explicit, environ.get("VOICECHECK_LANG"), *_locale_settings(environ)):
        code = (value or "").split(".")[0].split("_")[0].split("-")[0].lower()
        if code in SPOKEN:
            return code
    return None


def _locale_settings(environ: Mapping[str, str]) -> list[str]:
    """The locale that sets messages, as POSIX reads it: the first of LC_ALL, LC_MESSAGES, LANG that is set."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if environ.get(name):
            return [environ[name]]
    return []


def set_language(lang: str) -> None:
    """Speak `lang` from now on (in this process): messages, errors and numbers."""
    global _active
    _active = lang if lang in SPOKEN else DEFAULT


def active() -> str:
    return _speaking.get() or _active


@contextmanager
def speaking(lang: str) -> Iterator[None]:
    """Speak `lang` inside the block, in this thread alone: the service reads a request's file in
    the language the request asked for while other threads read and judge in theirs."""
    token = _speaking.set(lang if lang in SPOKEN else DEFAULT)
    try:
        yield
    finally:
        _speaking.reset(token)


@cache
def translations(lang: str, domain: str = DOMAIN) -> _gettext.NullTranslations:
    """The compiled catalog of `domain` for `lang`; English (the message ids themselves) needs none."""
    if lang == DEFAULT:
        return _gettext.NullTranslations()
    catalog = resources.files("voicecheck") / "locale" / lang / "LC_MESSAGES" / f"{domain}.mo"
    with catalog.open("rb") as handle:
        return _gettext.GNUTranslations(handle)


def gettext(message: str, lang: str | None = None) -> str:
    """`message` in `lang` (default: the active language)."""
    return translations(lang or active()).gettext(message)


def ngettext(singular: str, plural: str, count: int, lang: str | None = None) -> str:
    return translations(lang or active()).ngettext(singular, plural, count)


def _(message: str) -> str:
    """The usual gettext marker: `_("{count} posts read").format(count=...)`."""
    return gettext(message)


def N_(message: str) -> str:
    """Marks a message id for extraction where it is translated later (tables of labels)."""
    return message


def number(value: float, lang: str | None = None, decimals: int = 0, grouping: bool = False) -> str:
    """`value` with `decimals` places, written as the language writes numbers: 1.5 / 1,5."""
    lang = lang or active()
    if isinstance(value, int) and not decimals and abs(value) >= HUGE:
        return _huge(value, lang, grouping)
    if lang == DEFAULT:
        return f"{value:,.{decimals}f}" if grouping else f"{value:.{decimals}f}"
    from babel.numbers import format_decimal

    pattern = ("#,##0" if grouping else "0") + ("." + "0" * decimals if decimals else "")
    return str(format_decimal(round(value, decimals), format=pattern, locale=_LOCALES[lang]))


#: Whole numbers from this size on are written digit for digit: a float overflows past 1e308,
#: and the decimals Babel formats with round them past 28 digits (a count in a hostile file).
HUGE = 10**15


def _huge(value: int, lang: str, grouping: bool) -> str:
    grouped = f"{value:,d}" if grouping else f"{value:d}"
    if lang == DEFAULT or not grouping:
        return grouped
    from babel.numbers import get_group_symbol

    return grouped.replace(",", get_group_symbol(_LOCALES[lang]))


def percent(share: float, lang: str | None = None) -> str:
    """A share (0.1) as the language writes a percentage: 10% / 10 %."""
    lang = lang or active()
    if lang == DEFAULT:
        return f"{share:.0%}"
    from babel.numbers import format_percent

    return str(format_percent(share, format="#,##0 %", locale=_LOCALES[lang]))


_LOCALES = {"en": "en_CA", "fr": "fr_CA"}
