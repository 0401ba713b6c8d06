"""What the service's wait for returning clients costs when clients do not return (open-loop arrivals).

    python benchmarks/coalescing_arrivals.py [--rates 300 450] [--burst 0 64] [--seconds 2]

`benchmarks/service_latency.py` measures clients that send their next request as soon as they
are answered, which the wait is for. Here requests come at random (Poisson) times instead, at
each rate, after an optional burst of requests at once, through `voicecheck.coalescing.Gatherer`
in-process with a stand-in judge that sleeps 3 ms a batch and 0.5 ms a post in a thread, as the
service's judging thread would work. Prints p50, p99 and the slowest latency, with the wait and
without it (`linger=0`), from the same arrival times.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from voicecheck.coalescing import LINGER_SECONDS, Gatherer
from voicecheck.readers.base import Post

POOL = ThreadPoolExecutor(1)


def stand_in_judge(work: str, posts: list[Post], langs: list[str]) -> list[dict[str, Any]]:
    time.sleep(0.003 + 0.0005 * len(posts))
    return [{"id": post.id} for post in posts]


async def in_thread(work: Any) -> Any:
    return await asyncio.get_running_loop().run_in_executor(POOL, work)


async def latencies(linger: float, gaps: list[float], burst: int) -> list[float]:
    """Milliseconds from each request to its answer (the burst's left out)."""
    gatherer = Gatherer(stand_in_judge, in_thread, linger=linger)
    loop = asyncio.get_running_loop()
    measured: list[float] = []

    async def one(counted: bool) -> None:
        started = loop.time()
        await gatherer.judge("check", [Post("p", "x")], "en")
        if counted:
            measured.append(1000 * (loop.time() - started))

    tasks = [asyncio.create_task(one(False)) for _ in range(burst)]
    for gap in gaps:
        await asyncio.sleep(gap)
        tasks.append(asyncio.create_task(one(True)))
    await asyncio.gather(*tasks)
    return sorted(measured)


def summary(values: list[float]) -> str:
    p50, p99 = values[len(values) // 2], values[int(0.99 * len(values))]
    return f"p50 {p50:.0f} ms, p99 {p99:.0f} ms, slowest {values[-1]:.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rates", type=float, nargs="+", default=[300.0, 450.0], help="requests a second")
    parser.add_argument("--burst", type=int, nargs="+", default=[0, 64], help="requests at once before")
    parser.add_argument("--seconds", type=float, default=2.0)
    args = parser.parse_args()
    for rate in args.rates:
        draws = random.Random(0)
        gaps = [draws.expovariate(rate) for _ in range(int(rate * args.seconds))]
        for burst in args.burst:
            waiting = summary(asyncio.run(latencies(LINGER_SECONDS, gaps, burst)))
            at_once = summary(asyncio.run(latencies(0.0, gaps, burst)))
            print(f"{rate:.0f} requests/s, burst {burst}: with the wait {waiting}; without it {at_once}")


if __name__ == "__main__":
    main()
