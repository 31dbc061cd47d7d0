"""First-visit weight: the bytes a browser downloads on its first visit to the home page (the
page, then every stylesheet, script and icon it names from /static/), and to the office list
(which has a script), once as a browser asks (``Accept-Encoding: gzip, deflate, br``) and once
asking for no compression.

Run with `make bench-weight`. It serves a throw-away copy of the demo on a free loopback port
with granian twice: as deployed (DEBUG off, ``collectstatic`` made the files and their brotli and
gzip copies) and as `make run` serves it (DEBUG on, static files from the source folders). It
prints each file's bytes on the wire and the totals. Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import http.client
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import Server, manage, production_env

BROWSER = "gzip, deflate, br"
PAGES = ["/", "/offices/"]
# What a first visit downloads after the page: what it links from this site's static files.
ASSETS = re.compile(r'<(?:link|script|img)\b[^>]*?\b(?:href|src)="(/static/[^"]+)"')


def fetch(port: int, path: str, accept_encoding: str) -> tuple[int, int, int, str]:
    """(status, bytes of the headers, bytes of the body as sent, its Content-Encoding)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"Accept-Encoding": accept_encoding} if accept_encoding else {}
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    body = response.read()  # http.client does not decompress: these are the bytes sent
    header_bytes = sum(len(f"{name}: {value}\r\n") for name, value in response.getheaders())
    connection.close()
    return response.status, header_bytes, len(body), response.getheader("Content-Encoding") or "-"


def weigh(port: int, page: str, title: str) -> tuple[int, int]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", page)
    html = connection.getresponse().read().decode()
    connection.close()
    paths = [page, *dict.fromkeys(ASSETS.findall(html))]
    print(f"\n{page}, {title}")
    print(f"{'file':58} {'plain':>8} {'browser':>8} {'encoding':>8} {'saved':>6}")
    totals = [0, 0]
    for path in paths:
        status, plain_headers, plain, _none = fetch(port, path, "")
        status_b, packed_headers, packed, encoding = fetch(port, path, BROWSER)
        totals[0] += plain_headers + plain
        totals[1] += packed_headers + packed
        name = re.sub(r"\.[0-9a-f]{12}\.", ".", path)  # the manifest's hash, for reading
        flag = "" if status == status_b == 200 else f"  statuses={status},{status_b}"
        print(f"{name:58} {plain:8d} {packed:8d} {encoding:>8} {1 - packed / plain:6.0%}{flag}")
    print(
        f"{'first visit, headers included':58} {totals[0]:8d} {totals[1]:8d} {'':>8} {1 - totals[1] / totals[0]:6.0%}"
    )
    return totals[0], totals[1]


def main() -> int:
    with tempfile.TemporaryDirectory() as var_dir:
        env = production_env(var_dir)
        for command in (["migrate", "-v0"], ["createcachetable"], ["collectstatic", "--no-input", "-v0"]):
            manage(env, *command)
        manage(env, "load_demo", "--force")
        print(
            "bytes of a page and what it links from /static/: plain (no Accept-Encoding) and as a browser "
            f"asks ({BROWSER})"
        )
        with Server(env) as server:
            for page in PAGES:
                weigh(server.port, page, "as deployed (DEBUG off, collectstatic; granian as `make run`)")
        # `make run` never collects the static files: none in STATIC_ROOT. Pages the first server
        # kept name the collected (hashed) files: forgotten.
        as_make_run = {**env, "DEBUG": "1", "STATIC_ROOT": str(Path(var_dir) / "not-collected")}
        manage(as_make_run, "shell", "-c", "from django.core.cache import cache; cache.clear()")
        with Server(as_make_run) as server:
            for page in PAGES:
                weigh(
                    server.port,
                    page,
                    "as `make run` serves it (DEBUG on, static files from the source folders)",
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
