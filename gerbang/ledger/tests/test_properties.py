"""Properties of the Merkle tree on random trees of up to a few thousand leaves (hypothesis)."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gerbang.ledger.tlog.errors import InvalidProofError
from gerbang.ledger.tlog.merkle import (
    EMPTY_ROOT,
    MemoryStore,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    node_hash,
    root_hash,
    verify_consistency,
    verify_inclusion,
)
from gerbang.ledger.tlog.tiles import TileHashReader, tile_data, tiles_for_size

MAX_SIZE = 3000
PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def naive_root(leaf_hashes: list[bytes]) -> bytes:
    """MTH by the definition: split at the largest power of two strictly below n, on list slices."""
    if not leaf_hashes:
        return EMPTY_ROOT
    if len(leaf_hashes) == 1:
        return leaf_hashes[0]
    k = 1
    while k * 2 < len(leaf_hashes):
        k *= 2
    return node_hash(naive_root(leaf_hashes[:k]), naive_root(leaf_hashes[k:]))


def entries(size: int, salt: int) -> list[bytes]:
    return [hashlib.sha256(f"{salt}/{i}".encode()).digest()[: 1 + i % 40] for i in range(size)]


def store_of(items: list[bytes]) -> MemoryStore:
    store = MemoryStore()
    for item in items:
        store.append(item)
    return store


def flip(value: bytes, bit: int) -> bytes:
    bit %= len(value) * 8
    return value[: bit // 8] + bytes([value[bit // 8] ^ (1 << bit % 8)]) + value[bit // 8 + 1 :]


sizes = st.integers(min_value=1, max_value=MAX_SIZE)


@PROPERTY
@given(size=sizes, salt=st.integers(0, 2**32), data=st.data())
def test_the_root_is_the_naive_root_and_every_inclusion_proof_verifies(size, salt, data) -> None:
    items = entries(size, salt)
    hashes = [leaf_hash(item) for item in items]
    store = store_of(items)
    root = store.root()
    assert root == naive_root(hashes)
    tree_size = data.draw(st.integers(1, size), label="tree size")
    tree_root = store.root(tree_size)
    assert tree_root == naive_root(hashes[:tree_size])
    indexes = data.draw(st.lists(st.integers(0, tree_size - 1), min_size=1, max_size=40), label="leaves")
    for index in indexes:
        proof = inclusion_proof(index, tree_size, store.read)
        verify_inclusion(index, tree_size, hashes[index], proof, tree_root)
        # A tampered leaf fails.
        with pytest.raises(InvalidProofError):
            verify_inclusion(index, tree_size, leaf_hash(items[index] + b"!"), proof, tree_root)
        # A tampered proof fails.
        if proof:
            at = data.draw(st.integers(0, len(proof) - 1), label="proof hash")
            bit = data.draw(st.integers(0, 255), label="bit")
            tampered = [*proof[:at], flip(proof[at], bit), *proof[at + 1 :]]
            with pytest.raises(InvalidProofError):
                verify_inclusion(index, tree_size, hashes[index], tampered, tree_root)
        # The proof of one leaf proves no other leaf.
        if tree_size > 1:
            other = (index + 1) % tree_size
            with pytest.raises(InvalidProofError):
                verify_inclusion(other, tree_size, hashes[index], proof, tree_root)


@PROPERTY
@given(size=sizes, salt=st.integers(0, 2**32), data=st.data())
def test_every_consistency_proof_verifies_and_a_forked_tree_fails(size, salt, data) -> None:
    items = entries(size, salt)
    store = store_of(items)
    new = data.draw(st.integers(1, size), label="new size")
    old = data.draw(st.integers(1, new), label="old size")
    old_root, new_root = store.root(old), store.root(new)
    proof = consistency_proof(old, new, store.read)
    verify_consistency(old, new, old_root, new_root, proof)

    # A fork: one entry of the old tree rewritten. Its head at `new` is not consistent with the
    # old head, whichever tree's proof is offered.
    changed = data.draw(st.integers(0, old - 1), label="rewritten entry")
    forked = store_of([*items[:changed], items[changed] + b"!", *items[changed + 1 : new]])
    with pytest.raises(InvalidProofError):
        verify_consistency(old, new, old_root, forked.root(), proof)
    if old < new:
        with pytest.raises(InvalidProofError):
            verify_consistency(old, new, old_root, forked.root(), consistency_proof(old, new, forked.read))

    # Rewriting an entry after the old head is no fork of it: the new tree still extends it.
    if old < new:
        later = data.draw(st.integers(old, new - 1), label="entry after the old head")
        grown = store_of([*items[:later], items[later] + b"!", *items[later + 1 : new]])
        verify_consistency(old, new, old_root, grown.root(), consistency_proof(old, new, grown.read))

    # A tampered proof fails.
    if proof:
        at = data.draw(st.integers(0, len(proof) - 1), label="proof hash")
        tampered = [
            *proof[:at],
            flip(proof[at], data.draw(st.integers(0, 255), label="bit")),
            *proof[at + 1 :],
        ]
        with pytest.raises(InvalidProofError):
            verify_consistency(old, new, old_root, new_root, tampered)


@PROPERTY
@given(size=sizes, salt=st.integers(0, 2**32), data=st.data())
def test_tiles_give_back_the_same_root_and_proofs(size, salt, data) -> None:
    store = store_of(entries(size, salt))
    files = {tile: tile_data(tile, store.read) for tile in tiles_for_size(size)}
    reader = TileHashReader(size, files.__getitem__)
    new = data.draw(st.integers(1, size), label="new size")
    old = data.draw(st.integers(1, new), label="old size")
    index = data.draw(st.integers(0, new - 1), label="leaf")
    assert reader(0, index) == store.read(0, index)
    assert inclusion_proof(index, new, reader) == inclusion_proof(index, new, store.read)
    assert consistency_proof(old, new, reader) == consistency_proof(old, new, store.read)
    assert root_hash(new, reader) == store.root(new)
