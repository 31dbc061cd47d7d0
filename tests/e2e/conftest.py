"""Headless Chromium (Debian's package) driven by Playwright, against the live test server."""

from __future__ import annotations

import asyncio
import os
import socket
import threading
import time
from collections.abc import Iterator
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


@pytest.fixture
def browser_context(live_server: Any, settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), f"Chromium is missing at {CHROMIUM}: run `make test` (it installs it)."
    # Playwright's sync API keeps an event loop in this thread; Django's ORM refuses to run
    # beside one unless told that this is deliberate (the test, not a server, runs here).
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.SITE_URL = live_server.url
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        violations = _watch_for_policy_violations(browser)
        context = browser.new_context(viewport={"width": 360, "height": 740}, locale="en-US")
        context.set_default_timeout(15_000)
        yield context
        browser.close()
        assert violations == [], "the Content-Security-Policy refused something a page needs"
        # ORM calls made while Playwright's loop runs get connections of their own; close
        # them here, in the same context, or the test database cannot be dropped afterwards.
        connections.close_all()


def _watch_for_policy_violations(browser: Any) -> list[str]:
    """Every window the test opens reports what the Content-Security-Policy refused (Chromium
    says so on the console): a journey that trips the policy fails, as it would for people."""
    violations: list[str] = []

    def report(message: Any) -> None:
        if "Content Security Policy" in message.text:
            violations.append(f"{message.location.get('url', '')}: {message.text}")

    opened = browser.new_context

    def new_context(*args: Any, **kwargs: Any) -> Any:
        context = opened(*args, **kwargs)
        context.on("console", report)
        return context

    browser.new_context = new_context
    return violations


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
