"""No address a request names can send a person off Gerbang (an open redirect), and no value
a person typed can break a redirect's header."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from gerbang.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ELSEWHERE = [
    "https://evil.example/",
    "//evil.example/login",
    "http:/evil.example",
    "/\\evil.example",
    "https:evil.example",
    "javascript:alert(1)",
    " //evil.example",
]


@pytest.mark.parametrize("target", ELSEWHERE)
def test_the_inbox_stays_on_the_site(client: Client, target: str) -> None:
    client.force_login(UserFactory.create())
    response = client.post("/account/inbox/read/", {"next": target})
    assert response.status_code == 302 and response["Location"] == "/account/inbox/"


def test_the_inbox_goes_back_where_it_was_asked_on_the_site(client: Client) -> None:
    client.force_login(UserFactory.create())
    response = client.post("/account/inbox/read/", {"next": "/account/inbox/?page=2"})
    assert response["Location"] == "/account/inbox/?page=2"


@pytest.mark.parametrize("target", ELSEWHERE)
def test_signing_in_stays_on_the_site(client: Client, target: str) -> None:
    user = UserFactory.create()
    response = client.post(f"/account/login/?next={target}", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert not response["Location"].startswith(("http", "//", "/\\", "javascript"))


def test_every_next_goes_through_the_one_check() -> None:
    """A view reading ``next`` itself would skip the check: only core.http.safe_next does."""
    offenders = []
    for path in Path("gerbang").rglob("*.py"):
        if "tests" in path.parts or path.as_posix() == "gerbang/core/http.py":
            continue
        if re.search(r"""\.get\(\s*["']next["']""", path.read_text()):
            offenders.append(str(path))
    assert offenders == []


def test_typed_values_cannot_break_a_redirect_header() -> None:
    from gerbang.applications.tests import factories as f

    world = f.make_world()
    application = f.submitted(world)
    browser = Client()
    browser.force_login(world.applicant)
    response = browser.post(
        f"/applications/{application.pk}/appointment/hold/",
        {"slot": "999999", "day": "2026-12-08\r\nSet-Cookie: owned=1", "priority": "x&next=//evil"},
    )
    assert response.status_code in {302, 303, 400, 404, 409}
    assert "\n" not in response.get("Location", "") and "owned" not in response.cookies
