"""Low bandwidth: every applicant page's weight on a first visit (an empty browser cache) and on a
repeat visit (the cache warm), and how long it takes to become usable over a 2G connection.

Issue 23's budget, the anchor of each ratio: a page and what it loads under 100 KB on a first
visit and under 20 KB on a repeat visit, and usable within 10 s at 250 kbit/s with 300 ms of
latency. "Usable" is DOMContentLoaded: the page is read and its deferred scripts have run (the
pages are usable without their scripts; images load lazily after).

Run with `make bench-2g`. It serves a throw-away copy of the demo as deployed (DEBUG off,
collectstatic's compressed files) with granian on a free loopback port, signs in as the demo
applicant, and drives headless Chromium (Playwright, Debian's package) with Chromium's own
network throttling (the DevTools protocol's Network.emulateNetworkConditions). Bytes are what
the Resource Timing API reports as transferred (headers and compressed bodies); the service
worker's own downloads at its installation (its shell, once per device) are not a page's, and
are printed apart. Nothing leaves 127.0.0.1.

    .venv/bin/python bench/low_bandwidth.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import Server, manage, production_env, signed_in_session  # noqa: E402 - after the path

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
FIRST_BUDGET = 100 * 1024
REPEAT_BUDGET = 20 * 1024
USABLE_BUDGET = 10.0  # seconds
KBIT = 1000 / 8  # bytes per second in one kbit/s
TWO_G = {"offline": False, "latency": 300, "downloadThroughput": 250 * KBIT, "uploadThroughput": 250 * KBIT}

MEASURE = """() => {
  const navigation = performance.getEntriesByType("navigation")[0];
  const resources = performance.getEntriesByType("resource");
  const bytes = navigation.transferSize + resources.reduce((sum, r) => sum + (r.transferSize || 0), 0);
  return {bytes, usable: navigation.domContentLoadedEventEnd / 1000, loaded: navigation.loadEventEnd / 1000,
          files: 1 + resources.length};
}"""


def applicant_pages(env: dict[str, str]) -> tuple[str, list[tuple[str, str]]]:
    """The demo applicant's session, and her pages: (what, address)."""
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connections

    from gerbang.accounts.models import User
    from gerbang.applications.models import Application
    from gerbang.feedback.models import Consultation

    who = User.objects.get(email="pemohon@gerbang.test")
    cases = {case.state: case.pk for case in Application.objects.filter(applicant=who)}
    question = (
        Consultation.objects.filter(asker=who).exclude(status="closed").values_list("pk", flat=True).first()
    )
    session = signed_in_session(who, hours=2)
    connections.close_all()
    pages = [
        ("home", "/"),
        ("services", "/services/"),
        ("dashboard", "/account/"),
        ("applications", "/applications/"),
        ("a case waiting for payment", f"/applications/{cases['awaiting_payment']}/"),
        ("its payment page", f"/applications/{cases['awaiting_payment']}/pay/"),
        ("a case to correct", f"/applications/{cases['correction_requested']}/"),
        ("an appointment to choose", f"/applications/{cases['awaiting_appointment']}/appointment/"),
        ("a form step", f"/applications/{cases['draft']}/step/identity/"),
        ("inbox", "/account/inbox/"),
        ("questions", "/consultations/"),
        # The forms that may be sent offline (issue 23's outbox).
        ("ask a question", "/consultations/new/"),
        ("documents to correct", f"/applications/{cases['correction_requested']}/documents/"),
        # A service's tutorial: a picture of a page at each step (lazy, below the first).
        ("a tutorial with its pictures", "/guides/tutorial-paspor-biasa/"),
    ]
    if question is not None:
        pages.append(("a question's thread", f"/consultations/{question}/"))
    return session, pages


def visit(context: Any, url: str) -> dict[str, float]:
    """One visit over 2G in ``context`` (its cache as earlier visits left it)."""
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", TWO_G)
    page.goto(url, wait_until="load", timeout=120_000)
    figures: dict[str, float] = page.evaluate(MEASURE)
    page.close()
    return figures


def main() -> int:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as var_dir:
        env = production_env(var_dir, DEMO_HISTORY_MONTHS="2")
        for command in (["migrate", "-v0"], ["createcachetable"], ["collectstatic", "--no-input", "-v0"]):
            manage(env, *command)
        manage(env, "load_demo", "--force")
        session, pages = applicant_pages(env)
        with Server(env) as server, sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
            )
            print(
                "each applicant page over 2G (250 kbit/s, 300 ms): bytes transferred on a first visit "
                "(empty cache) and a repeat visit, and seconds until usable (DOMContentLoaded)"
            )
            print(
                f"budgets: first {FIRST_BUDGET // 1024} KB, repeat {REPEAT_BUDGET // 1024} KB, usable {USABLE_BUDGET:.0f} s"
            )
            print(
                f"{'page':30} {'first KB':>9} {'ratio':>6} {'repeat KB':>9} {'ratio':>6} {'usable s':>8} {'ratio':>6} {'2G load s':>9}"
            )
            worst = [0.0, 0.0, 0.0]
            for what, path in pages:
                context = browser.new_context(viewport={"width": 360, "height": 740}, service_workers="block")
                context.add_cookies(
                    [
                        {"name": "sessionid", "value": session, "url": server.url},
                        {"name": "django_language", "value": "id", "url": server.url},
                    ]
                )
                first = visit(context, server.url + path)
                repeat = visit(context, server.url + path)
                context.close()
                ratios = (
                    first["bytes"] / FIRST_BUDGET,
                    repeat["bytes"] / REPEAT_BUDGET,
                    first["usable"] / USABLE_BUDGET,
                )
                worst = [max(a, b) for a, b in zip(worst, ratios, strict=True)]
                print(
                    f"{what:30} {first['bytes'] / 1024:9.1f} {ratios[0]:6.2f} {repeat['bytes'] / 1024:9.1f} "
                    f"{ratios[1]:6.2f} {first['usable']:8.1f} {ratios[2]:6.2f} {first['loaded']:9.1f}"
                )
            # What the service worker downloads once, when it installs (its shell).
            context = browser.new_context(viewport={"width": 360, "height": 740})
            page = context.new_page()
            page.goto(server.url + "/")
            page.wait_for_function(
                "navigator.serviceWorker && navigator.serviceWorker.ready.then(() => true)"
            )
            shell = page.evaluate(
                """async () => {
                    const names = await caches.keys();
                    let bytes = 0;
                    for (const name of names.filter((n) => n.startsWith("gerbang-shell-"))) {
                        const cache = await caches.open(name);
                        for (const request of await cache.keys()) {
                            bytes += (await (await cache.match(request)).arrayBuffer()).byteLength;
                        }
                    }
                    return bytes;
                }"""
            )
            context.close()
            browser.close()
            print(
                f"\nthe service worker's shell, downloaded once per device (uncompressed): {shell / 1024:.1f} KB"
            )
            print(
                f"worst ratio to its budget (≤ 1.00 meets it): first visit {worst[0]:.2f}, "
                f"repeat visit {worst[1]:.2f}, usable on 2G {worst[2]:.2f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
