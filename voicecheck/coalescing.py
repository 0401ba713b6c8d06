"""Small requests that arrive while others are judged wait, and are then judged together.

A check of one post costs several times its share of a batch: spaCy, the features and the
scores are work on whole arrays, whose fixed cost per call one post does not spread. Under
load, the service therefore gathers the small requests that come in while a batch is judged
and judges them as the next batch, in one library call; when nobody else is waiting, a request
is judged at once, alone. The answers are the same either way: a post's result does not depend
on the posts judged beside it (`tests/test_coalescing.py` holds them equal).

Clients that were just answered are expected back: a batch waits for them, a few
milliseconds at most, before it is judged. Without that wait, clients that keep the service
busy split into groups that take turns, one judged while the other's answers are written and
its next requests read, and a request waits for the batch ahead of it as well as its own.
Together they make one batch, judged while the event loop has nothing else to do.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from voicecheck.readers.base import Post

#: A request of at most this many posts, and characters in all, is gathered with others;
#: larger ones are batches already.
MAX_POSTS_GATHERED = 8
MAX_CHARS_GATHERED = 4000
#: The posts one gathered batch holds at most: beyond it, the next batch takes the rest.
MAX_BATCH_POSTS = 64
#: Seconds the next batch waits for the clients just answered to come back, and more for each
#: that has: the event loop writes the answers and reads the next requests one at a time.
LINGER_SECONDS = 0.003
#: The longest a batch waits after the answers, however many requests keep coming in.
MAX_LINGER_SECONDS = 0.012

#: What judges a batch: (work, posts, the language of each post's messages) to one answer per post.
Judge = Callable[[str, list[Post], list[str]], list[dict[str, Any]]]


@dataclass(frozen=True)
class Request:
    """One request's share of a batch: its work ("check" or "tone"), posts, language and answer to come."""

    work: str
    posts: list[Post]
    lang: str
    answer: asyncio.Future[list[dict[str, Any]]] = field(compare=False)


def judge_together(judge: Judge, requests: Sequence[Request]) -> list[list[dict[str, Any]] | Exception]:
    """Each request's answers, or the error judging it raised, from one call per kind of work.

    Should a batch fail, each of its requests is judged alone, so that a request that cannot be
    judged is refused (or answered with a 500) without taking the others down with it.
    """
    outcomes: list[list[dict[str, Any]] | Exception] = [[] for _ in requests]
    for work in sorted({request.work for request in requests}):
        places = [place for place, request in enumerate(requests) if request.work == work]
        posts = [post for place in places for post in requests[place].posts]
        langs = [requests[place].lang for place in places for _ in requests[place].posts]
        try:
            answers = judge(work, posts, langs)
        except Exception:
            for place in places:
                outcomes[place] = _alone(judge, requests[place])
            continue
        start = 0
        for place in places:
            end = start + len(requests[place].posts)
            outcomes[place] = answers[start:end]
            start = end
    return outcomes


def _posts(requests: Sequence[Request]) -> int:
    return sum(len(request.posts) for request in requests)


def _alone(judge: Judge, request: Request) -> list[dict[str, Any]] | Exception:
    try:
        return judge(request.work, request.posts, [request.lang] * len(request.posts))
    except Exception as exc:  # this request's own failure: its handler raises it
        return exc


class Gatherer:
    """Judges small requests one batch at a time, each batch holding every request that waited.

    `run_batch` runs a callable off the event loop (the service's judging threads) and returns
    its result; while it runs, the event loop goes on reading requests, which join the next batch.
    Once a batch is answered, the next waits for as many posts as were then in play (those
    answered and those waiting): `linger` seconds, `linger` more for each request that comes
    in, `max_linger` at most. It waits only while clients keep coming back: if the posts in
    play at some answers did not all come back within that time, nobody is waited for after
    the next answers, so clients that each send one request and go are not waited for.
    """

    def __init__(
        self,
        judge: Judge,
        run_batch: Callable[[Callable[[], Any]], Awaitable[Any]],
        linger: float = LINGER_SECONDS,
        max_linger: float = MAX_LINGER_SECONDS,
    ) -> None:
        self._judge = judge
        self._run_batch = run_batch
        self._linger, self._max_linger = linger, max_linger
        self._waiting: list[Request] = []
        self._draining: asyncio.Task[None] | None = None
        self._in_play = 0  # posts in play (answered or waiting) at the last answers
        self._expected = 0  # the posts the next batch waits for: those in play, if clients come back
        self._back = 0  # posts of those in play back within the wait's time, or waiting already
        self._answered_at = -math.inf
        self._came_in = 0  # requests that came in since the last answers
        self._arrived: asyncio.Event | None = None  # set by a request that comes in while a batch waits

    @staticmethod
    def takes(posts: Sequence[Post]) -> bool:
        """Whether a request is small enough to be gathered with others."""
        return len(posts) <= MAX_POSTS_GATHERED and sum(len(post.text) for post in posts) <= MAX_CHARS_GATHERED

    async def judge(self, work: str, posts: list[Post], lang: str) -> list[dict[str, Any]]:
        """This request's answers, judged in the next batch; raises what judging this request raised."""
        answer: asyncio.Future[list[dict[str, Any]]] = asyncio.get_running_loop().create_future()
        self._waiting.append(Request(work, posts, lang, answer))
        if asyncio.get_running_loop().time() <= self._deadline():
            self._back += len(posts)
        self._came_in += 1
        if self._arrived is not None:
            self._arrived.set()
        if self._draining is None:
            self._draining = asyncio.create_task(self._drain())
        return await answer

    async def _drain(self) -> None:
        try:
            while self._waiting:
                await self._clients_back()
                batch = self._next_batch()
                try:
                    outcomes = await self._run_batch(partial(judge_together, self._judge, batch))
                except BaseException as exc:  # the batch's requests learn of it; the service goes on
                    for request in batch:
                        if not request.answer.done():
                            request.answer.set_exception(exc)
                    if not isinstance(exc, Exception):
                        raise
                    continue
                self._answers_sent(batch)
                for request, outcome in zip(batch, outcomes, strict=True):
                    if request.answer.done():  # its client went away
                        continue
                    if isinstance(outcome, Exception):
                        request.answer.set_exception(outcome)
                    else:
                        request.answer.set_result(outcome)
        finally:
            self._draining = None

    def _answers_sent(self, batch: list[Request]) -> None:
        """Expect the posts now in play back, if those in play at the last answers came back in time."""
        clients_come_back = self._back >= self._in_play
        self._in_play = _posts(batch) + _posts(self._waiting)
        self._expected = self._in_play if clients_come_back else 0
        self._back = _posts(self._waiting)
        self._answered_at, self._came_in = asyncio.get_running_loop().time(), 0

    def _deadline(self) -> float:
        """`linger` after the answers, `linger` more for each request since, `max_linger` at most."""
        return self._answered_at + min(self._linger * (1 + self._came_in), self._max_linger)

    async def _clients_back(self) -> None:
        """Wait for the posts expected back since the last answers, or for a full batch, until `_deadline`.

        While requests keep coming, the others are on their way. A request that comes in long
        after the answers does not wait.
        """
        loop = asyncio.get_running_loop()
        while _posts(self._waiting) < min(self._expected, MAX_BATCH_POSTS):
            left = self._deadline() - loop.time()
            if left <= 0:
                return
            self._arrived = asyncio.Event()
            try:
                await asyncio.wait_for(self._arrived.wait(), left)
            except TimeoutError:
                pass  # the deadline is looked at again: it has passed
            finally:
                self._arrived = None

    def _next_batch(self) -> list[Request]:
        """The requests that waited longest, up to MAX_BATCH_POSTS posts (always at least one)."""
        taken, posts = 0, 0
        for request in self._waiting:
            if taken and posts + len(request.posts) > MAX_BATCH_POSTS:
                break
            taken += 1
            posts += len(request.posts)
        batch, self._waiting = self._waiting[:taken], self._waiting[taken:]
        return batch
