"""Posts in chunks, judged in this process or in forked workers, results kept in input order."""

from __future__ import annotations

import gc
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from itertools import islice
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import Future

T = TypeVar("T")
R = TypeVar("R")

#: Items per chunk handed to a worker process: small enough to keep every core busy.
PARALLEL_CHUNK = 500

_FORKED_WORK: Callable[[list], list] | None = None  # the work forked workers inherit


def chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """`items` in lists of `size` (the last one shorter)."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


@contextmanager
def steady_heap(young: int = 10) -> Iterator[None]:
    """Keep the garbage collector off what is loaded while a long run goes on, and restore it after.

    What exists when the run starts (the model, the pipelines, their caches) lives as long as
    the run: it is frozen out of collections, and the youngest generation is collected
    `young` times less often. Over 20,000 posts, collections otherwise took an eighth of a
    check's time, most of it walking objects that could not be garbage.
    """
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(threshold[0] * young, *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """Run a long check with one BLAS thread, and restore the pool after.

    A check's dense products are small: BLAS's own threads speed none of them up, and spin
    waiting for the next one, which cost a fifth of the CPU of a 20,000-post check in one
    process for no time saved. `--jobs` workers run with one thread each for the same reason.
    """
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1, user_api="blas"):
        yield


def can_fork() -> bool:
    """Workers share the parent's loaded model only where processes fork (Linux, macOS)."""
    import multiprocessing  # here: a check in one process never needs it

    return "fork" in multiprocessing.get_all_start_methods()


def in_workers(work: Callable[[list[T]], list[R]], batches: Iterator[list[T]], jobs: int) -> Iterator[R]:
    """`work` applied to each batch in `jobs` forked processes, results in input order.

    The workers inherit `work` (and whatever it closes over, such as a loaded model) from this
    process by forking, so nothing is pickled but the batches and the results. What this
    process holds is frozen out of the garbage collector's reach first: a collection in a
    worker would otherwise touch every inherited object and copy the memory it shares.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    global _FORKED_WORK
    _FORKED_WORK = work
    pending: deque[Future[list[R]]] = deque()
    context = multiprocessing.get_context("fork")
    gc.freeze()
    try:
        with ProcessPoolExecutor(jobs, mp_context=context, initializer=_one_blas_thread) as pool:
            for batch in batches:
                pending.append(pool.submit(_run_forked, batch))
                if len(pending) > 2 * jobs:  # a bounded queue: memory stays flat, order is kept
                    yield from pending.popleft().result()
            while pending:
                yield from pending.popleft().result()
    finally:
        _FORKED_WORK = None
        gc.unfreeze()


def _one_blas_thread() -> None:
    """Workers already fill the cores: BLAS threads of their own would only contend for them."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)


def _run_forked(batch: list) -> list:
    assert _FORKED_WORK is not None, "workers are forked from a process that set the work"
    return _FORKED_WORK(batch)
