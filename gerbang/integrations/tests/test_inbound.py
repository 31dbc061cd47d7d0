"""Contract of Gerbang's inbound endpoints, the partner's side of the signature played by the
simulator's keys: a good question is answered minimally and signed; every bad one is refused,
and every one, good or bad, is logged with an event of the public log."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from gerbang.core import exchange_protocol as protocol
from gerbang.core.models import Event
from gerbang.integrations import keys
from gerbang.integrations.models import Agency, CancelledPassport, Exchange, Outcome
from gerbang.integrations.tests.conftest import POLICE_BASIS, Simulator

URL = "/api/v1/exchange/passport-cancellation"
QUESTION = {"passport_number": "B1234567", "date_of_birth": "1990-08-17"}


def _ask(
    client: Client,
    simulator: Simulator,
    *,
    agency: str = "polri",
    payload: Any = QUESTION,
    basis: str = POLICE_BASIS,
    spoil: str = "",
    url: str = URL,
    key: Any = None,
) -> Any:
    body = json.dumps(payload).encode()
    message = protocol.Request(
        "POST",
        f"http://testserver{url}",
        protocol.Headers(
            {
                "Content-Type": "application/json",
                protocol.PURPOSE: "Pemeriksaan paspor yang ditemukan",
                protocol.LEGAL_BASIS: basis,
                protocol.REFERENCE: "LP/B/123/XII/2026",
            }
        ),
    )
    state = simulator.state
    protocol.sign_request(
        message, body=body, key_id=state.key_id(agency), key=key or state.private_key(agency)
    )
    if spoil == "body":
        body = body.replace(b"B1234567", b"B7654321")
    headers = {name: value for name, value in message.headers.items() if name.lower() != "content-type"}
    response = client.post(url, data=body, content_type="application/json", headers=headers)
    return response, message


def _verify_answer(response: Any, message: protocol.Request) -> None:
    signed = protocol.Response(
        response.status_code, protocol.Headers(dict(response.headers.items())), message
    )
    published = {key["keyid"]: protocol.public_key(key["pem"]) for key in keys.published()}
    protocol.verify_response(signed, body=response.content, lookup=published.get)


@pytest.fixture
def asked(partners: Simulator, client: Client) -> Any:
    def ask(**kwargs: Any) -> Any:
        return _ask(client, partners, **kwargs)

    return ask


def test_a_granted_question_is_answered_minimally_signed_and_logged(asked: Any) -> None:
    response, message = asked()
    assert response.status_code == 200
    assert response.json() == {"cancelled": False}
    _verify_answer(response, message)
    exchange = Exchange.objects.get()
    assert exchange.agency is not None
    assert (exchange.outcome, exchange.direction, exchange.agency.code) == (Outcome.ANSWERED, "in", "polri")
    assert exchange.purpose == "Pemeriksaan paspor yang ditemukan"
    assert exchange.legal_basis == POLICE_BASIS
    assert exchange.signature and exchange.response_signature and exchange.accepted_nonce
    event = Event.objects.get(code="exchange.answered")
    assert event.details["agency"] == "polri"
    # The event holds digests and codes, never what was asked about.
    assert "B1234567" not in json.dumps(event.details)


def test_a_passport_reported_lost_is_answered_as_cancelled(asked: Any) -> None:
    from gerbang.applications.tests.factories import make_world, passport_answers, submitted

    world = make_world()
    answers = passport_answers(
        old_passport_number="B1234567",
        loss_date="01/11/2026",
        police_report_number="LP/1/XI/2026",
    )
    del answers["previous_passport"]
    case = submitted(world, "paspor-hilang", answers=answers)
    assert CancelledPassport.objects.filter(application=case, reason="lost").exists()
    response, _message = asked(payload={"passport_number": "b123 4567", "date_of_birth": "1990-08-15"})
    assert response.json() == {"cancelled": True}
    # Another birth date: another person's passport number, not cancelled.
    response, _message = asked(payload={"passport_number": "B1234567", "date_of_birth": "1991-01-01"})
    assert response.json() == {"cancelled": False}


@pytest.mark.parametrize(
    ("kwargs", "status", "reason"),
    [
        ({"spoil": "body"}, 401, "bad_signature"),
        ({"agency": "kemlu"}, 403, "out_of_scope"),
        ({"basis": "UU 1/1946"}, 403, "legal_basis"),
        ({"payload": {"passport_number": "B1"}}, 400, "invalid_request"),
        ({"payload": {**QUESTION, "name": "Siti"}}, 400, "invalid_request"),
        ({"payload": ["not", "an object"]}, 400, "invalid_request"),
    ],
)
def test_a_bad_question_is_refused_and_logged(
    asked: Any, kwargs: dict[str, Any], status: int, reason: str
) -> None:
    response, _message = asked(**kwargs)
    assert response.status_code == status
    assert response.json()["error"] == reason
    exchange = Exchange.objects.get()
    assert (exchange.outcome, exchange.reason, exchange.status) == (Outcome.REFUSED, reason, status)
    assert Event.objects.filter(code="exchange.refused", subject_id=str(exchange.pk)).exists()


def test_a_key_nobody_registered_or_a_retired_key_is_refused(asked: Any, partners: Simulator) -> None:
    stranger = protocol.private_key(protocol.generate_private_pem())
    response, _message = asked(key=stranger)
    assert response.status_code == 401
    police = Agency.objects.get(code="polri")
    from gerbang.integrations import services
    from gerbang.integrations.tests.conftest import TESTS

    services.agency_key_retire(key=police.keys.get(), actor=TESTS)
    response, _message = asked()
    assert (response.status_code, response.json()["error"]) == (401, "unknown_key")
    assert Exchange.objects.filter(outcome=Outcome.REFUSED).count() == 2


def test_an_unsigned_question_is_refused_and_logged(client: Client, partners: Simulator) -> None:
    response = client.post(URL, data=json.dumps(QUESTION), content_type="application/json")
    assert (response.status_code, response.json()["error"]) == (401, "unsigned")
    assert Exchange.objects.get().reason == "unsigned"
    assert client.get(URL).status_code == 405


def test_the_same_question_twice_is_a_replay(partners: Simulator, client: Client) -> None:
    body = json.dumps(QUESTION).encode()
    message = protocol.Request(
        "POST",
        f"http://testserver{URL}",
        protocol.Headers(
            {
                "Content-Type": "application/json",
                protocol.PURPOSE: "Pemeriksaan paspor",
                protocol.LEGAL_BASIS: POLICE_BASIS,
                protocol.REFERENCE: "LP/1",
            }
        ),
    )
    protocol.sign_request(
        message, body=body, key_id=partners.state.key_id("polri"), key=partners.state.private_key("polri")
    )
    headers = {k: v for k, v in message.headers.items() if k.lower() != "content-type"}
    first = client.post(URL, data=body, content_type="application/json", headers=headers)
    again = client.post(URL, data=body, content_type="application/json", headers=headers)
    assert (first.status_code, again.status_code) == (200, 409)
    assert again.json()["error"] == "replay"


def test_the_grants_rate_is_enforced(asked: Any, partners: Simulator) -> None:
    Agency.objects.get(code="polri").grants.update(per_minute=2)
    statuses = [asked()[0].status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert Exchange.objects.filter(reason="rate_limited").count() == 1


def test_an_unknown_service_is_not_found(client: Client, partners: Simulator) -> None:
    assert (
        client.post("/api/v1/exchange/everything", data="{}", content_type="application/json").status_code
        == 404
    )


def test_gerbangs_keys_are_published(client: Client) -> None:
    data = client.get("/api/v1/exchange/keys").json()
    assert data["keys"][0]["keyid"] == keys.own_key_id()
    assert protocol.public_key(data["keys"][0]["pem"])


def test_a_body_too_large_is_refused_unread(client: Client, partners: Simulator) -> None:
    response = client.post(URL, data=b"{" + b" " * 20000 + b"}", content_type="application/json")
    assert (response.status_code, response.json()["error"]) == (413, "too_large")
