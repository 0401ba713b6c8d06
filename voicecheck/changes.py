"""Which post files changed since a git revision, for `check --since` in CI."""

from __future__ import annotations

import subprocess
from collections.abc import Iterable
from pathlib import Path

from voicecheck.errors import VoicecheckError

#: File endings that hold posts; other changed files (code, images) are not posts.
POST_SUFFIXES = frozenset({".md", ".markdown", ".txt", ".csv", ".tsv", ".json", ".jsonl", ".ndjson"})


def _git(*args: str) -> str:
    try:
        result = subprocess.run(["git", *args], capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise VoicecheckError("--since needs git, which is not installed") from None
    if result.returncode != 0:
        raise VoicecheckError(f"git {' '.join(args)}: {result.stderr.strip() or 'failed'}")
    return result.stdout


def changed_since(revision: str, among: Iterable[str] = ()) -> list[str]:
    """Post files added or modified since `revision` (committed or not), relative to here.

    With `among`, only those of the given files that changed; otherwise every changed file
    whose ending says it holds posts. Deleted files are left out: there is nothing to check.
    """
    top = Path(_git("rev-parse", "--show-toplevel").strip())
    names = _git("diff", "--name-only", "--diff-filter=ACMR", "--no-renames", revision, "--").splitlines()
    untracked = _git("ls-files", "--others", "--exclude-standard", "--full-name").splitlines()
    changed = {(top / name).resolve() for name in [*names, *untracked]}
    wanted = list(among)
    if wanted:
        return [path for path in wanted if Path(path).resolve() in changed]
    here = Path.cwd().resolve()
    return sorted(
        str(path.relative_to(here)) if path.is_relative_to(here) else str(path)
        for path in changed
        if path.suffix.lower() in POST_SUFFIXES and path.is_file()
    )
