"""Headless Chromium (Debian's package) driven by Playwright, against the live test server."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from django.db import connections

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# Without these, Chromium tries to reach Google's services, which this network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def artifacts() -> Path:
    path = ROOT / "test-results"
    path.mkdir(exist_ok=True)
    return path


@dataclass
class Chromium:
    """Playwright and one headless Chromium, started once for all the browser journeys (each
    start costs about two seconds); every test gets fresh contexts of its own in it."""

    playwright: Any
    browser: Any

    def alive(self) -> Any:
        """The browser, launched again if an earlier test's crash took it down."""
        if not self.browser.is_connected():
            self.browser = self.playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        return self.browser


@pytest.fixture(scope="package")
def chromium() -> Iterator[Chromium]:
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), f"Chromium is missing at {CHROMIUM}: run `make test` (it installs it)."
    # Playwright's sync API keeps an event loop running in this thread; Django's ORM refuses to
    # run beside one unless told that this is deliberate (the test, not a server, runs here).
    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        running = Chromium(
            playwright, playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        )
        yield running
        running.browser.close()
    finally:
        playwright.stop()
        connections.close_all()
        if before is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


@contextlib.contextmanager
def watched(browser: Any) -> Iterator[list[str]]:
    """While the block runs, every context opened in the browser reports what the
    Content-Security-Policy refused (Chromium says so on the console), so that a journey that
    trips the policy fails, as it would for people; every such context is closed at the end."""
    violations: list[str] = []
    opened: list[Any] = []

    def report(message: Any) -> None:
        if "Content Security Policy" in message.text:
            violations.append(f"{message.location.get('url', '')}: {message.text}")

    original = browser.new_context

    def new_context(*args: Any, **kwargs: Any) -> Any:
        context = original(*args, **kwargs)
        context.on("console", report)
        opened.append(context)
        return context

    browser.new_context = new_context
    try:
        yield violations
    finally:
        del browser.new_context  # the class's own method again
        for context in opened:
            with contextlib.suppress(Exception):  # closed by the test already, or the browser gone
                context.close()
        # ORM calls made while Playwright's loop runs get connections of their own; close
        # them here, or the test database cannot be flushed or dropped afterwards.
        connections.close_all()


@pytest.fixture
def browser_context(chromium: Chromium, live_server: Any, settings: Any) -> Iterator[Any]:
    settings.SITE_URL = live_server.url
    with watched(chromium.alive()) as violations:
        context = chromium.browser.new_context(viewport={"width": 360, "height": 740}, locale="en-US")
        context.set_default_timeout(15_000)
        yield context
    assert violations == [], "the Content-Security-Policy refused something a page needs"


@pytest.fixture
def page(browser_context: Any) -> Any:
    return browser_context.new_page()


@pytest.fixture
def axe_source() -> str:
    assert AXE.exists(), "axe-core is missing: run `make test` (it runs npm ci)."
    return AXE.read_text(encoding="utf-8")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def live_relay(live_server: Any, settings: Any) -> Iterator[str]:
    """The live relay (SSE), served by granian's embedded server in a thread of this process,
    so it reads the same test database as the live server (without Redis) or hears the same
    Redis (with it). Pages point their streams at it."""
    from granian.constants import Interfaces
    from granian.server.embed import Server

    from gerbang.live.relay import Relay

    port = _free_port()
    settings.LIVE_URL = f"http://127.0.0.1:{port}"
    settings.LIVE_ALLOWED_ORIGINS = [live_server.url]
    settings.LIVE_POLL_SECONDS = 0.05
    started: dict[str, Any] = {}
    ready = threading.Event()

    def serve() -> None:
        async def main() -> None:
            server = Server(
                Relay(), address="127.0.0.1", port=port, interface=Interfaces.ASGI, log_enabled=False
            )
            started.update(server=server, loop=asyncio.get_running_loop())
            ready.set()
            await server.serve()

        asyncio.run(main())

    thread = threading.Thread(target=serve, name="live-relay", daemon=True)
    thread.start()
    assert ready.wait(10), "the relay did not start"
    for _ in range(100):
        try:
            if httpx.get(f"{settings.LIVE_URL}/live/healthz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.05)
    yield settings.LIVE_URL

    def stop() -> None:
        started["server"].interrupt_signal = True
        started["server"].main_loop_interrupt.set()

    started["loop"].call_soon_threadsafe(stop)
    thread.join(10)
