"""Running the real command in French, and telling French output from English."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: Words of English sentences that French output never holds (paths and file names aside).
ENGLISH = (
    "the",
    "not",
    "is",
    "no",
    "of",
    "could",
    "with",
    "cannot",
    "must",
    "read",
    "line",
    "file",
    "error",
    "from",
    "skipped",
)


def run_in_french(*args: object, by_locale: bool = False, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`voicecheck ARGS` with --lang fr, or (`by_locale`) with only a French locale to go by."""
    env = {k: v for k, v in os.environ.items() if k not in ("VOICECHECK_LANG", "LC_ALL", "LC_MESSAGES", "LANG")}
    env.update(PYTHONWARNINGS="ignore", LANG="fr_CA.UTF-8" if by_locale else "C.UTF-8")
    command, *rest = map(str, args)
    lang = [] if by_locale else ["--lang", "fr"]
    return subprocess.run(
        [sys.executable, "-m", "voicecheck", command, *lang, *rest],
        capture_output=True, text=True, cwd=cwd or ROOT, env=env, timeout=600,
    )  # fmt: skip


def english_words(text: str, *paths: object) -> list[str]:
    """The English words in `text`, once the paths it names are taken out."""
    for path in sorted(map(str, paths), key=len, reverse=True):
        text = text.replace(path, " ")
    words = set(re.findall(r"[a-z]+", text.lower()))
    return sorted(words & set(ENGLISH))


def spaced(text: str) -> str:
    """`text` with the non-breaking spaces of French typography ("erreur\u00a0:") as plain spaces."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")
