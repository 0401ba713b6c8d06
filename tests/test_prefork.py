"""`voicecheck serve --workers 2`, run for real: its workers share the work, the model and the page's sessions.

The workers are seen from outside, through /proc: the service's children, and the CPU time
each has spent (a worker that answered requests has spent some).
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from .test_server import JSON, TOKEN, started_server

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the workers in Linux's /proc")

#: CPU ticks (of 10 ms) a worker spends judging a few posts, which an idle one does not spend in seconds.
BUSY_TICKS = 5
#: How long a test waits for something that should happen: generous, never a measure.
PATIENCE = 60.0
POSTS = [
    {"id": "good", "text": "Le printemps est arrivé! Notre équipe d'entretien est prête à faire briller vos fenêtres.",
     "channel": "facebook"},
    {"id": "bad", "text": "omg lol our crew literally CRUSHED it today!!! 🔥🔥🔥 dm us asap", "channel": "instagram"},
    {"id": "short", "text": "Merci !"},
]  # fmt: skip


@dataclass
class Service:
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def workers(self) -> set[int]:
        """The service's children: its workers."""
        return {pid for pid, parent in _parents().items() if parent == self.process.pid}


def _parents() -> dict[int, int]:
    """Every process's parent, from /proc."""
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parents[int(stat.parent.name)] = int(stat.read_text().rpartition(")")[2].split()[1])
        except (OSError, ValueError):
            continue  # gone meanwhile
    return parents


def cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return int(fields[11]) + int(fields[12])


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state != "Z"


def eventually(condition: object, what: str) -> None:
    deadline = time.monotonic() + PATIENCE
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, what
        time.sleep(0.1)


@contextmanager
def serving(*options: str, log: Path) -> Iterator[Service]:
    """`voicecheck serve` with these options on a free port, stopped with SIGTERM at the end if still running."""
    with started_server(*options, log=log, patience=PATIENCE) as (process, url):
        yield Service(url, process, log)


@pytest.fixture(scope="module")
def two(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    with serving("--workers", "2", log=tmp_path_factory.mktemp("two") / "stderr.log") as service:
        eventually(lambda: len(service.workers()) == 2, "two workers")
        yield service


def concurrently(url: str, count: int, headers: dict[str, str] | None = None) -> list[httpx.Response]:
    """`count` single-post checks from 8 clients at once, each on a connection of its own."""

    def one(number: int) -> httpx.Response:
        post = {"posts": [POSTS[number % len(POSTS)]]}
        return httpx.post(f"{url}/v1/check", json=post, headers={**JSON, **(headers or {})}, timeout=PATIENCE)

    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(one, range(count)))


def test_both_workers_answer_and_all_requests_succeed(two: Service) -> None:
    before = {pid: cpu_ticks(pid) for pid in two.workers()}
    responses = concurrently(two.url, 120)
    assert [r.status_code for r in responses] == [200] * 120
    spent = {pid: cpu_ticks(pid) - ticks for pid, ticks in before.items()}
    assert all(ticks >= BUSY_TICKS for ticks in spent.values()), spent  # each worker judged some of them


def test_results_equal_those_of_one_process(two: Service, tmp_path: Path) -> None:
    with serving(log=tmp_path / "one.log") as one:
        assert one.workers() == set()  # one process, as before --workers
        alone = httpx.post(f"{one.url}/v1/check", json={"posts": POSTS}, timeout=PATIENCE).json()
    for _ in range(4):  # whichever worker answers
        assert httpx.post(f"{two.url}/v1/check", json={"posts": POSTS}, timeout=PATIENCE).json() == alone


def test_a_killed_worker_is_replaced(tmp_path: Path) -> None:
    with serving("--workers", "2", log=tmp_path / "stderr.log") as service:
        eventually(lambda: len(service.workers()) == 2, "two workers")
        first = service.workers()
        victim = min(first)
        os.kill(victim, signal.SIGKILL)
        eventually(lambda: len(service.workers()) == 2 and victim not in service.workers(), "a new worker")
        assert len(service.workers() & first) == 1
        assert [r.status_code for r in concurrently(service.url, 24)] == [200] * 24
        assert f"worker {victim} was killed by SIGKILL; starting another" in service.log.read_text(encoding="utf-8")


@pytest.mark.parametrize("workers", ["1", "2"])
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_a_stop_signal_stops_every_worker_and_exits_0(tmp_path: Path, stop: signal.Signals, workers: str) -> None:
    # One process as many: uvicorn raised the signal again once stopped, and died of it (143).
    with serving("--workers", workers, log=tmp_path / "stderr.log") as service:
        if workers == "2":
            eventually(lambda: len(service.workers()) == 2, "two workers")
        forked = service.workers()
        service.process.send_signal(stop)
        assert service.process.wait(timeout=PATIENCE) == 0, service.log.read_text(encoding="utf-8")
        assert not any(alive(pid) for pid in forked)  # no orphans left serving
        assert "interrupted" not in service.log.read_text(encoding="utf-8")
        assert "Traceback" not in service.log.read_text(encoding="utf-8")


def test_workers_do_not_outlive_a_parent_killed_outright(tmp_path: Path) -> None:
    with serving("--workers", "2", log=tmp_path / "stderr.log") as service:
        eventually(lambda: len(service.workers()) == 2, "two workers")
        workers = service.workers()
        service.process.kill()
        service.process.wait(timeout=PATIENCE)
        eventually(lambda: not any(alive(pid) for pid in workers), "the workers stopped with their parent")


def test_a_sign_in_on_one_worker_holds_on_the_other(tmp_path: Path) -> None:
    with serving("--workers", "2", "--token", TOKEN, log=tmp_path / "stderr.log") as service:
        eventually(lambda: len(service.workers()) == 2, "two workers")
        opened = httpx.post(f"{service.url}/session", json={"token": TOKEN})
        assert opened.status_code == 200
        session = {"Cookie": f"voicecheck_session={opened.cookies['voicecheck_session']}",
                   "X-CSRF-Token": opened.json()["csrf"]}  # fmt: skip
        before = {pid: cpu_ticks(pid) for pid in service.workers()}
        assert [r.status_code for r in concurrently(service.url, 60, session)] == [200] * 60
        spent = [cpu_ticks(pid) - ticks for pid, ticks in before.items()]
        assert all(ticks >= BUSY_TICKS for ticks in spent), spent  # both workers admitted the session
        closed = httpx.delete(f"{service.url}/session", headers=session)
        assert closed.status_code == 200
        assert [r.status_code for r in concurrently(service.url, 24, session)] == [401] * 24  # closed on both
