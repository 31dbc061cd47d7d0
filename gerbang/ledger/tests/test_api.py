"""The proofs API: an event's inclusion proof verifies against the signed checkpoint it comes
with, and a consistency proof joins two checkpoints."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from django.test import Client

from gerbang.core.actors import WORKER
from gerbang.ledger import keys
from gerbang.ledger.services import log_integrate
from gerbang.ledger.tests.helpers import logged_events
from gerbang.ledger.tlog.checkpoint import open_checkpoint
from gerbang.ledger.tlog.errors import InvalidProofError
from gerbang.ledger.tlog.merkle import leaf_hash, verify_consistency, verify_inclusion

pytestmark = pytest.mark.django_db


def b64(text: str) -> bytes:
    return base64.b64decode(text, validate=True)


def test_an_inclusion_proof_verifies_against_its_checkpoint(client: Client, office_a: Any) -> None:
    made = logged_events(office_a, 13)
    log_integrate(actor=WORKER)
    event = made[6]
    response = client.get("/api/v1/ledger/inclusion-proof", {"event_id": event.pk})
    assert response.status_code == 200
    proof = response.json()
    body, _ = open_checkpoint(proof["checkpoint"], keys.verifier(), origin=keys.origin())
    assert (proof["event_id"], proof["leaf_index"], proof["tree_size"]) == (event.pk, 6, 13)
    leaf = b64(proof["leaf"])
    assert leaf_hash(leaf) == b64(proof["leaf_hash"])
    assert f'"id":{event.pk}'.encode() in leaf
    hashes = [b64(h) for h in proof["hashes"]]
    verify_inclusion(6, body.size, leaf_hash(leaf), hashes, body.root_hash)
    with pytest.raises(InvalidProofError):
        verify_inclusion(5, body.size, leaf_hash(leaf), hashes, body.root_hash)


def test_an_inclusion_proof_for_an_earlier_checkpoint(client: Client, office_a: Any) -> None:
    first = logged_events(office_a, 3)
    log_integrate(actor=WORKER)
    logged_events(office_a, 4)
    log_integrate(actor=WORKER)
    proof = client.get("/api/v1/ledger/inclusion-proof", {"event_id": first[1].pk, "tree_size": 3}).json()
    body, _ = open_checkpoint(proof["checkpoint"], keys.verifier(), origin=keys.origin())
    assert body.size == proof["tree_size"] == 3
    verify_inclusion(1, 3, b64(proof["leaf_hash"]), [b64(h) for h in proof["hashes"]], body.root_hash)


def test_inclusion_proofs_that_cannot_be_given(client: Client, office_a: Any) -> None:
    made = logged_events(office_a, 3)
    log_integrate(actor=WORKER)
    late = logged_events(office_a, 1)
    log_integrate(actor=WORKER)
    url = "/api/v1/ledger/inclusion-proof"
    assert client.get(url, {"event_id": 10**9}).status_code == 404
    assert client.get(url, {"event_id": made[0].pk, "tree_size": 2}).status_code == 404  # never signed
    assert client.get(url, {"event_id": late[0].pk, "tree_size": 3}).status_code == 404  # came later
    bad = client.get(url, {"event_id": "seven"})
    assert bad.status_code == 422 and bad.json()["field"] == "event_id"


def test_a_consistency_proof_joins_two_checkpoints(client: Client, office_a: Any) -> None:
    logged_events(office_a, 5)
    log_integrate(actor=WORKER)
    logged_events(office_a, 9)
    log_integrate(actor=WORKER)
    response = client.get("/api/v1/ledger/consistency-proof", {"old_size": 5, "new_size": 14})
    assert response.status_code == 200
    proof = response.json()
    old, _ = open_checkpoint(proof["old_checkpoint"], keys.verifier(), origin=keys.origin())
    new, _ = open_checkpoint(proof["new_checkpoint"], keys.verifier(), origin=keys.origin())
    hashes = [b64(h) for h in proof["hashes"]]
    verify_consistency(old.size, new.size, old.root_hash, new.root_hash, hashes)
    with pytest.raises(InvalidProofError):
        verify_consistency(old.size, new.size, new.root_hash, new.root_hash, hashes)


def test_a_consistency_proof_between_sizes_never_signed(client: Client, office_a: Any) -> None:
    logged_events(office_a, 6)
    log_integrate(actor=WORKER)
    proof = client.get("/api/v1/ledger/consistency-proof", {"old_size": 2, "new_size": 6}).json()
    assert proof["old_checkpoint"] is None and proof["new_checkpoint"] is not None
    assert proof["hashes"]


@pytest.mark.parametrize(
    ("old_size", "new_size", "status", "field"),
    [(0, 3, 400, "old_size"), (4, 3, 400, "new_size"), (2, 99, 404, None)],
)
def test_consistency_proofs_that_cannot_be_given(
    client: Client, office_a: Any, old_size: int, new_size: int, status: int, field: str | None
) -> None:
    logged_events(office_a, 4)
    log_integrate(actor=WORKER)
    response = client.get("/api/v1/ledger/consistency-proof", {"old_size": old_size, "new_size": new_size})
    assert response.status_code == status
    assert response.json()["field"] == field
