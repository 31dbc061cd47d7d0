"""Uploads: what checking one costs the server, and whether the rest of the site stays
responsive while several are checked.

It serves Gerbang as `make run` does (granian, WSGI, the same workers and threads) with
production settings on a fresh database, signs one applicant in, and uploads through the JSON
API, as the mobile app does:

  alone      each kind of file, one upload at a time: the server's CPU per upload, the time it
             took, and how far the server's memory rose above what it held before (peak RSS)
  parallel   four uploads at once from that one account, again and again, for a while, the
             largest picture each time (a refused one comes back after its Retry-After, as
             the app does), while a fifth client asks /healthz every 20 ms

and prints /healthz's latency while idle (the anchor) and during the parallel uploads, with
their ratio. Kinds of file:

  photo-40mp     a JPEG just under 40 megapixels (the old limit), 5 MB at most
  phone-12mp     a 12-megapixel phone photo with texture
  scan-png       an A4 page scanned at 300 dpi, as PNG
  pdf-30-pages   a 30-page PDF with text

  .venv/bin/python bench/uploads.py [--seconds 15] [--repeat 5]

Goals (issue 15): /healthz p99 during four parallel uploads within 10x its idle p99 and under
250 ms (it stalled almost 3 s before); CPU per largest picture under 1 s; the server's memory
rising under 150 MB for any one upload.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import secrets
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import Server, percentile, production_env, signed_in_session  # noqa: E402 - after the path

UNUSABLE = "!"


def make_files() -> dict[str, tuple[str, bytes]]:
    from PIL import Image, ImageDraw, ImageFilter
    from pypdf import PdfWriter

    files: dict[str, tuple[str, bytes]] = {}
    # Just under 40 megapixels: a smooth gradient with shapes, so that it fits in 5 MB.
    big = Image.linear_gradient("L").resize((7300, 5450)).convert("RGB")
    draw = ImageDraw.Draw(big)
    for n in range(40):
        draw.ellipse((n * 170, n * 120, n * 170 + 900, n * 120 + 700), outline=(200, 40 + n, 90), width=12)
    out = io.BytesIO()
    big.save(out, "JPEG", quality=80)
    files["photo-40mp"] = ("photo.jpg", out.getvalue())
    # A phone photo: texture (noise, blurred a little) as a camera makes it.
    phone = Image.effect_noise((4000, 3000), 40).filter(ImageFilter.GaussianBlur(1.2)).convert("RGB")
    out = io.BytesIO()
    phone.save(out, "JPEG", quality=88)
    files["phone-12mp"] = ("phone.jpg", out.getvalue())
    # An A4 page at 300 dpi: white with lines of "text".
    page = Image.new("L", (2480, 3508), 255)
    draw = ImageDraw.Draw(page)
    for line in range(120):
        y = 200 + line * 26
        for word in range(14):
            x = 180 + word * 150
            draw.rectangle((x, y, x + 90 + (word * line) % 40, y + 12), fill=30)
    out = io.BytesIO()
    page.save(out, "PNG")
    files["scan-png"] = ("scan.png", out.getvalue())
    writer = PdfWriter()
    for _ in range(30):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    files["pdf-30-pages"] = ("letter.pdf", out.getvalue())
    for name, (_file, data) in files.items():
        assert len(data) <= 5 * 1024 * 1024, f"{name} is {len(data)} bytes"
    return files


def prepare(env: dict[str, str], count: int) -> tuple[str, str, list[tuple[int, str]]]:
    """Migrate, load the catalogue, and make one signed-in applicant with ``count`` drafts;
    the session key, its CSRF token and (application, document slot) pairs to upload to."""
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from gerbang.accounts.models import User
    from gerbang.applications.models import Application
    from gerbang.applications.slots import document_slots
    from gerbang.applications.workflow import State
    from gerbang.catalog.demo import load as load_catalogue
    from gerbang.catalog.models import Service

    call_command("migrate", "-v0")
    call_command("createcachetable")
    office = next(o for o in load_catalogue() if o.code == "mesuji")
    service = Service.objects.get(code="paspor-biasa")
    user = User.objects.create(email="uploader@bench.test", full_name="Bench Uploader", password=UNUSABLE)
    drafts = [
        Application.objects.create(
            applicant=user, office=office, service=service, form_key="passport_new", state=State.DRAFT
        )
        for _ in range(count)
    ]
    session = signed_in_session(user)
    targets = [(draft.pk, document_slots(draft)[0].key) for draft in drafts]
    connections.close_all()
    return session, secrets.token_hex(16), targets


def client(server: Server, session: str, csrf: str) -> httpx.Client:
    return httpx.Client(
        base_url=server.url,
        cookies={"sessionid": session, "csrftoken": csrf},
        headers={"X-CSRFToken": csrf, "Referer": server.url + "/"},
        timeout=120,
    )


def worker_pids(server: Server) -> list[int]:
    assert server.process is not None
    children = Path(f"/proc/{server.process.pid}/task/{server.process.pid}/children")
    pids = [int(p) for p in children.read_text().split()] if children.exists() else []
    return pids or [server.process.pid]


def rss_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def reset_peak(pid: int) -> None:
    with contextlib.suppress(OSError):  # not every kernel lets us; the rise is then an upper bound
        Path(f"/proc/{pid}/clear_refs").write_text("5")  # resets VmHWM to the current RSS


def upload(http: httpx.Client, target: tuple[int, str], name: str, data: bytes) -> httpx.Response:
    pk, slot = target
    return http.post(f"/api/v1/applications/{pk}/documents/{slot}", files={"file": (name, data)})


def alone(
    server: Server,
    http: httpx.Client,
    files: dict[str, tuple[str, bytes]],
    targets: list[tuple[int, str]],
    repeat: int,
) -> None:
    print(
        f"{'file':14} {'bytes':>9} {'status':>7} {'cpu s':>7} {'wall s':>7} {'mem MB':>7}  (per upload, median of {repeat})"
    )
    worker = worker_pids(server)[0]
    turn = 0
    for kind, (name, data) in files.items():
        cpus, walls, rises, statuses = [], [], [], set()
        for _ in range(repeat):
            before_rss = rss_kib(worker, "VmRSS")
            reset_peak(worker)
            cpu, started = server.cpu_seconds(), time.perf_counter()
            statuses.add(upload(http, targets[turn % len(targets)], name, data).status_code)
            walls.append(time.perf_counter() - started)
            cpus.append(server.cpu_seconds() - cpu)
            rises.append((rss_kib(worker, "VmHWM") - before_rss) / 1024)
            turn += 1
        print(
            f"{kind:14} {len(data):>9} {'/'.join(map(str, sorted(statuses))):>7} {statistics.median(cpus):>7.2f} "
            f"{statistics.median(walls):>7.2f} {max(rises):>7.0f}"
        )


def poll_health(server: Server, stop: threading.Event, seconds: float | None = None) -> list[float]:
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds if seconds else None
    with httpx.Client(base_url=server.url, timeout=30) as http:
        while not stop.is_set() and (deadline is None or time.perf_counter() < deadline):
            started = time.perf_counter()
            http.get("/healthz")
            latencies.append(time.perf_counter() - started)
            time.sleep(0.02)
    return latencies


def describe(latencies: list[float]) -> str:
    return (
        f"p50 {percentile(latencies, 0.5) * 1000:7.1f} ms  p99 {percentile(latencies, 0.99) * 1000:7.1f} ms  "
        f"max {max(latencies) * 1000:7.1f} ms  ({len(latencies)} asked)"
    )


def parallel(
    server: Server,
    session: str,
    csrf: str,
    files: dict[str, tuple[str, bytes]],
    targets: list[tuple[int, str]],
    seconds: float,
) -> None:
    name, data = files["photo-40mp"]
    idle = poll_health(server, threading.Event(), seconds=5)
    stop = threading.Event()
    statuses: dict[int, int] = {}
    lock = threading.Lock()

    def uploader(n: int) -> None:
        with client(server, session, csrf) as http:
            turn = n
            while not stop.is_set():
                response = upload(http, targets[turn % len(targets)], name, data)
                with lock:
                    statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
                if response.status_code == 429:  # as the app does: come back when told
                    stop.wait(float(response.headers.get("Retry-After", "1")))
                turn += 4

    threads = [threading.Thread(target=uploader, args=(n,)) for n in range(4)]
    busy: list[float] = []
    cpu, started = server.cpu_seconds(), time.perf_counter()
    for thread in threads:
        thread.start()
    health = threading.Thread(target=lambda: busy.extend(poll_health(server, stop)))
    health.start()
    time.sleep(seconds)
    stop.set()
    for thread in [*threads, health]:
        thread.join()
    elapsed = time.perf_counter() - started
    done = sum(statuses.values())
    print(f"/healthz idle:            {describe(idle)}")
    print(f"/healthz during uploads:  {describe(busy)}")
    print(
        f"parallel uploads: {done} in {elapsed:.1f} s ({done / elapsed:.2f}/s), answers {dict(sorted(statuses.items()))}, "
        f"server CPU {(server.cpu_seconds() - cpu) / elapsed:.2f} cores"
    )
    p99_idle, p99_busy = percentile(idle, 0.99), percentile(busy, 0.99)
    print(
        f"ratio /healthz p99 during / idle: {p99_busy / p99_idle:.1f} (goal <= 10); "
        f"p99 during: {p99_busy * 1000:.0f} ms (goal < 250 ms); max {max(busy) * 1000:.0f} ms"
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=15.0, help="how long the parallel uploads run")
    parser.add_argument("--repeat", type=int, default=5, help="uploads of each kind, one at a time")
    args = parser.parse_args()
    files = make_files()
    with tempfile.TemporaryDirectory() as var_dir:
        env = production_env(var_dir, UPLOADS_PER_ACCOUNT="100000", UPLOADS_PER_ADDRESS="100000")
        session, csrf, targets = prepare(env, 40)
        with Server(env) as server:
            print(
                f"granian WSGI {os.environ.get('WEB_WORKERS', '1')} worker(s) x {os.environ.get('WEB_THREADS', '4')} "
                f"threads, {os.cpu_count()} cores"
            )
            with client(server, session, csrf) as http:
                alone(server, http, files, targets, args.repeat)
            parallel(server, session, csrf, files, targets, args.seconds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
