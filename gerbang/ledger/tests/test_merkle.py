"""RFC 9162 Merkle tree: known answers (data/merkle_vectors.json), mutated proofs, edge cases."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from gerbang.ledger.tlog.errors import InvalidProofError
from gerbang.ledger.tlog.merkle import (
    EMPTY_ROOT,
    MemoryStore,
    consistency_proof,
    hashes_for_new_leaf,
    inclusion_proof,
    leaf_hash,
    leaf_hash_reader,
    node_hash,
    root_from_inclusion_proof,
    root_from_leaf_hashes,
    root_hash,
    split_stored_hash_index,
    stored_hash_count,
    stored_hash_index,
    subtree_hash,
    verify_consistency,
    verify_inclusion,
)

VECTORS = json.loads((Path(__file__).parent / "data" / "merkle_vectors.json").read_text())
LEAVES = [bytes.fromhex(h) for h in VECTORS["leaves"]]
ROOTS = [bytes.fromhex(h) for h in VECTORS["roots_by_size"]]
EMPTY = bytes.fromhex(VECTORS["empty_tree_root"])
INCLUSION = [
    (v["index"], v["size"], [bytes.fromhex(h) for h in v["path"]]) for v in VECTORS["inclusion_proofs"]
]
CONSISTENCY = [
    (v["old_size"], v["new_size"], [bytes.fromhex(h) for h in v["proof"]])
    for v in VECTORS["consistency_proofs"]
]
WRONG = b"WrongLeaf"  # not even a hash: 9 bytes


def reference_store() -> MemoryStore:
    store = MemoryStore()
    for entry in LEAVES:
        store.append(entry)
    return store


# -- Known answers ----------------------------------------------------------------------------


def test_the_empty_tree_and_the_empty_leaf() -> None:
    assert EMPTY_ROOT == EMPTY == hashlib.sha256(b"").digest()
    assert leaf_hash(b"") == bytes.fromhex(VECTORS["empty_leaf_hash"])
    assert root_from_leaf_hashes([]) == EMPTY
    assert MemoryStore().root() == EMPTY
    assert root_hash(0, MemoryStore().read) == EMPTY


def test_the_reference_tree_roots_at_every_size() -> None:
    store = MemoryStore()
    assert store.root() == ROOTS[0]
    for size, entry in enumerate(LEAVES, start=1):
        store.append(entry)
        assert store.root() == ROOTS[size]
        assert root_from_leaf_hashes([leaf_hash(e) for e in LEAVES[:size]]) == ROOTS[size]
    assert [store.root(size) for size in range(9)] == ROOTS
    assert ROOTS[8].hex() == "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"


def test_the_reference_tree_subtree_hashes() -> None:
    store = reference_store()
    reader = leaf_hash_reader([leaf_hash(e) for e in LEAVES])
    for level, hashes in enumerate(VECTORS["subtree_hashes_by_level"]):
        for index, expected in enumerate(hashes):
            assert store.read(level, index).hex() == expected
            assert reader(level, index).hex() == expected


@pytest.mark.parametrize(("index", "size", "path"), INCLUSION)
def test_inclusion_proof_vectors(index, size, path) -> None:
    store = reference_store()
    assert inclusion_proof(index, size, store.read) == path
    verify_inclusion(index, size, leaf_hash(LEAVES[index]), path, ROOTS[size])


@pytest.mark.parametrize(("old_size", "new_size", "proof"), CONSISTENCY)
def test_consistency_proof_vectors(old_size, new_size, proof) -> None:
    store = reference_store()
    assert consistency_proof(old_size, new_size, store.read) == proof
    verify_consistency(old_size, new_size, ROOTS[old_size], ROOTS[new_size], proof)


# -- Mutations of the known-good proofs (as certificate-transparency's and transparency-dev's tests) --


def inclusion_mutations(index: int, size: int, leaf: bytes, path: list[bytes], root: bytes):
    yield "index - 1", (index - 1, size, leaf, path, root)
    yield "index + 1", (index + 1, size, leaf, path, root)
    yield "index ^ 2", (index ^ 2, size, leaf, path, root)
    yield "size * 2", (index, size * 2, leaf, path, root)
    yield "size // 2", (index, size // 2, leaf, path, root)
    yield "wrong leaf", (index, size, leaf_hash(WRONG), path, root)
    yield "leaf that is no hash", (index, size, WRONG, path, root)
    yield "empty root", (index, size, leaf, path, EMPTY)
    yield "root that is no hash", (index, size, leaf, path, b"")
    for i in range(len(path)):
        changed = list(path)
        changed[i] = EMPTY
        yield f"proof[{i}] replaced", (index, size, leaf, changed, root)
        flipped = list(path)
        flipped[i] = bytes([path[i][0] ^ 1]) + path[i][1:]
        yield f"proof[{i}] bit flipped", (index, size, leaf, flipped, root)
    yield "trailing garbage", (index, size, leaf, [*path, b""], root)
    yield "trailing root", (index, size, leaf, [*path, root], root)
    if path:
        yield "last hash removed", (index, size, leaf, path[:-1], root)
    yield "preceding garbage", (index, size, leaf, [b"", *path], root)
    yield "preceding root", (index, size, leaf, [root, *path], root)


@pytest.mark.parametrize(("index", "size", "path"), INCLUSION)
def test_mutated_inclusion_proofs_fail(index, size, path) -> None:
    leaf = leaf_hash(LEAVES[index])
    for name, args in inclusion_mutations(index, size, leaf, path, ROOTS[size]):
        with pytest.raises(InvalidProofError):
            verify_inclusion(*args)
            pytest.fail(f"the mutation {name!r} verified")


def consistency_mutations(old: int, new: int, old_root: bytes, new_root: bytes, proof: list[bytes]):
    yield "old - 1", (old - 1, new, old_root, new_root, proof)
    yield "old + 1", (old + 1, new, old_root, new_root, proof)
    yield "old ^ 2", (old ^ 2, new, old_root, new_root, proof)
    yield "new * 2", (old, new * 2, old_root, new_root, proof)
    yield "new // 2", (old, new // 2, old_root, new_root, proof)
    yield "wrong new root", (old, new, old_root, b"WrongRoot", proof)
    yield "wrong old root", (old, new, b"WrongRoot", new_root, proof)
    yield "swapped roots", (old, new, new_root, old_root, proof)
    yield "empty proof", (old, new, old_root, new_root, [])
    for i in range(len(proof)):
        changed = list(proof)
        changed[i] = EMPTY
        yield f"proof[{i}] replaced", (old, new, old_root, new_root, changed)
    yield "trailing garbage", (old, new, old_root, new_root, [*proof, b""])
    yield "last hash repeated", (old, new, old_root, new_root, [*proof, proof[-1]])
    yield "last hash removed", (old, new, old_root, new_root, proof[:-1])
    yield "preceding garbage", (old, new, old_root, new_root, [b"", *proof])
    yield "first hash repeated", (old, new, old_root, new_root, [proof[0], *proof])


@pytest.mark.parametrize(("old_size", "new_size", "proof"), [v for v in CONSISTENCY if v[2]])
def test_mutated_consistency_proofs_fail(old_size, new_size, proof) -> None:
    for name, args in consistency_mutations(old_size, new_size, ROOTS[old_size], ROOTS[new_size], proof):
        with pytest.raises(InvalidProofError):
            verify_consistency(*args)
            pytest.fail(f"the mutation {name!r} verified")


# -- Edge cases (the cases of transparency-dev/merkle's testdata "additional" directories) ------

SOME = hashlib.sha256(b"some").digest()
OTHER = hashlib.sha256(b"other").digest()


@pytest.mark.parametrize(
    ("index", "size", "leaf", "root", "valid"),
    [
        (0, 0, SOME, EMPTY, False),  # nothing is in the empty tree
        (1, 0, SOME, EMPTY, False),
        (0, 1, SOME, EMPTY, False),
        (2, 1, SOME, EMPTY, False),
        (0, 1, b"", SOME, False),  # an empty leaf hash
        (0, 1, SOME, b"", False),  # an empty root
        (0, 1, b"", b"", False),
        (0, 1, SOME, SOME, True),  # a tree of one leaf: its root is the leaf hash
        (-1, 1, SOME, SOME, False),
    ],
)
def test_inclusion_edge_cases(index, size, leaf, root, valid) -> None:
    if valid:
        verify_inclusion(index, size, leaf, [], root)
    else:
        with pytest.raises(InvalidProofError):
            verify_inclusion(index, size, leaf, [], root)


@pytest.mark.parametrize(
    ("old", "new", "old_root", "new_root", "proof", "valid"),
    [
        (1, 1, SOME, SOME, [], True),  # equal sizes, equal roots, empty proof
        (1, 1, SOME, OTHER, [], False),  # equal sizes, different roots
        (1, 1, SOME, SOME, [SOME], False),  # equal sizes but a proof
        (0, 0, EMPTY, EMPTY, [], False),  # from the empty tree: nothing to prove, refused
        (0, 0, EMPTY, EMPTY, [EMPTY], False),
        (0, 0, SOME, OTHER, [], False),
        (0, 1, EMPTY, SOME, [], False),
        (0, 1, EMPTY, EMPTY, [EMPTY], False),
        (1, 0, SOME, OTHER, [], False),  # shrinking
        (2, 1, SOME, OTHER, [], False),
        (1, 2, SOME, OTHER, [], False),  # growing with an empty proof
    ],
)
def test_consistency_edge_cases(old, new, old_root, new_root, proof, valid) -> None:
    if valid:
        verify_consistency(old, new, old_root, new_root, proof)
    else:
        with pytest.raises(InvalidProofError):
            verify_consistency(old, new, old_root, new_root, proof)


def test_proof_generation_refuses_what_has_no_proof() -> None:
    store = reference_store()
    for index, size in [(0, 0), (8, 8), (-1, 8), (3, 2)]:
        with pytest.raises(ValueError, match="not in a tree"):
            inclusion_proof(index, size, store.read)
    for old, new in [(0, 5), (0, 0), (6, 5), (-1, 5)]:
        with pytest.raises(ValueError, match="no consistency proof"):
            consistency_proof(old, new, store.read)
    with pytest.raises(IndexError):
        store.read(0, 8)  # a leaf the log does not have
    with pytest.raises(IndexError):
        store.read(3, 1)


def test_errors_say_what_failed() -> None:
    store = reference_store()
    proof = inclusion_proof(5, 8, store.read)
    with pytest.raises(InvalidProofError, match="fewer hashes"):
        root_from_inclusion_proof(5, 8, store.read(0, 5), proof[:-1])
    with pytest.raises(InvalidProofError, match="more hashes"):
        root_from_inclusion_proof(5, 8, store.read(0, 5), [*proof, EMPTY])
    with pytest.raises(InvalidProofError, match="does not lead to the root"):
        verify_inclusion(5, 8, store.read(0, 4), proof, store.root())
    with pytest.raises(InvalidProofError, match="proof hash 1 has 3 bytes"):
        verify_inclusion(5, 8, store.read(0, 5), [proof[0], b"abc", proof[2]], store.root())
    cproof = consistency_proof(6, 8, store.read)
    with pytest.raises(InvalidProofError, match="old root"):
        verify_consistency(6, 8, store.root(5), store.root(8), cproof)
    with pytest.raises(InvalidProofError, match="new root"):
        verify_consistency(6, 8, store.root(6), store.root(7), cproof)


# -- Exhaustive checks on small trees ---------------------------------------------------------


def naive_root(leaf_hashes: list[bytes]) -> bytes:
    """MTH by the definition, on list slices."""
    if not leaf_hashes:
        return EMPTY
    if len(leaf_hashes) == 1:
        return leaf_hashes[0]
    k = 1
    while k * 2 < len(leaf_hashes):
        k *= 2
    return node_hash(naive_root(leaf_hashes[:k]), naive_root(leaf_hashes[k:]))


def test_every_proof_of_every_tree_up_to_64_leaves() -> None:
    store = MemoryStore()
    hashes: list[bytes] = []
    for n in range(1, 65):
        hashes.append(leaf_hash(n.to_bytes(2, "big")))
        store.append_leaf_hash(hashes[-1])
        assert store.root() == naive_root(hashes)
        for index in range(n):
            verify_inclusion(index, n, hashes[index], inclusion_proof(index, n, store.read), store.root())
        for old in range(1, n + 1):
            verify_consistency(old, n, store.root(old), store.root(), consistency_proof(old, n, store.read))


def test_subtree_hash_of_any_range_is_the_hash_of_that_range_alone() -> None:
    hashes = [leaf_hash(bytes([i])) for i in range(40)]
    store = MemoryStore()
    for h in hashes:
        store.append_leaf_hash(h)
    for start in range(40):
        for end in range(start + 1, 41):
            assert subtree_hash(start, end, store.read) == naive_root(hashes[start:end])


# -- Stored hash index --------------------------------------------------------------------------


def test_stored_hash_index_is_the_order_hashes_are_written() -> None:
    # Leaf 0, leaf 1, node (1, 0), leaf 2, leaf 3, node (1, 1), node (2, 0), leaf 4, ...
    expected = [(0, 0), (0, 1), (1, 0), (0, 2), (0, 3), (1, 1), (2, 0), (0, 4), (0, 5), (1, 2), (0, 6)]
    assert [stored_hash_index(level, n) for level, n in expected] == list(range(len(expected)))
    for stored in range(20_000):
        level, n = split_stored_hash_index(stored)
        assert stored_hash_index(level, n) == stored
    for level in range(5):
        for n in range(300):
            assert split_stored_hash_index(stored_hash_index(level, n)) == (level, n)


def test_the_memory_store_keeps_every_subtree_hash_once_in_stored_order() -> None:
    store = MemoryStore()
    for n in range(1, 300):
        store.append(n.to_bytes(2, "big"))
        stored = store.stored_hashes()
        assert len(stored) == stored_hash_count(n)
        for index, value in enumerate(stored):
            level, i = split_stored_hash_index(index)
            assert value == store.read(level, i)
    assert stored_hash_count(0) == 0
    with pytest.raises(InvalidProofError):
        hashes_for_new_leaf(0, b"short", store.read)
