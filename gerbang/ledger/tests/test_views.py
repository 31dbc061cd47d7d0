"""The log as C2SP tlog-tiles static files: a client that trusts only the signed checkpoint
recomputes the root and proofs from the tiles it fetches."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from gerbang.core.actors import WORKER
from gerbang.ledger import keys
from gerbang.ledger.models import Checkpoint, Leaf
from gerbang.ledger.services import log_integrate
from gerbang.ledger.tests.helpers import logged_events
from gerbang.ledger.tlog.checkpoint import open_checkpoint
from gerbang.ledger.tlog.keyring import KeyRing, utc_text
from gerbang.ledger.tlog.merkle import inclusion_proof, root_hash, verify_inclusion
from gerbang.ledger.tlog.note import parse_verifier_key
from gerbang.ledger.tlog.tiles import (
    Tile,
    TileHashReader,
    check_bundle,
    decode_bundle,
    tiles_for_size,
)

pytestmark = pytest.mark.django_db

SIZE = 300  # a full level-0 tile, a partial one, and a partial level-1 tile


@pytest.fixture
def log(office_a: Any) -> int:
    logged_events(office_a, SIZE)
    log_integrate(actor=WORKER)
    return SIZE


def fetch(client: Client, path: str) -> bytes:
    response = client.get(f"/ledger/{path}")
    assert response.status_code == 200, path
    return bytes(response.content)


def test_the_checkpoint_and_key_are_public_and_verify(client: Client, log: int) -> None:
    response = client.get("/ledger/checkpoint")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "max-age=5" in response["Cache-Control"] and "public" in response["Cache-Control"]
    listed = client.get("/ledger/key")
    assert listed["Content-Type"] == "text/plain; charset=utf-8"
    # One key, the current one, valid from the size of the first checkpoint it signed; its first
    # word is the verifier key.
    (line,) = listed.content.decode().splitlines()
    first = Checkpoint.objects.order_by("pk").first()
    assert first is not None
    assert line == (
        f"{keys.verifier().verifier_key()} current since={utc_text(first.created_at)} sizes={first.size}-"
    )
    ring = KeyRing.parse(listed.content.decode())
    assert ring.current.verifier == parse_verifier_key(keys.verifier().verifier_key())
    body, _ = open_checkpoint(response.content, ring.current.verifier, origin=keys.origin())
    assert body.size == log


def test_no_checkpoint_yet_is_not_found(client: Client) -> None:
    assert client.get("/ledger/checkpoint").status_code == 404


def test_tiles_recompute_the_signed_root_and_prove_a_leaf(client: Client, log: int) -> None:
    body, _ = open_checkpoint(fetch(client, "checkpoint"), keys.verifier(), origin=keys.origin())
    assert [tile.path() for tile in tiles_for_size(body.size)] == [
        "tile/0/000",
        "tile/0/001.p/44",
        "tile/1/000.p/1",
    ]
    reader = TileHashReader(body.size, lambda tile: fetch(client, tile.path()))
    assert root_hash(body.size, reader) == body.root_hash
    leaf = Leaf.objects.get(seq=261)
    proof = inclusion_proof(261, body.size, reader)
    verify_inclusion(261, body.size, bytes(leaf.hash), proof, body.root_hash)


def test_entry_bundles_hash_to_their_tiles(client: Client, log: int) -> None:
    for tile in (Tile(0, 0), Tile(0, 1, 44)):
        entries = decode_bundle(fetch(client, tile.entries_path()), tile.width)
        check_bundle(entries, tile, fetch(client, tile.path()))
    assert decode_bundle(fetch(client, "tile/entries/001.p/44"))[-1] == bytes(Leaf.objects.get(seq=299).data)


def test_tiles_are_cached_for_good(client: Client, log: int) -> None:
    for path in ("tile/0/000", "tile/0/001.p/44", "tile/entries/001.p/3"):
        response = client.get(f"/ledger/{path}")
        assert response["Content-Type"] == "application/octet-stream"
        assert "immutable" in response["Cache-Control"]
        assert "public" in response["Cache-Control"]


def test_a_smaller_partial_tile_is_a_prefix_of_the_larger(client: Client, log: int) -> None:
    assert fetch(client, "tile/0/001.p/44")[: 3 * 32] == fetch(client, "tile/0/001.p/3")


@pytest.mark.parametrize(
    "path",
    [
        "tile/0/002",  # beyond the tree
        "tile/0/001",  # not full yet
        "tile/0/001.p/45",  # wider than the tree has
        "tile/1/000",
        "tile/2/000.p/1",
        "tile/entries/001",
        "tile/0/01",  # not canonical
        "tile/0/x000/000",
        "tile/0/000.p/256",
        "tile/entries/000.p/0",
        "tile/x/000",
    ],
)
def test_tiles_the_tree_does_not_have_are_not_found(client: Client, log: int, path: str) -> None:
    response = client.get(f"/ledger/{path}")
    assert response.status_code == 404


def test_only_reads_are_answered(client: Client, log: int) -> None:
    assert client.post("/ledger/checkpoint").status_code == 405
    assert client.head("/ledger/tile/0/000").status_code == 200
