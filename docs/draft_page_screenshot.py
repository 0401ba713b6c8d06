"""Take docs/draft-page.png: the draft page of `voicecheck serve` with a draft that drifts.

    python docs/draft_page_screenshot.py [--model models/maison-claire] [--out docs/draft-page.png]

Starts the real service on a free loopback port, opens its page in Debian's Chromium
(/usr/bin/chromium, driven by Playwright), types a draft and photographs the page down to
the end of the verdict.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))  # the scripts' shared start of a service
from served import served  # noqa: E402

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync"]  # fmt: skip
DRAFT = "Our maids are back this spring!!! Cheap prices, book now 🔥"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default=str(ROOT / "models" / "maison-claire"))
    parser.add_argument("--out", default=str(ROOT / "docs" / "draft-page.png"))
    args = parser.parse_args()
    with served(args.model) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(locale="en-US", viewport={"width": 900, "height": 900})
        page.goto(url)
        page.wait_for_selector("body[data-ready=true]")
        page.select_option("#channel", "instagram")
        page.fill("#draft", DRAFT)
        page.click("#check")
        page.wait_for_selector("#verdict[data-state=done]")
        page.locator("#draft").blur()
        box = page.locator("#verdict").bounding_box()
        assert box is not None
        height = int(box["y"] + box["height"] + 16)
        page.set_viewport_size({"width": 900, "height": height})
        page.screenshot(path=args.out, clip={"x": 0, "y": 0, "width": 900, "height": height})
        browser.close()
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
