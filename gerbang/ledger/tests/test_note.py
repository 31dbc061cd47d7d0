"""C2SP signed notes and cosignatures: published vectors (data/note_vectors.json), errors, round trips."""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from gerbang.ledger.tlog.note import (
    MAX_SIGNATURES,
    SIG_COSIGNATURE_V1,
    CosignatureSigner,
    CosignatureVerifier,
    Ed25519Signer,
    Ed25519Verifier,
    InvalidSignatureError,
    MalformedNoteError,
    Signature,
    UnknownKeyError,
    add_signatures,
    cosignature_timestamp,
    cosigned_message,
    generate_signer,
    key_id,
    open_note,
    parse_note,
    parse_signer_key,
    parse_verifier_key,
    sign_note,
)

VECTORS = json.loads((Path(__file__).parent / "data" / "note_vectors.json").read_text())
GO = VECTORS["go_sumdb_note"]
TEXT = GO["text"]
PETER_SIG = GO["peter_signature_line"]
ENOCH_SIG = GO["enoch_signature_line"]


def peter() -> Ed25519Verifier:
    return parse_verifier_key(GO["peter_verifier_key"])


def enoch() -> Ed25519Verifier:
    return parse_verifier_key(GO["enoch_verifier_key"])


# -- Keys ---------------------------------------------------------------------------------------


def test_the_go_keys_round_trip_and_match() -> None:
    signer = parse_signer_key(GO["peter_signer_key"])
    assert type(signer) is Ed25519Signer
    assert signer.name == "PeterNeumann"
    assert signer.key_id == 0xC74F20A3
    assert signer.signer_key() == GO["peter_signer_key"]
    assert signer.verifier() == peter()
    assert peter().verifier_key() == GO["peter_verifier_key"]
    assert enoch().key_id == 0xAF0CFE78


def test_the_key_id_is_the_first_four_bytes_of_the_hash_of_name_newline_type_key() -> None:
    verifier = peter()
    digest = hashlib.sha256(b"PeterNeumann\n\x01" + verifier.public_key).digest()
    assert (
        verifier.key_id == int.from_bytes(digest[:4], "big") == key_id("PeterNeumann", 1, verifier.public_key)
    )


def test_a_mangled_verifier_key_is_refused() -> None:
    vkey = GO["peter_verifier_key"]
    for i in range(len(vkey)):
        for j in range(i + 1, len(vkey) + 1):
            if (i, j) != (0, len(vkey)):
                with pytest.raises(MalformedNoteError):
                    parse_verifier_key(vkey[i:j])
    for i in range(len(vkey)):
        mangled = vkey[:i] + chr(ord(vkey[i]) + 1) + vkey[i + 1 :]
        with pytest.raises(MalformedNoteError):
            parse_verifier_key(mangled)


def test_a_mangled_signer_key_is_refused() -> None:
    skey = GO["peter_signer_key"]
    for i in range(len(skey)):
        mangled = skey[:i] + chr(ord(skey[i]) + 1) + skey[i + 1 :]
        with pytest.raises(MalformedNoteError):
            parse_signer_key(mangled)
    for cut in range(1, len(skey)):
        with pytest.raises(MalformedNoteError):
            parse_signer_key(skey[:cut])


@pytest.mark.parametrize(
    "vkey",
    [
        "PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  # upper-case hex id
        "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW=",  # padding on 33 bytes
        "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  # unknown type
        "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  # space in the name
        "+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  # no name
    ],
)
def test_verifier_key_format_errors(vkey) -> None:
    with pytest.raises(MalformedNoteError):
        parse_verifier_key(vkey)


def test_generated_keys_round_trip_through_their_strings() -> None:
    for sig_type, signer_class, verifier_class in [
        (1, Ed25519Signer, Ed25519Verifier),
        (SIG_COSIGNATURE_V1, CosignatureSigner, CosignatureVerifier),
    ]:
        signer = generate_signer("gerbang.example/log", sig_type)
        assert type(signer) is signer_class
        again = parse_signer_key(signer.signer_key())
        assert (type(again), again.seed, again.key_id) == (signer_class, signer.seed, signer.key_id)
        verifier = parse_verifier_key(signer.verifier().verifier_key())
        assert type(verifier) is verifier_class
        assert verifier == signer.verifier()
    with pytest.raises(ValueError, match="unsupported"):
        generate_signer("x", 2)


# -- Notes: the Go vectors -----------------------------------------------------------------------


def test_signing_gives_the_published_note() -> None:
    signer = parse_signer_key(GO["peter_signer_key"])
    assert sign_note(TEXT, [signer]) == TEXT + "\n" + PETER_SIG
    # A signature by the same key already present is replaced, not repeated.
    stale = Signature("PeterNeumann", 0xC74F20A3, b"stale signature")
    assert sign_note(TEXT, [signer], keep=[stale]) == TEXT + "\n" + PETER_SIG


def test_the_c2sp_example_note_verifies() -> None:
    example = VECTORS["c2sp_signed_note"]
    note = open_note(example["note"].encode(), [parse_verifier_key(example["verifier_key"])])
    assert note.text == "This is an example message.\n"
    assert [s.name for s in note.signatures] == ["example.com/foo"]


def test_one_known_key_verifies_and_the_unknown_one_is_set_aside() -> None:
    note = open_note((TEXT + "\n" + PETER_SIG + ENOCH_SIG).encode(), [peter()])
    assert note.text == TEXT
    assert [(s.name, s.key_id) for s in note.signatures] == [("PeterNeumann", 0xC74F20A3)]
    assert [(s.name, s.key_id) for s in note.unverified] == [("EnochRoot", 0xAF0CFE78)]
    assert note.signed_by("PeterNeumann", 0xC74F20A3)
    assert not note.signed_by("EnochRoot", 0xAF0CFE78)

    both = open_note(TEXT + "\n" + PETER_SIG + ENOCH_SIG, [peter(), enoch()])
    assert [s.name for s in both.signatures] == ["PeterNeumann", "EnochRoot"]
    assert both.unverified == ()


def test_a_note_signed_by_no_known_key_is_refused() -> None:
    with pytest.raises(UnknownKeyError, match="no known key") as caught:
        open_note(TEXT + "\n" + PETER_SIG + ENOCH_SIG, [])
    assert [s.name for s in caught.value.unverified] == ["PeterNeumann", "EnochRoot"]
    # Same name, another id: unknown, not a bad signature (the spec: ignore, do not fail on it).
    other = Signature("PeterNeumann", 0xC74F20A4, b"x" * 64)
    with pytest.raises(UnknownKeyError):
        open_note(TEXT + "\n" + other.line(), [peter()])


def test_a_bad_signature_by_a_known_key_rejects_the_note() -> None:
    bad = PETER_SIG[:60] + "ABCD" + PETER_SIG[60:]
    with pytest.raises(InvalidSignatureError, match="PeterNeumann\\+c74f20a3"):
        open_note(TEXT + "\n" + bad, [peter()])
    # Even beside a good signature by another known key.
    with pytest.raises(InvalidSignatureError):
        open_note(TEXT + "\n" + ENOCH_SIG + bad, [peter(), enoch()])
    # A changed text.
    with pytest.raises(InvalidSignatureError):
        open_note(TEXT.replace("answer", "question") + "\n" + PETER_SIG, [peter()])


def test_repeated_signatures_count_once() -> None:
    note = open_note(TEXT + "\n" + PETER_SIG + PETER_SIG + ENOCH_SIG + ENOCH_SIG, [peter()])
    assert len(note.signatures) == 1
    assert len(note.unverified) == 1


@dataclass(frozen=True)
class AcceptAll:
    """A verifier that claims a key's name and id and accepts anything."""

    name: str
    key_id: int

    def verify(self, text: bytes, signature: bytes) -> bool:
        return True


def test_two_different_verifiers_for_one_key_name_and_id_are_a_configuration_error() -> None:
    with pytest.raises(ValueError, match="two different verifiers"):
        open_note(TEXT + "\n" + PETER_SIG, [peter(), AcceptAll("PeterNeumann", 0xC74F20A3)])
    # The same verifier twice is fine.
    open_note(TEXT + "\n" + PETER_SIG, [peter(), peter()])


@pytest.mark.parametrize(
    "message",
    [
        TEXT,  # no signatures
        TEXT + "\n",  # a blank line and no signature
        TEXT + "\n" + PETER_SIG[:-1],  # no final newline
        "\x01" + TEXT + "\n" + PETER_SIG,  # a control character
        TEXT.replace("\n", "\r\n") + "\n" + PETER_SIG,
        TEXT
        + "\n"
        + "\u2014 Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
        TEXT + "\n" + PETER_SIG + "Unexpected line.\n",
        TEXT + "\n" + PETER_SIG.replace("\u2014", "-"),  # a hyphen, not an em dash
        TEXT + "\n" + PETER_SIG.replace("=", ""),  # unpadded base64
        TEXT + "\n" + "\u2014 PeterNeumann AAAA\n",  # shorter than a key id and one byte
        TEXT + "\n" + "\u2014 Peter+Neumann " + PETER_SIG.split(" ")[2],
        TEXT + "\n" + PETER_SIG * (MAX_SIGNATURES + 1),
    ],
)
def test_malformed_notes_are_refused(message) -> None:
    with pytest.raises(MalformedNoteError):
        open_note(message, [peter()])


def test_a_note_that_is_not_utf8_is_malformed() -> None:
    with pytest.raises(MalformedNoteError, match="UTF-8"):
        open_note(b"\xff" + (TEXT + "\n" + PETER_SIG).encode(), [peter()])


def test_the_text_may_hold_blank_lines_the_last_one_separates_the_signatures() -> None:
    signer = generate_signer("gerbang.example/log")
    text = "first\n\nsecond after a blank line\n"
    note = open_note(sign_note(text, [signer]), [signer.verifier()])
    assert note.text == text


def test_sign_refuses_a_malformed_text() -> None:
    signer = parse_signer_key(GO["peter_signer_key"])
    with pytest.raises(MalformedNoteError):
        sign_note("abc", [signer])
    with pytest.raises(MalformedNoteError):
        sign_note("a\tb\n", [signer])
    with pytest.raises(ValueError, match="at least one"):
        sign_note(TEXT, [])


# -- Cosignatures ---------------------------------------------------------------------------------

CHECKPOINT = VECTORS["c2sp_checkpoint"]
CHECKPOINT_TEXT = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"


def test_the_cosigned_message_is_the_spec_example() -> None:
    message = cosigned_message(CHECKPOINT_TEXT.encode(), CHECKPOINT["cosignature_timestamp"])
    assert message == CHECKPOINT["cosigned_message"].encode()


def test_the_spec_example_cosignature_carries_its_timestamp() -> None:
    _, signatures = parse_note(CHECKPOINT["note"])
    log, witness = signatures
    assert (log.name, witness.name) == ("example.com/behind-the-sofa", "witness.example.com/w1")
    assert cosignature_timestamp(witness) == CHECKPOINT["cosignature_timestamp"]
    with pytest.raises(MalformedNoteError):
        cosignature_timestamp(log)  # 64 bytes: a plain Ed25519 signature


def test_the_transparency_dev_cosignature_vectors() -> None:
    vectors = VECTORS["transparency_dev_cosignature"]
    verifier = parse_verifier_key(vectors["verifier_key"])
    assert type(verifier) is CosignatureVerifier
    assert verifier.key_id == 0xDA77ADE7 == key_id("remora.n621.de", SIG_COSIGNATURE_V1, verifier.public_key)
    raw = base64.b64decode(vectors["signature_base64"])
    signature = Signature("witness", int.from_bytes(raw[:4], "big"), raw[4:])
    assert cosignature_timestamp(signature) == vectors["timestamp"]


def test_a_cosignature_signs_the_header_the_time_and_the_checkpoint() -> None:
    witness = CosignatureSigner("witness.example/w1", bytes(range(32)), clock=lambda: 1_700_000_000)
    log = generate_signer("example.com/behind-the-sofa")
    signed = add_signatures(sign_note(CHECKPOINT_TEXT, [log]), [witness])
    note = open_note(signed, [log.verifier(), witness.verifier()])
    assert [s.name for s in note.signatures] == ["example.com/behind-the-sofa", "witness.example/w1"]
    cosignature = note.signatures[1]
    assert cosignature.key_id == key_id("witness.example/w1", 0x04, witness.public_key)
    assert cosignature_timestamp(cosignature) == 1_700_000_000
    # The signature is Ed25519 over the message the spec spells out, rebuilt here by hand.
    expected = b"cosignature/v1\ntime 1700000000\n" + CHECKPOINT_TEXT.encode()
    Ed25519PublicKey.from_public_bytes(witness.public_key).verify(cosignature.signature[8:], expected)
    # The same key as a plain Ed25519 (type 0x01) verifier does not know this signature.
    plain = Ed25519Verifier(witness.name, witness.public_key)
    assert plain.key_id != witness.key_id
    assert not plain.verify(CHECKPOINT_TEXT.encode(), cosignature.signature)


def test_a_cosignature_with_another_time_or_text_fails() -> None:
    witness = CosignatureSigner("witness.example/w1", bytes(range(32)), clock=lambda: 1_700_000_000)
    verifier = witness.verifier()
    text = CHECKPOINT_TEXT.encode()
    signature = witness.sign(text)
    assert verifier.verify(text, signature)
    later = (1_700_000_001).to_bytes(8, "big") + signature[8:]
    assert not verifier.verify(text, later)
    assert not verifier.verify(text.replace(b"20852163", b"20852164"), signature)
    assert not verifier.verify(text, signature[:-1])
    too_late = (2**63).to_bytes(8, "big") + signature[8:]
    assert not verifier.verify(text, too_late)
    with pytest.raises(ValueError, match="out of range"):
        CosignatureSigner("w", bytes(32), clock=lambda: -1).sign(text)
