"""A thousand screens on one office's queue: how long from an officer's "call next" until every
display board and ticket page has heard it?

It serves the live relay as `make run` does (granian, ASGI, one worker) with production settings,
opens SUBSCRIBERS server-sent-event streams on one office's queue with an async HTTP client
(httpx), and then, ROUNDS times, issues a walk-in ticket and calls it to a counter through the
real services (a change committed to the database, published after the commit). For every
stream it notes when the call arrived. It prints p50 / p99 / worst latency over all streams and
rounds, against the target (p99 under one second) and against the latency of a single stream
measured in the same run (the anchor).

  .venv/bin/python bench/board_fanout.py                      # SQLite: the relay polls a table
  .venv/bin/python bench/board_fanout.py --redis redis://127.0.0.1:6379/14    # Redis pub/sub
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import Server, percentile, production_env  # noqa: E402 - after the path

TARGET_SECONDS = 1.0


def prepare(env: dict[str, str]) -> dict[str, Any]:
    """The catalogue, the demo lanes and counters, and an officer sitting at counter 1."""
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from gerbang.accounts.models import OfficeMembership, Role, User
    from gerbang.catalog.demo import load as load_catalogue
    from gerbang.queueing import demo as queue_demo
    from gerbang.queueing import services
    from gerbang.queueing.models import Counter, Lane

    call_command("migrate", "-v0")
    call_command("createcachetable")
    office = next(o for o in load_catalogue() if o.code == "mesuji")
    queue_demo.load()
    officer = User.objects.create(email="petugas@bench.test", full_name="Petugas", role=Role.OFFICER)
    OfficeMembership.objects.create(user=officer, office=office)
    counter = Counter.objects.get(office=office, number=1)
    lane = Lane.objects.get(office=office, letter="A")
    services.counter_open(counter=counter, actor=officer)
    connections.close_all()
    return {"office": office, "officer": officer, "counter": counter, "lane": lane}


def call_one(world: dict[str, Any]) -> tuple[str, float]:
    """A walk-in, then (once the screens had time to hear it) a call: the number and the moment."""
    from django.db import connections

    from gerbang.queueing import services

    # after_hours: the bench measures the fan-out at whatever time it is run.
    ticket = services.walk_in_issue(
        office=world["office"], lane=world["lane"], actor=world["officer"], after_hours=True
    )
    time.sleep(0.5)
    started = time.perf_counter()
    called = services.call_next(counter=world["counter"], actor=world["officer"])
    assert called is not None and called.number == ticket.number
    services.ticket_complete(ticket=called, actor=world["officer"])
    connections.close_all()
    return called.number, started


class Screens:
    """SSE streams that note when each one first saw a number at a counter."""

    def __init__(self, url: str, count: int) -> None:
        self.url = url
        self.count = count
        self.heard: list[dict[str, float]] = [{} for _ in range(count)]
        self.open = 0
        self.tasks: list[asyncio.Task[None]] = []

    async def _watch(self, index: int, client: httpx.AsyncClient) -> None:
        async with client.stream("GET", self.url) as response:
            self.open += 1
            async for line in response.aiter_lines():
                if not line.startswith("data: "):
                    continue
                at = time.perf_counter()
                state = json.loads(line[6:])
                for counter in state["counters"]:
                    if counter["ticket"] and counter["ticket"] not in self.heard[index]:
                        self.heard[index][counter["ticket"]] = at

    async def start(self) -> list[httpx.AsyncClient]:
        clients = [
            httpx.AsyncClient(timeout=httpx.Timeout(60.0), limits=httpx.Limits(max_connections=100))
            for _ in range(max(1, self.count // 100))
        ]
        self.tasks = [
            asyncio.get_running_loop().create_task(self._watch(n, clients[n % len(clients)]))
            for n in range(self.count)
        ]
        for _ in range(600):
            if self.open >= self.count:
                break
            await asyncio.sleep(0.05)
        return clients


async def measure(url: str, count: int, rounds: int, world: dict[str, Any]) -> list[float]:
    screens = Screens(url, count)
    clients = await screens.start()
    if screens.open < count:
        raise RuntimeError(f"only {screens.open} of {count} streams opened")
    latencies: list[float] = []
    for _ in range(rounds):
        number, started = await asyncio.to_thread(call_one, world)
        deadline = time.perf_counter() + 10
        while time.perf_counter() < deadline and any(number not in heard for heard in screens.heard):
            await asyncio.sleep(0.01)
        missing = sum(number not in heard for heard in screens.heard)
        if missing:
            raise RuntimeError(f"{missing} of {count} streams never heard {number}")
        latencies += [heard[number] - started for heard in screens.heard]
    for task in screens.tasks:
        task.cancel()
    await asyncio.gather(*screens.tasks, return_exceptions=True)
    for client in clients:
        await client.aclose()
    return latencies


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--redis", default="", help="a Redis URL: the relay listens to Redis pub/sub")
    parser.add_argument("--subscribers", type=int, default=int(os.environ.get("BENCH_SUBSCRIBERS", "1000")))
    parser.add_argument("--rounds", type=int, default=int(os.environ.get("BENCH_ROUNDS", "10")))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as var_dir:
        env = production_env(var_dir, redis=args.redis, LIVE_MAX_STREAMS="100000")
        world = prepare(env)
        with Server(env, "gerbang.live.asgi:app", interface="asgi", ready_path="/live/healthz") as relay:
            url = f"{relay.url}/live/offices/{world['office'].code}/queue"
            single = asyncio.run(measure(url, 1, args.rounds, world))
            many = asyncio.run(measure(url, args.subscribers, args.rounds, world))
        source = (
            "Redis pub/sub"
            if args.redis
            else f"the database table, polled every {env.get('LIVE_POLL_SECONDS', '0.2')} s"
        )
        print(f"relay: granian ASGI, 1 worker; messages from {source}; {args.rounds} calls")
        print(
            f"{'streams':>8} {'p50 ms':>8} {'p99 ms':>8} {'worst ms':>9} {'p99 / target':>13} {'p99 / anchor':>13}"
        )
        anchor_p99 = percentile(single, 0.99)
        for name, values in (("1 (anchor)", single), (str(args.subscribers), many)):
            p99 = percentile(values, 0.99)
            print(
                f"{name:>8} {statistics.median(values) * 1000:8.0f} {p99 * 1000:8.0f} {max(values) * 1000:9.0f} "
                f"{p99 / TARGET_SECONDS:13.2f} {p99 / anchor_p99 if anchor_p99 else 0:13.2f}"
            )
        ok = percentile(many, 0.99) < TARGET_SECONDS
        print(
            f"target: p99 under {TARGET_SECONDS * 1000:.0f} ms with {args.subscribers} streams: {'met' if ok else 'NOT met'}"
        )
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
