"""Which post files changed since a git revision, for `check --since` in CI."""

from __future__ import annotations

import subprocess
from collections.abc import Iterable
from pathlib import Path

from voicecheck.errors import VoicecheckError
from voicecheck.readers import FOLDER_SUFFIXES, parse_source

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

    With `among` (the POSTS arguments: files, folders, CHANNEL=PATH), only the changed files
    among them (in a folder, those that reading the folder would take), keeping their channel
    tags; otherwise every changed file whose ending says it
    holds posts. Deleted files are left out: there is nothing to check.
    """
    top = Path(_git("rev-parse", "--show-toplevel").strip())
    names = _git("diff", "--name-only", "--diff-filter=ACMR", "--no-renames", revision, "--").splitlines()
    untracked = _git("ls-files", "--others", "--exclude-standard", "--full-name").splitlines()
    changed = {(top / name).resolve() for name in [*names, *untracked]}
    changed = {path for path in changed if path.is_file()}
    wanted = list(among)
    if not wanted:
        return sorted(_relative(path) for path in changed if path.suffix.lower() in POST_SUFFIXES)
    found = []
    for argument in wanted:
        source = parse_source(argument)
        folder = source.path.resolve()
        if folder.is_dir():
            files = sorted(p for p in changed if p.is_relative_to(folder) and p.suffix.lower() in FOLDER_SUFFIXES)
            paths = [_relative(p) for p in files]
        else:
            paths = [str(source.path)] if folder in changed else []
        found += [f"{source.channel}={path}" if source.channel else path for path in paths]
    return found


def _relative(path: Path) -> str:
    here = Path.cwd().resolve()
    return str(path.relative_to(here)) if path.is_relative_to(here) else str(path)
