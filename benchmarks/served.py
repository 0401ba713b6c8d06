"""A real `voicecheck serve` on a free loopback port, for the scripts that measure or show it."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import httpx

#: How the scripts run voicecheck: this interpreter's package, as installed or checked out.
VOICECHECK = (sys.executable, "-m", "voicecheck")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def served(
    model: str, voicecheck: Sequence[str] = VOICECHECK, start_within: float = 120.0, options: Sequence[str] = ()
) -> Iterator[str]:
    """The base URL of a service for `model` (run with `options`), answering /health; stopped when the block ends."""
    with serving(model, voicecheck, start_within, options) as (url, _):
        yield url


@contextmanager
def serving(
    model: str, voicecheck: Sequence[str] = VOICECHECK, start_within: float = 120.0, options: Sequence[str] = ()
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """As `served`, with the service's process beside its URL."""
    url = f"http://127.0.0.1:{(port := free_port())}"
    command = [*voicecheck, "serve", "--model", model, "--port", str(port), *options]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + start_within
        while True:
            try:
                httpx.get(f"{url}/health", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or server.poll() is not None:
                    sys.exit("the service did not start")
                time.sleep(0.1)
        yield url, server
    finally:
        server.terminate()
        server.wait(timeout=30)
