"""Where results go (`-o FILE`): never over an input, and never half-written.

The results are written to a temporary file beside FILE and moved over it only once the run
has written them all, so a run that fails leaves FILE as it was: no empty or truncated
results for a later CI step to trust. FILE may not be one of the run's inputs.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from voicecheck.errors import InputError, VoicecheckError
from voicecheck.formats.escape import visible
from voicecheck.i18n import _
from voicecheck.readers import FOLDER_SUFFIXES, ReadStats, Source, parse_source
from voicecheck.readers.base import STDIN

#: Why writing to a file that opened fine can still fail.
_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO}


def refuse_overwriting_inputs(output: str, arguments: Iterable[str], model_dir: str | None = None) -> None:
    """Raise if `output` is a file the run reads: a POSTS argument, a file in a POSTS folder, the model's."""
    target = Path(output)
    for argument in arguments:
        source = parse_source(argument)
        if source.path != STDIN and _reads(source, target):
            message = _(
                "-o {output} is also an input ({argument}): the results would replace it; write them to another file"
            )
            raise InputError(message.format(output=visible(output), argument=visible(argument)))
    if model_dir and _real(target).is_relative_to(_real(Path(model_dir))):
        message = _("-o {output} is inside the model folder {model}; write it elsewhere")
        raise InputError(message.format(output=visible(output), model=visible(model_dir)))


def _reads(source: Source, target: Path) -> bool:
    """Whether reading `source` reads `target`: itself, or a file its folder holds or would hold.

    A new file in a POSTS folder with an ending the folder's reading takes (results.md) counts:
    the next run would read the results as posts.
    """
    if _same(source.path, target):
        return True
    if not source.path.is_dir():
        return False
    folder, place = _real(source.path), _real(target.parent) / target.name
    if place.is_relative_to(folder) and target.suffix.lower() in FOLDER_SUFFIXES:
        return not any(part.startswith(".") for part in place.relative_to(folder).parts)
    if not target.exists():
        return False
    try:
        return any(_same(path, target) for path in source.files(ReadStats()))
    except VoicecheckError:  # a folder with no posts: reading it fails, and says so, later
        return False


def _same(a: Path, b: Path) -> bool:
    """One file under two names: the same resolved path, or the same file (hard links, case)."""
    try:
        return _real(a) == _real(b) or (a.exists() and b.exists() and os.path.samefile(a, b))
    except OSError:
        return False


def _real(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a loop of links
        return path.absolute()


@contextmanager
def atomic_output(path: str | None) -> Iterator[TextIO]:
    """Standard output, or a file beside `path` that replaces it when the block ends without error.

    A path that exists and is no regular file (/dev/stdout, a named pipe) is written in place.
    A new file gets the permissions `open` would give it; a replaced one keeps its own.
    """
    if path is None:
        yield sys.stdout
        return
    if os.path.exists(path) and not os.path.isfile(path):
        with _opened(Path(path)) as handle:
            yield handle
        return
    target = Path(os.path.realpath(path))  # through a symbolic link, not over it
    try:
        descriptor, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise _cannot_write(path, exc) from exc
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as handle:
            yield handle
        os.chmod(temporary, _mode(target))
        os.replace(temporary, target)
    except BaseException as exc:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(exc, OSError) and (exc.errno in _FULL or exc.filename in (temporary, str(target))):
            raise _cannot_write(path, exc) from exc
        raise


@contextmanager
def _opened(target: Path) -> Iterator[TextIO]:
    try:
        handle = open(target, "w", encoding="utf-8", newline="")  # noqa: SIM115 (its errors alone are ours)
    except OSError as exc:
        raise _cannot_write(str(target), exc) from exc
    try:
        with handle:
            yield handle
    except OSError as exc:  # a full disk, or a device that refuses what is written (/dev/full)
        if exc.errno not in _FULL:
            raise
        raise _cannot_write(str(target), exc) from exc


def _cannot_write(path: str, exc: OSError) -> VoicecheckError:
    return VoicecheckError(_("{path}: cannot write ({reason})").format(path=visible(path), reason=exc.strerror))


def _mode(target: Path) -> int:
    """The permissions of the file replaced, or what a new file gets under the umask."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def cannot_write_stdout(exc: OSError) -> VoicecheckError | None:
    """The error to give when standard output cannot take what is written (a full disk), else None."""
    if exc.errno not in _FULL:
        return None
    return VoicecheckError(_("the output: cannot write ({reason})").format(reason=exc.strerror))
