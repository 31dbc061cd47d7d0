"""Web Push: a browser subscribes, a message is encrypted for it and signed with our VAPID key,
the push service takes it, and the browser can decrypt it; expired subscriptions are dropped."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator

import http_ece  # type: ignore[import-untyped]
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.test import Client
from django.utils import translation

from gerbang.applications.tests import factories as f
from gerbang.notifications import services
from gerbang.notifications.models import OutboxMessage, PushSubscription
from gerbang.simulators.models import PushedMessage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


class Browser:
    """What a browser keeps for a push subscription: its key pair and auth secret."""

    def __init__(self, channel: str) -> None:
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.auth = b"0123456789abcdef"
        self.endpoint = f"{settings.SITE_URL}/simulator/push/{channel}/"

    def public_key(self) -> str:
        raw = self.key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return b64(raw)

    def subscription(self) -> dict[str, object]:
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.public_key(), "auth": b64(self.auth)}}

    def read(self, body: bytes) -> dict[str, str]:
        return json.loads(
            http_ece.decrypt(body, private_key=self.key, auth_secret=self.auth, version="aes128gcm")
        )


def test_subscribe_then_receive_an_encrypted_signed_message() -> None:
    world = f.make_world()
    browser = Browser("device1")
    client = Client()
    client.force_login(world.applicant)
    response = client.post(
        "/account/notifications/push/subscribe/", browser.subscription(), content_type="application/json"
    )
    assert response.status_code == 201
    assert (
        client.post(
            "/account/notifications/push/subscribe/", {"endpoint": "x"}, content_type="application/json"
        ).status_code
        == 400
    )
    page = client.get("/account/notifications/").content.decode()
    assert "Turn on for this device" in page and "Browser notification" in page
    services.preferences_set(user=world.applicant, choices={"application": ["push"]})
    f.submitted(world)
    message = OutboxMessage.objects.get(kind="application.submit")
    for delivery_id in services.fan_out(message.pk):
        services.delivery_attempt(delivery_id)
    assert message.deliveries.get(channel="push").status == "delivered"
    pushed = PushedMessage.objects.get(channel="device1")
    assert pushed.headers["Authorization"].startswith("vapid t=")
    assert pushed.headers["Content-Encoding"] == "aes128gcm"
    shown = browser.read(bytes(pushed.body))
    assert "received" in shown["title"] and shown["url"].endswith(
        f"/applications/{message.context['application_id']}/"
    )


def test_expired_subscription_is_dropped() -> None:
    world = f.make_world()
    gone = Browser("gone-device")
    services.push_subscribe(
        user=world.applicant,
        endpoint=gone.endpoint,
        p256dh=gone.public_key(),
        auth=b64(gone.auth),
    )
    services.preferences_set(user=world.applicant, choices={"application": ["push"]})
    f.submitted(world)
    message = OutboxMessage.objects.get(kind="application.submit")
    for delivery_id in services.fan_out(message.pk):
        services.delivery_attempt(delivery_id)
    delivery = message.deliveries.get(channel="push")
    assert delivery.status == "permanent_failure" and "expired" in delivery.last_error
    assert not PushSubscription.objects.exists()


def test_service_worker_is_served_from_the_root() -> None:
    response = Client().get("/sw.js")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/javascript")
    assert "showNotification" in response.content.decode()
