"""The draft page on `voicecheck serve --workers 2 --token ...`, in a real browser.

The page's session is opened on one worker and its requests land on either: it must hold on
both, and be closed on both. The browser and its helpers are those of test_webpage.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from .test_server import TOKEN, running_server
from .test_webpage import OFF_VOICE, ON_VOICE, browser, checked, needs_chromium, opened, ready, sign_in

__all__ = ["browser", "opened"]  # the fixtures, used by name


@pytest.fixture(scope="module")
def workers_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    log = tmp_path_factory.mktemp("page-workers") / "stderr.log"
    with running_server("--workers", "2", "--token", TOKEN, log=log) as url:
        yield url


@needs_chromium
def test_a_page_signed_in_on_one_worker_works_on_both(opened: Any, workers_server: str) -> None:
    page = opened(workers_server)
    sign_in(page)
    ready(page)
    for _ in range(3):  # reloads open new connections, to either worker, with the same session
        checked(page, OFF_VOICE, "facebook")
        assert page.inner_text("#verdict-name") == "drift"
        checked(page, ON_VOICE, "facebook")
        assert page.inner_text("#verdict-name") == "on-voice"
        page.reload()
        ready(page)
        assert page.locator("#login").is_hidden()
    (cookie,) = page.context.cookies()
    csrf = page.evaluate("fetch('/session').then(r => r.json()).then(b => b.csrf)")
    session = {"Cookie": f"voicecheck_session={cookie['value']}", "X-CSRF-Token": csrf}
    post = {"posts": [{"text": OFF_VOICE}]}
    statuses = {httpx.post(f"{workers_server}/v1/check", json=post, headers=session).status_code for _ in range(12)}
    assert statuses == {200}  # twelve connections of their own, to either worker
