"""The tutorials' pictures come from a walk through the real pages (scripts/tutorial_shots.py):
here the script's own walk goes through one service and the shared pages, in English, against
the live test server, so that a page it can no longer walk through fails CI instead of leaving
old pictures behind; and a reader opens that tutorial from the service's page."""

from __future__ import annotations

import importlib.util
import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from gerbang.accounts.models import User
from gerbang.applications.models import Application
from gerbang.core.tests import demo_snapshot
from tests.e2e.test_accessibility import audit, sign_in

# The script itself (scripts/ is a folder of programs, not a package).
_spec = importlib.util.spec_from_file_location(
    "tutorial_shots", Path(__file__).resolve().parents[2] / "scripts" / "tutorial_shots.py"
)
assert _spec is not None and _spec.loader is not None
tutorial_shots: Any = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(tutorial_shots)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_script_walks_through_a_service_and_a_reader_finds_the_tutorial(
    browser_context: Any, page: Any, axe_source: str, live_server: Any
) -> None:
    demo_snapshot.load_demo()
    base = live_server.url
    applicant = User.objects.get(email=tutorial_shots.APPLICANT)
    applicant.language = "en"
    applicant.save(update_fields=["language"])
    browser_context.add_cookies([{"name": "django_language", "value": "en", "url": base}])
    sign_in(browser_context, applicant)
    page.set_viewport_size(tutorial_shots.VIEWPORT)
    drafts = Application.objects.filter(applicant=applicant).count()

    taken = {}
    for step, go in tutorial_shots.service_pages(page, base, "paspor-biasa"):
        go()
        taken[step] = tutorial_shots.shoot(page)
    cases = {c.state: c.pk for c in Application.objects.filter(applicant=applicant).order_by("pk")}
    for step, go in tutorial_shots.shared_pages(page, base, cases):
        if step != "signin":
            go()
            assert "/account/login/" not in page.url, f"{step}: sent to sign in"
            taken[step] = tutorial_shots.shoot(page)
    assert list(taken) == ["service", "start", "form", "documents", "pay", "book", "track"]
    for step, picture in taken.items():
        image = Image.open(io.BytesIO(picture))
        assert (image.format, image.size) == ("WEBP", (360, 640)), step
    # The walk made one draft, the one whose form and documents it showed.
    assert Application.objects.filter(applicant=applicant).count() == drafts + 1

    # A reader finds the tutorial from the service's page, and each step has its picture.
    page.goto(f"{base}/services/paspor-biasa/")
    page.get_by_role("link", name="Step by step, with pictures: how to apply online").click()
    page.get_by_role("heading", name="How to apply online: First ordinary passport", level=1).wait_for()
    pictures = page.get_by_role("img", name="Screenshot of the application form for First ordinary passport")
    assert pictures.count() == 1
    assert audit(page, axe_source, f"{base}/guides/tutorial-paspor-biasa/") == []
