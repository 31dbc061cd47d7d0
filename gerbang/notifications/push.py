"""Web Push: notifications to browsers that subscribed (RFC 8030), the payload encrypted for
the browser (RFC 8291, aes128gcm, with ``http_ece``) and the request signed with our VAPID key
(RFC 8292, with ``py_vapid``)."""

from __future__ import annotations

import base64
import json
import os
from typing import Any
from urllib.parse import urlsplit

import http_ece  # type: ignore[import-untyped]
import httpx
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.utils import timezone
from py_vapid import Vapid02  # type: ignore[import-untyped]

from gerbang.core import outgoing
from gerbang.notifications.failures import PermanentFailure, TemporaryFailure
from gerbang.notifications.models import PushSubscription

TTL_SECONDS = 24 * 3600


def http_client() -> httpx.Client:
    """The client pushes go through (tests route it to the app in-process)."""
    return outgoing.http_client(timeout=10.0)


def available() -> bool:
    return bool(settings.VAPID_PRIVATE_KEY)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _vapid() -> Any:
    return Vapid02.from_pem(settings.VAPID_PRIVATE_KEY.encode())


def public_key() -> str:
    """The applicationServerKey browsers subscribe with (uncompressed P-256 point, base64url)."""
    raw = _vapid().public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return _b64(raw)


def encrypt(payload: bytes, *, p256dh: str, auth: str) -> bytes:
    """The body for one subscription: aes128gcm with a fresh ephemeral key and salt."""
    ephemeral = ec.generate_private_key(ec.SECP256R1())
    body: bytes = http_ece.encrypt(
        payload,
        salt=os.urandom(16),
        private_key=ephemeral,
        dh=_unb64(p256dh),
        auth_secret=_unb64(auth),
        version="aes128gcm",
    )
    return body


# The browser and the system a User-Agent names, most specific first (Edge and Samsung Internet
# also say "Chrome"; Chrome on iOS says "CriOS" and "Safari").
_BROWSERS = (
    ("SamsungBrowser/", "Samsung Internet"),
    ("Edg", "Edge"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("FxiOS/", "Firefox"),
    ("CriOS/", "Chrome"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
)
_SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iOS"),
    ("iPad", "iPadOS"),
    ("CrOS", "ChromeOS"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("Linux", "Linux"),
)


def device_label(user_agent: str) -> str:
    """A name a person recognises their device by ("Chrome, Android"), from its User-Agent;
    what cannot be told is left out (an empty label when nothing can)."""
    browser = next((name for token, name in _BROWSERS if token in user_agent), "")
    system = next((name for token, name in _SYSTEMS if token in user_agent), "")
    return ", ".join(part for part in (browser, system) if part)


def send(subscriptions: list[PushSubscription], *, title: str, body: str, url: str) -> int:
    """Push to each of ``subscriptions`` (one person's devices that take this message); returns
    how many took it. Subscriptions the push service says are gone (404/410) are removed."""
    if not subscriptions:
        raise PermanentFailure("no browser subscribed")
    payload = json.dumps({"title": title, "body": body[:300], "url": url}).encode()
    vapid = _vapid()
    accepted: list[int] = []
    temporary: list[str] = []
    with http_client() as client:
        for subscription in subscriptions:
            parts = urlsplit(subscription.endpoint)
            headers = vapid.sign({"aud": f"{parts.scheme}://{parts.netloc}", "sub": settings.VAPID_SUBJECT})
            headers.update({"TTL": str(TTL_SECONDS), "Content-Encoding": "aes128gcm", "Urgency": "normal"})
            try:
                response = client.post(
                    subscription.endpoint,
                    content=encrypt(payload, p256dh=subscription.p256dh, auth=subscription.auth),
                    headers=headers,
                )
            except httpx.HTTPError as error:
                temporary.append(type(error).__name__)
                continue
            if response.status_code in (404, 410):
                subscription.delete()
            elif 200 <= response.status_code < 300:
                accepted.append(subscription.pk)
            else:
                temporary.append(f"HTTP {response.status_code}")
    if accepted:
        PushSubscription.objects.filter(pk__in=accepted).update(last_sent_at=timezone.now())
        return len(accepted)
    if temporary:
        raise TemporaryFailure("; ".join(temporary))
    raise PermanentFailure("every subscription has expired")
