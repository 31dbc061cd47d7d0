"""Payment providers: the interface, and the one protocol implemented — signed JSON over HTTPS.

The protocol, both ways:
- Every request carries ``X-Timestamp`` (Unix seconds) and ``X-Signature``: the hex
  HMAC-SHA256 of ``"<timestamp>." + raw body`` under a shared secret. We sign our calls with the
  API key; the provider signs its notifications with the webhook secret.
- We register each bill: ``POST {base}/bills`` with reference, billing code, amount, currency,
  expiry and the QRIS payload; the provider answers 200/201 (idempotent by reference).
- We ask for a bill's state: ``GET {base}/bills/{reference}`` gives ``{"status": "open" | "paid"
  | "expired" | "refunded", and, when paid, "transaction_id", "amount", "currency", "paid_at"}``.
- The provider notifies us by ``POST`` to our webhook, one event per notification, each with
  ``"event"``, ``"transaction_id"`` (the payment's, at most 64 characters), ``"reference"`` and
  ``"billing_code"`` (the bill's), ``"amount"`` (whole rupiah) and ``"currency"``:
  - ``payment.succeeded``, with ``"paid_at"``: money was taken for the bill;
  - ``payment.failed``, with ``"failed_at"`` and optionally ``"failure_code"`` (insufficient_funds,
    declined, timeout, cancelled) and ``"failure_reason"`` (the provider's words): an attempt to
    pay failed and no money was taken;
  - ``payment.refunded``, with ``"refunded_at"``, ``"refund_id"`` and optionally ``"reason"``:
    money of an earlier payment (the same ``transaction_id``) went back; ``"amount"`` is what
    was refunded.
  Times are ISO 8601 with their offset. Values are taken exactly as sent (never shortened); an
  event of another name, or none, is recorded as an anomaly for finance and acted on no further.
  A notification older (or newer) than the tolerance is refused as a replay.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol

import httpx
from django.conf import settings
from django.utils.dateparse import parse_datetime

from gerbang.core import outgoing

if TYPE_CHECKING:
    from gerbang.payments.models import Bill

TIMESTAMP_HEADER = "X-Timestamp"
SIGNATURE_HEADER = "X-Signature"


class SignatureError(Exception):
    """A notification whose signature or timestamp is not right: refused, never processed."""


class MalformedNotification(Exception):
    pass


class ProviderUnavailable(Exception):
    """The provider did not answer as it should; the call is retried later."""


class Event(StrEnum):
    SUCCEEDED = "payment.succeeded"
    FAILED = "payment.failed"
    REFUNDED = "payment.refunded"


# The field that says when each event happened.
_MOMENT = {Event.SUCCEEDED: "paid_at", Event.FAILED: "failed_at", Event.REFUNDED: "refunded_at"}
TRANSACTION_ID_MAX = 64


@dataclass(frozen=True)
class Notification:
    """One notification as the provider sent it. ``event`` is the name as sent ("" when
    missing); only the names of ``Event`` carry the fields after it."""

    event: str
    transaction_id: str
    raw: dict[str, Any]
    reference: str = ""
    billing_code: str = ""
    amount: int = 0
    currency: str = ""
    occurred_at: datetime | None = None
    refund_id: str = ""
    reason: str = ""
    reason_code: str = ""

    @property
    def moment(self) -> datetime:
        """When the event happened; every known event says (``parse_notification``)."""
        if self.occurred_at is None:
            raise MalformedNotification(f"{self.event or 'a notification without an event'} has no time")
        return self.occurred_at


def sign(secret: str, timestamp: str, body: bytes) -> str:
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def signed_headers(secret: str, body: bytes, *, now: float | None = None) -> dict[str, str]:
    timestamp = str(int(now if now is not None else time.time()))
    return {
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: sign(secret, timestamp, body),
        "Content-Type": "application/json",
    }


def verify(
    secret: str, headers: Mapping[str, str], body: bytes, *, tolerance: int, now: float | None = None
) -> None:
    timestamp = headers.get(TIMESTAMP_HEADER, "")
    signature = headers.get(SIGNATURE_HEADER, "")
    if not timestamp.isdigit() or not signature:
        raise SignatureError("missing timestamp or signature")
    if not hmac.compare_digest(sign(secret, timestamp, body), signature):
        raise SignatureError("bad signature")
    moment = now if now is not None else time.time()
    if abs(moment - int(timestamp)) > tolerance:
        raise SignatureError("stale timestamp")


def _text(data: dict[str, Any], name: str, *, required: bool = False) -> str:
    value = data.get(name)
    if value is None:
        if required:
            raise MalformedNotification(f"missing field '{name}'")
        return ""
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise MalformedNotification(f"{name} is not text")
    return str(value)


def parse_notification(data: Any) -> Notification:
    if not isinstance(data, dict):
        raise MalformedNotification("the body is not a JSON object")
    event = data.get("event")
    event = event if isinstance(event, str) else ""
    transaction_id = _text(data, "transaction_id", required=True)
    if not transaction_id or len(transaction_id) > TRANSACTION_ID_MAX:
        raise MalformedNotification(f"transaction_id must have 1 to {TRANSACTION_ID_MAX} characters")
    if event not in Event.__members__.values():
        return Notification(
            event=event if isinstance(event, str) else "", transaction_id=transaction_id, raw=data
        )
    moment_field = _MOMENT[Event(event)]
    moment = parse_datetime(_text(data, moment_field, required=True))
    if moment is None or moment.tzinfo is None:
        raise MalformedNotification(f"{moment_field} is not a date and time with its offset")
    amount = data.get("amount")
    if not isinstance(amount, int) or isinstance(amount, bool) or amount < 0:
        raise MalformedNotification("amount is not a whole number of at least 0")
    return Notification(
        event=event,
        transaction_id=transaction_id,
        raw=data,
        reference=_text(data, "reference"),
        billing_code=_text(data, "billing_code"),
        amount=amount,
        currency=_text(data, "currency", required=True),
        occurred_at=moment,
        refund_id=_text(data, "refund_id", required=event == Event.REFUNDED),
        reason=_text(data, "failure_reason" if event == Event.FAILED else "reason")[:200],
        reason_code=_text(data, "failure_code")[:40] if event == Event.FAILED else "",
    )


class PaymentProvider(Protocol):
    name: str

    def register_bill(self, bill: Bill) -> None: ...

    def bill_status(self, bill: Bill) -> Notification | None: ...

    def parse_webhook(self, headers: Mapping[str, str], body: bytes) -> Notification: ...


class SignedJsonProvider:
    """A provider speaking the signed-JSON protocol described above."""

    def __init__(
        self,
        *,
        name: str,
        base_url: str,
        api_key: str,
        webhook_secret: str,
        tolerance: int = 300,
        client: httpx.Client | None = None,
    ) -> None:
        self.name = name
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.webhook_secret = webhook_secret
        self.tolerance = tolerance
        self.client = client or http_client()

    def _request(self, method: str, path: str, payload: dict[str, Any] | None = None) -> httpx.Response:
        body = json.dumps(payload).encode() if payload is not None else b""
        try:
            response = self.client.request(
                method, f"{self.base_url}{path}", content=body, headers=signed_headers(self.api_key, body)
            )
        except httpx.HTTPError as error:
            raise ProviderUnavailable(f"{method} {path}: {type(error).__name__}") from error
        if response.status_code >= 500:
            raise ProviderUnavailable(f"{method} {path}: HTTP {response.status_code}")
        return response

    def register_bill(self, bill: Bill) -> None:
        response = self._request(
            "POST",
            "/bills",
            {
                "reference": bill.reference,
                "billing_code": bill.billing_code,
                "amount": bill.amount,
                "currency": bill.currency,
                "expires_at": bill.expires_at.isoformat(),
                "qris_payload": bill.qris_payload,
                "description": f"PNBP {bill.application.service.code}",
            },
        )
        if response.status_code not in (200, 201):
            raise ProviderUnavailable(
                f"registration refused: HTTP {response.status_code} {response.text[:200]}"
            )

    def bill_status(self, bill: Bill) -> Notification | None:
        response = self._request("GET", f"/bills/{bill.reference}")
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise ProviderUnavailable(f"status: HTTP {response.status_code}")
        data = response.json()
        if data.get("status") != "paid":
            return None
        try:
            return parse_notification({**data, "event": Event.SUCCEEDED.value, "reference": bill.reference})
        except MalformedNotification as error:
            raise ProviderUnavailable(f"status answer malformed: {error}") from error

    def parse_webhook(self, headers: Mapping[str, str], body: bytes) -> Notification:
        verify(self.webhook_secret, headers, body, tolerance=self.tolerance)
        try:
            data = json.loads(body)
        except ValueError:
            raise MalformedNotification("the body is not JSON") from None
        return parse_notification(data)


def http_client() -> httpx.Client:
    """The client calls to the provider go through (tests route it to the app in-process)."""
    return outgoing.http_client(timeout=10.0)


def provider_base_url() -> str:
    configured: str = settings.PAYMENT_PROVIDER_URL
    return configured or f"{settings.SITE_URL}/simulator/payment-provider/api"


def get_provider(name: str | None = None, *, client: httpx.Client | None = None) -> PaymentProvider:
    """The configured provider (one for now; ``name`` is kept on each bill for when there are more)."""
    wanted = name or settings.PAYMENT_PROVIDER
    if wanted != settings.PAYMENT_PROVIDER:
        raise LookupError(f"Unknown payment provider {wanted!r}.")
    return SignedJsonProvider(
        name=settings.PAYMENT_PROVIDER,
        base_url=provider_base_url(),
        api_key=settings.PAYMENT_PROVIDER_API_KEY,
        webhook_secret=settings.PAYMENT_WEBHOOK_SECRET,
        tolerance=settings.PAYMENT_WEBHOOK_TOLERANCE_SECONDS,
        client=client,
    )
