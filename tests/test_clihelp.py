"""--help and usage errors in the user's language."""

from __future__ import annotations

import gettext
import importlib
import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import click
import pytest
from click.testing import CliRunner, Result

from voicecheck.cli import main
from voicecheck.clihelp import CLICK_MODULES, help_texts, language_asked


def run(*args: str, lang: str | None = None, **env_vars: str) -> subprocess.CompletedProcess[str]:
    unset = ("LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE", "VOICECHECK_LANG")
    env = {k: v for k, v in os.environ.items() if k not in unset} | env_vars
    if lang:
        env["LANG"] = lang
    return subprocess.run([sys.executable, "-m", "voicecheck", *args], capture_output=True, text=True, env=env)


def test_help_is_in_french_with_lang_fr_or_a_french_locale() -> None:
    by_option = run("check", "--lang", "fr", "--help").stdout
    by_locale = run("check", "--help", lang="fr_CA.UTF-8").stdout
    for page in (by_option, by_locale):
        assert "Utilisation" in page and "Afficher ce message et quitter." in page
        assert "Judge each post" not in page and "Show this message and exit." not in page
    assert "Commandes" in run("--help", lang="fr_CA.UTF-8").stdout


def test_help_in_english_is_as_written_in_the_code() -> None:
    page = run("check", "--help").stdout
    assert "Usage:" in page and "Judge each post in POSTS against the brand's voice" in page


def test_a_usage_error_is_in_french_and_still_exits_2() -> None:
    result = run("check", "--no-such-option", VOICECHECK_LANG="fr")
    assert result.returncode == 2 and "Erreur" in result.stderr


def test_every_command_and_option_has_help() -> None:
    for command in [main, *main.commands.values()]:
        assert command.help, command.name
        for param in command.params:
            if isinstance(param, click.Option):
                assert param.help, (command.name, param.name)
    assert len(list(help_texts(main))) > 30


#: Usage errors as a user meets them: the arguments (after the command's name), then what they
#: read in French and in English.
USAGE_ERRORS = [
    (
        ["check", "--model", "model", "--bogus", "posts.csv"],
        ["Erreur\xa0: L'option '--bogus' n'existe pas. Vouliez-vous dire '--jobs'\xa0?", "Utilisation\xa0:",
         "Essayez «\xa0main check --help\xa0» pour obtenir de l'aide."],
        ["Error: No such option '--bogus'. Did you mean '--jobs'?", "Usage:", "Try 'main check --help' for help."],
    ),
    (["tone"], ["Erreur\xa0: Argument manquant 'POSTS...'."], ["Error: Missing argument 'POSTS...'."]),
    (
        ["check", "--model", "model", "--jobs", "0", "posts.csv"],
        ["Valeur non valide pour '-j' / '--jobs'\xa0: 0 est hors de l'intervalle permis (1<=x<=64)."],
        ["Invalid value for '-j' / '--jobs': 0 is not in the range 1<=x<=64."],
    ),
    (
        ["check", "--model", "model", "--jobs", "abc", "posts.csv"],
        ["Valeur non valide pour '-j' / '--jobs'\xa0: 'abc' n'est pas un nombre entier valide."],
        ["Invalid value for '-j' / '--jobs': 'abc' is not a valid integer range."],
    ),
    (
        ["fit", "--out", "model", "--false-flag-rate", "x", "posts.csv"],
        ["Valeur non valide pour '--false-flag-rate'\xa0: 'x' n'est pas un nombre valide."],
        ["Invalid value for '--false-flag-rate': 'x' is not a valid float."],
    ),
    (
        ["check", "--model", "model", "--format", "xml", "posts.csv"],
        ["'xml' ne fait pas partie des choix possibles\xa0: 'text', 'json'"],
        ["'xml' is not one of 'text', 'json'"],
    ),
    (["check", "--model"], ["L'option '--model' exige un argument."], ["Option '--model' requires an argument."]),
    (["init", "a.toml", "b.toml"], ["Argument en trop (b.toml)"], ["Got unexpected extra argument (b.toml)"]),
    (["init", "."], ["Fichier '.'\xa0: il s'agit d'un dossier."], ["File '.' is a directory."]),
    (["chek"], ["La commande 'chek' n'existe pas. Vouliez-vous dire 'check'\xa0?"],
     ["No such command 'chek'. Did you mean 'check'?"]),
]  # fmt: skip
ENGLISH_ENV: dict[str, str | None] = dict.fromkeys(("LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE", "VOICECHECK_LANG"))


def invoke(args: list[str], **env_vars: str) -> Result:
    """The command line in this process, in an English environment but for `env_vars`."""
    return CliRunner().invoke(main, args, env=ENGLISH_ENV | env_vars)


def with_lang_fr(args: list[str]) -> list[str]:
    return [args[0], "--lang", "fr", *args[1:]] if args[0] in main.commands else args


@pytest.mark.parametrize(("args", "french", "english"), USAGE_ERRORS)
def test_click_s_usage_errors_are_in_french_by_option_or_environment_and_english_otherwise(
    args: list[str], french: list[str], english: list[str]
) -> None:
    runs = {"--lang fr": invoke(with_lang_fr(args)), "VOICECHECK_LANG=fr": invoke(args, VOICECHECK_LANG="fr")}
    if args[0] not in main.commands:  # no command to take --lang: the environment alone
        del runs["--lang fr"]
    for how, result in runs.items():
        assert result.exit_code == 2, (how, result.output)
        for text in french:
            assert text in result.output, (how, result.output)
        for text in english:
            assert text not in result.output, (how, result.output)
    result = invoke(args)
    assert result.exit_code == 2
    for text in english:
        assert text in result.output, result.output


@pytest.mark.parametrize("how", ["--lang fr", "VOICECHECK_LANG=fr"])
def test_click_s_help_chrome_is_in_french(how: str) -> None:
    args, env = (
        (["check", "--lang", "fr", "--help"], {})
        if how == "--lang fr"
        else (["check", "--help"], {"VOICECHECK_LANG": "fr"})
    )
    page = invoke(args, **env).output
    for text in ("Utilisation\xa0: main check", "Options\xa0:\n", "Afficher ce message et quitter.", "[obligatoire]",
                 "par défaut\xa0: 1"):  # fmt: skip
        assert text in page, page
    for text in ("Usage:", "Options:", "Show this message and exit.", "[required]", "default: 1"):
        assert text not in page, page
    group = invoke(["--help"], VOICECHECK_LANG="fr").output
    assert "Commandes\xa0:\n" in group and "Afficher la version et quitter." in group and "Options\xa0:\n" in group


def test_english_after_french_in_the_same_process_is_click_as_it_comes() -> None:
    assert "Afficher ce message" in invoke(["check", "--lang", "fr", "--help"]).output
    assert any(getattr(module, function) is not gettext.gettext for module, function in click_functions())
    page = invoke(["check", "--help"]).output
    assert "Usage:" in page and "Options:\n" in page and "Show this message and exit." in page and "[required]" in page
    error = invoke(["check", "--model", "model", "--bogus"]).output
    assert "Error: No such option '--bogus'" in error and "Erreur" not in error
    # English gives click back the very functions it imported from gettext.
    standard = {"_": gettext.gettext, "ngettext": gettext.ngettext}
    assert all(getattr(module, function) is standard[function] for module, function in click_functions())


def click_functions() -> Iterator[tuple[Any, str]]:
    """Click's modules and the translation functions each calls."""
    for name in CLICK_MODULES:
        module = importlib.import_module(f"click.{name}")
        for function in ("_", "ngettext"):
            if hasattr(module, function):
                yield module, function


def test_lang_fr_before_an_error_in_parsing_speaks_french_in_a_real_run() -> None:
    result = run("check", "--lang", "fr", "--model", "model", "--bogus", "posts.csv")
    assert result.returncode == 2
    assert "Erreur\xa0: L'option '--bogus' n'existe pas." in result.stderr and "Utilisation\xa0:" in result.stderr
    assert "No such option" not in result.stderr and "Did you mean" not in result.stderr


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["check", "--lang", "fr"], "fr"),
        (["check", "--lang=fr", "--bogus"], "fr"),
        (["check", "--lang", "fr", "--lang", "en"], "en"),
        (["check", "--lang", "de"], None),
        (["check", "--", "--lang", "fr"], None),
        (["check", "--lang"], None),
    ],
)
def test_the_language_asked_on_the_command_line_is_read_before_click_parses_it(
    args: list[str], expected: str | None
) -> None:
    assert language_asked(args) == expected
