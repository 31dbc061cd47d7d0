"""How fast are the public information pages? Prints requests per second and latency for each
page and its ratio against the anchor measured in the same run: /healthz, which touches no
database and renders no template (the ceiling of the stack on this machine).

Run with `make bench`. It serves a throw-away copy of the demo on a free loopback port with
granian (as `make run` does), loads each URL for a fixed, short time from a few keep-alive
connections, and stops by itself. Nothing leaves 127.0.0.1.
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
    "/api/v1/services/paspor-hilang",
]


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


def main() -> int:
    with tempfile.TemporaryDirectory() as var_dir:
        # Production settings (DEBUG off), as a deployment would serve them, on SQLite.
        env = production_env(var_dir)
        for command in (["migrate", "-v0"], ["createcachetable"], ["collectstatic", "--no-input", "-v0"]):
            manage(env, *command)
        manage(env, "load_demo", "--force")
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
                count, latencies, statuses = load(port, path)
                rate = count / SECONDS
                print(
                    f"{path:58} {rate:8.0f} {statistics.median(latencies):8.1f} {percentile(latencies, 0.99):8.1f} "
                    f"{rate / anchor_rate:6.2f}{'' if statuses == {200} else f'  statuses={sorted(statuses)}'}"
                )
            # A visitor revalidating a page they have: answered 304 without a body.
            probe = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            probe.request("GET", "/services/paspor-hilang/")
            etag = probe.getresponse().getheader("ETag") or ""
            count, latencies, statuses = load(port, "/services/paspor-hilang/", {"If-None-Match": etag})
            rate = count / SECONDS
            print(
                f"{'/services/paspor-hilang/ (revalidated, 304)':58} {rate:8.0f} {statistics.median(latencies):8.1f} "
                f"{percentile(latencies, 0.99):8.1f} {rate / anchor_rate:6.2f}  statuses={sorted(statuses)}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
