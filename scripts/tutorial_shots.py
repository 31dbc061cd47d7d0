"""Take the pictures of the services' step-by-step tutorials (``gerbang.content.tutorials``) from
the real pages, so that they never go stale: run it again after changing a page they show.

It serves a throw-away copy of the demo as deployed (as ``make bench-2g`` does), signs in as
the demo applicant and, in headless Chromium at a phone's width (360 x 640), in Indonesian and
in English, walks through each service: its page, choosing the office, the first step of its
form and its documents (on a new draft of the demo applicant's); then the pages every service
shares, from the demo applicant's own cases: signing in, paying, booking the visit and the
case's timeline. Each picture is what the screen showed, from the top of the page's main part,
kept as WebP in ``gerbang/content/static/content/tutorials/<language>/``, with a manifest of
when they were taken and what they show.

    make tutorials            # or: .venv/bin/python scripts/tutorial_shots.py [--service CODE] [--language id]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import Server, manage, production_env, signed_in_session  # noqa: E402 - after the path

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
OUT = ROOT / "gerbang" / "content" / "static" / "content" / "tutorials"
VIEWPORT = {"width": 360, "height": 640}
QUALITY = 70  # WebP: a phone's screen in 10 to 25 KB, its text still sharp
APPLICANT = "pemohon@gerbang.test"
STEP_ADDRESS = re.compile(r"/applications/(\d+)/step/")
# Where a step's picture starts, when not at the top of the page's main part.
AIM = {"book": "fieldset:has(ul.times)"}


class Walk:
    """What the walk needs to know of the demo (read once with Django in this process)."""

    def __init__(self, session: str, services: list[Any], cases: dict[str, int]) -> None:
        self.session = session
        self.services = services  # [(code, needs a visit)]
        self.cases = cases  # a case of the demo applicant's in each state


def read_demo(env: dict[str, str], only: str | None) -> Walk:
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connections

    from gerbang.accounts.models import User
    from gerbang.applications.models import Application
    from gerbang.catalog.models import OfficeService, Service

    # The demo stops some services at some offices for a while (a notice, a shortage of
    # blanks): in this throw-away copy every office takes every service it offers, so that each
    # walk reaches the form.
    OfficeService.objects.update(
        is_available=True, suspended_by="", suspended_from=None, suspended_until=None
    )
    who = User.objects.get(email=APPLICANT)
    from gerbang.content import tutorials

    services = [
        service
        for service in Service.objects.order_by("order", "code")
        if tutorials.applies_to(service) and (not only or service.code == only)
    ]
    cases = {case.state: case.pk for case in Application.objects.filter(applicant=who).order_by("pk")}
    walk = Walk(signed_in_session(who, hours=2), [(s.code, s.office_visit_required) for s in services], cases)
    connections.close_all()
    return walk


def set_language(language: str) -> None:
    """The demo applicant's language, which her pages follow once she is signed in."""
    from gerbang.accounts.models import User

    User.objects.filter(email=APPLICANT).update(language=language)


def webp(png: bytes) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.open(io.BytesIO(png)).convert("RGB").save(out, "WEBP", quality=QUALITY, method=6)
    return out.getvalue()


def shoot(page: Any, at: str = "main") -> bytes:
    """The screen from the top of the page's main part, or of the part ``at`` (a CSS selector)
    the step is about (the site's header is the same on every picture), once its fonts and
    pictures have loaded."""
    page.wait_for_load_state("load")
    page.evaluate(
        "(at) => { const part = document.querySelector(at) || document.querySelector('main');"
        " if (part) part.scrollIntoView(); }",
        at,
    )
    page.evaluate("() => document.fonts.ready.then(() => true)")
    return webp(page.screenshot(type="png", animations="disabled", caret="initial"))


def open_draft(code: str) -> str:
    """The address of the demo applicant's draft of the service, at its current step."""
    from gerbang.applications.models import Application

    draft = Application.objects.filter(applicant__email=APPLICANT, service__code=code, state="draft").latest(
        "pk"
    )
    return f"/applications/{draft.pk}/step/{draft.current_step}/"


def service_pages(page: Any, base: str, code: str) -> Iterator[tuple[str, Callable[[], None]]]:
    """The service's own pages, in order: (step, how to get there)."""

    def service() -> None:
        page.goto(f"{base}/services/{code}/")

    def start() -> None:
        page.goto(f"{base}/applications/new/{code}/")

    def form() -> None:
        page.goto(f"{base}/applications/new/{code}/")
        # The office of the demo's own cases (those of the shared pictures) when it takes the
        # service, else the first.
        mesuji = page.locator("main form label", has_text="Mesuji").locator("input[type=radio]")
        (mesuji if mesuji.count() else page.locator("main form input[type=radio]")).first.check()
        page.locator("main form button[type=submit]").last.click()
        page.wait_for_load_state("load")
        if STEP_ADDRESS.search(page.url) is None:
            # Refused: some services take one open application per person at a time, and an
            # earlier walk (in the other language) started it. Go on with that draft.
            page.goto(f"{base}{open_draft(code)}")

    def documents() -> None:
        found = STEP_ADDRESS.search(page.url)
        if found is None:
            raise RuntimeError(f"{code}: the form did not open a draft (at {page.url})")
        page.goto(f"{base}/applications/{found.group(1)}/documents/")

    yield "service", service
    yield "start", start
    yield "form", form
    yield "documents", documents


def shared_pages(page: Any, base: str, cases: dict[str, int]) -> Iterator[tuple[str, Callable[[], None]]]:
    """The pages every service shares, from the demo applicant's own cases."""

    def signin() -> None:
        page.goto(f"{base}/account/login/")

    def pay() -> None:
        page.goto(f"{base}/applications/{cases['awaiting_payment']}/pay/")

    def book() -> None:
        page.goto(f"{base}/applications/{cases['awaiting_appointment']}/appointment/")
        # The first day with free places, so that its times show (the picture starts at them).
        first_day = page.locator("ul.days a").first
        if first_day.count():
            first_day.click()
            page.wait_for_load_state("load")

    def track() -> None:
        # A case well on its way (its timeline has several stages), else any of hers.
        stages = ("in_verification", "approved", "issued", "awaiting_appointment", "awaiting_payment")
        followed = next((cases[state] for state in stages if state in cases), next(iter(cases.values())))
        page.goto(f"{base}/applications/{followed}/")

    yield "signin", signin
    yield "pay", pay
    yield "book", book
    yield "track", track


@contextmanager
def phone(browser: Any, base: str, language: str, session: str | None) -> Iterator[Any]:
    context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1, service_workers="block")
    cookies = [{"name": "django_language", "value": language, "url": base}]
    if session:
        cookies.append({"name": "sessionid", "value": session, "url": base})
    context.add_cookies(cookies)
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        yield page
    finally:
        context.close()


def take(browser: Any, base: str, walk: Walk, language: str, *, shared: bool = True) -> dict[str, bytes]:
    """Every picture in ``language``: {picture name: WebP}."""
    set_language(language)
    pictures: dict[str, bytes] = {}
    with phone(browser, base, language, walk.session) as page:
        for code, _visit in walk.services:
            for step, go in service_pages(page, base, code):
                try:
                    go()
                except Exception as exc:
                    raise RuntimeError(f"{code}, step {step}, in {language}: {exc}") from exc
                pictures[f"{code}-{step}"] = shoot(page)
        if shared:
            for step, go in shared_pages(page, base, walk.cases):
                if step == "signin":
                    continue
                go()
                pictures[step] = shoot(page, AIM.get(step, "main"))
    if shared:
        with phone(browser, base, language, None) as page:
            for step, go in shared_pages(page, base, walk.cases):
                if step == "signin":
                    go()
                    pictures[step] = shoot(page)
    return pictures


def serve_demo(var_dir: str) -> dict[str, str]:
    env = production_env(var_dir, DEMO_HISTORY_MONTHS="1")
    for command in (["migrate", "-v0"], ["createcachetable"], ["collectstatic", "--no-input", "-v0"]):
        manage(env, *command)
    manage(env, "load_demo", "--force")
    return env


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--service", help="only this service's pictures (and not the shared ones)")
    parser.add_argument("--language", choices=["id", "en"], help="only this language")
    parser.add_argument("--out", type=Path, default=OUT, help="where to keep them")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the few ORM writes made beside
    # it (the applicant's language) are deliberate.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    languages = [args.language] if args.language else ["id", "en"]
    with tempfile.TemporaryDirectory() as var_dir:
        env = serve_demo(var_dir)
        walk = read_demo(env, args.service)
        if not walk.services:
            print(f"no such service: {args.service}", file=sys.stderr)
            return 2
        with Server(env) as server, sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
            )
            taken = {}
            for language in languages:  # each language kept as soon as it is taken
                taken[language] = pictures = take(
                    browser, server.url, walk, language, shared=not args.service
                )
                folder = args.out / language
                folder.mkdir(parents=True, exist_ok=True)
                for name, picture in pictures.items():
                    (folder / f"{name}.webp").write_bytes(picture)
                print(
                    f"{language}: {len(pictures)} pictures, {sum(map(len, pictures.values())) / 1024:.0f} KB"
                )
            browser.close()
    total = sum(len(picture) for pictures in taken.values() for picture in pictures.values())
    manifest = args.out / "manifest.json"
    known = json.loads(manifest.read_text()) if manifest.exists() else {}
    names = sorted(set(known.get("pictures", [])) | {n for p in taken.values() for n in p})
    manifest.write_text(
        json.dumps({"taken_at": datetime.now(UTC).isoformat(timespec="seconds"), "pictures": names}, indent=1)
        + "\n"
    )
    print(f"kept in {args.out} ({total / 1024:.0f} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
