"""Latency of the draft page: from the last keystroke to the verdict on the page, one post at a time.

    python benchmarks/page_latency.py [--model models/maison-claire] [--drafts 30]

Starts the real `voicecheck serve` on a free loopback port and opens its page in Debian's
Chromium (/usr/bin/chromium, driven by Playwright). For each draft (the sample brand's new
posts, then its own posts), all but its last character is pasted in, then the last one is
typed: a real keystroke. The page records, with performance.now(), the keystroke, the start
of the request once the 300 ms pause has passed, and the moment the verdict is drawn. Prints
the median and the slowest of both spans; the goal is a median of at most 150 ms from the
request's start to the verdict drawn.
"""

from __future__ import annotations

import argparse
import csv
import statistics
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright
from served import served

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync"]  # fmt: skip
GOAL_MS = 150


def drafts(count: int) -> list[tuple[str, str]]:
    """(text, channel) pairs: the new sample posts first, then the brand's own, `count` in all."""
    rows: list[tuple[str, str]] = []
    for name in ("new_posts.csv", "posts/facebook.csv"):
        with open(ROOT / "samples" / name, encoding="utf-8") as handle:
            rows += [
                (row.get("text") or row.get("message") or "", row.get("channel") or "")
                for row in csv.DictReader(handle)
            ]
    return [(text, channel) for text, channel in rows if text[:-1].strip()][:count]


def measure(url: str, posts: list[tuple[str, str]]) -> list[dict[str, float]]:
    """Type each draft's last character and wait for its verdict; the page's timings, one per draft."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(locale="en-US")
        page.goto(url)
        page.wait_for_selector("body[data-ready=true]")
        channels = set(page.locator("#channel option").evaluate_all("options => options.map(o => o.value)"))
        timings: list[dict[str, float]] = []
        for text, channel in [posts[0], *posts]:  # the first is a warm-up
            page.select_option("#channel", channel if channel in channels else "")
            timings.append(check_last_keystroke(page, text))
        browser.close()
    return timings[1:]


def check_last_keystroke(page: Any, text: str) -> dict[str, float]:
    """Paste all of `text` but its last character and wait for that verdict; then type the last one."""
    count = "() => window.voicecheckTimings.length"
    pasted = page.evaluate(count)
    page.fill("#draft", text[:-1])
    page.wait_for_function(f"() => window.voicecheckTimings.length > {pasted}", timeout=30_000)
    typed = page.evaluate(count)
    page.locator("#draft").press_sequentially(text[-1])
    page.wait_for_function(f"() => window.voicecheckTimings.length > {typed}", timeout=30_000)
    timing: dict[str, float] = page.evaluate("() => window.voicecheckTimings.at(-1)")
    return timing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default=str(ROOT / "models" / "maison-claire"))
    parser.add_argument("--drafts", type=int, default=30)
    args = parser.parse_args()

    with served(args.model) as url:
        timings = measure(url, drafts(args.drafts))
    answered = [t["rendered"] - t["requested"] for t in timings]
    typed = [t["rendered"] - t["typed"] for t in timings]
    median = statistics.median(answered)
    print(f"drafts: {len(timings)}")
    print(f"request start -> verdict drawn: median {median:.0f} ms, slowest {max(answered):.0f} ms")
    print(f"last keystroke -> verdict drawn (with the 300 ms pause): median {statistics.median(typed):.0f} ms, "
          f"slowest {max(typed):.0f} ms")  # fmt: skip
    print(f"goal: median <= {GOAL_MS} ms from the request's start: {'met' if median <= GOAL_MS else 'NOT met'}")


if __name__ == "__main__":
    main()
