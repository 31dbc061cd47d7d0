"""The ratings API: my invitations, giving and changing a rating (the week, the fields to fix),
an office's published reviews and average for everyone."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from gerbang.satisfaction import services
from gerbang.satisfaction.models import Occasion
from gerbang.satisfaction.tests.conftest import Desk

pytestmark = pytest.mark.django_db


def put(client: Client, url: str, data: dict[str, Any]) -> Any:
    return client.put(url, json.dumps(data), content_type="application/json")


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_list_give_and_change_my_rating(desk: Desk) -> None:
    invitation = desk.invitation()
    desk.invitation(person=desk.other_person)
    client = signed_in(desk.person)
    listed = client.get("/api/v1/ratings/invitations").json()
    assert [(i["token"], i["office"], i["service"], i["rating"]) for i in listed] == [
        (invitation.token, "mesuji", "paspor-biasa", None)
    ]
    url = f"/api/v1/ratings/invitations/{invitation.token}/rating"
    bad = put(client, url, {"review": "Good"})
    assert bad.status_code == 400 and bad.json()["field"] == "stars"
    given = put(client, url, {"stars": 4, "review": "Good and quick.", "suggestion": "Longer opening hours."})
    assert given.status_code == 200, given.content
    rating = given.json()["rating"]
    assert (rating["stars"], rating["review_status"], rating["changeable"]) == (4, "pending", True)
    assert put(client, url, {"stars": 5, "review": "Good and quick."}).json()["rating"]["stars"] == 5
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        client = signed_in(desk.person)
        closed = put(client, url, {"stars": 1})
        assert closed.status_code == 409 and closed.json()["code"] == "closed"


def test_only_my_own_invitations(desk: Desk) -> None:
    theirs = desk.invitation(person=desk.other_person)
    walk_in = desk.invitation(person=None, occasion=Occasion.VISIT)
    client = signed_in(desk.person)
    for invitation in (theirs, walk_in):
        answer = put(client, f"/api/v1/ratings/invitations/{invitation.token}/rating", {"stars": 5})
        assert answer.status_code == 404
    assert Client().get("/api/v1/ratings/invitations").status_code == 401


def test_an_offices_published_reviews_and_average(desk: Desk, rated: Any) -> None:
    published = services.rating_approve(rating=rated("Quick, thank you.", stars=5), actor=desk.admin)
    services.rating_reply(rating=published, body="Thank you for coming.", actor=desk.supervisor)
    rated("Not yet moderated.", stars=2)
    answer = Client().get("/api/v1/offices/mesuji/ratings")
    assert answer.status_code == 200
    data = answer.json()
    assert (data["average"], data["count"]) == (3.5, 2)
    assert data["by_stars"] == {"5": 1, "4": 0, "3": 0, "2": 1, "1": 0}
    assert [(r["stars"], r["text"], r["reply"]) for r in data["reviews"]] == [
        (5, "Quick, thank you.", "Thank you for coming.")
    ]
    assert "review_status" not in data["reviews"][0]
    assert Client().get("/api/v1/offices/nowhere/ratings").status_code == 404
    by_service = Client().get("/api/v1/services/paspor-biasa/ratings").json()
    assert (by_service["average"], by_service["count"], len(by_service["reviews"])) == (3.5, 2, 1)
    assert Client().get("/api/v1/services/nothing/ratings").status_code == 404
