"""The exchange protocol with partner agencies: HTTP Message Signatures (RFC 9421) with a
Content-Digest (RFC 9530), Ed25519 keys, in both directions.

Why this standard and not mutual TLS: a TLS session proves who was connected, but nothing of it
is left once the connection closes. A signature over the method, the address, the body's digest,
the stated purpose and legal basis and a creation time stays with the logged message, so either
side can prove later, to an auditor or a court, what was asked and what was answered; that is
X-Road's promise. The answer's signature covers the request's own signature (``"signature";req``),
binding each answer to the question it answers. TLS still carries the messages in service.

This module is pure (no Django): the partner simulators, a partner's own client and Gerbang use
the same code. The signing itself is done by the ``http-message-signatures`` library.
"""

from __future__ import annotations

import base64
import datetime as dt
import secrets
from collections.abc import Callable, Iterator, MutableMapping
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from http_message_signatures import (
    HTTPMessageSignaturesException,
    HTTPMessageSigner,
    HTTPMessageVerifier,
    HTTPSignatureKeyResolver,
    InvalidSignature,
    algorithms,
)

# The signature's label in the Signature and Signature-Input fields, and its signed tags: one for
# questions, one for answers, so that an answer can never be replayed as a question.
LABEL = "exchange"
REQUEST_TAG = "gerbang-exchange-v1"
RESPONSE_TAG = "gerbang-exchange-v1-answer"

# Headers of every question. The purpose and the legal basis are signed with it.
PURPOSE = "Exchange-Purpose"  # why this is asked, in a sentence (at most 200 characters)
LEGAL_BASIS = "Exchange-Legal-Basis"  # the law and article that allow it, as granted to the asker
REFERENCE = "Exchange-Reference"  # the asker's own case or file number (no personal data)

REQUEST_COMPONENTS: tuple[str, ...] = (
    "@method",
    "@authority",
    "@path",
    "@query",
    "content-type",
    "content-digest",
    PURPOSE.lower(),
    LEGAL_BASIS.lower(),
    REFERENCE.lower(),
)
# The answer covers its status and body and the question's method, address and signature.
RESPONSE_COMPONENTS: tuple[str, ...] = (
    "@status",
    "content-type",
    "content-digest",
    '"@method";req',
    '"@authority";req',
    '"@path";req',
    '"@query";req',
    f'"signature";req;key="{LABEL}"',
)

# A question is good for this long after it was signed (its ``expires``), and is refused once
# older than MAX_AGE whatever it says; within that window its nonce may be used only once.
LIFETIME = dt.timedelta(seconds=60)
MAX_AGE = dt.timedelta(seconds=120)
CLOCK_SKEW = dt.timedelta(seconds=5)
MAX_TEXT = 200


class Refusal(Exception):
    """A message that must not be trusted; ``reason`` is a stable code, ``detail`` English."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


class Headers(MutableMapping[str, str]):
    """Case-insensitive header fields that keep the case they were given (for a message that is
    not an httpx one: a Django request's fields, the simulators' WSGI environ)."""

    def __init__(self, items: Any = ()) -> None:
        self._store: dict[str, tuple[str, str]] = {}
        for name, value in dict(items).items():
            self[name] = value

    def __setitem__(self, name: str, value: str) -> None:
        self._store[name.lower()] = (name, value)

    def __getitem__(self, name: str) -> str:
        return self._store[name.lower()][1]

    def __delitem__(self, name: str) -> None:
        del self._store[name.lower()]

    def __iter__(self) -> Iterator[str]:
        return (name for name, _value in self._store.values())

    def __len__(self) -> int:
        return len(self._store)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._store


@dataclass
class Request:
    """A question as the library reads it: method, absolute URL, header fields."""

    method: str
    url: str
    headers: Headers


@dataclass
class Response:
    """An answer as the library reads it; ``request`` is the question it answers."""

    status_code: int
    headers: Headers
    request: Request


# --- Keys ------------------------------------------------------------------------------------


def generate_private_pem() -> str:
    key = Ed25519PrivateKey.generate()
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def private_key(pem: str) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(pem.encode(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("The exchange signs with Ed25519 keys only.")
    return key


def public_pem(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def public_key(pem: str) -> Ed25519PublicKey:
    """An agency's public key from its PEM; ValueError when it is not an Ed25519 public key."""
    try:
        key = serialization.load_pem_public_key(pem.strip().encode())
    except (ValueError, TypeError) as error:
        raise ValueError("This is not a PEM public key.") from error
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("The exchange signs with Ed25519 keys only.")
    return key


def fingerprint(pem: str) -> str:
    """SHA-256 of the raw public key, base64url: what two agencies compare on the telephone."""
    import hashlib

    raw = public_key(pem).public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.urlsafe_b64encode(hashlib.sha256(raw).digest()).decode().rstrip("=")


class _Keys(HTTPSignatureKeyResolver):
    def __init__(
        self,
        *,
        signing: Ed25519PrivateKey | None = None,
        lookup: Callable[[str], Ed25519PublicKey | None] | None = None,
    ) -> None:
        self._signing = signing
        self._lookup = lookup

    def resolve_private_key(self, key_id: str) -> Ed25519PrivateKey:
        if self._signing is None:
            raise HTTPMessageSignaturesException("No signing key was given.")
        return self._signing

    def resolve_public_key(self, key_id: str) -> Ed25519PublicKey | None:
        return self._lookup(key_id) if self._lookup is not None else None


def _signer(key: Ed25519PrivateKey) -> HTTPMessageSigner:
    return HTTPMessageSigner(signature_algorithm=algorithms.ED25519, key_resolver=_Keys(signing=key))


def _verifier(lookup: Callable[[str], Ed25519PublicKey | None]) -> HTTPMessageVerifier:
    verifier = HTTPMessageVerifier(signature_algorithm=algorithms.ED25519, key_resolver=_Keys(lookup=lookup))
    verifier.max_clock_skew = CLOCK_SKEW
    return verifier


def _verified(
    message: Any,
    *,
    body: bytes,
    lookup: Callable[[str], Ed25519PublicKey | None],
    tag: str,
    components: tuple[str, ...],
) -> Any:
    """The exchange's signature on a question or an answer (its tag), covering ``components``
    and the body's digest, within MAX_AGE; Refusal("bad_signature") otherwise."""
    try:
        results = _verifier(lookup).verify(
            message,
            expect_tag=tag,
            expect_label=LABEL,
            max_age=MAX_AGE,
            require_components=components,
            body=body,
        )
    except (InvalidSignature, HTTPMessageSignaturesException) as error:
        raise Refusal("bad_signature", f"The signature does not verify: {error}") from error
    return results[0]


# --- Questions -------------------------------------------------------------------------------


def new_nonce() -> str:
    return secrets.token_urlsafe(18)


def sign_request(
    request: Any,
    *,
    body: bytes,
    key_id: str,
    key: Ed25519PrivateKey,
    now: dt.datetime | None = None,
    nonce: str | None = None,
) -> str:
    """Sign a question in place (an httpx.Request or a ``Request``) and return its nonce. Its
    purpose, legal basis and reference headers must be set already; they are signed with it."""
    for name in (PURPOSE, LEGAL_BASIS, REFERENCE):
        if not request.headers.get(name, "").strip():
            raise ValueError(f"{name} must be stated before signing.")
    created = now or dt.datetime.now(dt.UTC)
    nonce = nonce or new_nonce()
    _signer(key).sign(
        request,
        key_id=key_id,
        created=created,
        expires=created + LIFETIME,
        nonce=nonce,
        label=LABEL,
        tag=REQUEST_TAG,
        covered_component_ids=REQUEST_COMPONENTS,
        body=body,
    )
    return nonce


@dataclass(frozen=True)
class Verified:
    """What a good signature proves about a question."""

    key_id: str
    created: dt.datetime
    nonce: str
    purpose: str
    legal_basis: str
    reference: str
    signature_input: str
    signature: str


def _text(headers: Any, name: str) -> str:
    value = (headers.get(name) or "").strip()
    if not value:
        raise Refusal(
            "missing_" + name.lower().removeprefix("exchange-").replace("-", "_"), f"{name} is missing."
        )
    if len(value) > MAX_TEXT:
        raise Refusal("invalid_header", f"{name} is longer than {MAX_TEXT} characters.")
    return value


def verify_request(
    request: Any,
    *,
    body: bytes,
    lookup: Callable[[str], Ed25519PublicKey | None],
    now: dt.datetime | None = None,
) -> Verified:
    """Check a question's signature, digest, age and expiry; Refusal says what is wrong. The
    caller checks the nonce (once only), the key's owner and its scope."""
    headers = request.headers
    if "signature" not in headers or "signature-input" not in headers:
        raise Refusal("unsigned", "The request carries no Signature and Signature-Input fields.")
    result = _verified(request, body=body, lookup=lookup, tag=REQUEST_TAG, components=REQUEST_COMPONENTS)
    params = result.parameters
    created = dt.datetime.fromtimestamp(int(params["created"]), dt.UTC)
    moment = now or dt.datetime.now(dt.UTC)
    if created > moment + CLOCK_SKEW:
        raise Refusal("bad_signature", "The signature was created in the future.")
    if "expires" not in params or not result.nonce:
        raise Refusal("bad_signature", "The signature must carry expires and nonce parameters.")
    if int(params["expires"]) - int(params["created"]) > LIFETIME.total_seconds():
        raise Refusal(
            "bad_signature", f"A signature may be valid for at most {int(LIFETIME.total_seconds())} s."
        )
    return Verified(
        key_id=str(params["keyid"]),
        created=created,
        nonce=result.nonce,
        purpose=_text(headers, PURPOSE),
        legal_basis=_text(headers, LEGAL_BASIS),
        reference=_text(headers, REFERENCE),
        signature_input=headers["signature-input"],
        signature=headers["signature"],
    )


# --- Answers ---------------------------------------------------------------------------------


def sign_response(response: Any, *, body: bytes, key_id: str, key: Ed25519PrivateKey) -> None:
    """Sign an answer in place, bound to the signed question in ``response.request``."""
    _signer(key).sign(
        response,
        key_id=key_id,
        label=LABEL,
        tag=RESPONSE_TAG,
        covered_component_ids=RESPONSE_COMPONENTS,
        body=body,
    )


def verify_response(response: Any, *, body: bytes, lookup: Callable[[str], Ed25519PublicKey | None]) -> str:
    """Check an answer's signature, digest and binding to its question; returns the key id."""
    if "signature" not in response.headers:
        raise Refusal("unsigned", "The answer carries no signature.")
    result = _verified(response, body=body, lookup=lookup, tag=RESPONSE_TAG, components=RESPONSE_COMPONENTS)
    return str(result.parameters["keyid"])
