"""Proofs of the public log as JSON: that an event is in it, and that it only grew.

Hashes are base64 (standard alphabet, padded), as in checkpoints; each answer carries the signed
checkpoint it is checked against (docs/ledger.md says how to check them)."""

from __future__ import annotations

import base64
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from gerbang.ledger import selectors

router = Router(tags=["ledger"])


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


class InclusionProofOut(Schema):
    event_id: int
    leaf_index: int = Field(description="The event's place in the log (its sequence number).")
    tree_size: int = Field(description="The size of the tree the proof is for: the checkpoint's.")
    leaf: str = Field(description="The leaf's bytes (the canonical leaf, docs/ledger.md), base64.")
    leaf_hash: str = Field(description="SHA-256(0x00 || leaf), base64.")
    hashes: list[str] = Field(description="The RFC 9162 audit path from the leaf up, each base64.")
    checkpoint: str = Field(description="The signed checkpoint (C2SP signed note) of tree_size.")


class ConsistencyProofOut(Schema):
    old_size: int
    new_size: int
    hashes: list[str] = Field(description="The RFC 9162 consistency proof, each hash base64.")
    old_checkpoint: str | None = Field(
        description="The log's signed checkpoint of old_size, if it signed one."
    )
    new_checkpoint: str | None = Field(
        description="The log's signed checkpoint of new_size, if it signed one."
    )


@router.get("/ledger/inclusion-proof", response=InclusionProofOut, auth=None)
def inclusion_proof(request: HttpRequest, event_id: int, tree_size: int | None = None) -> Any:
    """That an event is in the log: its leaf and audit path up to a signed checkpoint's root
    (the latest, or the one of tree_size)."""
    proof = selectors.inclusion_proof_of_event(event_id, tree_size=tree_size)
    return {
        "event_id": proof.event_id,
        "leaf_index": proof.leaf_index,
        "tree_size": proof.tree_size,
        "leaf": _b64(proof.leaf),
        "leaf_hash": _b64(proof.leaf_hash),
        "hashes": [_b64(h) for h in proof.hashes],
        "checkpoint": proof.checkpoint,
    }


@router.get("/ledger/consistency-proof", response=ConsistencyProofOut, auth=None)
def consistency_proof(request: HttpRequest, old_size: int, new_size: int) -> Any:
    """That the tree of new_size extends the tree of old_size: nothing logged was changed."""
    proof = selectors.consistency_proof_between(old_size, new_size)
    return {
        "old_size": proof.old_size,
        "new_size": proof.new_size,
        "hashes": [_b64(h) for h in proof.hashes],
        "old_checkpoint": proof.old_checkpoint,
        "new_checkpoint": proof.new_checkpoint,
    }
