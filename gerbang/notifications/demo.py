"""A demo person's phone, signed up for browser notifications of decisions and of their
applications' progress (not every kind), so the choices page shows a device with its own choice.
Its push address is the local push simulator's, so messages sent to it arrive there.

The demo people are the accounts app's, which sits above this one: its loader calls
``sign_up_demo_phone`` (this app registers no loader of its own)."""

from __future__ import annotations

import base64
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings

from gerbang.notifications import services
from gerbang.notifications.models import PushSubscription

DEMO_PHONE = (
    "Mozilla/5.0 (Linux; Android 14; SM-A155F) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def sign_up_demo_phone(person: Any) -> None:
    if not settings.SIMULATORS:
        return
    endpoint = f"{settings.SITE_URL.rstrip('/')}/simulator/push/demo-phone/"
    if not PushSubscription.objects.filter(endpoint=endpoint).exists():
        # A browser's keys for its subscription (the simulator keeps what it receives, sealed).
        key = ec.generate_private_key(ec.SECP256R1()).public_key()
        raw = key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
        device = services.push_subscribe(
            user=person,
            endpoint=endpoint,
            p256dh=_b64(raw),
            auth=_b64(b"demo-auth-secret"),
            user_agent=DEMO_PHONE,
        )
        services.preferences_set(
            user=person, choices={"application": ["email", "sms", "push"], "decision": ["sms", "push"]}
        )
        services.push_device_update(
            user=person, device_id=device.pk, name="HP Android", groups=["application", "decision"]
        )
