"""The inbox and the notification choices in /api/v1: the same services and rules as the
pages, each person's own only."""

from __future__ import annotations

import pytest
from django.test import Client

from gerbang.accounts.tests.factories import UserFactory
from gerbang.applications.tests import factories as f
from gerbang.notifications.models import InboxItem, OutboxMessage, PushSubscription
from gerbang.notifications.services import delivery_attempt, fan_out
from gerbang.notifications.tests.test_push import ANDROID_CHROME, Browser

pytestmark = pytest.mark.django_db


def api_client(user: object) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_read_the_inbox_and_mark_it_read() -> None:
    world = f.make_world()
    f.submitted(world)
    for message in OutboxMessage.objects.all():
        for delivery_id in fan_out(message.pk):
            delivery_attempt(delivery_id)
    client = api_client(world.applicant)
    inbox = client.get("/api/v1/inbox").json()
    assert inbox["unread"] == len(inbox["items"]) >= 1 and inbox["pages"] == 1
    first = inbox["items"][0]
    assert first["link"].startswith("/applications/") and first["read"] is False
    assert client.post(
        "/api/v1/inbox/read", {"items": [first["id"]]}, content_type="application/json"
    ).json() == {
        "marked": 1,
        "unread": inbox["unread"] - 1,
    }
    assert client.post("/api/v1/inbox/read", {}, content_type="application/json").json()["unread"] == 0
    # Someone else's inbox is not reachable, nor marked.
    stranger = api_client(UserFactory.create())
    assert stranger.get("/api/v1/inbox").json()["items"] == []
    InboxItem.objects.update(read_at=None)
    stranger.post("/api/v1/inbox/read", {"items": [first["id"]]}, content_type="application/json")
    assert not InboxItem.objects.filter(read_at__isnull=False).exists()
    assert Client().get("/api/v1/inbox").status_code == 401


def test_choose_channels_and_devices() -> None:
    world = f.make_world()
    client = api_client(world.applicant)
    shown = client.get("/api/v1/me/notifications").json()
    groups = {group["key"]: group for group in shown["groups"]}
    assert "email" not in groups["decision"]["offered"]  # decisions always go by email anyway
    assert shown["push_key"] and shown["devices"] == []
    bad = client.put(
        "/api/v1/me/notifications", {"choices": {"decision": ["fax"]}}, content_type="application/json"
    )
    assert bad.status_code == 400 and bad.json()["field"] == "decision"
    saved = client.put(
        "/api/v1/me/notifications",
        {"choices": {"decision": ["sms", "push"]}},
        content_type="application/json",
    ).json()
    assert {g["key"]: g["channels"] for g in saved["groups"]}["decision"] == ["push", "sms"]

    browser = Browser("api-phone")
    added = client.post(
        "/api/v1/me/notifications/devices",
        browser.subscription(),
        content_type="application/json",
        headers={"user-agent": ANDROID_CHROME},
    )
    assert added.status_code == 201
    device = added.json()
    assert device["name"] == "Chrome, Android" and "decision" in device["groups"]
    url = f"/api/v1/me/notifications/devices/{device['id']}"
    too_long = client.patch(url, {"name": "x" * 81}, content_type="application/json")
    assert too_long.status_code == 400 and too_long.json()["field"] == "name"
    changed = client.patch(url, {"groups": ["decision"]}, content_type="application/json").json()
    assert changed["groups"] == ["decision"] and changed["name"] == "Chrome, Android"
    renamed = client.patch(url, {"name": "HP saya"}, content_type="application/json").json()
    assert renamed["groups"] == ["decision"] and renamed["name"] == "HP saya"
    stranger = api_client(UserFactory.create())
    assert stranger.patch(url, {"name": "mine"}, content_type="application/json").status_code == 404
    assert stranger.delete(url).status_code == 404
    assert client.delete(url).status_code == 204
    assert not PushSubscription.objects.exists()
