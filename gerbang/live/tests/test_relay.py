"""The live relay as an ASGI app, driven in-process: streams, routing, fan-out, slow readers,
and each of its two sources (the database table; Redis pub/sub when configured)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

import pytest
from django.conf import settings

from gerbang.live import publish as live
from gerbang.live.models import LiveMessage
from gerbang.live.relay import BACKLOG, Hub, Relay, Subscriber, database_source, frame, redis_source


class Browser:
    """One HTTP request to the relay, read as it streams."""

    def __init__(self, app: Relay, path: str, *, origin: str = "", method: str = "GET") -> None:
        headers = [(b"origin", origin.encode())] if origin else []
        self.scope = {"type": "http", "method": method, "path": path, "headers": headers}
        self.app = app
        self.sent: list[dict[str, Any]] = []
        self.gone = asyncio.Event()
        self.task: asyncio.Task[None] | None = None

    async def _receive(self) -> dict[str, Any]:
        await self.gone.wait()
        return {"type": "http.disconnect"}

    async def _send(self, message: dict[str, Any]) -> None:
        self.sent.append(message)

    def start(self) -> Browser:
        self.task = asyncio.get_running_loop().create_task(self.app(self.scope, self._receive, self._send))
        return self

    @property
    def status(self) -> int:
        return int(self.sent[0]["status"])

    @property
    def headers(self) -> dict[bytes, bytes]:
        return dict(self.sent[0]["headers"])

    @property
    def body(self) -> bytes:
        return b"".join(m.get("body", b"") for m in self.sent[1:])

    async def wait_for(self, text: bytes, timeout: float = 3.0) -> None:
        async def poll() -> None:
            while text not in self.body:
                await asyncio.sleep(0.01)

        await asyncio.wait_for(poll(), timeout)

    async def leave(self) -> None:
        self.gone.set()
        if self.task is not None:
            await asyncio.wait_for(self.task, 3.0)


def run(coroutine: Callable[[], Coroutine[Any, Any, None]]) -> None:
    asyncio.run(coroutine())


def quiet_source() -> Callable[[Hub], Awaitable[None]]:
    async def source(hub: Hub) -> None:
        await asyncio.Event().wait()

    return source


def test_a_stream_gets_every_message_of_its_channel_only() -> None:
    async def scenario() -> None:
        relay = Relay(quiet_source())
        mesuji = Browser(relay, "/live/offices/mesuji/queue").start()
        other = Browser(relay, "/live/offices/makassar/queue").start()
        await mesuji.wait_for(b"retry: 2000")
        assert mesuji.status == 200
        assert mesuji.headers[b"content-type"] == b"text/event-stream; charset=utf-8"
        assert mesuji.headers[b"cache-control"] == b"no-store"
        relay.hub.dispatch("queue:mesuji", '{"n":1}', 7)
        await mesuji.wait_for(b'event: queue\nid: 7\ndata: {"n":1}\n\n')
        await asyncio.sleep(0.05)
        assert b"event:" not in other.body
        assert relay.hub.streams == 2
        await mesuji.leave()
        await other.leave()
        assert relay.hub.streams == 0

    run(scenario)


def test_routes_health_and_methods() -> None:
    async def scenario() -> None:
        relay = Relay(quiet_source())
        missing = Browser(relay, "/live/nothing").start()
        health = Browser(relay, "/live/healthz").start()
        post = Browser(relay, "/live/offices/mesuji/queue", method="POST").start()
        for browser in (missing, health, post):
            assert browser.task is not None
            await asyncio.wait_for(browser.task, 3.0)
        assert missing.status == 404
        assert health.status == 200 and health.body.startswith(b"ok")
        assert post.status == 405

    run(scenario)


def test_only_the_sites_own_pages_may_read_across_origins(settings: Any) -> None:
    settings.LIVE_ALLOWED_ORIGINS = ["http://127.0.0.1:8000"]

    async def scenario() -> None:
        relay = Relay(quiet_source())
        ours = Browser(relay, "/live/offices/mesuji/queue", origin="http://127.0.0.1:8000").start()
        theirs = Browser(relay, "/live/offices/mesuji/queue", origin="https://evil.example").start()
        await ours.wait_for(b"retry")
        await theirs.wait_for(b"retry")
        assert ours.headers[b"access-control-allow-origin"] == b"http://127.0.0.1:8000"
        assert b"access-control-allow-origin" not in theirs.headers
        await ours.leave()
        await theirs.leave()

    run(scenario)


def test_too_many_streams_are_told_to_come_back(settings: Any) -> None:
    settings.LIVE_MAX_STREAMS = 1

    async def scenario() -> None:
        relay = Relay(quiet_source())
        first = Browser(relay, "/live/offices/mesuji/queue").start()
        await first.wait_for(b"retry")
        second = Browser(relay, "/live/offices/mesuji/queue").start()
        assert second.task is not None
        await asyncio.wait_for(second.task, 3.0)
        assert second.status == 503 and second.headers[b"retry-after"] == b"10"
        await first.leave()

    run(scenario)


def test_a_slow_reader_keeps_the_newest_messages() -> None:
    async def scenario() -> None:
        subscriber = Subscriber("queue")
        for n in range(BACKLOG + 5):
            subscriber.offer(frame("queue", str(n)))
        kept = [subscriber.queue.get_nowait() for _ in range(subscriber.queue.qsize())]
        assert len(kept) == BACKLOG
        assert kept[-1] == frame("queue", str(BACKLOG + 4))

    run(scenario)


def test_multi_line_data_is_framed_line_by_line() -> None:
    assert frame("queue", "a\nb") == b"event: queue\ndata: a\ndata: b\n\n"


@pytest.mark.django_db(transaction=True)
def test_database_source_streams_new_rows(settings: Any) -> None:
    settings.LIVE_POLL_SECONDS = 0.02
    settings.REDIS_URL = ""
    LiveMessage.objects.create(channel="queue:mesuji", data='{"old":true}')

    async def scenario() -> None:
        relay = Relay(database_source)
        browser = Browser(relay, "/live/offices/mesuji/queue").start()
        await browser.wait_for(b"retry")
        await asyncio.sleep(0.2)  # the source has started from the newest row
        await asyncio.to_thread(live.publish, "queue:mesuji", {"n": 2})
        await browser.wait_for(b'data: {"n":2}')
        assert b"old" not in browser.body
        await browser.leave()
        await relay.hub.stop()

    run(scenario)


@pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL")
def test_redis_source_streams_what_any_process_publishes() -> None:
    async def scenario() -> None:
        relay = Relay(redis_source)
        browser = Browser(relay, "/live/offices/mesuji/queue").start()
        await browser.wait_for(b"retry")
        for _attempt in range(50):  # until the subscription is in place
            await asyncio.to_thread(live.publish, "queue:mesuji", {"n": 3})
            try:
                await browser.wait_for(b'data: {"n":3}', timeout=0.1)
                break
            except TimeoutError:
                continue
        assert b'data: {"n":3}' in browser.body
        await browser.leave()
        await relay.hub.stop()

    run(scenario)


@pytest.mark.django_db
def test_publish_on_commit_only_after_the_commit(
    django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.REDIS_URL = ""
    with django_capture_on_commit_callbacks(execute=False) as pending:
        live.publish_on_commit("queue:mesuji", lambda: {"n": 4})
        assert LiveMessage.objects.count() == 0
    assert len(pending) == 1
    pending[0]()
    assert json.loads(LiveMessage.objects.get().data) == {"n": 4}


@pytest.mark.django_db
def test_old_messages_are_pruned() -> None:
    import datetime as dt

    from django.utils import timezone

    LiveMessage.objects.create(channel="c", data="{}", created_at=timezone.now() - dt.timedelta(hours=2))
    LiveMessage.objects.create(channel="c", data="{}")
    assert live.prune() == 1
    assert LiveMessage.objects.count() == 1
