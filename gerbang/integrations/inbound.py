"""A partner agency asking Gerbang: each question is checked, in this order, before anything is
read: its signature (a live key of an active agency, within its time, the body's digest), the
agency's grant for this service and the legal basis it states, its rate, and its nonce (once
only). Then the service answers as little as it can (yes or no, never the record). Every
question is logged with its outcome, refused ones too, and every answer is signed, bound to the
question it answers."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse

from gerbang.core import exchange_protocol as protocol
from gerbang.core.ratelimit import Limit, hit_all
from gerbang.integrations import keys, selectors
from gerbang.integrations.models import AgencyKey, Direction, Grant, InboundService, Outcome
from gerbang.integrations.services import exchange_record

MAX_BODY = 16 * 1024
# HTTP status of each refusal.
STATUS = {
    "unsigned": 401,
    "bad_signature": 401,
    "unknown_key": 401,
    "missing_purpose": 400,
    "missing_legal_basis": 400,
    "missing_reference": 400,
    "invalid_header": 400,
    "out_of_scope": 403,
    "legal_basis": 403,
    "rate_limited": 429,
    "replay": 409,
    "invalid_request": 400,
    "too_large": 413,
    "method": 405,
}


class Invalid(protocol.Refusal):
    def __init__(self, field: str, detail: str) -> None:
        super().__init__("invalid_request", detail)
        self.field = field


def _text(payload: dict[str, Any], name: str, *, max_length: int = 40) -> str:
    value = payload.get(name)
    if not isinstance(value, str) or not value.strip():
        raise Invalid(name, f"{name} is required (a string).")
    if len(value) > max_length:
        raise Invalid(name, f"{name} is longer than {max_length} characters.")
    return value.strip()


def _day(payload: dict[str, Any], name: str) -> date:
    raw = _text(payload, name, max_length=10)
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise Invalid(name, f"{name} must be a date, YYYY-MM-DD.") from None


def passport_cancellation(payload: dict[str, Any]) -> dict[str, Any]:
    """{"passport_number", "date_of_birth"} → {"cancelled": bool}: whether Gerbang holds a
    report that this passport (of the person born that day) was lost, or that it was replaced by
    a new passport that was collected. Nothing else: not why, not by whom, not the case."""
    number = _text(payload, "passport_number", max_length=20).upper().replace(" ", "")
    if not number.isalnum():
        raise Invalid("passport_number", "passport_number has letters and digits only.")
    born = _day(payload, "date_of_birth")
    unknown = set(payload) - {"passport_number", "date_of_birth"}
    if unknown:
        raise Invalid(sorted(unknown)[0], "Only passport_number and date_of_birth may be asked.")
    return {"cancelled": selectors.passport_cancelled(number, born)}


ANSWERS: dict[InboundService, Callable[[dict[str, Any]], dict[str, Any]]] = {
    InboundService.PASSPORT_CANCELLATION: passport_cancellation,
}


@dataclass
class _Asked:
    message: protocol.Request
    body: bytes
    log: dict[str, Any]
    key: AgencyKey | None = None


def _lookup(asked: _Asked) -> Callable[[str], Any]:
    def lookup(key_id: str) -> Any:
        asked.log["key_id"] = key_id[:100]
        key = keys.live_key(key_id)
        if key is None:
            return None
        asked.key = key
        asked.log["agency"] = key.agency
        return protocol.public_key(key.public_pem)

    return lookup


def _limit(grant: Grant) -> Limit:
    return Limit(f"exchange-{grant.service}", grant.per_minute, 60)


def _accept(asked: _Asked, service: InboundService) -> dict[str, Any]:
    """Check the question (raising Refusal) and return the service's answer."""
    if asked.message.method != "POST":
        raise protocol.Refusal("method", "Questions are asked with POST.")
    if len(asked.body) > MAX_BODY:
        raise protocol.Refusal("too_large", f"A question is at most {MAX_BODY} bytes.")
    try:
        verified = protocol.verify_request(asked.message, body=asked.body, lookup=_lookup(asked))
    except protocol.Refusal as refusal:
        if asked.key is None and refusal.reason == "bad_signature" and "signature" in asked.message.headers:
            raise protocol.Refusal("unknown_key", "No key in use has this key id.") from refusal
        raise
    if asked.key is None:  # verify_request verifies only with a key the lookup found
        raise protocol.Refusal("unknown_key", "No key in use has this key id.")
    asked.log.update(
        nonce=verified.nonce[:64],
        purpose=verified.purpose,
        legal_basis=verified.legal_basis,
        reference=verified.reference,
        signature_input=verified.signature_input,
        signature=verified.signature,
    )
    agency = asked.key.agency
    grant = selectors.live_grant(agency, service)
    if grant is None:
        raise protocol.Refusal("out_of_scope", f"{agency.code} may not ask {service.value}.")
    if verified.legal_basis != grant.legal_basis:
        raise protocol.Refusal(
            "legal_basis",
            f"The legal basis stated is not the one granted for {service.value}: {grant.legal_basis}",
        )
    if hit_all((_limit(grant), agency.code))[0] > grant.per_minute:
        raise protocol.Refusal("rate_limited", f"At most {grant.per_minute} questions a minute.")
    if selectors.nonce_used(agency, verified.nonce):
        raise protocol.Refusal("replay", "This question was asked before (its nonce is used).")
    try:
        payload = json.loads(asked.body)
    except ValueError:
        raise Invalid("", "The body is not JSON.") from None
    if not isinstance(payload, dict):
        raise Invalid("", "The body must be a JSON object.")
    return ANSWERS[service](payload)


def _respond(asked: _Asked, status: int, data: dict[str, Any]) -> HttpResponse:
    body = json.dumps(data, separators=(",", ":"), sort_keys=True).encode()
    response = HttpResponse(body, status=status, content_type="application/json")
    signed = protocol.Response(status, protocol.Headers({"Content-Type": "application/json"}), asked.message)
    try:
        protocol.sign_response(signed, body=body, key_id=keys.own_key_id(), key=keys.own_key())
    except Exception:
        return response
    for name in ("Content-Digest", "Signature-Input", "Signature"):
        response[name] = signed.headers[name]
    asked.log.update(
        response_digest=signed.headers["Content-Digest"][:120],
        response_signature_input=signed.headers["Signature-Input"],
        response_signature=signed.headers["Signature"],
    )
    return response


def answer(request: HttpRequest, service: InboundService) -> HttpResponse:
    """Take one question of a partner for ``service`` and answer it (or refuse it), logged."""
    started = time.monotonic()
    try:
        length = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        length = MAX_BODY + 1
    # A body over the limit is not read: the question is refused as too large.
    body = request.body if length <= MAX_BODY else b"x" * (MAX_BODY + 1)
    message = protocol.Request(
        method=request.method or "",
        url=request.build_absolute_uri(),
        headers=protocol.Headers(request.headers.items()),
    )
    asked = _Asked(message=message, body=body, log={"direction": Direction.INBOUND, "service": service.value})
    outcome, reason, detail = Outcome.ANSWERED, "", ""
    try:
        data = _accept(asked, service)
        status = 200
    except protocol.Refusal as refusal:
        outcome, reason, detail = Outcome.REFUSED, refusal.reason, refusal.detail
        status = STATUS.get(refusal.reason, 400)
        data = {"error": refusal.reason, "detail": refusal.detail}
        if isinstance(refusal, Invalid) and refusal.field:
            data["field"] = refusal.field
    asked.log["request_digest"] = message.headers.get("content-digest", "")[:120]
    response = _respond(asked, status, data)
    asked.log.update(status=status, duration_ms=int((time.monotonic() - started) * 1000))
    if outcome == Outcome.ANSWERED:
        try:
            with transaction.atomic():
                exchange_record(by=None, outcome=outcome, accepted_nonce=asked.log["nonce"], **asked.log)
        except IntegrityError:
            # Asked twice at the same moment: the other one took the nonce.
            asked.log.pop("response_digest", None)
            status, reason = STATUS["replay"], "replay"
            data = {"error": reason, "detail": "This question was asked before (its nonce is used)."}
            response = _respond(asked, status, data)
            asked.log["status"] = status
            exchange_record(
                by=None, outcome=Outcome.REFUSED, reason=reason, detail=data["detail"], **asked.log
            )
        return response
    exchange_record(by=None, outcome=outcome, reason=reason, detail=detail[:300], **asked.log)
    if status == 429:
        response["Retry-After"] = "60"
    return response
