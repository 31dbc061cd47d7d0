"""The app is installable: Lighthouse's PWA audits, run from npm in headless Chromium against the
site, all pass (installable manifest, splash screen, themed address bar, content sized to the
viewport, viewport tag, maskable icon).

Lighthouse 12 dropped its PWA category (Chrome's own install prompt criteria moved on); 11.7.1,
pinned in package.json, is the last release that has it. Its ``installable-manifest`` audit asks
Chromium itself (``Page.getInstallabilityErrors``), so it follows the browser's real criteria.
The full report is kept in test-results/ for reading."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from gerbang.applications.tests import factories as f
from tests.e2e.conftest import CHROMIUM, ROOT

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LIGHTHOUSE = ROOT / "node_modules" / "lighthouse" / "cli" / "index.js"
# Every audit of the PWA category that Lighthouse scores (the rest are manual checks it lists).
SCORED = {
    "installable-manifest",
    "splash-screen",
    "themed-omnibox",
    "content-width",
    "viewport",
    "maskable-icon",
}


def _lighthouse(url: str, report: Path) -> dict[str, Any]:
    assert LIGHTHOUSE.exists(), "Lighthouse is missing: run `make test` (it runs npm ci)."
    node = shutil.which("node")
    assert node, "Node.js is missing (the machine's Node.js runs npm's Lighthouse)."
    finished = subprocess.run(  # noqa: S603 - our pinned tool, fixed arguments
        [
            node,
            str(LIGHTHOUSE),
            url,
            "--only-categories=pwa",
            "--output=json",
            f"--output-path={report}",
            "--quiet",
            "--chrome-flags=--headless=new --no-sandbox --disable-dev-shm-usage",
        ],
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr[-3000:]
    result: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    return result


def test_lighthouse_finds_the_app_installable(live_server: Any, artifacts: Path) -> None:
    f.make_world()
    result = _lighthouse(live_server.url + "/", artifacts / "lighthouse-pwa.json")
    assert result["lighthouseVersion"] == "11.7.1"
    audits = result["audits"]
    scored = {
        ref["id"]
        for ref in result["categories"]["pwa"]["auditRefs"]
        if audits[ref["id"]]["score"] is not None
    }
    assert scored == SCORED
    failed = {
        name: audits[name].get("explanation") or audits[name]["title"]
        for name in SCORED
        if audits[name]["score"] != 1
    }
    assert failed == {}
    assert result["categories"]["pwa"]["score"] == 1
