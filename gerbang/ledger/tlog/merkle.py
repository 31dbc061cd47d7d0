"""The Merkle tree of RFC 9162 §2.1 over SHA-256: hashes, roots, inclusion and consistency proofs.

A log of n entries D[0:n] is summed up by its Merkle Tree Hash (MTH):

- MTH({}) = SHA-256() (the hash of the empty string);
- MTH({d}) = SHA-256(0x00 || d) (a leaf);
- MTH(D[0:n]) = SHA-256(0x01 || MTH(D[0:k]) || MTH(D[k:n])) for n > 1, where k is the largest
  power of two strictly less than n.

The left part D[0:k] of every split is a *complete* subtree: 2**level leaves starting at a
multiple of 2**level. Everything here that builds a root or a proof reads the log through a
`HashReader`, a function that returns the hash of any complete subtree (level, index): the
2**level leaves from index * 2**level. A store of hashes (`MemoryStore` here, a database table or
a set of tiles elsewhere) provides one; `leaf_hash_reader` makes one from a list of leaf hashes.

Proof verification follows the algorithms of RFC 9162 §2.1.3.2 (inclusion) and §2.1.4.2
(consistency) step by step, and raises `InvalidProofError` saying what failed.

The "stored hash index" functions give the dense order in which a log that appends leaves one at
a time writes every complete subtree hash (the order of golang.org/x/mod/sumdb/tlog's
StoredHashIndex): when leaf m is appended, its hash is written, then the hash of each complete
subtree that leaf m completes, lowest first. `MemoryStore` keeps its hashes in that order.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Sequence

from gerbang.ledger.tlog.errors import InvalidProofError

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()

HashReader = Callable[[int, int], bytes]
"""(level, index) -> the hash of the complete subtree of leaves [index * 2**level, (index + 1) * 2**level)."""


def leaf_hash(entry: bytes) -> bytes:
    """The hash of one log entry: SHA-256(0x00 || entry)."""
    return hashlib.sha256(b"\x00" + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """The hash of an interior node: SHA-256(0x01 || left || right)."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two strictly less than n (n >= 2)."""
    return 1 << ((n - 1).bit_length() - 1)


def _is_power_of_two(n: int) -> bool:
    return n > 0 and n & (n - 1) == 0


def _check_hash(value: bytes, what: str) -> None:
    if len(value) != HASH_SIZE:
        raise InvalidProofError(f"{what} has {len(value)} bytes, a SHA-256 hash has {HASH_SIZE}")


def _same(a: bytes, b: bytes) -> bool:
    return hmac.compare_digest(a, b)


# -- Roots and subtree hashes ------------------------------------------------------------------


def subtree_hash(start: int, end: int, reader: HashReader) -> bytes:
    """MTH(D[start:end]), the hash of the leaves start..end-1 taken as a tree of their own.

    Complete subtrees are read from `reader`; any other range is split as RFC 9162 splits it. The
    ranges that proofs need (the right parts of splits) cost at most one read per level.
    """
    if not 0 <= start < end:
        raise ValueError(f"no leaves in [{start}, {end})")
    size = end - start
    if _is_power_of_two(size) and start % size == 0:
        level = size.bit_length() - 1
        return reader(level, start >> level)
    k = _split(size)
    return node_hash(subtree_hash(start, start + k, reader), subtree_hash(start + k, end, reader))


def root_hash(size: int, reader: HashReader) -> bytes:
    """The root hash of the tree of the first `size` leaves (EMPTY_ROOT for none)."""
    if size < 0:
        raise ValueError(f"negative tree size {size}")
    if size == 0:
        return EMPTY_ROOT
    return subtree_hash(0, size, reader)


def _mth(leaf_hashes: Sequence[bytes], start: int, end: int) -> bytes:
    if end - start == 1:
        return leaf_hashes[start]
    k = _split(end - start)
    return node_hash(_mth(leaf_hashes, start, start + k), _mth(leaf_hashes, start + k, end))


def root_from_leaf_hashes(leaf_hashes: Sequence[bytes]) -> bytes:
    """The root hash of a tree given all its leaf hashes, computed from them alone."""
    if not leaf_hashes:
        return EMPTY_ROOT
    return _mth(leaf_hashes, 0, len(leaf_hashes))


def leaf_hash_reader(leaf_hashes: Sequence[bytes]) -> HashReader:
    """A `HashReader` that computes every complete subtree hash from the stored leaf hashes.

    Each read hashes the 2**level leaves of the subtree again: fine for small trees and for
    checking a store, not for serving proofs of a large log (use a store of all the hashes).
    """

    def read(level: int, index: int) -> bytes:
        start, end = index << level, (index + 1) << level
        if level < 0 or index < 0 or end > len(leaf_hashes):
            raise IndexError(f"subtree ({level}, {index}) is not complete in a tree of {len(leaf_hashes)}")
        return _mth(leaf_hashes, start, end)

    return read


# -- Proof generation (RFC 9162 §2.1.3.1 and §2.1.4.1) ----------------------------------------


def inclusion_proof(index: int, size: int, reader: HashReader) -> list[bytes]:
    """The audit path PATH(index, D[0:size]): the sibling hashes from the leaf up to the root."""
    if not 0 <= index < size:
        raise ValueError(f"leaf {index} is not in a tree of {size}")
    path: list[bytes] = []
    start, end = 0, size
    while end - start > 1:
        k = _split(end - start)
        if index < start + k:
            path.append(subtree_hash(start + k, end, reader))
            end = start + k
        else:
            path.append(subtree_hash(start, start + k, reader))
            start += k
    path.reverse()  # collected from the root down; the proof lists them from the leaf up
    return path


def consistency_proof(old_size: int, new_size: int, reader: HashReader) -> list[bytes]:
    """PROOF(old_size, D[0:new_size]): the hashes that show the new tree extends the old one.

    The old tree must have at least one leaf (every tree extends the empty one; there is nothing
    to prove). Equal sizes give an empty proof.
    """
    if not 0 < old_size <= new_size:
        raise ValueError(f"no consistency proof from a tree of {old_size} to one of {new_size}")
    path: list[bytes] = []
    start, end = 0, new_size
    whole_old_tree = True  # SUBPROOF's flag b: the subtree being proved is the old tree itself
    while old_size != end:
        k = _split(end - start)
        if old_size - start <= k:
            path.append(subtree_hash(start + k, end, reader))
            end = start + k
        else:
            path.append(subtree_hash(start, start + k, reader))
            start += k
            whole_old_tree = False
    if not whole_old_tree:
        path.append(subtree_hash(start, end, reader))
    path.reverse()
    return path


# -- Proof verification (RFC 9162 §2.1.3.2 and §2.1.4.2) --------------------------------------


def root_from_inclusion_proof(index: int, size: int, leaf: bytes, proof: Sequence[bytes]) -> bytes:
    """The root hash that an inclusion proof of `leaf` (a leaf hash) at `index` leads to."""
    if not 0 <= index < size:
        raise InvalidProofError(f"leaf index {index} is not in a tree of {size}")
    _check_hash(leaf, "the leaf hash")
    for i, p in enumerate(proof):
        _check_hash(p, f"proof hash {i}")
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            raise InvalidProofError(f"the proof has more hashes than a path in a tree of {size}")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise InvalidProofError(f"the proof has fewer hashes than a path in a tree of {size}")
    return r


def verify_inclusion(index: int, size: int, leaf: bytes, proof: Sequence[bytes], root: bytes) -> None:
    """Check that `leaf` (a leaf hash) is leaf `index` of the tree of `size` with `root`.

    Raises `InvalidProofError` if not.
    """
    computed = root_from_inclusion_proof(index, size, leaf, proof)
    if not _same(computed, root):
        raise InvalidProofError(
            f"the inclusion proof of leaf {index} does not lead to the root of tree {size}"
        )


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> None:
    """Check that the tree of `new_size` with `new_root` extends the tree of `old_size` with `old_root`.

    Raises `InvalidProofError` if not. A proof from the empty tree is refused: it proves nothing
    (every tree extends the empty tree) and asking for one is a caller's mistake.
    """
    if old_size < 0 or new_size < old_size:
        raise InvalidProofError(f"a tree of {new_size} cannot extend a tree of {old_size}")
    if old_size == 0:
        raise InvalidProofError("a consistency proof from the empty tree proves nothing")
    if old_size == new_size:
        if proof:
            raise InvalidProofError("trees of the same size need an empty consistency proof")
        if not _same(old_root, new_root):
            raise InvalidProofError(f"two trees of size {old_size} have different roots")
        return
    if not proof:
        raise InvalidProofError(f"an empty consistency proof from {old_size} to {new_size}")
    _check_hash(old_root, "the old root")
    _check_hash(new_root, "the new root")
    for i, p in enumerate(proof):
        _check_hash(p, f"proof hash {i}")
    path = list(proof)
    if _is_power_of_two(old_size):
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise InvalidProofError(
                f"the consistency proof from {old_size} to {new_size} has too many hashes"
            )
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise InvalidProofError(f"the consistency proof from {old_size} to {new_size} has too few hashes")
    if not _same(fr, old_root):
        raise InvalidProofError(f"the consistency proof does not lead to the old root (tree {old_size})")
    if not _same(sr, new_root):
        raise InvalidProofError(f"the consistency proof does not lead to the new root (tree {new_size})")


# -- Stored hash index -------------------------------------------------------------------------


def _hashes_before_leaf(m: int) -> int:
    # Leaf j adds 1 + (trailing zeros of j + 1) hashes; summed over j < m that is 2m - popcount(m).
    return 2 * m - m.bit_count()


def stored_hash_index(level: int, index: int) -> int:
    """Where the hash of the complete subtree (level, index) sits in the dense storage order."""
    if level < 0 or index < 0:
        raise ValueError(f"no subtree ({level}, {index})")
    last_leaf = ((index + 1) << level) - 1  # the leaf whose append completes this subtree
    return _hashes_before_leaf(last_leaf) + level


def split_stored_hash_index(stored: int) -> tuple[int, int]:
    """The (level, index) of the subtree whose hash sits at `stored`: the inverse of `stored_hash_index`."""
    if stored < 0:
        raise ValueError(f"negative stored hash index {stored}")
    m = stored // 2  # _hashes_before_leaf(m) <= 2m <= stored
    while _hashes_before_leaf(m + 1) <= stored:
        m += 1
    level = stored - _hashes_before_leaf(m)
    return level, ((m + 1) >> level) - 1


def stored_hash_count(size: int) -> int:
    """How many hashes a tree of `size` leaves stores (every complete subtree once)."""
    if size < 0:
        raise ValueError(f"negative tree size {size}")
    return _hashes_before_leaf(size)


def hashes_for_new_leaf(index: int, leaf: bytes, reader: HashReader) -> list[bytes]:
    """The hashes to store when leaf `index` (its leaf hash `leaf`) is appended.

    They go at stored_hash_index(0, index) onwards: the leaf hash, then the hash of each complete
    subtree the new leaf completes, lowest first; `reader` gives the earlier subtrees.
    """
    _check_hash(leaf, "the leaf hash")
    hashes = [leaf]
    level, at, current = 0, index, leaf
    while at & 1:  # a right child: its parent is now complete
        current = node_hash(reader(level, at - 1), current)
        hashes.append(current)
        level, at = level + 1, at >> 1
    return hashes


class MemoryStore:
    """A whole log's hashes in memory, in stored-hash-index order (for tests and small tools)."""

    def __init__(self) -> None:
        self._hashes: list[bytes] = []
        self._size = 0

    @property
    def size(self) -> int:
        """How many leaves the log has."""
        return self._size

    def append(self, entry: bytes) -> int:
        """Append an entry (hashing it as a leaf); returns its index."""
        return self.append_leaf_hash(leaf_hash(entry))

    def append_leaf_hash(self, leaf: bytes) -> int:
        """Append a leaf by its hash; returns its index."""
        index = self._size
        self._hashes.extend(hashes_for_new_leaf(index, leaf, self.read))
        self._size += 1
        return index

    def read(self, level: int, index: int) -> bytes:
        """The hash of the complete subtree (level, index); a `HashReader`."""
        if level < 0 or index < 0 or (index + 1) << level > self._size:
            raise IndexError(f"subtree ({level}, {index}) is not complete in a tree of {self._size}")
        return self._hashes[stored_hash_index(level, index)]

    def stored_hashes(self) -> list[bytes]:
        """Every stored hash, in stored-hash-index order."""
        return list(self._hashes)

    def root(self, size: int | None = None) -> bytes:
        """The root hash of the tree of the first `size` leaves (all of them by default)."""
        size = self._size if size is None else size
        if size > self._size:
            raise ValueError(f"the log has {self._size} leaves, not {size}")
        return root_hash(size, self.read)
