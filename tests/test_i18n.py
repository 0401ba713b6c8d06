"""The catalogs say everything the code says, in every language, with the same placeholders."""

from __future__ import annotations

import re
import string
from pathlib import Path

import click
import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from voicecheck import clihelp, i18n

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "voicecheck" / "locale"
KEYWORDS = {"N_": None, "_": None, "gettext": None, "ngettext": (1, 2), "Feature": (2,), "skip": None, "remark": None}
TRANSLATED = [lang for lang in i18n.SPOKEN if lang != i18n.DEFAULT]


def code_messages() -> set[str | tuple[str, ...]]:
    """Every message id the package's code marks for translation, as `pybabel extract` finds them."""
    method_map = [("voicecheck/clihelp.py", "voicecheck.clihelp:extract"), ("voicecheck/**.py", "python")]
    found = extract_from_dir(str(ROOT), method_map=method_map, keywords=KEYWORDS)
    return {message for _, _, message, _, _ in found}


def catalog(lang: str):  # type: ignore[no-untyped-def]
    with open(LOCALE / lang / "LC_MESSAGES" / "voicecheck.po", "rb") as handle:
        return read_po(handle)


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_the_template_lists_every_message_of_the_code() -> None:
    with open(LOCALE / "voicecheck.pot", "rb") as handle:
        template = {message.id for message in read_po(handle) if message.id}
    assert code_messages() == template, "run the catalog commands of the README's development section"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_message_is_translated_with_the_same_placeholders(lang: str) -> None:
    messages = {message.id: message.string for message in catalog(lang) if message.id}
    for message_id in code_messages():
        assert message_id in messages, f"no {lang} translation of {message_id!r}"
        ids = message_id if isinstance(message_id, tuple) else (message_id,)
        strings = messages[message_id] if isinstance(message_id, tuple) else (messages[message_id],)
        assert all(strings), f"empty {lang} translation of {message_id!r}"
        for translated in strings:
            assert placeholders(translated) == placeholders(ids[-1]), (message_id, translated)


def entries(messages: object) -> dict[object, object]:
    """Message ids and strings, plural forms as tuples, whether read from a .po or a .mo."""

    def key(value: str | list[str] | tuple[str, ...]) -> object:
        return value if isinstance(value, str) else tuple(value)

    return {key(m.id): key(m.string) for m in messages if m.id and not m.fuzzy}  # type: ignore[attr-defined]


@pytest.mark.parametrize("lang", TRANSLATED)
def test_the_shipped_compiled_catalog_matches_its_source(lang: str) -> None:
    with open(LOCALE / lang / "LC_MESSAGES" / "voicecheck.mo", "rb") as handle:
        compiled = entries(read_mo(handle))
    assert compiled == entries(catalog(lang)), "compile the catalogs again (pybabel compile)"


@pytest.mark.parametrize(
    ("explicit", "environ", "expected"),
    [
        ("fr", {"VOICECHECK_LANG": "en", "LANG": "en_US.UTF-8"}, "fr"),
        (None, {"VOICECHECK_LANG": "fr", "LANG": "en_US.UTF-8"}, "fr"),
        (None, {"LANG": "fr_CA.UTF-8"}, "fr"),
        (None, {"LC_ALL": "fr_FR.UTF-8", "LANG": "en_CA.UTF-8"}, "fr"),
        (None, {"LC_MESSAGES": "fr_CA", "LANG": "C.UTF-8"}, "fr"),
        (None, {"LANG": "de_DE.UTF-8"}, None),
        (None, {"LANG": "C"}, None),
        (None, {}, None),
    ],
)
def test_language_comes_from_the_option_then_the_environment_then_the_locale(
    explicit: str | None, environ: dict[str, str], expected: str | None
) -> None:
    assert i18n.language_from(explicit, environ) == expected


def test_numbers_and_percentages_are_written_as_each_language_writes_them() -> None:
    assert i18n.number(0.59, "en", 2) == "0.59" and i18n.number(0.59, "fr", 2) == "0,59"
    assert i18n.number(12345, "en", grouping=True) == "12,345"
    assert i18n.number(12345, "fr", grouping=True).replace("\u202f", " ").replace("\xa0", " ") == "12 345"
    assert i18n.percent(0.1, "en") == "10%" and i18n.percent(0.1, "fr").replace("\xa0", " ") == "10 %"


def test_a_count_of_any_size_is_written_digit_for_digit() -> None:
    # A hostile model.json may hold a count of hundreds of digits: its error message must still be written.
    huge = 10**400 + 7
    assert i18n.number(huge, "en", grouping=True).replace(",", "") == str(huge)
    french = i18n.number(huge, "fr", grouping=True)
    assert french.replace("\u202f", "").replace("\xa0", "") == str(huge)
    group = i18n.number(10**14, "fr", grouping=True)[3]  # Babel's own group symbol, for a number it can write
    assert french.count(group) == (len(str(huge)) - 1) // 3
    assert i18n.number(10**15 - 1, "en", grouping=True) == "999,999,999,999,999"


def click_catalog(lang: str):  # type: ignore[no-untyped-def]
    with open(LOCALE / lang / "LC_MESSAGES" / "click.po", "rb") as handle:
        return read_po(handle)


def fields(text: str) -> set[str]:
    """The placeholders of a message, as written: `{name!r}`, `{nargs}`, `%(prog)s`."""
    braces = {f"{{{name}{'!' + conversion if conversion else ''}{':' + spec if spec else ''}}}"
              for _, name, spec, conversion in string.Formatter().parse(text) if name is not None}  # fmt: skip
    return braces | set(re.findall(r"%\([a-z_]+\)[sdr]", text))


def click_messages() -> set[str | tuple[str, ...]]:
    """Every message the installed click marks for translation, and those it translates unmarked."""
    found = extract_from_dir(str(Path(click.__file__).parent), keywords={"_": None, "ngettext": (1, 2)})
    return {message for _, _, message, _, _ in found} | set(clihelp.CLICK_UNMARKED)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_word_of_click_is_translated_with_the_same_placeholders(lang: str) -> None:
    messages = [message for message in click_catalog(lang) if message.id]
    assert messages
    for message in messages:
        strings = message.string if message.pluralizable else (message.string,)
        assert all(strings) and not message.fuzzy, f"no {lang} translation of {message.id!r}"
        if not message.pluralizable:
            assert fields(message.string) == fields(message.id), (message.id, message.string)
            continue
        singular, plural = message.id
        # The first form also says 0 in French: it may name the count the plural names.
        assert fields(singular) <= fields(strings[0]) <= fields(singular) | fields(plural), (message.id, strings)
        assert all(fields(form) == fields(plural) for form in strings[1:]), (message.id, strings)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_word_the_installed_click_can_say_has_a_translation(lang: str) -> None:
    translated = {tuple(m.id) if m.pluralizable else m.id for m in click_catalog(lang) if m.id}
    missing = click_messages() - translated
    assert not missing, f"extract click's messages again (the README's development section): {sorted(missing, key=str)}"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_the_shipped_compiled_click_catalog_matches_its_source(lang: str) -> None:
    with open(LOCALE / lang / "LC_MESSAGES" / "click.mo", "rb") as handle:
        compiled = entries(read_mo(handle))
    assert compiled == entries(click_catalog(lang)), "compile the catalogs again (pybabel compile)"


def test_speaking_a_language_holds_in_its_own_thread_alone() -> None:
    import threading

    i18n.set_language("en")  # the run's language, which the thread's speaking overrides for it alone
    heard: dict[str, str] = {}
    inside, leave = threading.Event(), threading.Event()

    def reader() -> None:
        with i18n.speaking("fr"):
            heard["inside"] = i18n.gettext("no text")
            inside.set()
            leave.wait(10)
        heard["after"] = i18n.gettext("no text")

    thread = threading.Thread(target=reader)
    thread.start()
    inside.wait(10)
    heard["beside"] = i18n.gettext("no text")  # another thread, while the reader speaks French
    leave.set()
    thread.join(10)
    assert heard == {"inside": "pas de texte", "beside": "no text", "after": "no text"}
