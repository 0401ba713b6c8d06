"""Latency of `voicecheck serve` under 8 concurrent clients, each sending one post per request.

    python benchmarks/service_latency.py [--model models/maison-claire] [--clients 8] [--requests 200]

Starts the real service on a free loopback port, warms it up, then has each client send its
requests back to back (bounded in count and time). Prints p50 and p99 per request and the
requests served per second.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import threading
import time
from pathlib import Path

import httpx
from served import served

ROOT = Path(__file__).resolve().parent.parent


def sample_posts() -> list[dict[str, str]]:
    with open(ROOT / "samples" / "new_posts.csv", encoding="utf-8") as handle:
        return [{"id": r["id"], "text": r["text"], "channel": r["channel"]} for r in csv.DictReader(handle)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default=str(ROOT / "models" / "maison-claire"))
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=200, help="per client")
    parser.add_argument("--max-seconds", type=float, default=120.0)
    args = parser.parse_args()

    with served(args.model, ("voicecheck",), start_within=60.0) as url:
        posts = sample_posts()
        with httpx.Client() as warm:
            for post in posts:
                warm.post(f"{url}/v1/check", json={"posts": [post]})

        latencies: list[float] = []
        failures: list[int] = []
        lock = threading.Lock()
        stop_at = time.monotonic() + args.max_seconds

        def client(number: int) -> None:
            mine, bad = [], 0
            with httpx.Client(timeout=30) as session:
                for i in range(args.requests):
                    if time.monotonic() > stop_at:
                        break
                    post = posts[(number * args.requests + i) % len(posts)]
                    start = time.perf_counter()
                    response = session.post(f"{url}/v1/check", json={"posts": [post]})
                    mine.append(time.perf_counter() - start)
                    bad += response.status_code != 200
            with lock:
                latencies.extend(mine)
                failures.append(bad)

        threads = [threading.Thread(target=client, args=(n,)) for n in range(args.clients)]
        began = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - began

    cuts = statistics.quantiles(latencies, n=100)
    print(
        f"service {args.clients} concurrent clients, {len(latencies)} single-post checks: "
        f"p50 {cuts[49] * 1000:.1f} ms, p99 {cuts[98] * 1000:.1f} ms, "
        f"{len(latencies) / elapsed:.0f} requests/s, {sum(failures)} failed"
    )


if __name__ == "__main__":
    main()
