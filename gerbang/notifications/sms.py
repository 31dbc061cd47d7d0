"""SMS through HTTP gateways, the second taking over when the first fails.

The protocol: ``POST {url}/messages`` with ``Authorization: Bearer <api key>`` and JSON
``{"to": "+62…", "text": "…", "client_reference": "…"}``. 2xx with ``{"id": …}`` means taken;
a 4xx other than 401/403/429 means this message can never be sent (e.g. a number that does not
exist); anything else (5xx, timeouts, refused connections, 401/403/429) means try the next
gateway, and later again.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx
from django.conf import settings

from gerbang.core import outgoing
from gerbang.notifications.failures import PermanentFailure, TemporaryFailure


@dataclass(frozen=True)
class Gateway:
    name: str
    url: str
    api_key: str


def http_client() -> httpx.Client:
    """The client SMS requests go through (tests route it to the app in-process)."""
    return outgoing.http_client(timeout=10.0)


def gateways() -> list[Gateway]:
    return [
        Gateway(
            name=g["name"],
            url=(g.get("url") or f"{settings.SITE_URL}/simulator/sms/{g['name']}/api").rstrip("/"),
            api_key=g["api_key"],
        )
        for g in settings.SMS_GATEWAYS
    ]


def available() -> bool:
    return bool(settings.SMS_GATEWAYS)


def send(*, to: str, text: str, reference: str) -> tuple[str, str]:
    """Send through the first gateway that takes it; returns (gateway name, its message id)."""
    problems = []
    with http_client() as client:
        for gateway in gateways():
            try:
                response = client.post(
                    f"{gateway.url}/messages",
                    json={"to": to, "text": text, "client_reference": reference},
                    headers={"Authorization": f"Bearer {gateway.api_key}"},
                )
            except httpx.HTTPError as error:
                problems.append(f"{gateway.name}: {type(error).__name__}")
                continue
            if 200 <= response.status_code < 300:
                return gateway.name, str(response.json().get("id", ""))
            if 400 <= response.status_code < 500 and response.status_code not in (401, 403, 429):
                raise PermanentFailure(f"{gateway.name}: HTTP {response.status_code} {response.text[:120]}")
            problems.append(f"{gateway.name}: HTTP {response.status_code}")
    raise TemporaryFailure("; ".join(problems) or "no SMS gateway configured")
