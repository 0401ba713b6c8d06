"""Latency of `voicecheck serve` under 8 concurrent clients, each sending one post per request.

    python benchmarks/service_latency.py [--model models/maison-claire] [--posts samples/new_posts.csv]
                                         [--clients 8] [--requests 200] [--workers 1 2]

For each `--workers` count in turn, in one run: starts the real service on a free loopback
port, warms it up, then has each client send its requests back to back on its own keep-alive
connection (bounded in count and time). Prints p50 and p99 per request, the requests served
per second and whether the answers equal those of the first service, beside the goals (PASS
or FAIL), and the machine's load average, which the figures depend on. The clients use
http.client, the lightest client at hand, as they share the machine's cores with the service.
"""

from __future__ import annotations

import argparse
import csv
import http.client
import json
import os
import statistics
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

from served import serving

ROOT = Path(__file__).resolve().parent.parent
#: The goals: milliseconds per single-post check under 8 clients.
GOAL_P50_MS = 5.0
GOAL_P99_MS = 20.0


def sample_posts(path: Path = ROOT / "samples" / "new_posts.csv") -> list[dict[str, str]]:
    """The posts of a CSV file with `id` and `text` columns (and `channel`, if it has one)."""
    with open(path, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [{key: row[key] for key in ("id", "text", "channel") if row.get(key)} for row in rows]


class Client:
    """One keep-alive connection to the service."""

    def __init__(self, url: str) -> None:
        address = urlsplit(url)
        self.connection = http.client.HTTPConnection(address.hostname or "127.0.0.1", address.port, timeout=60)

    def check(self, body: bytes) -> tuple[int, bytes]:
        self.connection.request("POST", "/v1/check", body, {"Content-Type": "application/json"})
        response = self.connection.getresponse()
        return response.status, response.read()


def measure(url: str, bodies: list[bytes], clients: int, requests: int, max_seconds: float) -> dict[str, float]:
    """p50, p99 (ms), requests/s and failures of `clients` clients sending `requests` each."""
    latencies: list[float] = []
    failures: list[int] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + max_seconds

    def client(number: int) -> None:
        mine, bad, session = [], 0, Client(url)
        for i in range(requests):
            if time.monotonic() > stop_at:
                break
            body = bodies[(number * requests + i) % len(bodies)]
            start = time.perf_counter()
            status, _ = session.check(body)
            mine.append(time.perf_counter() - start)
            bad += status != 200
        with lock:
            latencies.extend(mine)
            failures.append(bad)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    cuts = statistics.quantiles(latencies, n=100)
    return {
        "count": len(latencies), "p50": cuts[49] * 1000, "p99": cuts[98] * 1000,
        "rate": len(latencies) / elapsed, "failed": sum(failures),
    }  # fmt: skip


def cpu_seconds(pid: int) -> float:
    """CPU seconds the process `pid` and its children (the workers) have used so far (Linux's /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue  # gone meanwhile
        if stat.parent.name == str(pid) or fields[1] == str(pid):
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def answers(url: str, bodies: list[bytes]) -> list[bytes]:
    """Each body's answer, one at a time (which also warms the service up)."""
    session = Client(url)
    return [session.check(body)[1] for body in bodies]


def verdict(figure: float, goal: float) -> str:
    return "PASS" if figure <= goal else "FAIL"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default=str(ROOT / "models" / "maison-claire"))
    parser.add_argument("--posts", type=Path, default=ROOT / "samples" / "new_posts.csv", help="CSV: id, text")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=200, help="per client")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--max-seconds", type=float, default=120.0)
    args = parser.parse_args()

    bodies = [json.dumps({"posts": [post]}).encode() for post in sample_posts(args.posts)]
    first: list[bytes] | None = None
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    for workers in args.workers:
        options = ["--workers", str(workers)] if workers != 1 else []  # 1 is the default, which any version takes
        with serving(args.model, start_within=60.0, options=options) as (url, process):
            these = answers(url, bodies)
            first = these if first is None else first
            cpu = cpu_seconds(process.pid)
            figures = measure(url, bodies, args.clients, args.requests, args.max_seconds)
            cpu = cpu_seconds(process.pid) - cpu
        same = "same answers" if these == first else "ANSWERS DIFFER from the first service's"
        print(
            f"service --workers {workers}: {args.clients} concurrent clients, {figures['count']} single-post checks: "
            f"p50 {figures['p50']:.1f} ms (goal <= {GOAL_P50_MS:g}: {verdict(figures['p50'], GOAL_P50_MS)}), "
            f"p99 {figures['p99']:.1f} ms (goal <= {GOAL_P99_MS:g}: {verdict(figures['p99'], GOAL_P99_MS)}), "
            f"{figures['rate']:.0f} requests/s, {figures['failed']:.0f} failed, {same}; "
            f"the service's CPU time {cpu / figures['count'] * 1000:.2f} ms per request"
        )
        print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
