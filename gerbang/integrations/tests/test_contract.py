"""Both sides of every partner endpoint's signature, over real HTTP: Gerbang's questions as the
simulated agencies check them (and refuse them), and the simulated police asking Gerbang's
live server and checking its signed answer with Gerbang's published keys."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from gerbang.core import exchange_protocol as protocol
from gerbang.core.actors import SystemActor
from gerbang.integrations import client, keys
from gerbang.integrations.models import Agency, Exchange, Outcome
from gerbang.integrations.tests.conftest import POLICE_BASIS, Simulator
from gerbang.simulators.partners import ask_gerbang

ASKER = SystemActor("tests")
QUESTION = {"nik": "3171011508900001", "fields": {"full_name": "Budi Santoso"}}


def _ask(agency: str, path: str, payload: dict[str, Any]) -> client.Answer:
    return client.ask(
        Agency.objects.get(code=agency),
        service=path,
        path=path,
        payload=payload,
        purpose="Verifikasi permohonan TEST",
        legal_basis="UU 24/2013 Pasal 58 ayat (4)",
        reference="TEST-1",
        by=ASKER,
    )


@pytest.mark.parametrize(
    ("agency", "path", "payload", "answer"),
    [
        ("dukcapil", "/identity/verify", QUESTION, {"nik": "not_found"}),
        (
            "polri",
            "/watchlist/check",
            {"full_name": "Budi Santoso", "date_of_birth": "1990-08-15"},
            {"result": "no_hit"},
        ),
        ("kemlu", "/sponsors/standing", {"sponsor_name": "PT Nusantara"}, {"standing": "unknown"}),
        (
            "kemlu",
            "/passports/official/status",
            {"request_number": "PD-2026-000001", "nik": "3171011508900001", "passport_type": "service"},
            {"status": "not_found"},
        ),
    ],
)
def test_each_agency_checks_gerbangs_question_and_signs_its_answer(
    partners: Simulator, agency: str, path: str, payload: dict[str, Any], answer: dict[str, Any]
) -> None:
    got = _ask(agency, path, payload)
    assert got.data == answer
    assert got.exchange.outcome == Outcome.ANSWERED and got.exchange.response_signature


def test_an_agency_that_does_not_know_gerbangs_key_refuses_its_questions(partners: Simulator) -> None:
    partners.state.data["clients"] = {}
    with pytest.raises(client.Failure) as failed:
        _ask("dukcapil", "/identity/verify", QUESTION)
    assert failed.value.reason == "refused"
    assert Exchange.objects.get().status == 401


def test_the_agency_refuses_a_replayed_question(partners: Simulator) -> None:
    body = json.dumps(QUESTION).encode()
    request = httpx.Request(
        "POST",
        f"{partners.url}/dukcapil/identity/verify",
        content=body,
        headers={
            "Content-Type": "application/json",
            protocol.PURPOSE: "Verifikasi",
            protocol.LEGAL_BASIS: "UU 24/2013",
            protocol.REFERENCE: "TEST-2",
        },
    )
    protocol.sign_request(request, body=body, key_id=keys.own_key_id(), key=keys.own_key())
    with httpx.Client() as http:
        assert http.send(request).status_code == 200
        again = http.send(request)
    assert again.status_code == 409 and again.json()["error"] == "replay"


@pytest.mark.django_db(transaction=True)
def test_the_police_ask_gerbangs_live_server_and_verify_its_answer(
    live_server: Any, partners: Simulator
) -> None:
    order = {
        "gerbang_url": live_server.url,
        "agency": "polri",
        "service": "passport-cancellation",
        "legal_basis": POLICE_BASIS,
        "payload": {"passport_number": "B1234567", "date_of_birth": "1990-08-17"},
    }
    answered = ask_gerbang(partners.state, order)
    assert answered == {"status": 200, "body": {"cancelled": False}, "answer_signature_verified": True}
    refused = ask_gerbang(partners.state, {**order, "tamper": "bad_signature"})
    assert (refused["status"], refused["body"]["error"]) == (401, "bad_signature")
    replayed = ask_gerbang(partners.state, {**order, "tamper": "replay"})
    assert (replayed["status"], replayed["body"]["error"]) == (409, "replay")
    assert replayed["answer_signature_verified"]  # refusals are signed too
    out_of_scope = ask_gerbang(partners.state, {**order, "agency": "kemlu"})
    assert (out_of_scope["status"], out_of_scope["body"]["error"]) == (403, "out_of_scope")
    outcomes = sorted(Exchange.objects.values_list("outcome", "reason"))
    assert outcomes == sorted(
        [
            ("answered", ""),
            ("answered", ""),
            ("refused", "bad_signature"),
            ("refused", "replay"),
            ("refused", "out_of_scope"),
        ]
    )
