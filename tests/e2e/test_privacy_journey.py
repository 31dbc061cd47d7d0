"""A person uses their data-protection rights in a browser: downloads a copy of everything held
(a ZIP with the PDF, the JSON and their documents), asks for a correction (an empty one is
refused, nothing typed is lost), sees what deletion would do, is refused with a wrong password,
then deletes the account and can no longer sign in."""

from __future__ import annotations

import json
import zipfile
from typing import Any

import pytest

from gerbang.applications.tests import factories as f
from gerbang.privacy.models import Kind, Request
from tests.e2e.test_accessibility import audit_shown
from tests.e2e.test_application_journey import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_person_downloads_corrects_and_deletes(
    browser_context: Any, live_server: Any, tmp_path: Any, axe_source: str
) -> None:
    world = f.make_world()
    # A draft with its documents: in the copy, and deleted with the account.
    f.upload_all(f.draft(world))
    base = live_server.url
    browser_context.add_cookies([{"name": "django_language", "value": "en", "url": base}])
    person = world.applicant
    person.language = "en"
    person.save(update_fields=["language"])

    page = browser_context.new_page()
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in(page, base, person.email)
    page.goto(f"{base}/account/")
    page.get_by_role("link", name="Your personal data").first.click()
    page.get_by_role("heading", name="Download a copy").wait_for()

    with page.expect_download() as download:
        page.get_by_role("button", name="Download everything (ZIP: PDF, JSON and your files)").click()
    path = tmp_path / "copy.zip"
    download.value.save_as(path)
    archive = zipfile.ZipFile(path)
    data = json.loads(archive.read("data.json"))
    assert data["person_id"] == person.pk and "applications" in data["sections"]
    assert archive.read("data.pdf").startswith(b"%PDF")
    assert any(name.startswith("files/") for name in archive.namelist())

    # An empty correction is refused and the choice made is kept.
    page.get_by_label("What is it about?").select_option("application")
    page.get_by_role("button", name="Send the correction request").click()
    page.get_by_text("This field is required").first.wait_for()
    assert page.get_by_label("What is it about?").input_value() == "application"
    page.get_by_label("What is wrong, and what should it say?").fill("My place of birth is Menggala.")
    page.get_by_role("button", name="Send the correction request").click()
    page.get_by_text("is received. It will be answered by").wait_for()
    assert Request.objects.filter(person=person, kind=Kind.CORRECTION).exists()

    page.get_by_role("link", name="See what deletion would do").click()
    page.get_by_role("heading", name="Delete your account and data").wait_for()
    page.get_by_label("Your password").fill("not my password")
    page.get_by_role("button", name="Delete my account and data").click()
    page.get_by_text("The password is not right").wait_for()
    page.get_by_label("Your password").fill(f.PASSWORD)
    page.get_by_role("button", name="Delete my account and data").click()
    page.get_by_role("heading", name="Your account is deleted").wait_for()
    assert audit_shown(page, axe_source) == []  # shown once: a second visit goes home
    person.refresh_from_db()
    assert not person.is_active
