"""Small requests judged together: the same answers as alone, gathered while a batch runs, failures kept apart."""

from __future__ import annotations

import asyncio
import csv
import json
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from voicecheck import api
from voicecheck.coalescing import MAX_BATCH_POSTS, MAX_CHARS_GATHERED, Gatherer, Request, judge_together
from voicecheck.errors import VoicecheckError
from voicecheck.messages import result_dict
from voicecheck.readers.base import Post
from voicecheck.server import _judged_each
from voicecheck.store import SavedModel

from .conftest import ROOT
from .test_server import running_server


def _requests(*groups: tuple[str, list[Post], str]) -> list[Request]:
    loop = asyncio.new_event_loop()
    try:
        return [Request(work, posts, lang, loop.create_future()) for work, posts, lang in groups]
    finally:
        loop.close()


def test_posts_judged_together_get_the_answers_they_get_alone(sample_model: SavedModel, sample_posts: list) -> None:
    posts = sample_posts[:12]
    groups = [("check", posts[:1], "en"), ("check", posts[1:4], "fr"), ("tone", posts[4:6], "en"),
              ("check", posts[6:12], "fr")]  # fmt: skip
    judge = lambda work, these, langs: _judged_each(sample_model, work, these, langs)  # noqa: E731
    together = judge_together(judge, _requests(*groups))
    alone = [judge(work, these, [lang] * len(these)) for work, these, lang in groups]
    assert together == alone
    assert together[0] == [result_dict(result, "en") for result in api.check(sample_model, posts[:1])]


def test_a_request_that_cannot_be_judged_fails_alone() -> None:
    def judge(work: str, posts: list[Post], langs: list[str]) -> list[dict[str, Any]]:
        if any(post.text == "bad" for post in posts):
            raise VoicecheckError("cannot judge this")
        if any(post.text == "bug" for post in posts):
            raise RuntimeError("a defect")
        return [{"id": post.id, "lang": lang} for post, lang in zip(posts, langs, strict=True)]

    good, bad, bug = [Post("a", "fine")], [Post("b", "bad")], [Post("c", "bug")]
    requests = _requests(("check", good, "en"), ("check", bad, "fr"), ("check", good, "fr"), ("check", bug, "en"))
    outcomes = judge_together(judge, requests)
    assert outcomes[0] == [{"id": "a", "lang": "en"}] and outcomes[2] == [{"id": "a", "lang": "fr"}]
    assert isinstance(outcomes[1], VoicecheckError) and isinstance(outcomes[3], RuntimeError)


class _Recorder:
    """A judge that records each batch it is given, and a way to run it that waits for a signal the first time."""

    def __init__(self) -> None:
        self.batches: list[list[str]] = []
        self.first_may_finish = threading.Event()
        self.pool = ThreadPoolExecutor(1)

    def judge(self, work: str, posts: list[Post], langs: list[str]) -> list[dict[str, Any]]:
        self.batches.append([post.id for post in posts])
        if len(self.batches) == 1:
            assert self.first_may_finish.wait(10)
        if any(post.text == "bad" for post in posts):
            raise VoicecheckError("cannot judge this")
        return [{"id": post.id, "lang": lang} for post, lang in zip(posts, langs, strict=True)]

    async def run(self, work: Callable[[], Any]) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self.pool, work)


def _answering_at_once() -> _Recorder:
    recorder = _Recorder()
    recorder.first_may_finish.set()
    return recorder


async def _singles(gatherer: Gatherer, prefix: str, count: int) -> list[Any]:
    """`count` requests of one post each (ids prefix0, prefix1, ...), sent at once."""
    return await asyncio.gather(*(gatherer.judge("check", [Post(f"{prefix}{i}", "x")], "en") for i in range(count)))


async def _seconds(work: Any) -> float:
    """How long awaiting `work` took."""
    started = asyncio.get_running_loop().time()
    await work
    return asyncio.get_running_loop().time() - started


def test_requests_that_arrive_during_a_batch_are_judged_together_as_the_next() -> None:
    recorder = _Recorder()

    async def scenario() -> list[Any]:
        gatherer = Gatherer(recorder.judge, recorder.run)
        first = asyncio.create_task(gatherer.judge("check", [Post("first", "x")], "en"))
        await asyncio.sleep(0.05)  # the first batch is under way, holding one request
        later = [asyncio.create_task(gatherer.judge("check", [Post(f"p{i}", "x")], "fr")) for i in range(5)]
        failing = asyncio.create_task(gatherer.judge("check", [Post("b", "bad")], "en"))
        await asyncio.sleep(0.05)
        recorder.first_may_finish.set()
        answers = await asyncio.gather(first, *later, failing, return_exceptions=True)
        return answers

    answers = asyncio.run(scenario())
    assert recorder.batches[0] == ["first"]
    assert recorder.batches[1] == ["p0", "p1", "p2", "p3", "p4", "b"]  # gathered, in the order they came
    assert recorder.batches[2:] == [[f"p{i}"] for i in range(5)] + [["b"]]  # the failed batch, request by request
    assert answers[0] == [{"id": "first", "lang": "en"}]
    assert answers[1:6] == [[{"id": f"p{i}", "lang": "fr"}] for i in range(5)]
    assert isinstance(answers[6], VoicecheckError)


def test_a_batch_holds_at_most_its_share_of_posts() -> None:
    recorder = _Recorder()
    recorder.first_may_finish.set()

    async def scenario() -> None:
        gatherer = Gatherer(recorder.judge, recorder.run)
        posts = [[Post(f"r{i}-{j}", "x") for j in range(8)] for i in range(20)]
        await asyncio.gather(*(gatherer.judge("check", these, "en") for these in posts))

    asyncio.run(scenario())
    assert sum(len(batch) for batch in recorder.batches) == 160
    assert max(len(batch) for batch in recorder.batches) <= MAX_BATCH_POSTS


def test_only_small_requests_are_gathered() -> None:
    assert MAX_CHARS_GATHERED == 4000
    assert Gatherer.takes([Post("a", "x" * 100)] * 8)
    assert not Gatherer.takes([Post("a", "x")] * 9)
    assert not Gatherer.takes([Post("a", "x" * 4001)])


@pytest.fixture(scope="module")
def open_service(tmp_path_factory: pytest.TempPathFactory) -> Any:
    with running_server(log=tmp_path_factory.mktemp("gathered") / "stderr.log") as url:
        yield url


def test_concurrent_clients_get_the_answers_they_get_one_by_one(open_service: str) -> None:
    with open(ROOT / "samples" / "new_posts.csv", encoding="utf-8") as handle:
        posts = [{"id": row["id"], "text": row["text"], "channel": row["channel"]} for row in csv.DictReader(handle)]
    bodies = [({"posts": [post]}, lang) for post in posts for lang in ("en", "fr")]

    def ask(body: dict[str, Any], lang: str) -> str:
        answer = httpx.post(f"{open_service}/v1/check?lang={lang}", json=body, timeout=60)
        assert answer.status_code == 200, answer.text
        return json.dumps(answer.json(), sort_keys=True)

    one_by_one = [ask(body, lang) for body, lang in bodies]
    with ThreadPoolExecutor(8) as clients:
        at_once = list(clients.map(lambda pair: ask(*pair), bodies * 3))
    assert at_once == one_by_one * 3


def test_the_clients_just_answered_are_waited_for_and_make_one_batch() -> None:
    recorder = _answering_at_once()

    async def scenario() -> float:
        gatherer = Gatherer(recorder.judge, recorder.run, linger=5.0, max_linger=5.0)
        await _singles(gatherer, "a", 3)
        started = asyncio.get_running_loop().time()
        back = [asyncio.create_task(gatherer.judge("check", [Post("b0", "x")], "en"))]
        await asyncio.sleep(0.05)  # the first client back waits for the two others
        back += [asyncio.create_task(gatherer.judge("check", [Post(f"b{i}", "x")], "en")) for i in (1, 2)]
        await asyncio.gather(*back)
        return asyncio.get_running_loop().time() - started

    took = asyncio.run(scenario())
    assert recorder.batches == [["a0", "a1", "a2"], ["b0", "b1", "b2"]]
    assert took < 2.5  # judged as soon as all three were back, long before the wait would have ended


def test_a_wait_ends_at_its_deadline_and_the_next_answers_expect_nobody() -> None:
    recorder = _answering_at_once()

    async def scenario() -> tuple[float, float]:
        gatherer = Gatherer(recorder.judge, recorder.run, linger=0.2, max_linger=5.0)
        await _singles(gatherer, "a", 4)
        # Three of the four come back at once and wait for the fourth: 0.2 s, and 0.2 s more for each.
        waited = await _seconds(_singles(gatherer, "b", 3))
        return waited, await _seconds(_singles(gatherer, "c", 1))  # the fourth never came: nobody is waited for

    waited, alone = asyncio.run(scenario())
    assert recorder.batches == [["a0", "a1", "a2", "a3"], ["b0", "b1", "b2"], ["c0"]]
    assert 0.7 <= waited < 2.5
    assert alone < 0.2


def test_a_request_long_after_the_last_answers_is_judged_at_once() -> None:
    recorder = _answering_at_once()

    async def scenario() -> float:
        gatherer = Gatherer(recorder.judge, recorder.run, linger=0.2, max_linger=5.0)
        await _singles(gatherer, "a", 4)
        await asyncio.sleep(1.0)  # past the wait its clients had
        return await _seconds(_singles(gatherer, "b", 1))

    alone = asyncio.run(scenario())
    assert recorder.batches == [["a0", "a1", "a2", "a3"], ["b0"]]
    assert alone < 0.2


def test_requests_that_keep_coming_do_not_hold_a_batch_past_its_longest_wait() -> None:
    recorder = _answering_at_once()

    async def scenario() -> float:
        gatherer = Gatherer(recorder.judge, recorder.run, linger=0.3, max_linger=0.6)
        await _singles(gatherer, "a", 8)
        loop = asyncio.get_running_loop()
        started, answered = loop.time(), []
        trickle = []
        for i in range(6):  # one every 0.2 s, each giving the others 0.3 s more, two short of the eight
            trickle.append(asyncio.create_task(gatherer.judge("check", [Post(f"b{i}", "x")], "en")))
            trickle[-1].add_done_callback(lambda _: answered.append(loop.time()))
            await asyncio.sleep(0.2)
        await asyncio.gather(*trickle)
        return answered[0] - started

    first = asyncio.run(scenario())
    assert recorder.batches[1] == ["b0", "b1", "b2"]  # judged at 0.6 s, when the wait had to end
    assert 0.5 <= first < 1.0


def test_empty_requests_are_not_waited_for() -> None:
    recorder = _answering_at_once()

    async def scenario() -> float:
        gatherer = Gatherer(recorder.judge, recorder.run, linger=5.0, max_linger=5.0)
        await asyncio.gather(*(gatherer.judge("check", [], "en") for _ in range(20)))
        return await _seconds(_singles(gatherer, "a", 1))

    assert asyncio.run(scenario()) < 2.5
