"""The exchange protocol (RFC 9421 with RFC 9530 digests, Ed25519) on its own: what a good
question proves, and each way a question or an answer is refused."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest

from gerbang.core import exchange_protocol as protocol

KEY = protocol.private_key(protocol.generate_private_pem())
OTHER = protocol.private_key(protocol.generate_private_pem())
BODY = b'{"nik":"3171011508900001"}'


def _question(headers: dict[str, str] | None = None) -> httpx.Request:
    fields = {
        "Content-Type": "application/json",
        protocol.PURPOSE: "Verifikasi permohonan P-1",
        protocol.LEGAL_BASIS: "UU 24/2013 Pasal 58 ayat (4)",
        protocol.REFERENCE: "P-1",
    }
    fields.update(headers or {})
    return httpx.Request("POST", "https://registry.example.id/identity/verify", content=BODY, headers=fields)


def _lookup(key_id: str) -> object:
    return {"k1": KEY.public_key(), "k2": OTHER.public_key()}.get(key_id)


def test_a_signed_question_proves_its_purpose_basis_and_time() -> None:
    request = _question()
    nonce = protocol.sign_request(request, body=BODY, key_id="k1", key=KEY)
    verified = protocol.verify_request(request, body=BODY, lookup=_lookup)  # type: ignore[arg-type]
    assert verified.key_id == "k1"
    assert verified.nonce == nonce
    assert verified.purpose == "Verifikasi permohonan P-1"
    assert verified.legal_basis == "UU 24/2013 Pasal 58 ayat (4)"
    assert abs((verified.created - dt.datetime.now(dt.UTC)).total_seconds()) < 5
    # What is covered: the method, the address, the digest and the three headers.
    assert "content-digest" in request.headers["signature-input"]
    assert protocol.PURPOSE.lower() in request.headers["signature-input"]


@pytest.mark.parametrize(
    ("spoil", "reason"),
    [
        (lambda r: r.headers.__setitem__(protocol.PURPOSE, "something else"), "bad_signature"),
        (lambda r: r.headers.__setitem__(protocol.LEGAL_BASIS, "another law"), "bad_signature"),
        (lambda r: r.headers.__delitem__("signature"), "unsigned"),
    ],
)
def test_a_changed_header_or_a_missing_signature_is_refused(spoil: object, reason: str) -> None:
    request = _question()
    protocol.sign_request(request, body=BODY, key_id="k1", key=KEY)
    spoil(request)  # type: ignore[operator]
    with pytest.raises(protocol.Refusal) as refused:
        protocol.verify_request(request, body=BODY, lookup=_lookup)  # type: ignore[arg-type]
    assert refused.value.reason == reason


def test_a_changed_body_a_wrong_key_or_an_unknown_key_is_refused() -> None:
    request = _question()
    protocol.sign_request(request, body=BODY, key_id="k1", key=KEY)
    with pytest.raises(protocol.Refusal, match="Content-Digest"):
        protocol.verify_request(request, body=BODY + b" ", lookup=_lookup)  # type: ignore[arg-type]
    forged = _question()
    protocol.sign_request(forged, body=BODY, key_id="k1", key=OTHER)  # signed with another key
    with pytest.raises(protocol.Refusal):
        protocol.verify_request(forged, body=BODY, lookup=_lookup)  # type: ignore[arg-type]
    unknown = _question()
    protocol.sign_request(unknown, body=BODY, key_id="nobody", key=KEY)
    with pytest.raises(protocol.Refusal):
        protocol.verify_request(unknown, body=BODY, lookup=_lookup)  # type: ignore[arg-type]


def test_an_old_question_is_refused_whatever_its_signature() -> None:
    request = _question()
    long_ago = dt.datetime.now(dt.UTC) - protocol.MAX_AGE - dt.timedelta(seconds=30)
    protocol.sign_request(request, body=BODY, key_id="k1", key=KEY, now=long_ago)
    with pytest.raises(protocol.Refusal) as refused:
        protocol.verify_request(request, body=BODY, lookup=_lookup)  # type: ignore[arg-type]
    assert refused.value.reason == "bad_signature"


def test_purpose_basis_and_reference_must_be_stated_before_signing() -> None:
    request = _question({protocol.PURPOSE: " "})
    with pytest.raises(ValueError, match="Exchange-Purpose"):
        protocol.sign_request(request, body=BODY, key_id="k1", key=KEY)


def test_an_answer_is_bound_to_its_question() -> None:
    question = _question()
    protocol.sign_request(question, body=BODY, key_id="k1", key=KEY)
    answer_body = b'{"nik":"found"}'
    answer = httpx.Response(
        200, headers={"Content-Type": "application/json"}, content=answer_body, request=question
    )
    protocol.sign_response(answer, body=answer_body, key_id="k2", key=OTHER)
    assert protocol.verify_response(answer, body=answer_body, lookup=_lookup) == "k2"  # type: ignore[arg-type]
    # The same answer shown as the answer to another question does not verify.
    another = _question()
    protocol.sign_request(another, body=BODY, key_id="k1", key=KEY)
    moved = httpx.Response(200, headers=dict(answer.headers), content=answer_body, request=another)
    with pytest.raises(protocol.Refusal):
        protocol.verify_response(moved, body=answer_body, lookup=_lookup)  # type: ignore[arg-type]
    # A question is never taken for an answer (another tag).
    with pytest.raises(protocol.Refusal):
        protocol.verify_response(
            httpx.Response(200, headers=dict(question.headers), content=BODY, request=question),
            body=BODY,
            lookup=_lookup,  # type: ignore[arg-type]
        )


def test_fingerprints_identify_keys_and_reject_other_kinds() -> None:
    pem = protocol.public_pem(KEY)
    assert protocol.fingerprint(pem) == protocol.fingerprint(pem + "\n")
    assert protocol.fingerprint(pem) != protocol.fingerprint(protocol.public_pem(OTHER))
    with pytest.raises(ValueError):
        protocol.fingerprint("not a key")
