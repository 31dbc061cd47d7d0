"""Bodies no browser sends (multipart without its boundary, cut-off multipart, JSON that is not
JSON, a form posted as JSON) posted to every address, by the public, an applicant and an
officer: a 4xx, never a server error. With DEBUG on as well for the API's addresses: the API
answers its own errors, and would show a traceback under DEBUG where a page's error is the same
status either way (Django's handlers)."""

from __future__ import annotations

from typing import Any

import pytest

from gerbang.core.tests import sweep

# A body is refused before any query: the database changes nothing here.
pytestmark = [pytest.mark.django_db, pytest.mark.any_database]

BODIES = {
    "multipart without a boundary": ("multipart/form-data", b"--x\r\nContent-Disposition: form-data\r\n\r\n"),
    "multipart cut off": (
        "multipart/form-data; boundary=B",
        b'--B\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF-1.4',
    ),
    "not JSON": ("application/json", b"{not json"),
    "a form said to be JSON": ("application/json", b"email=a%40b.c&password=x"),
}


@pytest.fixture(autouse=True)
def demo(demo_data: None, db: None) -> None:
    """The demo, loaded once for this module."""


@pytest.mark.parametrize("debug", [False, True], ids=["production", "debug"])
@pytest.mark.parametrize("kind", list(BODIES))
def test_no_body_breaks_a_page(kind: str, debug: bool, settings: Any, staff_client: Any) -> None:
    from gerbang.applications.models import Application

    settings.DEBUG = debug
    content_type, body = BODIES[kind]
    # The demo applicant's own draft: her pages read the body instead of answering 404 first.
    own = Application.objects.filter(applicant__email="pemohon@gerbang.test", state="draft").first()
    assert own is not None
    failures = []
    for who, client in sweep.people(staff_client).items():
        client.raise_request_exception = False
        for address in sweep.addresses(None) + sweep.addresses(own.pk):
            if debug and not address.startswith("/api/"):
                continue
            response = client.generic("POST", address, body, content_type=content_type)
            if response.status_code >= 500:
                failures.append(f"{who} POST {address}: {response.status_code}")
    assert failures == []


@pytest.mark.parametrize("debug", [False, True], ids=["production", "debug"])
def test_an_upload_without_a_boundary_is_a_bad_request(debug: bool, settings: Any) -> None:
    from django.test import Client

    from gerbang.accounts.models import User
    from gerbang.applications.models import Application

    settings.DEBUG = debug
    applicant = User.objects.get(email="pemohon@gerbang.test")
    application = Application.objects.filter(applicant=applicant, state="draft").first()
    assert application is not None
    client = Client(raise_request_exception=False)
    client.force_login(applicant)
    response = client.generic(
        "POST",
        f"/api/v1/applications/{application.pk}/documents/photo",
        b"--x\r\n",
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "unreadable_body"


def test_an_api_address_no_route_matches_answers_the_apis_json(client: Any) -> None:
    response = client.get("/api/v1/reports/null,null")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "not_found"
    page = client.get("/no-such-page/")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")
