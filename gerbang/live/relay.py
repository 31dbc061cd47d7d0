"""The live relay: an ASGI app that streams server-sent events to browsers, and nothing else.

It holds thousands of idle streams in one process and never decides anything: business code
publishes complete messages (``gerbang.live.publish``), the relay hears them (Redis pub/sub when
``REDIS_URL`` is set, otherwise one query per ``LIVE_POLL_SECONDS`` on the ``LiveMessage``
table) and copies each to the streams of its channel. A page never depends on it: every page
that listens also renders its state itself and still works by a plain refresh.

Streams:
  GET /live/offices/<code>/queue    the office's queue: its board and every ticket page
  GET /live/healthz                 "ok" (for the load balancer)

A stream starts with ``retry:`` (how long the browser waits before reconnecting, which
EventSource does by itself), then carries ``event: <name>`` / ``data: <json>`` messages and a
comment every ``KEEPALIVE_SECONDS`` so that proxies keep idle connections open. A browser that
reconnects asks the page's JSON for the state it may have missed; the relay keeps none.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

logger = logging.getLogger(__name__)

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]

KEEPALIVE_SECONDS = 15.0
RETRY_MILLISECONDS = 2000
# A browser that cannot keep up loses old messages, never the newest (each carries a whole state).
BACKLOG = 8
ROUTES = [(re.compile(r"^/live/offices/(?P<code>[a-z0-9_-]{1,32})/queue/?$"), "queue:{code}", "queue")]


def frame(event: str, data: str, message_id: int | None = None) -> bytes:
    lines = [f"event: {event}"]
    if message_id is not None:
        lines.append(f"id: {message_id}")
    lines += [f"data: {line}" for line in data.splitlines() or [""]]
    return ("\n".join(lines) + "\n\n").encode()


class Subscriber:
    __slots__ = ("event", "queue")

    def __init__(self, event: str) -> None:
        self.event = event
        self.queue: asyncio.Queue[bytes] = asyncio.Queue(maxsize=BACKLOG)

    def offer(self, message: bytes) -> None:
        if self.queue.full():
            with contextlib.suppress(asyncio.QueueEmpty):
                self.queue.get_nowait()
        self.queue.put_nowait(message)


class Hub:
    """The streams of this process by channel, and the one task that feeds them."""

    def __init__(self, source_factory: Callable[[Hub], Awaitable[None]]) -> None:
        self.channels: dict[str, set[Subscriber]] = {}
        self._source_factory = source_factory
        self._source: asyncio.Task[None] | None = None

    def subscribe(self, channel: str, event: str) -> Subscriber:
        self._start()
        subscriber = Subscriber(event)
        self.channels.setdefault(channel, set()).add(subscriber)
        return subscriber

    def unsubscribe(self, channel: str, subscriber: Subscriber) -> None:
        subscribers = self.channels.get(channel)
        if subscribers is not None:
            subscribers.discard(subscriber)
            if not subscribers:
                del self.channels[channel]

    @property
    def streams(self) -> int:
        return sum(len(s) for s in self.channels.values())

    def dispatch(self, channel: str, data: str, message_id: int | None = None) -> None:
        subscribers = self.channels.get(channel)
        if not subscribers:
            return
        encoded: dict[str, bytes] = {}
        for subscriber in list(subscribers):
            message = encoded.get(subscriber.event)
            if message is None:
                message = encoded[subscriber.event] = frame(subscriber.event, data, message_id)
            subscriber.offer(message)

    def _start(self) -> None:
        if self._source is None or self._source.done():
            self._source = asyncio.get_running_loop().create_task(self._run_source())

    async def _run_source(self) -> None:
        while True:
            try:
                await self._source_factory(self)
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("live source failed; starting it again")
            await asyncio.sleep(1.0)

    async def stop(self) -> None:
        if self._source is not None:
            self._source.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._source


# --- Where messages come from --------------------------------------------------------------


async def redis_source(hub: Hub) -> None:
    """Every message published to the deployment's live channels, from Redis pub/sub."""
    import redis.asyncio as aioredis
    from django.conf import settings

    prefix = settings.LIVE_CHANNEL_PREFIX
    client = aioredis.Redis.from_url(settings.REDIS_URL)
    pubsub = client.pubsub(ignore_subscribe_messages=True)
    try:
        await pubsub.psubscribe(f"{prefix}*")
        async for message in pubsub.listen():
            if message.get("type") != "pmessage":
                continue
            channel = message["channel"].decode()[len(prefix) :]
            hub.dispatch(channel, message["data"].decode())
    finally:
        await pubsub.aclose()  # type: ignore[no-untyped-call]  # redis.asyncio leaves it unannotated
        await client.aclose()


def _database_reader() -> tuple[Callable[[], int], Callable[[int], list[tuple[int, str, str]]]]:
    from django.db import close_old_connections

    from gerbang.live.models import LiveMessage

    def newest() -> int:
        close_old_connections()
        return LiveMessage.objects.order_by("-id").values_list("id", flat=True).first() or 0

    def after(last: int) -> list[tuple[int, str, str]]:
        close_old_connections()
        return list(
            LiveMessage.objects.filter(id__gt=last).order_by("id").values_list("id", "channel", "data")[:500]
        )

    return newest, after


async def database_source(hub: Hub) -> None:
    """New rows of the ``LiveMessage`` table, one query every ``LIVE_POLL_SECONDS``; the ORM
    runs on one thread of its own, never on the event loop."""
    from django.conf import settings
    from django.db import connections

    loop = asyncio.get_running_loop()
    newest, after = _database_reader()
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="live-db")
    try:
        last = await loop.run_in_executor(executor, newest)
        while True:
            rows = await loop.run_in_executor(executor, after, last)
            for message_id, channel, data in rows:
                hub.dispatch(channel, data, message_id)
                last = message_id
            if len(rows) < 500:
                await asyncio.sleep(settings.LIVE_POLL_SECONDS)
    finally:
        # The thread's database connection is closed by the thread that opened it.
        executor.submit(connections.close_all).result(timeout=5)
        executor.shutdown(wait=False)


def configured_source(hub: Hub) -> Awaitable[None]:
    from django.conf import settings

    return redis_source(hub) if settings.REDIS_URL else database_source(hub)


# --- The ASGI app ----------------------------------------------------------------------------


def _cors_headers(scope: Scope) -> list[tuple[bytes, bytes]]:
    """Pages may be served from another address than the relay (locally another port): the
    site's own origins may read the streams. They carry no personal data."""
    from django.conf import settings

    origin = next((v for k, v in scope.get("headers", []) if k == b"origin"), b"").decode()
    if origin and origin in settings.LIVE_ALLOWED_ORIGINS:
        return [(b"access-control-allow-origin", origin.encode()), (b"vary", b"origin")]
    return []


async def _plain(send: Send, status: int, body: bytes, headers: Sequence[tuple[bytes, bytes]] = ()) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"text/plain; charset=utf-8"), *headers],
        }
    )
    await send({"type": "http.response.body", "body": body})


class Relay:
    def __init__(self, source: Callable[[Hub], Awaitable[None]] = configured_source) -> None:
        self.hub = Hub(source)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        path = scope["path"]
        if path == "/live/healthz":
            await _plain(send, 200, f"ok {self.hub.streams} streams\n".encode())
            return
        if scope["method"] not in ("GET", "HEAD"):
            await _plain(send, 405, b"method not allowed\n", [(b"allow", b"GET")])
            return
        for pattern, channel_format, event in ROUTES:
            match = pattern.match(path)
            if match:
                await self._stream(scope, receive, send, channel_format.format(**match.groupdict()), event)
                return
        await _plain(send, 404, b"no such stream\n")

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.hub.stop()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _stream(self, scope: Scope, receive: Receive, send: Send, channel: str, event: str) -> None:
        from django.conf import settings

        if self.hub.streams >= settings.LIVE_MAX_STREAMS:
            await _plain(send, 503, b"too many streams; try again\n", [(b"retry-after", b"10")])
            return
        subscriber = self.hub.subscribe(channel, event)
        disconnected = asyncio.Event()

        async def watch_disconnect() -> None:
            while (await receive())["type"] != "http.disconnect":
                pass
            disconnected.set()

        watcher = asyncio.get_running_loop().create_task(watch_disconnect())
        try:
            await send(
                {
                    "type": "http.response.start",
                    "status": 200,
                    "headers": [
                        (b"content-type", b"text/event-stream; charset=utf-8"),
                        (b"cache-control", b"no-store"),
                        (b"x-accel-buffering", b"no"),
                        *_cors_headers(scope),
                    ],
                }
            )
            await send(
                {
                    "type": "http.response.body",
                    "body": f"retry: {RETRY_MILLISECONDS}\n: connected\n\n".encode(),
                    "more_body": True,
                }
            )
            if scope["method"] == "HEAD":
                return
            while not disconnected.is_set():
                getter = asyncio.ensure_future(subscriber.queue.get())
                stop = asyncio.ensure_future(disconnected.wait())
                done, _pending = await asyncio.wait(
                    {getter, stop}, timeout=KEEPALIVE_SECONDS, return_when=asyncio.FIRST_COMPLETED
                )
                stop.cancel()
                if getter in done:
                    body = getter.result()
                else:
                    getter.cancel()
                    if disconnected.is_set():
                        break
                    body = b": keep-alive\n\n"
                await send({"type": "http.response.body", "body": body, "more_body": True})
        except OSError:
            pass  # the browser went away while we wrote
        finally:
            self.hub.unsubscribe(channel, subscriber)
            watcher.cancel()
            with contextlib.suppress(Exception):
                await send({"type": "http.response.body", "body": b"", "more_body": False})
