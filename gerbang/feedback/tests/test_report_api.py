"""The reports API: filing signed in (open or confidential) and anonymously (the code in the
answer, once), own list and detail, the anonymous follow-up by code, bad input naming the field."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from gerbang.feedback import report_services
from gerbang.feedback.models import Report, ReportStatus
from gerbang.feedback.tests.conftest import Desk

pytestmark = pytest.mark.django_db

REPORT = {
    "kind": "complaint",
    "topic": "facilities",
    "office": "mesuji",
    "subject": "Queue display broken",
    "body": "The queue display at the Mesuji office has been dark for a week.",
}


def post(client: Client, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(data), content_type="application/json")


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_file_list_read_reply_and_confirm_signed_in(desk: Desk) -> None:
    client = signed_in(desk.reporter)
    filed = post(client, "/api/v1/reports", {**REPORT, "privacy": "confidential"})
    assert filed.status_code == 201, filed.content
    data = filed.json()
    assert data["status"] == "submitted" and data["office"] == "mesuji" and data["working_days_left"] >= 0
    assert data["steps"][0]["text"] and len(data["messages"]) == 1
    report = Report.objects.get(pk=data["id"])
    assert report.privacy == "confidential" and report.channel == "api"
    assert [r["id"] for r in client.get("/api/v1/reports").json()] == [report.pk]
    report_services.report_verify(report=report, actor=desk.officer, outcome="verify")
    report_services.report_answer(report=report, actor=desk.officer, body="We replaced the display's cable.")
    detail = client.get(f"/api/v1/reports/{report.pk}").json()
    assert detail["status"] == "answered" and detail["messages"][-1]["from_office"] is True
    confirmed = client.post(f"/api/v1/reports/{report.pk}/confirm")
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "closed"
    assert signed_in(desk.officer).get(f"/api/v1/reports/{report.pk}").status_code == 404


def test_anonymous_filing_gives_the_code_once_and_follows_with_it(desk: Desk) -> None:
    client = Client()
    filed = post(client, "/api/v1/reports/anonymous", REPORT)
    assert filed.status_code == 201, filed.content
    code = filed.json()["code"]
    assert "id" not in filed.json()
    report = Report.objects.get()
    assert report.reporter is None and code not in report.code_hash
    followed = post(client, "/api/v1/reports/follow", {"code": code})
    assert followed.status_code == 200 and "code" not in followed.json()
    assert followed.json()["reference"] == report.reference
    added = post(
        client, "/api/v1/reports/follow/messages", {"code": code, "body": "It is the display by the door."}
    )
    assert added.status_code == 201 and len(added.json()["messages"]) == 2
    wrong = post(client, "/api/v1/reports/follow", {"code": "AAAA-BBBB-CCCC-DDDD"})
    assert wrong.status_code == 400 and wrong.json()["field"] == "code"
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_bad_input_names_the_field(desk: Desk) -> None:
    client = signed_in(desk.reporter)
    for change, field in (
        ({"office": "nowhere"}, "office"),
        ({"kind": "gossip"}, "kind"),
        ({"topic": "gossip"}, "topic"),
        ({"body": "short"}, "body"),
        ({"privacy": "anonymous"}, "privacy"),
    ):
        answer = post(client, "/api/v1/reports", {**REPORT, **change})
        assert answer.status_code == 400 and answer.json()["field"] == field, change
    assert Client().get("/api/v1/reports").status_code == 401
    assert not Report.objects.exists()


def test_guessing_codes_through_the_api_is_limited(desk: Desk) -> None:
    client = Client()
    for _attempt in range(10):
        post(client, "/api/v1/reports/follow", {"code": "AAAA-BBBB-CCCC-DDDD"})
    assert post(client, "/api/v1/reports/follow", {"code": "AAAA-BBBB-CCCC-DDDD"}).status_code == 429
