"""C2SP tlog-tiles (https://c2sp.org/tlog-tiles): the log served as static files.

The tree's hashes are cut into *tiles* of 256 consecutive hashes at levels 0, 8, 16, ... of the
tree: tile level L holds the hashes of the complete subtrees of 256**L leaves, so tile (L, N)
holds the tree-level 8L hashes N*256 .. N*256+255, and it spans the leaves
[N * 256**(L+1), (N+1) * 256**(L+1)). The levels in between are recomputed by hashing.

A tree whose size is not a multiple of 256**(L+1) also has a *partial* tile at level L, of width
floor(size / 256**L) mod 256, served at the path with a `.p/<W>` suffix. Full tiles are 8,192
bytes (256 hashes of 32 bytes).

Entries are served in *bundles* beside the level-0 tiles: each entry a big-endian uint16 length
then its bytes; the hash of entry i of a bundle (RFC 9162 leaf hash) is hash i of the matching
level-0 tile.

Paths: `tile/<L>/<N>[.p/<W>]` and `tile/entries/<N>[.p/<W>]`, where N is written in 3-digit
groups, all but the last prefixed with `x` (1234067 is `x001/x234/067`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from gerbang.ledger.tlog.errors import MalformedError, TlogError
from gerbang.ledger.tlog.merkle import HASH_SIZE, HashReader, leaf_hash, root_from_leaf_hashes

TILE_HEIGHT = 8
TILE_WIDTH = 1 << TILE_HEIGHT  # 256 hashes
MAX_TILE_LEVEL = 63
MAX_ENTRY_SIZE = 0xFFFF  # an entry's length is a uint16

_LEVEL = r"0|[1-9][0-9]?"
_INDEX = r"(?:x[0-9]{3}/)*[0-9]{3}"
_WIDTH = r"[1-9][0-9]{0,2}"
_TILE_PATH = re.compile(rf"tile/({_LEVEL})/({_INDEX})(?:\.p/({_WIDTH}))?")
_ENTRIES_PATH = re.compile(rf"tile/entries/({_INDEX})(?:\.p/({_WIDTH}))?")


class MalformedTileError(MalformedError):
    """A tile path, tile or entry bundle that does not follow the tlog-tiles format."""


class BundleMismatchError(TlogError):
    """An entry bundle whose entries do not hash to its level-0 tile."""


def encode_index(index: int) -> str:
    """A tile index in 3-digit groups: 1234067 -> 'x001/x234/067', 5 -> '005'."""
    if index < 0:
        raise ValueError(f"negative tile index {index}")
    groups = []
    while True:
        groups.append(f"{index % 1000:03d}")
        index //= 1000
        if not index:
            break
    groups.reverse()
    return "/".join([f"x{g}" for g in groups[:-1]] + groups[-1:])


def _decode_index(text: str, path: str) -> int:
    index = int(text.replace("x", "").replace("/", ""))
    if encode_index(index) != text:  # no superfluous leading groups such as x000/
        raise MalformedTileError(f"tile path {path!r} writes its index in a non-canonical form")
    return index


@dataclass(frozen=True, order=True)
class Tile:
    """Tile N at tile level L, `width` hashes wide (256 unless it is partial)."""

    level: int
    index: int
    width: int = TILE_WIDTH

    def __post_init__(self) -> None:
        if not 0 <= self.level <= MAX_TILE_LEVEL:
            raise ValueError(f"tile level {self.level} is out of range")
        if self.index < 0:
            raise ValueError(f"negative tile index {self.index}")
        if not 1 <= self.width <= TILE_WIDTH:
            raise ValueError(f"tile width {self.width} is out of range")

    @property
    def is_partial(self) -> bool:
        return self.width < TILE_WIDTH

    def _suffix(self) -> str:
        return f".p/{self.width}" if self.is_partial else ""

    def path(self) -> str:
        """Where the tile is served: tile/<L>/<N>[.p/<W>]."""
        return f"tile/{self.level}/{encode_index(self.index)}{self._suffix()}"

    def entries_path(self) -> str:
        """Where the entry bundle of this level-0 tile is served: tile/entries/<N>[.p/<W>]."""
        if self.level != 0:
            raise ValueError("only level-0 tiles have an entry bundle")
        return f"tile/entries/{encode_index(self.index)}{self._suffix()}"

    @property
    def first_hash(self) -> int:
        """The index, at tree level 8L, of the tile's first hash."""
        return self.index * TILE_WIDTH

    @property
    def start(self) -> int:
        """The first leaf the tile spans."""
        return self.first_hash << (TILE_HEIGHT * self.level)

    @property
    def end(self) -> int:
        """One past the last leaf the tile's hashes span."""
        return (self.first_hash + self.width) << (TILE_HEIGHT * self.level)


def parse_tile_path(path: str) -> Tile:
    """The tile a `tile/<L>/<N>[.p/<W>]` path names, strictly."""
    match = _TILE_PATH.fullmatch(path)
    if not match:
        raise MalformedTileError(f"{path!r} is not a tile path")
    level = int(match[1])
    width = int(match[3]) if match[3] else TILE_WIDTH
    if level > MAX_TILE_LEVEL or (match[3] and width >= TILE_WIDTH):
        raise MalformedTileError(f"tile path {path!r} has a level or width out of range")
    return Tile(level, _decode_index(match[2], path), width)


def parse_entries_path(path: str) -> Tile:
    """The level-0 tile whose entry bundle a `tile/entries/<N>[.p/<W>]` path names."""
    match = _ENTRIES_PATH.fullmatch(path)
    if not match:
        raise MalformedTileError(f"{path!r} is not an entry bundle path")
    width = int(match[2]) if match[2] else TILE_WIDTH
    if match[2] and width >= TILE_WIDTH:
        raise MalformedTileError(f"entry bundle path {path!r} has a width out of range")
    return Tile(0, _decode_index(match[1], path), width)


# -- Which tiles a tree has ---------------------------------------------------------------------


def _hashes_at(level: int, size: int) -> int:
    """How many complete subtrees of 256**level leaves a tree of `size` has."""
    return size >> (TILE_HEIGHT * level)


def tiles_for_size(size: int) -> list[Tile]:
    """Every tile of a tree of `size` leaves: the full ones and the partial one of each level."""
    if size < 0:
        raise ValueError(f"negative tree size {size}")
    tiles: list[Tile] = []
    level = 0
    while (count := _hashes_at(level, size)) > 0:
        full, partial = divmod(count, TILE_WIDTH)
        tiles.extend(Tile(level, n) for n in range(full))
        if partial:
            tiles.append(Tile(level, full, partial))
        level += 1
    return tiles


def new_tiles(old_size: int, new_size: int) -> list[Tile]:
    """The tiles a tree of `new_size` has that a tree of `old_size` did not (to write on growth)."""
    if not 0 <= old_size <= new_size:
        raise ValueError(f"a tree of {new_size} does not grow from {old_size}")
    tiles: list[Tile] = []
    level = 0
    while (count := _hashes_at(level, new_size)) > 0:
        old_count = _hashes_at(level, old_size)
        for n in range(old_count // TILE_WIDTH, -(-count // TILE_WIDTH)):
            width = min(TILE_WIDTH, count - n * TILE_WIDTH)
            old_width = min(TILE_WIDTH, max(0, old_count - n * TILE_WIDTH))
            if width != old_width:
                tiles.append(Tile(level, n, width))
        level += 1
    return tiles


def tile_for(tree_level: int, index: int, size: int) -> tuple[Tile, int]:
    """The tile of a tree of `size` that holds the hashes for the subtree (tree_level, index).

    Returns the tile and the position in it of the first of the 2**(tree_level mod 8) hashes
    that the subtree's hash is computed from.
    """
    if tree_level < 0 or index < 0 or (index + 1) << tree_level > size:
        raise IndexError(f"subtree ({tree_level}, {index}) is not complete in a tree of {size}")
    level, below = divmod(tree_level, TILE_HEIGHT)
    first = index << below  # at tree level 8 * level
    n, position = divmod(first, TILE_WIDTH)
    count = _hashes_at(level, size)
    width = TILE_WIDTH if (n + 1) * TILE_WIDTH <= count else count - n * TILE_WIDTH
    return Tile(level, n, width), position


# -- Tile contents --------------------------------------------------------------------------------


def tile_data(tile: Tile, reader: HashReader) -> bytes:
    """The bytes of a tile: its hashes, read from `reader`, concatenated."""
    tree_level = TILE_HEIGHT * tile.level
    return b"".join(reader(tree_level, tile.first_hash + i) for i in range(tile.width))


def tile_hashes(tile: Tile, data: bytes) -> list[bytes]:
    """The hashes in a tile's bytes (exactly `width` of them)."""
    if len(data) != tile.width * HASH_SIZE:
        raise MalformedTileError(f"tile {tile.path()} has {len(data)} bytes, not {tile.width * HASH_SIZE}")
    return [data[i : i + HASH_SIZE] for i in range(0, len(data), HASH_SIZE)]


class TileHashReader:
    """A `HashReader` over the tiles of a tree of `size`, fetched by `fetch` (and kept).

    Tiles are not authenticated one by one: a root or proof computed from them proves something
    only once it is checked against a signed checkpoint (compare `root_hash(size, reader)` with
    the checkpoint's root; `verify_inclusion` and `verify_consistency` check proofs).
    """

    def __init__(self, size: int, fetch: Callable[[Tile], bytes]) -> None:
        self.size = size
        self._fetch = fetch
        self._tiles: dict[Tile, list[bytes]] = {}

    def hashes(self, tile: Tile) -> list[bytes]:
        """A tile's hashes, fetching it the first time."""
        if tile not in self._tiles:
            self._tiles[tile] = tile_hashes(tile, self._fetch(tile))
        return self._tiles[tile]

    def __call__(self, tree_level: int, index: int) -> bytes:
        tile, position = tile_for(tree_level, index, self.size)
        span = 1 << (tree_level % TILE_HEIGHT)
        return root_from_leaf_hashes(self.hashes(tile)[position : position + span])


# -- Entry bundles ----------------------------------------------------------------------------------


def encode_bundle(entries: Sequence[bytes]) -> bytes:
    """An entry bundle: each entry as a big-endian uint16 length and its bytes."""
    if not 1 <= len(entries) <= TILE_WIDTH:
        raise ValueError(f"a bundle holds 1 to {TILE_WIDTH} entries, not {len(entries)}")
    parts = []
    for i, entry in enumerate(entries):
        if len(entry) > MAX_ENTRY_SIZE:
            raise ValueError(f"entry {i} has {len(entry)} bytes, more than a bundle can hold")
        parts.append(len(entry).to_bytes(2, "big") + entry)
    return b"".join(parts)


def decode_bundle(data: bytes, width: int | None = None) -> list[bytes]:
    """The entries of a bundle, strictly (and exactly `width` of them when given)."""
    entries: list[bytes] = []
    at = 0
    while at < len(data):
        if at + 2 > len(data):
            raise MalformedTileError(f"entry bundle cut inside the length of entry {len(entries)}")
        length = int.from_bytes(data[at : at + 2], "big")
        at += 2
        if at + length > len(data):
            raise MalformedTileError(f"entry bundle cut inside entry {len(entries)}")
        entries.append(data[at : at + length])
        at += length
    if not 1 <= len(entries) <= TILE_WIDTH:
        raise MalformedTileError(f"an entry bundle holds 1 to {TILE_WIDTH} entries, not {len(entries)}")
    if width is not None and len(entries) != width:
        raise MalformedTileError(f"the entry bundle holds {len(entries)} entries, not {width}")
    return entries


def check_bundle(entries: Sequence[bytes], tile: Tile, data: bytes) -> None:
    """Check that a bundle's entries hash to the hashes of its level-0 tile (bytes `data`)."""
    if tile.level != 0:
        raise ValueError("entry bundles match level-0 tiles")
    hashes = tile_hashes(tile, data)
    if len(entries) != len(hashes):
        raise BundleMismatchError(f"{len(entries)} entries for a tile of {len(hashes)} hashes")
    for i, (entry, expected) in enumerate(zip(entries, hashes, strict=True)):
        if leaf_hash(entry) != expected:
            raise BundleMismatchError(f"entry {tile.first_hash + i} does not hash to its tile's hash")
