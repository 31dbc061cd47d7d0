"""Gerbang asking a partner agency: one signed question, its signed answer checked, with a
timeout, a few retries with backoff, and the agency's circuit breaker. Every attempt is logged
(``services.exchange_record``), answered or not."""

from __future__ import annotations

import json
import random
import time
from dataclasses import dataclass
from typing import Any

import httpx
from django.conf import settings

from gerbang.core import exchange_protocol as protocol
from gerbang.core import outgoing
from gerbang.core.actors import SystemActor
from gerbang.integrations import breaker, keys
from gerbang.integrations.models import Agency, Direction, Exchange, Outcome
from gerbang.integrations.services import exchange_record

USER_AGENT = "Gerbang-exchange/1"


class Failure(Exception):
    """No usable answer. ``reason``: timeout, unreachable, unavailable (5xx), rate_limited (429),
    circuit_open, bad_signature or bad_answer (the answer cannot be trusted or used), refused
    (the partner refused our question: 4xx), not_configured."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(detail or reason)
        self.reason = reason
        self.detail = detail

    @property
    def worth_retrying_now(self) -> bool:
        return self.reason in {"timeout", "unreachable", "unavailable", "rate_limited"}


@dataclass(frozen=True)
class Answer:
    data: dict[str, Any]
    exchange: Exchange


def _send(request: httpx.Request) -> httpx.Response:
    with outgoing.http_client(timeout=settings.EXCHANGE_TIMEOUT) as client:
        response = client.send(request)
        response.read()
        return response


def _attempt(
    agency: Agency, *, service: str, path: str, body: bytes, context: dict[str, Any]
) -> tuple[Answer | None, Failure | None]:
    request = httpx.Request(
        "POST",
        agency.base_url.rstrip("/") + path,
        content=body,
        headers={
            "Content-Type": "application/json",
            "Accept": "application/json",
            "User-Agent": USER_AGENT,
            protocol.PURPOSE: context["purpose"],
            protocol.LEGAL_BASIS: context["legal_basis"],
            protocol.REFERENCE: context["reference"],
        },
    )
    nonce = protocol.sign_request(request, body=body, key_id=keys.own_key_id(), key=keys.own_key())
    log: dict[str, Any] = {
        "direction": Direction.OUTBOUND,
        "agency": agency,
        "service": service,
        "key_id": keys.own_key_id(),
        "nonce": nonce,
        "purpose": context["purpose"],
        "legal_basis": context["legal_basis"],
        "reference": context["reference"],
        "request_digest": request.headers["content-digest"],
        "signature_input": request.headers["signature-input"],
        "signature": request.headers["signature"],
        "application": context.get("application"),
        "actor": context.get("actor"),
    }
    started = time.monotonic()
    failure: Failure | None = None
    response: httpx.Response | None = None
    try:
        response = _send(request)
    except httpx.TimeoutException as error:
        failure = Failure(
            "timeout", f"No answer within {settings.EXCHANGE_TIMEOUT:g} s ({type(error).__name__})."
        )
    except httpx.HTTPError as error:
        failure = Failure("unreachable", f"{type(error).__name__}: {error}"[:300])
    log["duration_ms"] = int((time.monotonic() - started) * 1000)
    if response is not None:
        log["status"] = response.status_code
        log["response_digest"] = response.headers.get("content-digest", "")[:120]
        log["response_signature_input"] = response.headers.get("signature-input", "")
        log["response_signature"] = response.headers.get("signature", "")
        failure = _failure_of(agency, response)
    if failure is not None:
        exchange_record(
            by=context["by"], outcome=Outcome.FAILED, reason=failure.reason, detail=failure.detail, **log
        )
        return None, failure
    data = json.loads(response.content) if response is not None else {}
    exchange = exchange_record(by=context["by"], outcome=Outcome.ANSWERED, **log)
    return Answer(data=data, exchange=exchange), None


def _failure_of(agency: Agency, response: httpx.Response) -> Failure | None:
    """Why this answer cannot be used, or None. An answer is trusted only when it is signed by
    this agency's key, bound to our question, and its body is the JSON object it signed."""
    status = response.status_code
    if status == 429:
        return Failure("rate_limited", "The partner asks us to slow down (429).")
    if status >= 500:
        return Failure("unavailable", f"The partner answered {status}.")
    try:
        protocol.verify_response(response, body=response.content, lookup=keys.lookup_for(agency))  # type: ignore[arg-type]
    except protocol.Refusal as refusal:
        return Failure("bad_signature", refusal.detail[:300])
    if status >= 400:
        return Failure("refused", f"The partner refused the question ({status}): {response.text[:200]}")
    try:
        data = json.loads(response.content)
    except ValueError:
        return Failure("bad_answer", "The answer is not JSON.")
    if not isinstance(data, dict):
        return Failure("bad_answer", "The answer is not a JSON object.")
    return None


def ask(
    agency: Agency,
    *,
    service: str,
    path: str,
    payload: dict[str, Any],
    purpose: str,
    legal_basis: str,
    reference: str,
    by: Any,
    application: Any = None,
) -> Answer:
    """Ask ``agency`` one question (JSON ``payload`` to ``path``) and return its checked answer,
    or raise Failure. Transient failures are tried again, EXCHANGE_ATTEMPTS in all, with
    backoff; an open circuit fails at once. ``by`` is the person or the system asking."""
    if not agency.base_url:
        raise Failure("not_configured", "No address is registered for this agency.")
    if not breaker.allows(agency.code):
        raise Failure("circuit_open", "The partner failed again and again; it is left alone for a while.")
    body = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()
    context = {
        "purpose": purpose,
        "legal_basis": legal_basis,
        "reference": reference,
        "application": application,
        "actor": None if isinstance(by, SystemActor) else by,
        "by": by,
    }
    failure: Failure | None = None
    for attempt in range(max(settings.EXCHANGE_ATTEMPTS, 1)):
        if attempt:
            # Exponential backoff with full jitter, so retries from many workers do not align.
            time.sleep(random.uniform(0, settings.EXCHANGE_RETRY_SECONDS * 2 ** (attempt - 1)))  # noqa: S311
        answer, failure = _attempt(agency, service=service, path=path, body=body, context=context)
        if answer is not None:
            breaker.succeeded(agency.code)
            return answer
        if failure is None or not failure.worth_retrying_now:
            break
    failure = failure or Failure("unavailable")
    if failure.reason == "refused":
        # The partner is up and said no to this question: a fault of the question, not of it.
        breaker.succeeded(agency.code)
    else:
        breaker.failed(agency.code)
    raise failure
