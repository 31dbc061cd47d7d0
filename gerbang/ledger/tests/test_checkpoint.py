"""C2SP tlog-checkpoint: the spec's example, strict parsing, and opening a signed checkpoint."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from gerbang.ledger.tlog.checkpoint import (
    Checkpoint,
    MalformedCheckpointError,
    WrongOriginError,
    open_checkpoint,
    sign_checkpoint,
)
from gerbang.ledger.tlog.merkle import EMPTY_ROOT, MemoryStore, consistency_proof, verify_consistency
from gerbang.ledger.tlog.note import (
    SIG_COSIGNATURE_V1,
    CosignatureSigner,
    InvalidSignatureError,
    UnknownKeyError,
    add_signatures,
    cosignature_timestamp,
    generate_signer,
    parse_note,
    sign_note,
)

VECTORS = json.loads((Path(__file__).parent / "data" / "note_vectors.json").read_text())["c2sp_checkpoint"]
ROOT = base64.b64decode(VECTORS["root_hash_base64"])


def test_the_spec_example_parses_and_formats_back() -> None:
    text, _ = parse_note(VECTORS["note"])
    checkpoint = Checkpoint.parse(text)
    assert checkpoint == Checkpoint(VECTORS["origin"], VECTORS["size"], ROOT)
    assert checkpoint.text() == text


def test_extension_lines_are_kept() -> None:
    checkpoint = Checkpoint("gerbang.example/ledger", 3, EMPTY_ROOT, ("ext one", "ext two"))
    assert checkpoint.text().splitlines()[3:] == ["ext one", "ext two"]
    assert Checkpoint.parse(checkpoint.text()) == checkpoint


def test_the_empty_tree() -> None:
    checkpoint = Checkpoint("gerbang.example/ledger", 0, EMPTY_ROOT)
    assert checkpoint.text() == "gerbang.example/ledger\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n"
    assert Checkpoint.parse(checkpoint.text()) == checkpoint


GOOD = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"


@pytest.mark.parametrize(
    "text",
    [
        GOOD[:-1],  # no final newline
        "example.com/behind-the-sofa\n20852163\n",  # two lines
        "\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",  # empty origin
        GOOD.replace("20852163", "020852163"),  # a leading zero
        GOOD.replace("20852163", "+20852163"),
        GOOD.replace("20852163", "20_852_163"),
        GOOD.replace("20852163", "\uff12\uff10"),  # digits, but not ASCII ones
        GOOD.replace("20852163", "-1"),
        GOOD.replace("20852163", str(2**64)),  # beyond uint64
        GOOD.replace("20852163", ""),
        GOOD.replace(
            "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=", "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I"
        ),
        GOOD.replace(
            "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=", "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2J="
        ),
        GOOD.replace(
            "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=", "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jx"
        ),
        GOOD.replace("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=", base64.b64encode(bytes(31)).decode()),
        GOOD + "\n",  # an empty extension line
        GOOD + "ext\n\n",
    ],
)
def test_malformed_checkpoints_are_refused(text) -> None:
    with pytest.raises(MalformedCheckpointError):
        Checkpoint.parse(text)


def test_a_checkpoint_is_not_built_with_bad_fields() -> None:
    with pytest.raises(MalformedCheckpointError):
        Checkpoint("", 1, EMPTY_ROOT)
    with pytest.raises(MalformedCheckpointError):
        Checkpoint("a\nb", 1, EMPTY_ROOT)
    with pytest.raises(MalformedCheckpointError):
        Checkpoint("origin", -1, EMPTY_ROOT)
    with pytest.raises(MalformedCheckpointError):
        Checkpoint("origin", 1, EMPTY_ROOT[:31])
    with pytest.raises(MalformedCheckpointError):
        Checkpoint("origin", 1, EMPTY_ROOT, ("",))


def test_a_log_signs_its_checkpoints_witnesses_cosign_and_an_auditor_checks_them() -> None:
    origin = "gerbang.example/ledger"
    log = generate_signer(origin)
    witness = CosignatureSigner("witness.example/w1", bytes(range(32)), clock=lambda: 1_700_000_000)
    assert witness.sig_type == SIG_COSIGNATURE_V1
    store = MemoryStore()
    for i in range(10):
        store.append(f"event {i}".encode())
    old = sign_checkpoint(Checkpoint(origin, 7, store.root(7)), [log])
    new = add_signatures(sign_checkpoint(Checkpoint(origin, 10, store.root(10)), [log]), [witness])

    old_checkpoint, _ = open_checkpoint(old, log.verifier(), origin=origin)
    new_checkpoint, note = open_checkpoint(new, log.verifier(), origin=origin, witnesses=[witness.verifier()])
    assert [s.name for s in note.signatures] == [origin, "witness.example/w1"]
    assert cosignature_timestamp(note.signatures[1]) == 1_700_000_000
    verify_consistency(
        old_checkpoint.size,
        new_checkpoint.size,
        old_checkpoint.root_hash,
        new_checkpoint.root_hash,
        consistency_proof(7, 10, store.read),
    )

    # Without the witness's key its cosignature is merely set aside.
    _, note = open_checkpoint(new, log.verifier(), origin=origin)
    assert [s.name for s in note.unverified] == ["witness.example/w1"]


def test_open_checkpoint_refusals() -> None:
    origin = "gerbang.example/ledger"
    log = generate_signer(origin)
    other = generate_signer("other.example/log")
    witness = generate_signer("witness.example/w1", SIG_COSIGNATURE_V1)
    signed = sign_checkpoint(Checkpoint(origin, 0, EMPTY_ROOT), [log])
    with pytest.raises(WrongOriginError):
        open_checkpoint(signed, log.verifier(), origin="gerbang.example/other")
    with pytest.raises(UnknownKeyError):
        open_checkpoint(signed, other.verifier(), origin=origin)
    # Cosigned by a known witness, but not signed by the log: refused.
    only_witness = sign_checkpoint(Checkpoint(origin, 0, EMPTY_ROOT), [witness])
    with pytest.raises(UnknownKeyError, match="not signed by the log"):
        open_checkpoint(only_witness, log.verifier(), origin=origin, witnesses=[witness.verifier()])
    # A changed root breaks the log's signature.
    forged = signed.replace("47DEQpj8HBSa", "47DEQpj8HBSb")
    with pytest.raises(InvalidSignatureError):
        open_checkpoint(forged, log.verifier(), origin=origin)
    # A well signed note that is no checkpoint.
    with pytest.raises(MalformedCheckpointError):
        open_checkpoint(sign_note("hello\n", [log]), log.verifier(), origin=origin)
