"""C2SP signed notes (https://c2sp.org/signed-note) and tlog-cosignature v1 (https://c2sp.org/tlog-cosignature).

A signed note is a UTF-8 text ending in a newline, a blank line, then one signature line per
signer: an em dash, a space, the key name, a space, base64(4-byte key id || signature). The key id
is the first four bytes of SHA-256(key name || 0x0A || signature type || public key).

Two signature types are supported, both over Ed25519 keys:

- 0x01, plain Ed25519 over the note text (the log's own signature on its checkpoints);
- 0x04, the cosignature/v1 of a witness: an 8-byte big-endian timestamp then an Ed25519
  signature over "cosignature/v1\\ntime <timestamp>\\n" followed by the note text (a checkpoint).

Keys travel as strings: a verifier key `name+hexid+base64(type || public key)` and a signer key
`PRIVATE+KEY+name+hexid+base64(type || 32-byte seed)`.

`open_note` verifies a note against a set of verifiers as the spec requires: signatures by unknown
keys are ignored (and kept aside), a known key's bad signature rejects the whole note, and a note
with no signature by a known key is rejected.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from gerbang.ledger.tlog.errors import MalformedError, TlogError

SIG_ED25519 = 0x01
SIG_COSIGNATURE_V1 = 0x04
MAX_SIGNATURES = 100  # the spec asks verifiers to accept at least 16
_ED25519_KEY_SIZE = 32
_ED25519_SIGNATURE_SIZE = 64
_TIMESTAMP_LIMIT = 2**63  # a cosignature's timestamp must not exceed 2**63 - 1
_SIGNATURE_PREFIX = "\u2014 "  # em dash, space
_HEX_KEY_ID = re.compile(r"[0-9a-f]{8}")


class MalformedNoteError(MalformedError):
    """The note, a signature line or a key string does not follow the signed-note format."""


class UnknownKeyError(TlogError):
    """The note carries no signature by any of the keys it is checked against."""

    def __init__(self, message: str, *, unverified: Sequence[Signature] = ()) -> None:
        super().__init__(message)
        self.unverified = tuple(unverified)


class InvalidSignatureError(TlogError):
    """A signature by a known key does not verify: the whole note is rejected."""

    def __init__(self, name: str, key_id: int) -> None:
        super().__init__(f"invalid signature for key {name}+{key_id:08x}")
        self.name = name
        self.key_id = key_id


# -- Encodings ---------------------------------------------------------------------------------


def encode_base64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def decode_base64(text: str, what: str) -> bytes:
    """Strict standard base64: only the alphabet, with padding, in its one canonical form."""
    try:
        data = base64.b64decode(text.encode("ascii"), validate=True)
    except (UnicodeEncodeError, binascii.Error) as error:
        raise MalformedNoteError(f"{what} is not base64") from error
    if encode_base64(data) != text:
        raise MalformedNoteError(f"{what} is not in canonical base64")
    return data


def check_key_name(name: str) -> None:
    """Key names are non-empty, with no Unicode space and no plus sign."""
    if not name:
        raise MalformedNoteError("a key name must not be empty")
    if "+" in name or any(c.isspace() for c in name):
        raise MalformedNoteError(f"key name {name!r} has a space or a plus sign")
    if any(ord(c) < 0x20 for c in name):
        raise MalformedNoteError(f"key name {name!r} has a control character")


def key_id(name: str, sig_type: int, public_key: bytes) -> int:
    """SHA-256(name || 0x0A || signature type || public key), first four bytes, big-endian."""
    digest = hashlib.sha256(name.encode("utf-8") + b"\n" + bytes([sig_type]) + public_key).digest()
    return int.from_bytes(digest[:4], "big")


# -- Verifiers and signers ---------------------------------------------------------------------


class Verifier(Protocol):
    """Checks the signatures of one key (name, key id) over note texts."""

    @property
    def name(self) -> str: ...

    @property
    def key_id(self) -> int: ...

    def verify(self, text: bytes, signature: bytes) -> bool:
        """Whether `signature` (without the key id) is this key's over the note `text`."""
        ...


class Signer(Protocol):
    """Signs note texts with one key (name, key id)."""

    @property
    def name(self) -> str: ...

    @property
    def key_id(self) -> int: ...

    def sign(self, text: bytes) -> bytes:
        """The signature (without the key id) over the note `text`."""
        ...


def _ed25519_verify(public_key: bytes, signature: bytes, message: bytes) -> bool:
    if len(signature) != _ED25519_SIGNATURE_SIZE:
        return False
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, message)
    except InvalidSignature:
        return False
    return True


def _public_key_of(seed: bytes) -> bytes:
    return Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes_raw()


@dataclass(frozen=True)
class Ed25519Verifier:
    """A signature type 0x01 verifier: plain Ed25519 over the note text."""

    name: str
    public_key: bytes
    sig_type = SIG_ED25519

    def __post_init__(self) -> None:
        check_key_name(self.name)
        if len(self.public_key) != _ED25519_KEY_SIZE:
            raise MalformedNoteError(f"an Ed25519 public key has {_ED25519_KEY_SIZE} bytes")

    @property
    def key_id(self) -> int:
        return key_id(self.name, self.sig_type, self.public_key)

    def verify(self, text: bytes, signature: bytes) -> bool:
        return _ed25519_verify(self.public_key, signature, text)

    def verifier_key(self) -> str:
        """The key as a vkey string: name+hexid+base64(type || public key)."""
        return f"{self.name}+{self.key_id:08x}+{encode_base64(bytes([self.sig_type]) + self.public_key)}"


def cosigned_message(text: bytes, timestamp: int) -> bytes:
    """What a cosignature/v1 signs: the header line, the time line, then the checkpoint body."""
    return b"cosignature/v1\ntime " + str(timestamp).encode("ascii") + b"\n" + text


@dataclass(frozen=True)
class CosignatureVerifier(Ed25519Verifier):
    """A signature type 0x04 verifier: a witness's timestamped cosignature/v1 of a checkpoint."""

    sig_type = SIG_COSIGNATURE_V1

    def verify(self, text: bytes, signature: bytes) -> bool:
        if len(signature) != 8 + _ED25519_SIGNATURE_SIZE:
            return False
        timestamp = int.from_bytes(signature[:8], "big")
        if timestamp >= _TIMESTAMP_LIMIT:
            return False
        return _ed25519_verify(self.public_key, signature[8:], cosigned_message(text, timestamp))


def cosignature_timestamp(signature: Signature) -> int:
    """The POSIX time a cosignature/v1 says it was made at."""
    if len(signature.signature) != 8 + _ED25519_SIGNATURE_SIZE:
        raise MalformedNoteError("a cosignature/v1 has 72 bytes after the key id")
    return int.from_bytes(signature.signature[:8], "big")


@dataclass(frozen=True)
class Ed25519Signer:
    """A signature type 0x01 signer (the log's key). Holds the 32-byte Ed25519 seed."""

    name: str
    seed: bytes = field(repr=False)
    sig_type = SIG_ED25519

    def __post_init__(self) -> None:
        check_key_name(self.name)
        if len(self.seed) != _ED25519_KEY_SIZE:
            raise MalformedNoteError(f"an Ed25519 seed has {_ED25519_KEY_SIZE} bytes")

    @property
    def public_key(self) -> bytes:
        return _public_key_of(self.seed)

    @property
    def key_id(self) -> int:
        return key_id(self.name, self.sig_type, self.public_key)

    def sign(self, text: bytes) -> bytes:
        return Ed25519PrivateKey.from_private_bytes(self.seed).sign(text)

    def verifier(self) -> Ed25519Verifier:
        """The matching verifier."""
        return Ed25519Verifier(self.name, self.public_key)

    def signer_key(self) -> str:
        """The key as a signer key string: PRIVATE+KEY+name+hexid+base64(type || seed)."""
        return (
            f"PRIVATE+KEY+{self.name}+{self.key_id:08x}+{encode_base64(bytes([self.sig_type]) + self.seed)}"
        )


def _now() -> int:
    return int(time.time())


@dataclass(frozen=True)
class CosignatureSigner(Ed25519Signer):
    """A signature type 0x04 signer (a witness's key): cosignature/v1 stamped by `clock`."""

    sig_type = SIG_COSIGNATURE_V1
    clock: Callable[[], int] = field(default=_now, repr=False, compare=False)

    def sign(self, text: bytes) -> bytes:
        timestamp = self.clock()
        if not 0 <= timestamp < _TIMESTAMP_LIMIT:
            raise ValueError(f"timestamp {timestamp} is out of range")
        signature = Ed25519PrivateKey.from_private_bytes(self.seed).sign(cosigned_message(text, timestamp))
        return timestamp.to_bytes(8, "big") + signature

    def verifier(self) -> CosignatureVerifier:
        return CosignatureVerifier(self.name, self.public_key)


def _key_material(encoded: str, what: str) -> tuple[int, bytes]:
    data = decode_base64(encoded, what)
    if len(data) != 1 + _ED25519_KEY_SIZE:
        raise MalformedNoteError(f"{what} has {len(data)} bytes, want a type byte and a 32-byte key")
    sig_type = data[0]
    if sig_type not in (SIG_ED25519, SIG_COSIGNATURE_V1):
        raise MalformedNoteError(f"{what} has unsupported signature type 0x{sig_type:02x}")
    return sig_type, data[1:]


def _check_hex_id(text: str, expected: int) -> None:
    if not _HEX_KEY_ID.fullmatch(text):
        raise MalformedNoteError(f"key id {text!r} is not 8 lowercase hex digits")
    if int(text, 16) != expected:
        raise MalformedNoteError(f"key id {text} does not match the key (want {expected:08x})")


def parse_verifier_key(vkey: str) -> Ed25519Verifier:
    """A verifier from its vkey string; a CosignatureVerifier for signature type 0x04."""
    parts = vkey.split("+", 2)  # base64 may itself hold plus signs
    if len(parts) != 3:
        raise MalformedNoteError("a verifier key is name+hexid+base64 key")
    name, hex_id, encoded = parts
    check_key_name(name)
    sig_type, public_key = _key_material(encoded, "the verifier key")
    verifier = (CosignatureVerifier if sig_type == SIG_COSIGNATURE_V1 else Ed25519Verifier)(name, public_key)
    _check_hex_id(hex_id, verifier.key_id)
    return verifier


def parse_signer_key(skey: str) -> Ed25519Signer:
    """A signer from its PRIVATE+KEY+name+hexid+base64 string; a CosignatureSigner for type 0x04."""
    parts = skey.split("+", 4)
    if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"]:
        raise MalformedNoteError("a signer key is PRIVATE+KEY+name+hexid+base64 key")
    name, hex_id, encoded = parts[2:]
    check_key_name(name)
    sig_type, seed = _key_material(encoded, "the signer key")
    signer = (CosignatureSigner if sig_type == SIG_COSIGNATURE_V1 else Ed25519Signer)(name, seed)
    _check_hex_id(hex_id, signer.key_id)
    return signer


def generate_signer(name: str, sig_type: int = SIG_ED25519) -> Ed25519Signer:
    """A new random key: an Ed25519Signer, or a CosignatureSigner for type 0x04."""
    seed = Ed25519PrivateKey.generate().private_bytes_raw()
    if sig_type == SIG_ED25519:
        return Ed25519Signer(name, seed)
    if sig_type == SIG_COSIGNATURE_V1:
        return CosignatureSigner(name, seed)
    raise ValueError(f"unsupported signature type 0x{sig_type:02x}")


# -- Notes -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Signature:
    """One signature line: the key's name and id, and the signature bytes after the id."""

    name: str
    key_id: int
    signature: bytes

    def line(self) -> str:
        encoded = encode_base64(self.key_id.to_bytes(4, "big") + self.signature)
        return f"{_SIGNATURE_PREFIX}{self.name} {encoded}\n"


@dataclass(frozen=True)
class Note:
    """An opened note: its text, the signatures that verified, and those by unknown keys."""

    text: str
    signatures: tuple[Signature, ...]
    unverified: tuple[Signature, ...] = ()

    def signed_by(self, name: str, key_id: int) -> bool:
        """Whether a verified signature is by this key."""
        return any(s.name == name and s.key_id == key_id for s in self.signatures)


def _check_text(text: str) -> None:
    if not text.endswith("\n"):
        raise MalformedNoteError("a note text must end with a newline")
    if any(ord(c) < 0x20 and c != "\n" for c in text):
        raise MalformedNoteError("a note must have no control character other than newline")


def _parse_signature_line(line: str) -> Signature:
    if not line.startswith(_SIGNATURE_PREFIX):
        raise MalformedNoteError(f"signature line {line!r} does not start with an em dash and a space")
    parts = line[len(_SIGNATURE_PREFIX) :].split(" ")
    if len(parts) != 2:
        raise MalformedNoteError(f"signature line {line!r} is not: em dash, name, signature")
    name, encoded = parts
    check_key_name(name)
    data = decode_base64(encoded, f"the signature of {name}")
    if len(data) < 5:
        raise MalformedNoteError(f"the signature of {name} is too short")
    return Signature(name, int.from_bytes(data[:4], "big"), data[4:])


def parse_note(message: bytes | str) -> tuple[str, tuple[Signature, ...]]:
    """Split a signed note into its text and its signatures, checking only the format."""
    if isinstance(message, bytes):
        try:
            message = message.decode("utf-8")
        except UnicodeDecodeError as error:
            raise MalformedNoteError("a note must be UTF-8") from error
    _check_text(message)
    split = message.rfind("\n\n")
    if split < 0:
        raise MalformedNoteError("a note needs a blank line before its signatures")
    text, block = message[: split + 1], message[split + 2 :]
    if not block:
        raise MalformedNoteError("a note needs at least one signature")
    lines = block[:-1].split("\n")
    if len(lines) > MAX_SIGNATURES:
        raise MalformedNoteError(f"a note may carry at most {MAX_SIGNATURES} signatures")
    return text, tuple(_parse_signature_line(line) for line in lines)


def _index_verifiers(verifiers: Iterable[Verifier]) -> dict[tuple[str, int], Verifier]:
    index: dict[tuple[str, int], Verifier] = {}
    for verifier in verifiers:
        key = (verifier.name, verifier.key_id)
        if key in index and index[key] != verifier:
            raise ValueError(f"two different verifiers share the key {key[0]}+{key[1]:08x}")
        index[key] = verifier
    return index


def open_note(message: bytes | str, verifiers: Iterable[Verifier]) -> Note:
    """Parse a signed note and verify it against `verifiers`.

    Raises MalformedNoteError if the note is not well formed, InvalidSignatureError if a known
    key's signature does not verify, and UnknownKeyError if no signature is by a known key.
    Signatures by unknown keys are ignored; they are kept in `Note.unverified`.
    """
    text, signatures = parse_note(message)
    known = _index_verifiers(verifiers)
    raw_text = text.encode("utf-8")
    verified: list[Signature] = []
    unverified: list[Signature] = []
    for signature in signatures:
        verifier = known.get((signature.name, signature.key_id))
        if verifier is None:
            if signature not in unverified:
                unverified.append(signature)
            continue
        if not verifier.verify(raw_text, signature.signature):
            raise InvalidSignatureError(signature.name, signature.key_id)
        if signature not in verified:
            verified.append(signature)
    if not verified:
        keys = ", ".join(f"{s.name}+{s.key_id:08x}" for s in unverified)
        raise UnknownKeyError(
            f"the note is signed by no known key (it is signed by {keys})", unverified=unverified
        )
    return Note(text, tuple(verified), tuple(unverified))


def sign_note(text: str, signers: Sequence[Signer], *, keep: Sequence[Signature] = ()) -> str:
    """The signed note: `text`, a blank line, the signatures kept, then one by each signer.

    A kept signature by the same key (name and id) as one of the signers is replaced.
    """
    _check_text(text)
    if not signers and not keep:
        raise ValueError("a note needs at least one signature")
    raw_text = text.encode("utf-8")
    new: list[Signature] = []
    for signer in signers:
        check_key_name(signer.name)
        new.append(Signature(signer.name, signer.key_id, signer.sign(raw_text)))
    replaced = {(s.name, s.key_id) for s in new}
    lines = [s.line() for s in keep if (s.name, s.key_id) not in replaced] + [s.line() for s in new]
    if len(lines) > MAX_SIGNATURES:
        raise MalformedNoteError(f"a note may carry at most {MAX_SIGNATURES} signatures")
    return text + "\n" + "".join(lines)


def add_signatures(message: bytes | str, signers: Sequence[Signer]) -> str:
    """A signed note with more signatures (a witness cosigning a checkpoint keeps the log's)."""
    text, signatures = parse_note(message)
    return sign_note(text, signers, keep=signatures)
