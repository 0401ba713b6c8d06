"""Where a post came from, as the file and line tools point at."""

from __future__ import annotations


def location(where: str) -> tuple[str, int]:
    """'posts.csv:12' -> ('posts.csv', 12); 'draft.md#2' -> ('draft.md', 1)."""
    path, sep, line = where.rpartition(":")
    if sep and line.isascii() and line.isdigit():
        return path, int(line)
    path, sep, number = where.rpartition("#")  # the last '#': a file name may hold one too
    return (path, 1) if sep and number.isascii() and number.isdigit() else (where, 1)
