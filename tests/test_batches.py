"""Checking in worker processes: the same bytes as one process, in input order, rendered in the workers."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import pytest

from tests.conftest import SAMPLE_MODEL, run_cli
from voicecheck import api, batches
from voicecheck.core import CheckResult
from voicecheck.readers import Post
from voicecheck.store import SavedModel

pytestmark = pytest.mark.skipif(not batches.can_fork(), reason="worker processes need fork")


def _batch(sample_model: SavedModel, path: Path, copies: int) -> list[str]:
    """The brand's own posts and variants of them, `copies` times over, as a CSV file; their ids in order."""
    rows = [
        (f"{post.id}-{n}", post.channel or "", post.text if n % 2 == 0 else post.text.upper())
        for n in range(copies)
        for post in sample_model.table.posts
    ]
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "channel", "text"])
        writer.writerows(rows)
    return [row[0] for row in rows]


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_jobs_2_writes_the_bytes_one_process_writes(sample_model: SavedModel, tmp_path: Path, fmt: str) -> None:
    ids = _batch(sample_model, tmp_path / "posts.csv", 6)
    assert len(ids) > 2 * batches.PARALLEL_CHUNK  # the first chunk in this process, the rest in workers
    common = ("check", "-q", "--model", SAMPLE_MODEL, "--fail-on", "never", "--format", fmt, "--lang", "en")
    alone = run_cli(*common, tmp_path / "posts.csv")
    together = run_cli(*common, "--jobs", "2", tmp_path / "posts.csv")
    assert alone.returncode == together.returncode == 0, together.stderr
    assert together.stdout == alone.stdout
    if fmt == "jsonl":
        assert [json.loads(line)["id"] for line in together.stdout.splitlines()] == ids


def test_results_are_rendered_in_the_workers_and_come_back_in_input_order(sample_model: SavedModel) -> None:
    posts = [Post(f"{p.id}-{n}", p.text, p.channel) for n in range(2) for p in sample_model.table.posts]

    def render(result: CheckResult) -> tuple[str, int]:
        return result.post.id, os.getpid()

    rendered = list(api.check_rendered(sample_model, posts, render, chunk_size=100, jobs=2))
    assert [post_id for post_id, _ in rendered] == [post.id for post in posts]
    assert len({pid for _, pid in rendered[100:]} - {os.getpid()}) >= 1  # made in a worker, not here


def test_in_workers_keeps_input_order_whatever_finishes_first() -> None:
    def work(batch: list[int]) -> list[int]:
        return [n * n for n in batch]

    numbers = list(range(1000))
    squares = list(batches.in_workers(work, batches.chunks(numbers, 7), jobs=2))
    assert squares == [n * n for n in numbers]


def _blas_threads() -> set[int]:
    from threadpoolctl import threadpool_info

    return {pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"}


def test_a_long_check_runs_with_one_blas_thread_and_restores_the_pool(
    sample_model: SavedModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _blas_threads()
    seen: list[set[int]] = []
    judged = api._check_chunk

    def recording(*args: object) -> list[object]:
        seen.append(_blas_threads())
        return judged(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(api, "_check_chunk", recording)
    posts = [Post(f"p{i}", post.text, post.channel) for i, post in enumerate(sample_model.table.posts * 2)]
    assert len(list(api.check(sample_model, posts, chunk_size=100))) == len(posts)
    assert len(seen) >= 3 and all(threads == {1} for threads in seen[1:])  # after the first chunk
    assert _blas_threads() == before
