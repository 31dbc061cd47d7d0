"""C2SP tlog-tiles: paths, which tiles a tree has, tile bytes, reading hashes back, entry bundles."""

from __future__ import annotations

import pytest

from gerbang.ledger.tlog.errors import InvalidProofError
from gerbang.ledger.tlog.merkle import (
    HASH_SIZE,
    MemoryStore,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    root_from_leaf_hashes,
    root_hash,
    verify_consistency,
    verify_inclusion,
)
from gerbang.ledger.tlog.tiles import (
    TILE_WIDTH,
    BundleMismatchError,
    MalformedTileError,
    Tile,
    TileHashReader,
    check_bundle,
    decode_bundle,
    encode_bundle,
    encode_index,
    new_tiles,
    parse_entries_path,
    parse_tile_path,
    tile_data,
    tile_for,
    tile_hashes,
    tiles_for_size,
)


def log_of(size: int) -> tuple[MemoryStore, list[bytes]]:
    store = MemoryStore()
    entries = [f"case event {i}".encode() for i in range(size)]
    for entry in entries:
        store.append(entry)
    return store, entries


# -- Paths ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("index", "encoded"),
    [
        (0, "000"),
        (5, "005"),
        (999, "999"),
        (1000, "x001/000"),
        (1234067, "x001/x234/067"),
        (10**9, "x001/x000/x000/000"),
    ],
)
def test_tile_indexes_are_written_in_groups_of_three_digits(index, encoded) -> None:
    assert encode_index(index) == encoded


@pytest.mark.parametrize(
    ("tile", "path", "entries"),
    [
        (Tile(0, 0), "tile/0/000", "tile/entries/000"),
        (Tile(0, 1234067), "tile/0/x001/x234/067", "tile/entries/x001/x234/067"),
        (Tile(0, 273, 112), "tile/0/273.p/112", "tile/entries/273.p/112"),
        (Tile(2, 0, 1), "tile/2/000.p/1", None),
        (Tile(63, 1000, 255), "tile/63/x001/000.p/255", None),
    ],
)
def test_tile_paths_round_trip(tile, path, entries) -> None:
    assert tile.path() == path
    assert parse_tile_path(path) == tile
    if entries:
        assert tile.entries_path() == entries
        assert parse_entries_path(entries) == tile
    else:
        with pytest.raises(ValueError, match="level-0"):
            tile.entries_path()


@pytest.mark.parametrize(
    "path",
    [
        "tile/0/1",  # not three digits
        "tile/0/0001",
        "tile/0/x000/001",  # a superfluous leading group
        "tile/0/001/002",  # a group without its x
        "tile/0/x001",  # ends in an x group
        "tile/00/000",  # a leading zero in the level
        "tile/64/000",  # level out of range
        "tile/-1/000",
        "tile/0/000.p/0",  # width out of range
        "tile/0/000.p/256",
        "tile/0/000.p/007",
        "tile/0/000.p/",
        "/tile/0/000",
        "tile/0/000/",
        "tile/entries/000",  # an entry bundle is no hash tile
        "tile/8/0/000",  # Go sumdb's tile/<H>/<L>/<N> form, not C2SP's
    ],
)
def test_malformed_tile_paths_are_refused(path) -> None:
    with pytest.raises(MalformedTileError):
        parse_tile_path(path)


@pytest.mark.parametrize(
    "path", ["tile/entries/1", "tile/entries/000.p/256", "tile/entries/x000/000", "tile/0/000"]
)
def test_malformed_entry_bundle_paths_are_refused(path) -> None:
    with pytest.raises(MalformedTileError):
        parse_entries_path(path)


# -- Which tiles ------------------------------------------------------------------------------------


def test_the_spec_example_tree_of_70000() -> None:
    tiles = tiles_for_size(70_000)
    assert [t for t in tiles if t.level == 0 and not t.is_partial] == [Tile(0, n) for n in range(273)]
    assert [t for t in tiles if t.is_partial or t.level > 0] == [
        Tile(0, 273, 112),
        Tile(1, 0),
        Tile(1, 1, 17),
        Tile(2, 0, 1),
    ]


def test_a_tree_of_256_has_a_full_tile_and_a_partial_one_above() -> None:
    assert tiles_for_size(256) == [Tile(0, 0), Tile(1, 0, 1)]
    assert tiles_for_size(0) == []
    assert tiles_for_size(1) == [Tile(0, 0, 1)]


def test_new_tiles_are_the_difference_between_two_sizes() -> None:
    for old, new in [
        (0, 0),
        (0, 1),
        (1, 2),
        (255, 256),
        (256, 257),
        (100, 70_000),
        (65_535, 65_536),
        (70_000, 70_000),
    ]:
        before, after = set(tiles_for_size(old)), set(tiles_for_size(new))
        assert set(new_tiles(old, new)) == after - before
    with pytest.raises(ValueError):
        new_tiles(5, 4)


def test_tile_for_a_subtree() -> None:
    assert tile_for(0, 5, 10) == (Tile(0, 0, 10), 5)
    assert tile_for(0, 300, 70_000) == (Tile(0, 1), 44)
    assert tile_for(3, 1, 70_000) == (Tile(0, 0), 8)  # 8 leaf hashes, from the 8th
    assert tile_for(8, 0, 70_000) == (Tile(1, 0), 0)
    assert tile_for(9, 135, 70_000) == (Tile(1, 1, 17), 14)  # level-8 hashes 270 and 271
    with pytest.raises(IndexError):
        tile_for(9, 136, 70_000)  # would need level-8 hash 273: leaves up to 70,144
    with pytest.raises(IndexError):
        tile_for(0, 10, 10)
    with pytest.raises(IndexError):
        tile_for(4, 0, 15)


# -- Tile bytes and reading back ------------------------------------------------------------------


def test_level_one_hashes_are_the_roots_of_full_level_zero_tiles() -> None:
    store, _ = log_of(600)
    level0 = tile_hashes(Tile(0, 1), tile_data(Tile(0, 1), store.read))
    level1 = tile_hashes(Tile(1, 0, 2), tile_data(Tile(1, 0, 2), store.read))
    assert len(tile_data(Tile(0, 0), store.read)) == TILE_WIDTH * HASH_SIZE == 8192
    assert level1[1] == root_from_leaf_hashes(level0)
    assert level0[0] == leaf_hash(b"case event 256")


@pytest.mark.parametrize("size", [1, 2, 255, 256, 257, 511, 513, 4097, 65_536, 70_000])
def test_tiles_round_trip_to_the_same_root_and_proofs(size) -> None:
    store, _ = log_of(size)
    files = {tile.path(): tile_data(tile, store.read) for tile in tiles_for_size(size)}
    fetched: list[str] = []

    def fetch(tile: Tile) -> bytes:
        fetched.append(tile.path())
        return files[tile.path()]

    reader = TileHashReader(size, fetch)
    root = store.root()
    assert root_hash(size, reader) == root
    for index in sorted({0, size // 3, size // 2, size - 1}):
        proof = inclusion_proof(index, size, reader)
        assert proof == inclusion_proof(index, size, store.read)
        verify_inclusion(index, size, reader(0, index), proof, root)
    for old in sorted({1, size // 2 or 1, size - 1 or 1}):
        proof = consistency_proof(old, size, reader)
        assert proof == consistency_proof(old, size, store.read)
        verify_consistency(old, size, store.root(old), root, proof)
    assert len(fetched) == len(set(fetched))  # each tile fetched once


def test_tiles_written_as_the_log_grows_serve_every_checkpoint() -> None:
    store = MemoryStore()
    served: dict[str, bytes] = {}
    checkpoints: list[tuple[int, bytes]] = []
    size = 0
    for grown in [3, 256, 300, 1000, 65_537]:
        while store.size < grown:
            store.append(store.size.to_bytes(4, "big"))
        for tile in new_tiles(size, grown):
            assert tile.path() not in served  # tiles are immutable: a path is never written twice
            served[tile.path()] = tile_data(tile, store.read)
        size = grown
        checkpoints.append((size, store.root()))
    for size, root in checkpoints:
        reader = TileHashReader(size, lambda tile: served[tile.path()])
        assert root_hash(size, reader) == root
    old_size, old_root = checkpoints[1]
    new_size, new_root = checkpoints[-1]
    reader = TileHashReader(new_size, lambda tile: served[tile.path()])
    verify_consistency(old_size, new_size, old_root, new_root, consistency_proof(old_size, new_size, reader))


def test_a_tile_of_the_wrong_length_is_refused() -> None:
    store, _ = log_of(10)
    data = tile_data(Tile(0, 0, 10), store.read)
    with pytest.raises(MalformedTileError):
        tile_hashes(Tile(0, 0, 10), data[:-1])
    reader = TileHashReader(10, lambda tile: data + b"\x00")
    with pytest.raises(MalformedTileError):
        reader(0, 0)


def test_a_forged_tile_gives_proofs_that_fail_against_the_signed_root() -> None:
    store, _ = log_of(600)
    files = {tile: tile_data(tile, store.read) for tile in tiles_for_size(600)}
    forged = bytearray(files[Tile(0, 1)])
    forged[0] ^= 1  # the hash of leaf 256
    files[Tile(0, 1)] = bytes(forged)
    reader = TileHashReader(600, files.__getitem__)
    # The root comes from the level-1 tile, which is honest: tiles do not vouch for each other...
    assert root_hash(600, reader) == store.root()
    # ...but a proof read through the forged tile does not lead to the signed root.
    proof = inclusion_proof(300, 600, reader)
    assert proof != inclusion_proof(300, 600, store.read)
    with pytest.raises(InvalidProofError, match="does not lead to the root"):
        verify_inclusion(300, 600, store.read(0, 300), proof, store.root())


# -- Entry bundles ------------------------------------------------------------------------------------


def test_entry_bundles_round_trip_and_match_their_tile() -> None:
    store, entries = log_of(300)
    full = encode_bundle(entries[:256])
    partial = encode_bundle(entries[256:])
    assert full[:2] == len(entries[0]).to_bytes(2, "big")
    assert decode_bundle(full) == entries[:256]
    assert decode_bundle(partial, 44) == entries[256:]
    check_bundle(decode_bundle(full), Tile(0, 0), tile_data(Tile(0, 0), store.read))
    check_bundle(decode_bundle(partial), Tile(0, 1, 44), tile_data(Tile(0, 1, 44), store.read))
    assert decode_bundle(encode_bundle([b""])) == [b""]
    assert decode_bundle(encode_bundle([b"x" * 0xFFFF])) == [b"x" * 0xFFFF]


def test_a_bundle_that_does_not_hash_to_its_tile_is_refused() -> None:
    store, entries = log_of(10)
    data = tile_data(Tile(0, 0, 10), store.read)
    with pytest.raises(BundleMismatchError, match="entry 3"):
        check_bundle([*entries[:3], b"rewritten", *entries[4:]], Tile(0, 0, 10), data)
    with pytest.raises(BundleMismatchError):
        check_bundle(entries[:9], Tile(0, 0, 10), data[: 9 * HASH_SIZE] + data[9 * HASH_SIZE :])


@pytest.mark.parametrize(
    "data",
    [b"", b"\x00", b"\x00\x05abc", b"\x00\x01a\x00", b"\x00\x00" * 257],
)
def test_malformed_bundles_are_refused(data) -> None:
    with pytest.raises(MalformedTileError):
        decode_bundle(data)


def test_bundle_limits() -> None:
    with pytest.raises(MalformedTileError, match="not 3"):
        decode_bundle(encode_bundle([b"a", b"b"]), 3)
    with pytest.raises(ValueError, match="more than a bundle"):
        encode_bundle([b"x" * 0x10000])
    with pytest.raises(ValueError, match="1 to 256"):
        encode_bundle([])
    with pytest.raises(ValueError, match="1 to 256"):
        encode_bundle([b""] * 257)
