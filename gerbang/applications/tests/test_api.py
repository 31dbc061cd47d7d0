"""The applicant's actions in /api/v1: the same services and answers as the pages."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from gerbang.applications.models import Application
from gerbang.applications.selectors import TRACK_PER_NUMBER
from gerbang.applications.tests import factories as f
from gerbang.applications.workflow import State

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> f.World:
    return f.make_world()


def api_client(user: object) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_apply_through_the_api(world: f.World) -> None:
    client = api_client(world.applicant)
    created = client.post(
        "/api/v1/applications",
        {"service": "paspor-biasa", "office": "mesuji"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    pk = body["id"]
    assert [s["slug"] for s in body["steps"]] == ["identity", "contact", "travel"]
    assert body["state"] == "draft"

    bad = client.patch(
        f"/api/v1/applications/{pk}/answers",
        {"answers": {"postal_code": "123"}},
        content_type="application/json",
    )
    assert bad.status_code == 200
    assert "5 digits" in bad.json()["errors"]["postal_code"]
    unknown = client.patch(
        f"/api/v1/applications/{pk}/answers",
        {"answers": {"shoe_size": "42"}},
        content_type="application/json",
    )
    assert unknown.status_code == 400
    assert unknown.json()["field"] == "shoe_size"

    client.patch(
        f"/api/v1/applications/{pk}/answers",
        {"answers": f.passport_answers()},
        content_type="application/json",
    )
    detail = client.get(f"/api/v1/applications/{pk}").json()
    assert detail["errors"] == {}
    for slot in detail["documents"]:
        uploaded = client.post(
            f"/api/v1/applications/{pk}/documents/{slot['key']}", {"file": f.upload(f.pdf_bytes())}
        )
        assert uploaded.status_code == 201, uploaded.content
    refused = client.post(
        f"/api/v1/applications/{pk}/documents/{detail['documents'][0]['key']}",
        {"file": f.upload(b"", "empty.pdf")},
    )
    assert refused.status_code == 400
    assert "empty" in refused.json()["detail"]

    not_declared = client.post(
        f"/api/v1/applications/{pk}/submit", {"declaration": False}, content_type="application/json"
    )
    assert not_declared.status_code == 400
    assert not_declared.json()["field"] == "declaration"
    submitted = client.post(
        f"/api/v1/applications/{pk}/submit", {"declaration": True}, content_type="application/json"
    )
    assert submitted.status_code == 200
    assert submitted.json()["state"] == State.AWAITING_PAYMENT
    assert "Pay the fee" in submitted.json()["next_step"]

    number = Application.objects.get(pk=pk).number
    tracked = Client().post(
        "/api/v1/track", {"number": number, "date_of_birth": "1990-08-15"}, content_type="application/json"
    )
    assert tracked.status_code == 200
    assert [e["code"] for e in tracked.json()["timeline"]] == ["application.submit", "application.issue_bill"]
    wrong = Client().post(
        "/api/v1/track", {"number": number, "date_of_birth": "1990-08-16"}, content_type="application/json"
    )
    assert wrong.status_code == 404


def test_tracking_reads_two_rows_and_no_personal_data(world: f.World) -> None:
    """A crowd tracks at once: two reads, neither of a column holding personal data."""
    application = f.submitted(world)
    body = {"number": application.number, "date_of_birth": "1990-08-15"}
    with CaptureQueriesContext(connection) as queries:
        tracked = Client().post("/api/v1/track", body, content_type="application/json")
    assert tracked.status_code == 200 and tracked.json()["number"] == application.number
    assert len(queries) == 2
    assert all('"answers"' not in query["sql"] for query in queries)


def test_tracking_says_when_to_try_again(world: f.World) -> None:
    body = {"number": "MESUJI-2026-00000-00000", "date_of_birth": "1990-08-15"}
    answers = [Client().post("/api/v1/track", body, content_type="application/json") for _ in range(11)]
    assert [a.status_code for a in answers] == [404] * 10 + [429]
    # The rest of the number's window (an hour), not a guess of a few seconds.
    assert abs(int(answers[-1]["Retry-After"]) - TRACK_PER_NUMBER.retry_after()) <= 1


def test_api_needs_sign_in_and_own_cases(world: f.World) -> None:
    application = f.draft(world)
    assert Client().get("/api/v1/applications").status_code == 401
    stranger = api_client(f.UserFactory.create())
    assert stranger.get(f"/api/v1/applications/{application.pk}").status_code == 404
    assert stranger.post(f"/api/v1/applications/{application.pk}/cancel").status_code == 404


def test_openapi_lists_the_application_endpoints() -> None:
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/applications", "/api/v1/applications/{pk}/submit", "/api/v1/track"} <= set(paths)
