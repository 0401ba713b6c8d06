"""--help and usage errors in the user's language."""

from __future__ import annotations

import os
import subprocess
import sys

import click

from voicecheck.cli import main
from voicecheck.clihelp import help_texts


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
