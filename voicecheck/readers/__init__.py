"""Read posts from the files social tools export, one reader per format, all streamed.

Every reader is a generator of `Post` records that counts what it read and skipped in a
`ReadStats`, so a run can always say where each row of its input went.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from voicecheck.errors import InputError
from voicecheck.readers import jsonfile, markdown, plaintext, tabular
from voicecheck.readers.base import Columns, Post, ReadStats, peek

__all__ = ["FORMATS", "Columns", "Post", "ReadStats", "read_posts", "sniff_format"]

#: Input formats by name, each a generator function (path, columns, stats) -> posts.
FORMATS = {
    "csv": tabular.read_csv,
    "tsv": tabular.read_tsv,
    "json": jsonfile.read_json,
    "jsonl": jsonfile.read_jsonl,
    "text": plaintext.read_text,
    "markdown": markdown.read_markdown,
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
}


def sniff_format(path: Path) -> str:
    """Pick a reader from the file name, else from the first bytes of the file."""
    by_name = _BY_SUFFIX.get(path.suffix.lower())
    if by_name:
        return by_name
    head = peek(path).lstrip()
    if head.startswith("["):
        return "json"
    if head.startswith("{"):
        return "jsonl" if "\n{" in head else "json"
    if head.startswith("---"):
        return "markdown"
    return "text"


def read_posts(
    paths: Iterable[str | Path],
    stats: ReadStats,
    columns: Columns | None = None,
    input_format: str | None = None,
    channel: str | None = None,
) -> Iterator[Post]:
    """Stream the posts of every file in `paths`, counting each one into `stats`.

    `channel` tags posts whose source gives no channel. Raises InputError for a file that
    cannot be read at all (missing, binary, wrong encoding, no text column).
    """
    columns = columns or Columns()
    for raw in paths:
        path = Path(raw)
        if not path.is_file():
            raise InputError(f"{path}: no such file")
        name = input_format or sniff_format(path)
        if name not in FORMATS:
            raise InputError(f"{path}: unknown input format {name!r} (one of {', '.join(FORMATS)})")
        stats.files += 1
        for post in FORMATS[name](path, columns, stats):
            if channel and not post.channel:
                post = post.with_channel(channel)
            stats.read += 1
            yield post
