"""`serve --workers N`: N processes forked from one that has loaded the model (a pre-fork).

Judging a post is Python work, which one process does on one core at a time, so one process
serves one request at a time however many threads it has. N processes judge N at once. The
parent loads and warms the model and binds the socket before it forks, so every worker starts
ready, with the model's arrays shared with the parent page by page (copy-on-write: nobody
writes them) instead of N copies, and the kernel hands each new connection to one of the
workers waiting on the inherited socket.

The parent only supervises. A worker that dies is replaced (and a line logged); one that keeps
dying at start stops the service with an error. SIGTERM or SIGINT stops every worker the way
uvicorn stops (each finishes the requests it is answering), then the parent returns; a worker
that has not finished within the grace period is killed. A parent killed outright (SIGKILL)
takes its workers with it, on Linux, so none is left serving. Where there is no fork, the caller
serves in one process.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import logging
import os
import select
import signal
import sys
import time
from collections.abc import Callable

from voicecheck.errors import VoicecheckError
from voicecheck.i18n import _

log = logging.getLogger("uvicorn.error")

#: A worker that exits sooner than this after it started is counted as failing to start.
QUICK_EXIT_SECONDS = 5.0
#: That many quick exits in a row and the service gives up, rather than forking forever.
MAX_QUICK_EXITS = 5
#: prctl's option: the signal a process gets when its parent dies (linux/prctl.h).
PR_SET_PDEATHSIG = 1
STOP_SIGNALS = frozenset({signal.SIGTERM, signal.SIGINT})


def can_fork() -> bool:
    """Whether this platform forks processes (not Windows)."""
    return hasattr(os, "fork")


class Workers:
    """Forks `count` processes that each run `work`, keeps that many running, and stops them on a signal."""

    def __init__(self, work: Callable[[], None], count: int, grace: float) -> None:
        self.work = work
        self.count = count
        self.grace = grace
        self.started: dict[int, float] = {}  # pid -> when it started
        self._quick_exits = 0

    def run(self) -> None:
        """Serve until SIGTERM or SIGINT; raises VoicecheckError if the workers keep dying at start."""
        # Signals may reach any thread of this process (NumPy's BLAS has some), so they are not
        # waited for here: their handlers do nothing, and the byte Python writes for each to the
        # wakeup pipe says in this thread which came.
        wake_read, wake_write = os.pipe()
        os.set_blocking(wake_read, False)
        os.set_blocking(wake_write, False)
        handlers = {number: signal.signal(number, _noted) for number in (signal.SIGCHLD, *STOP_SIGNALS)}
        old_wakeup = signal.set_wakeup_fd(wake_write)
        gc.freeze()  # the model's objects stay out of the collector's reach: their pages stay shared
        try:
            for _ in range(self.count):
                self._fork((wake_read, wake_write))
            while not STOP_SIGNALS & _signals_from(wake_read):
                self._replace_the_dead((wake_read, wake_write))
        finally:
            self._stop()
            gc.unfreeze()
            signal.set_wakeup_fd(old_wakeup)
            for number, handler in handlers.items():
                signal.signal(number, handler)
            os.close(wake_read)
            os.close(wake_write)

    def _fork(self, parents: tuple[int, ...]) -> None:
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # the worker
            os._exit(self._work(parent, parents))
        self.started[pid] = time.monotonic()

    def _work(self, parent: int, parents: tuple[int, ...]) -> int:
        """What a worker does, to its exit code; it never returns into the parent's code."""
        try:
            if not _dies_with(parent):
                return 0  # the parent is already gone: nobody to serve for
            signal.set_wakeup_fd(-1)
            for fd in parents:
                os.close(fd)
            for number in (signal.SIGCHLD, *STOP_SIGNALS):  # uvicorn sets its own while it serves
                signal.signal(number, signal.SIG_DFL)
            self.work()
            return 0
        except SystemExit as exc:
            return exc.code if isinstance(exc.code, int) else 1
        except BaseException:
            log.exception("worker %d failed", os.getpid())
            return 1

    def _replace_the_dead(self, parents: tuple[int, ...]) -> None:
        """Reap every worker that has exited and fork one in its place."""
        while self.started:
            pid, status = os.waitpid(-1, os.WNOHANG)
            if pid == 0:
                return
            began = self.started.pop(pid, None)
            if began is None:
                continue
            quick = time.monotonic() - began < QUICK_EXIT_SECONDS
            self._quick_exits = self._quick_exits + 1 if quick else 0
            log.warning("worker %d %s; starting another", pid, _how(status))
            if self._quick_exits >= MAX_QUICK_EXITS:
                message = _("the service's workers keep exiting as they start (the last {how})")
                raise VoicecheckError(message.format(how=_how(status)))
            if quick:
                time.sleep(1.0)  # a worker failing at start is not forked again at once
            self._fork(parents)

    def _stop(self) -> None:
        """SIGTERM to every worker, then wait for them; those still running after the grace period are killed."""
        for pid in self.started:
            _signal(pid, signal.SIGTERM)
        deadline = time.monotonic() + self.grace
        while self.started and time.monotonic() < deadline:
            self._reap()
            time.sleep(0.05)
        for pid in self.started:
            log.warning("worker %d did not stop within %g s; killed", pid, self.grace)
            _signal(pid, signal.SIGKILL)
        while self.started:
            pid, _ = os.waitpid(-1, 0)
            self.started.pop(pid, None)

    def _reap(self) -> None:
        while self.started:
            pid, _ = os.waitpid(-1, os.WNOHANG)
            if pid == 0:
                return
            self.started.pop(pid, None)


def _dies_with(parent: int) -> bool:
    """Have the system stop this worker (SIGTERM) if `parent` dies without stopping it, as on SIGKILL.

    Linux only (prctl's PR_SET_PDEATHSIG); elsewhere a worker outlives a killed parent. False if
    the parent is gone already.
    """
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    return os.getppid() == parent


def _noted(number: int, frame: object) -> None:
    """A signal's handler: nothing to do here, its byte in the wakeup pipe is read by `_signals_from`."""
    del number, frame


def _signals_from(wake_read: int) -> set[int]:
    """The signals received since last asked, waiting for at least one."""
    while True:
        select.select([wake_read], [], [])
        try:
            received = os.read(wake_read, 512)
        except BlockingIOError:
            continue
        return set(received)


def _signal(pid: int, number: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):  # already gone, to be reaped
        os.kill(pid, number)


def _how(status: int) -> str:
    """How a worker ended, from its wait status: 'exited with code 1', 'was killed by SIGKILL'."""
    if os.WIFSIGNALED(status):
        return _("was killed by {signal}").format(signal=signal.Signals(os.WTERMSIG(status)).name)
    return _("exited with code {code}").format(code=os.waitstatus_to_exitcode(status))
