"""Read posts from the files social tools export, one reader per format, all streamed.

Every reader is a generator of `Post` records that counts what it read and skipped in a
`ReadStats`, so a run can always say where each row of its input went. A file that cannot
be read is named with the reason and the rest of the batch is still read.
"""

from __future__ import annotations

import os
import re
import shlex
import stat
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from voicecheck.errors import InputError
from voicecheck.i18n import _
from voicecheck.readers import feeds, guard, jsonfile, meta, plaintext, tabular, webpages, xarchive
from voicecheck.readers.base import STDIN, Columns, Post, ReadStats, cannot_read, peek

__all__ = [
    "FOLDER_SUFFIXES", "FORMATS", "Columns", "Post", "ReadStats", "Source",
    "content_format", "parse_source", "read_posts", "sniff_format",
]  # fmt: skip

Reader = Callable[[Path, Columns, ReadStats], Iterator[Post]]


def _read_markdown(path: Path, columns: Columns, stats: ReadStats) -> Iterator[Post]:
    """The Markdown reader, imported when a Markdown file is read: YAML is for front matter only."""
    from voicecheck.readers.markdown import read_markdown

    return read_markdown(path, columns, stats)


#: Input formats by name, each a generator function (path, columns, stats) -> posts.
FORMATS: dict[str, Reader] = {
    "csv": tabular.read_csv,
    "tsv": tabular.read_tsv,
    "json": jsonfile.read_json,
    "jsonl": jsonfile.read_jsonl,
    "text": plaintext.read_text,
    "markdown": _read_markdown,
    "x-archive": xarchive.read_tweets_js,
    "facebook": meta.read_facebook_posts,
    "instagram": meta.read_instagram_posts,
    "feed": feeds.read_feed,
    "html": webpages.read_page,
}

_BY_SUFFIX = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".js": "x-archive",
    ".xml": "feed",
    ".rss": "feed",
    ".atom": "feed",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
}

#: What a folder is read for: its pages and Markdown posts (assets and the rest are ignored).
FOLDER_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".md", ".markdown"})
#: Exports read when named, not from a folder, where they may be a site's data or settings.
EXPORT_SUFFIXES = frozenset(_BY_SUFFIX) - FOLDER_SUFFIXES - {".txt", ".text", ".js"}
_CHANNEL_PREFIX = re.compile(r"^([\w.-]+)=(.+)$")


def sniff_format(path: Path) -> str:
    """Pick a reader from the file's first bytes where they tell, else from its name."""
    head = peek(path).lstrip()
    by_content = _by_content(head)
    if by_content:
        return by_content
    by_name = _BY_SUFFIX.get(path.suffix.lower())
    if by_name:
        return by_name
    if head.startswith("["):
        return "json"
    if head.startswith("{"):
        return "jsonl" if "\n{" in head else "json"
    if head.startswith("---"):
        return "markdown"
    return "text"


def content_format(path: Path) -> str | None:
    """The format the file's first bytes tell (an export, an X archive, a feed, a page), if they tell one."""
    return _by_content(peek(path).lstrip())


def _by_content(head: str) -> str | None:
    return meta.sniff(head) or xarchive.sniff(head) or feeds.sniff(head) or webpages.sniff(head)


class Source:
    """One input as the user named it: a file or folder, and the channel its posts belong to."""

    def __init__(self, path: str | Path, channel: str | None = None) -> None:
        self.path = Path(path)
        self.channel = channel

    def files(self, stats: ReadStats) -> list[Path]:
        """The file itself (an X archive's tweets.js: with its parts), or a folder's post files
        (an X archive folder: its tweets files)."""
        if self.path == STDIN:
            return [self.path]
        mode = _mode(self.path)
        if mode is None:
            raise InputError(_("{path}: no such file or folder").format(path=self.path))
        if not stat.S_ISDIR(mode):
            return xarchive.with_parts(self.path)  # a pipe or device is refused when opened, saying what it is
        tweets = xarchive.tweet_files(self.path)
        if tweets:
            return tweets
        found, ignored = _folder_files(self.path, stats)
        stats.ignored_files += sum(ignored.values())
        if not found:
            raise InputError(_empty_folder(self.path, ignored))
        return found


def _mode(path: Path) -> int | None:
    """The file's mode (following links), None if there is none; a path that cannot be looked at is refused."""
    try:
        return os.stat(path).st_mode
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the name
        raise cannot_read(path, exc) from exc


def _empty_folder(folder: Path, ignored: Counter[str]) -> str:
    """Why a folder gave no posts; if it holds exports (CSV, JSON Lines, ...), how to read them."""
    message = _("{path}: no web pages, Markdown posts or X archive in this folder").format(path=folder)
    exports = [(count, suffix) for suffix, count in ignored.items() if suffix in EXPORT_SUFFIXES]
    if not exports:
        return message
    suffix = max(exports)[1]
    hint = _("its {kinds} files are read when named one by one, as in: {example}")
    kinds = ", ".join(sorted(kind.lstrip(".") for _count, kind in exports))
    example = f"{shlex.quote(str(folder))}{os.sep}*{suffix}"  # the folder quoted, the pattern left to the shell
    return f"{message}; {hint.format(kinds=kinds, example=example)}"


def _folder_files(folder: Path, stats: ReadStats) -> tuple[list[Path], Counter[str]]:
    """A folder's post files, recursively and sorted, and the other files it holds by suffix.

    Hidden files and folders are passed over; links to folders are not followed (no loops);
    a subfolder that cannot be read is named in a note, not passed over in silence.
    """

    def unreadable(exc: OSError) -> None:
        message = _("{path}: cannot read this folder ({reason}); its files were left out")
        stats.note(message.format(path=exc.filename, reason=exc.strerror))

    found: list[Path] = []
    ignored: Counter[str] = Counter()
    for root, folders, names in os.walk(folder, onerror=unreadable):
        folders[:] = [name for name in folders if not name.startswith(".")]
        for name in names:
            path = Path(root) / name
            if name.startswith("."):
                continue
            # A post file that is a broken link, a pipe or gone since the folder was listed is
            # kept: reading it fails the run, where passing over it would let the run pass unread.
            if path.suffix.lower() in FOLDER_SUFFIXES:
                found.append(path)
            else:
                ignored[path.suffix.lower()] += 1
    return sorted(found), ignored


def parse_source(argument: str) -> Source:
    """'linkedin=export.csv' tags a file's posts with a channel; a plain path keeps the source's.

    An empty argument (a script's unset variable) is refused: as a path it would be the
    current folder, whose pages would be checked in place of the file meant.
    """
    if not argument:
        raise InputError(_("an empty argument names no file or folder (is a variable unset?)"))
    match = _CHANNEL_PREFIX.match(argument)
    if match and not _exists(argument):
        return Source(match.group(2), match.group(1).lower())
    return Source(argument)


def _exists(argument: str) -> bool:
    try:
        return Path(argument).exists()
    except (OSError, ValueError):
        return False


def read_posts(
    sources: Iterable[str | Path | Source],
    stats: ReadStats,
    columns: Columns | None = None,
    input_format: str | None = None,
    channel: str | None = None,
    raise_at_end: bool = True,
    skip_retweets: bool = False,
) -> Iterator[Post]:
    """Stream the posts of every source, counting each one into `stats`.

    A source's own channel (`Source.channel`, from 'channel=path') overrides the file's;
    `channel` only fills in posts that have none. Retweets (someone else's words) are kept
    unless `skip_retweets`. A file that cannot be read (missing,
    binary, wrong encoding, malformed) is recorded in `stats` and the next one is read;
    at the end an InputError names them all, unless `raise_at_end` is false.
    """
    columns = columns or Columns()
    read: set[str] = set()  # each file once: named twice (or by a folder and by name), its posts would count twice
    for item in sources:
        source = item if isinstance(item, Source) else Source(item)
        try:
            paths = source.files(stats)
        except InputError as exc:
            stats.start(source.path, "?")
            stats.fail(str(exc))
            continue
        for path in paths:
            if path != STDIN:
                real = os.path.realpath(path)
                if real in read:
                    stats.note(_("{path} is named more than once: its posts are read once").format(path=path))
                    continue
                read.add(real)
            for post in _read_file(path, source.channel, channel, columns, input_format, stats):
                if skip_retweets and post.kind == "retweet":
                    stats.skip("retweet (--skip-retweets)", post.where, "retweet")
                    continue
                stats.count()
                yield post
    if raise_at_end:
        stats.raise_for_errors()


def _read_file(
    path: Path, forced: str | None, fallback: str | None, columns: Columns, input_format: str | None, stats: ReadStats
) -> Iterator[Post]:
    source = stats.start(path, input_format or "?")
    try:
        name = input_format or sniff_format(path)
        source.format = name
        if name not in FORMATS:
            message = _("{path}: unknown input format {name} (one of {formats})")
            raise InputError(message.format(path=path, name=repr(name), formats=", ".join(FORMATS)))
        for post in FORMATS[name](path, columns, stats):
            post = guard.checked_post(post, stats)
            if forced:
                post = post.with_channel(forced)
            elif fallback and not post.channel:
                post = post.with_channel(fallback)
            yield post
    except InputError as exc:
        stats.fail(str(exc))
