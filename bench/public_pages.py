"""How fast are the public information pages? Prints requests per second and latency for each
page and its ratio against the anchor measured in the same run: /healthz, which touches no
database and renders no template (the ceiling of the stack on this machine).

Run with `make bench`. It serves a throw-away copy of the demo on a free loopback port with
granian (as `make run` does), loads each URL for a fixed, short time from a few keep-alive
connections, and stops by itself. Nothing leaves 127.0.0.1.

The JSON API's public reads follow the pages: every public GET under /api/v1 (the catalogue,
content, search, an office's queue board, a ticket's status and the OpenAPI document). Goal:
each at least 0.5 of the anchor, like the pages.
"""

from __future__ import annotations

import http.client
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import Server, manage, percentile, production_env

CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "4"))
ANCHOR = "/healthz"
PAGES = [
    "/",
    "/services/",
    "/services/paspor-hilang/",
    "/offices/",
    "/offices/jayapura/",
    "/guide/?who=citizen&age=adult&passport=lost&urgent=no",
    "/faq/",
    "/search/?q=paspor+hilang",
]
# Every public GET of the API ({ticket} is the token of a walk-in ticket issued at Mesuji).
API_READS = [
    "/api/v1/services",
    "/api/v1/services/paspor-hilang",
    "/api/v1/offices",
    "/api/v1/offices/jayapura",
    "/api/v1/faq",
    "/api/v1/guides",
    "/api/v1/guides/paspor-hilang",
    "/api/v1/notices",
    "/api/v1/notices?office=jayapura&level=emergency",
    "/api/v1/search?q=paspor+hilang",
    "/api/v1/offices/mesuji/queue",
    "/api/v1/queue/tickets/{ticket}",
    "/api/v1/openapi.json",
]
API_GOAL = 0.5
# A walk-in ticket at Mesuji (issued as the demo's officer there), for its status read.
ISSUE_TICKET = """
from gerbang.accounts.models import User
from gerbang.catalog.models import Office
from gerbang.queueing.models import Lane
from gerbang.queueing.services import walk_in_issue
office = Office.objects.get(code="mesuji")
ticket = walk_in_issue(office=office, lane=Lane.objects.filter(office=office).order_by("letter").first(),
                       actor=User.objects.get(email="petugas.mesuji@gerbang.test"))
print(ticket.token)
"""


def load(port: int, path: str, headers: dict[str, str] | None = None) -> tuple[int, list[float], set[int]]:
    """Requests from CONNECTIONS keep-alive connections for SECONDS; latencies in ms."""
    latencies: list[list[float]] = [[] for _ in range(CONNECTIONS)]
    statuses: set[int] = set()
    deadline = time.perf_counter() + SECONDS

    def worker(slot: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            connection.request("GET", path, headers=headers or {})
            response = connection.getresponse()
            response.read()
            statuses.add(response.status)
            latencies[slot].append((time.perf_counter() - started) * 1000)
        connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(CONNECTIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    flat = [value for slot in latencies for value in slot]
    return len(flat), flat, statuses


def row(
    port: int, path: str, anchor_rate: float, headers: dict[str, str] | None = None, label: str = ""
) -> float:
    """Load ``path``, print its line; its ratio against the anchor."""
    count, latencies, statuses = load(port, path, headers)
    rate = count / SECONDS
    print(
        f"{label or path:58} {rate:8.0f} {statistics.median(latencies):8.1f} {percentile(latencies, 0.99):8.1f} "
        f"{rate / anchor_rate:6.2f}{'' if statuses == {200} else f'  statuses={sorted(statuses)}'}"
    )
    return rate / anchor_rate


def main() -> int:
    with tempfile.TemporaryDirectory() as var_dir:
        # Production settings (DEBUG off), as a deployment would serve them, on SQLite.
        env = production_env(var_dir)
        for command in (["migrate", "-v0"], ["createcachetable"], ["collectstatic", "--no-input", "-v0"]):
            manage(env, *command)
        manage(env, "load_demo", "--force")
        ticket = manage(env, "shell", "-c", ISSUE_TICKET).strip().splitlines()[-1]
        with Server(env) as server:
            port = server.port
            load(port, ANCHOR)  # warm up
            anchor_count, anchor_latencies, _ = load(port, ANCHOR)
            anchor_rate = anchor_count / SECONDS
            print(
                f"connections={CONNECTIONS} seconds={SECONDS} (DEBUG off, SQLite, granian 1 worker x 4 threads)"
            )
            print(f"{'url':58} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'ratio':>6}")
            print(
                f"{ANCHOR + ' (anchor)':58} {anchor_rate:8.0f} {statistics.median(anchor_latencies):8.1f} "
                f"{percentile(anchor_latencies, 0.99):8.1f} {1.0:6.2f}"
            )
            for path in PAGES:
                row(port, path, anchor_rate)
            # A visitor revalidating a page they have: answered 304 without a body.
            probe = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            probe.request("GET", "/services/paspor-hilang/")
            etag = probe.getresponse().getheader("ETag") or ""
            row(
                port,
                "/services/paspor-hilang/",
                anchor_rate,
                {"If-None-Match": etag},
                label="/services/paspor-hilang/ (revalidated, 304)",
            )
            # As a browser asks: compressed on every answer (CompressionMiddleware).
            for path in ("/", "/services/paspor-hilang/"):
                row(port, path, anchor_rate, {"Accept-Encoding": "gzip, deflate, br"}, label=f"{path} (gzip)")
            # The anchor again: a shared machine's speed drifts within a run, and the API's
            # reads are compared with the anchor measured just before them.
            anchor_count, anchor_latencies, _ = load(port, ANCHOR)
            anchor_rate = anchor_count / SECONDS
            print(
                f"{'-- the JSON API public reads; ' + ANCHOR + ' again (anchor)':58} {anchor_rate:8.0f} "
                f"{statistics.median(anchor_latencies):8.1f} {percentile(anchor_latencies, 0.99):8.1f} {1.0:6.2f}"
            )
            below = []
            for path in API_READS:
                address = path.format(ticket=ticket)
                label = path.replace("{ticket}", "<token>")
                if row(port, address, anchor_rate, label=label) < API_GOAL:
                    below.append(label)
            row(
                port,
                "/api/v1/services",
                anchor_rate,
                {"Accept-Encoding": "gzip"},
                label="/api/v1/services (gzip)",
            )
        print(
            f"API reads below {API_GOAL} of the anchor: {', '.join(below) or 'none'} "
            f"({len(API_READS) - len(below)} of {len(API_READS)} at or above)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
