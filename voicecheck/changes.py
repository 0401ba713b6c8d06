"""Which post files changed since a git revision, for `check --since` in CI.

A gate must never pass a file it did not read, so git's answers are read NUL-separated
(`-z`): a name git would otherwise quote (`été.md`, a newline, a quote) is taken as it is on
disk. The revision is checked to name a commit and handed to git after `--end-of-options`,
so `--since=--output=FILE` is a revision that does not exist, never an option.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterable
from pathlib import Path

from voicecheck.errors import InputError, VoicecheckError
from voicecheck.formats.escape import visible
from voicecheck.i18n import _
from voicecheck.readers import ReadStats, Source, content_format, parse_source
from voicecheck.readers.base import STDIN

#: File endings that hold posts: exports, Markdown and text, web pages and feeds.
POST_SUFFIXES = frozenset({
    ".md", ".markdown", ".txt", ".text", ".csv", ".tsv", ".json", ".jsonl", ".ndjson",
    ".html", ".htm", ".xhtml", ".rss", ".atom",
})  # fmt: skip
#: Endings that code and configuration use too: such a file holds posts when its first bytes
#: say so (an X archive's tweets file, a feed).
_POSTS_IF_SNIFFED = {".js": "x-archive", ".xml": "feed"}

#: How a POSTS argument reads as standard input or as CHANNEL=PATH (see readers.parse_source).
_NOT_A_PLAIN_PATH = re.compile(r"^(-|[\w.-]+=.*)$", re.DOTALL)


def _git(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *args], capture_output=True, check=False, cwd=cwd)
    except FileNotFoundError:
        raise VoicecheckError(_("--since needs git, which is not installed")) from None


def _output(*args: str, cwd: Path | None = None) -> bytes:
    """What git prints, or a VoicecheckError with what git said."""
    result = _git(*args, cwd=cwd)
    if result.returncode != 0:
        said = visible(result.stderr.decode("utf-8", "replace").strip()) or _("failed")
        raise VoicecheckError(_("git {command}: {said}").format(command=args[0], said=said))
    return result.stdout


def _names(output: bytes) -> list[str]:
    """NUL-separated names as Python spells file names (bytes that are not UTF-8 kept)."""
    return [os.fsdecode(name) for name in output.split(b"\0") if name]


def toplevel() -> Path:
    """The top folder of the git work tree we are in."""
    result = _git("rev-parse", "--show-toplevel")
    if result.returncode != 0:
        said = visible(result.stderr.decode("utf-8", "replace").strip()) or _("git rev-parse failed")
        raise VoicecheckError(_("--since needs a git work tree: {said}").format(said=said))
    return Path(os.fsdecode(result.stdout.removesuffix(b"\n")))  # the name may end in spaces


def resolve_commit(revision: str) -> str:
    """The commit `revision` names; anything else (an option, a range, a tree, nothing) is refused."""
    if not revision.strip():
        raise VoicecheckError(_("--since needs a git revision (a branch, tag or commit), not an empty one"))
    if "\0" in revision:
        raise VoicecheckError(_("--since '{revision}': not a git revision").format(revision=visible(revision)))
    result = _git("rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}")
    if result.returncode == 0:
        return result.stdout.decode("ascii").strip()
    empty = _git("rev-parse", "--verify", "--quiet", "HEAD").returncode != 0
    if empty:
        message = _("--since '{revision}': not a commit in this repository (the repository has no commits yet)")
    else:
        message = _("--since '{revision}': not a commit in this repository")
    raise VoicecheckError(message.format(revision=visible(revision)))


def changed_files(revision: str) -> list[Path]:
    """Every file added or modified since `revision` (committed or not) or not yet tracked.

    Deleted files are left out: there is nothing to check. The paths are absolute and not
    resolved, so a changed symbolic link is named as itself.
    """
    return _changed(toplevel(), resolve_commit(revision))


def _changed(top: Path, commit: str) -> list[Path]:
    diff = _output("diff", "--name-only", "-z", "--no-relative", "--no-ext-diff", "--no-renames",
                   "--diff-filter=d", "--end-of-options", commit, "--", cwd=top)  # fmt: skip
    untracked = _output("ls-files", "-z", "--others", "--exclude-standard", "--full-name", cwd=top)
    names = dict.fromkeys([*_names(diff), *_names(untracked)])
    paths = [top / name for name in names]
    return [path for path in paths if not path.is_dir()]  # a submodule is no post file


def changed_since(revision: str, among: Iterable[str] = ()) -> list[str]:
    """Post files added or modified since `revision` (committed or not), as POSTS arguments.

    With `among` (the POSTS arguments: files, folders, CHANNEL=PATH), the files a plain
    read of them would take (a folder's pages and Markdown posts, an X archive's tweets
    files), less those git tracks and says did not change, keeping their channel tags: a file
    outside the work tree or one git ignores is read, as git cannot tell whether it changed.
    Otherwise every changed file that holds posts. A changed file that cannot be read is
    kept, so that reading it fails the run rather than passing it unread.
    """
    top = toplevel()
    commit = resolve_commit(revision)
    changed = _changed(top, commit)
    wanted = list(among)
    if not wanted:
        return sorted(_argument(path) for path in changed if _holds_posts(path))
    by_content = {_real(path) for path in changed}
    tracked = _tracked(top)
    found = []
    for argument in wanted:
        source = parse_source(argument)
        if source.path == STDIN:
            raise InputError(_("--since picks changed files; standard input ('-') is not one"))
        given = _real(source.path)
        if not source.path.exists():
            if _existed(top, commit, given):
                continue  # deleted since: nothing to check
            message = _("{path}: no such file or folder, now or at --since")
            raise InputError(message.format(path=visible(str(source.path))))
        if given.is_dir():
            files = Source(source.path).files(ReadStats())
            paths = sorted(_argument(path) for path in files if _unless_unchanged(path, by_content, tracked))
        else:
            paths = [str(source.path)] if _unless_unchanged(source.path, by_content, tracked) else []
        found += [f"{source.channel}={path}" if source.channel else path for path in paths]
    return found


def _unless_unchanged(path: Path, changed: set[Path], tracked: frozenset[Path]) -> bool:
    """Whether to read `path`: it changed, or git does not track it and so cannot say."""
    return _real(path) in changed or _place(path) not in tracked


def _holds_posts(path: Path) -> bool:
    """Whether a changed file holds posts, by its ending (and, for `.js` and `.xml`, its first bytes)."""
    suffix = path.suffix.lower()
    if suffix in POST_SUFFIXES:
        return True
    if suffix not in _POSTS_IF_SNIFFED:
        return False
    try:
        return content_format(path) == _POSTS_IF_SNIFFED[suffix]
    except (InputError, OSError):
        return True  # reading it will say what is wrong with it


def _tracked(top: Path) -> frozenset[Path]:
    """The files git tracks in the work tree, each as `_place` names it."""
    names = _names(_output("ls-files", "-z", "--full-name", cwd=top))
    real_top = _real(top)
    return frozenset(real_top / name for name in names)


def _place(path: Path) -> Path:
    """Where a file is, its folder's links resolved but not its own: a changed link is named as itself."""
    return _real(path.parent) / path.name


def _existed(top: Path, commit: str, path: Path) -> bool:
    """Whether `path` was in the work tree at `commit` (it was deleted since: nothing to check)."""
    if not path.is_relative_to(top):
        return False
    return _git("cat-file", "-e", f"{commit}:{path.relative_to(top).as_posix()}", cwd=top).returncode == 0


def _real(path: Path) -> Path:
    """An absolute path with its links resolved, to tell whether two names are one file."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a loop of links
        return path.absolute()


def _argument(path: Path) -> str:
    """The path as a POSTS argument: relative to here where it can be, never read as '-' or CHANNEL=PATH."""
    here = Path.cwd().resolve()
    name = str(path.relative_to(here)) if path.is_relative_to(here) else str(path)
    return f".{os.sep}{name}" if _NOT_A_PLAIN_PATH.match(name) else name
