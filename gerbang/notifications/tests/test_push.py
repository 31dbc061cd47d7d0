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

from gerbang.accounts.tests.factories import UserFactory
from gerbang.applications.tests import factories as f
from gerbang.notifications import push, services
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


def _deliver_all() -> None:
    for message in OutboxMessage.objects.all():
        for delivery_id in services.fan_out(message.pk):
            services.delivery_attempt(delivery_id)


def _subscribe(user: object, channel: str, user_agent: str = "") -> tuple[Browser, PushSubscription]:
    browser = Browser(channel)
    device = services.push_subscribe(
        user=user,
        endpoint=browser.endpoint,
        p256dh=browser.public_key(),
        auth=b64(browser.auth),
        user_agent=user_agent,
    )
    return browser, device


ANDROID_CHROME = (
    "Mozilla/5.0 (Linux; Android 14; SM-A155F) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)
WINDOWS_EDGE = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0"
)


@pytest.mark.parametrize(
    ("user_agent", "label"),
    [
        (ANDROID_CHROME, "Chrome, Android"),
        (WINDOWS_EDGE, "Edge, Windows"),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
            "Safari, iOS",
        ),
        (
            "Mozilla/5.0 (Linux; Android 13; SAMSUNG SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) "
            "SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36",
            "Samsung Internet, Android",
        ),
        ("Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0", "Firefox, Linux"),
        ("curl/8.5.0", ""),
    ],
)
def test_a_device_is_named_by_its_browser_and_system(user_agent: str, label: str) -> None:
    assert push.device_label(user_agent) == label


def test_each_device_shows_only_the_groups_chosen_for_it() -> None:
    world = f.make_world()
    services.preferences_set(
        user=world.applicant, choices={"application": ["push"], "decision": ["push", "sms"]}
    )
    _phone_browser, phone = _subscribe(world.applicant, "phone", ANDROID_CHROME)
    _laptop_browser, laptop = _subscribe(world.applicant, "laptop", WINDOWS_EDGE)
    assert (phone.name, laptop.name) == ("Chrome, Android", "Edge, Windows")
    # The laptop takes decisions only; the phone everything chosen for push.
    services.push_device_update(user=world.applicant, device_id=laptop.pk, name="Kantor", groups=["decision"])
    f.submitted(world)
    _deliver_all()
    assert list(PushedMessage.objects.values_list("channel", flat=True)) == ["phone"]
    phone.refresh_from_db()
    laptop.refresh_from_db()
    assert phone.last_sent_at is not None and laptop.last_sent_at is None
    assert laptop.name == "Kantor" and laptop.groups == ["decision"]


def test_a_group_no_device_takes_gets_no_push_delivery() -> None:
    world = f.make_world()
    services.preferences_set(user=world.applicant, choices={"application": ["push"]})
    _browser, device = _subscribe(world.applicant, "quiet")
    services.push_device_update(user=world.applicant, device_id=device.pk, name="", groups=[])
    f.submitted(world)
    _deliver_all()
    message = OutboxMessage.objects.get(kind="application.submit")
    assert not message.deliveries.filter(channel="push").exists()
    assert not PushedMessage.objects.exists()
    device.refresh_from_db()
    assert device.groups == [] and device.name == ""  # an empty name keeps the old one


def test_signing_up_again_keeps_the_devices_name_and_choice() -> None:
    world = f.make_world()
    browser, device = _subscribe(world.applicant, "again", ANDROID_CHROME)
    services.push_device_update(user=world.applicant, device_id=device.pk, name="HP Ibu", groups=["decision"])
    again = services.push_subscribe(
        user=world.applicant, endpoint=browser.endpoint, p256dh=browser.public_key(), auth="bmV3LWF1dGg"
    )
    assert again.pk == device.pk and again.name == "HP Ibu" and again.groups == ["decision"]
    assert again.auth == "bmV3LWF1dGg"


def test_the_page_lists_devices_and_changes_one_without_javascript() -> None:
    world = f.make_world()
    _phone_browser, phone = _subscribe(world.applicant, "page-phone", ANDROID_CHROME)
    client = Client()
    client.force_login(world.applicant)
    page = client.get("/account/notifications/").content.decode()
    assert "Chrome, Android" in page and "Sign this device off" in page
    url = f"/account/notifications/devices/{phone.pk}/"
    too_long = "x" * 81
    response = client.post(
        url, {f"device-{phone.pk}-name": too_long, f"device-{phone.pk}-groups": ["decision"]}
    )
    # Refused with the reason, the input kept.
    assert response.status_code == 400
    body = response.content.decode()
    assert too_long in body and "at most 80 characters" in body
    response = client.post(
        url, {f"device-{phone.pk}-name": "HP saya", f"device-{phone.pk}-groups": ["decision", "nonsense"]}
    )
    assert response.status_code == 400 and "HP saya" in response.content.decode()
    assert PushSubscription.objects.get().groups is None
    response = client.post(
        url, {f"device-{phone.pk}-name": "  HP   saya ", f"device-{phone.pk}-groups": ["decision"]}
    )
    assert response.status_code == 302
    phone.refresh_from_db()
    assert phone.name == "HP saya" and phone.groups == ["decision"]
    # Another person's device is not found; signing off removes it.
    stranger = Client()
    stranger.force_login(UserFactory.create())
    assert stranger.post(url, {"remove": "1"}).status_code == 404
    assert client.post(url, {"remove": "1"}).status_code == 302
    assert not PushSubscription.objects.exists()
