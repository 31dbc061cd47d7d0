"""A standalone verifier of the public log: what an outside auditor runs against its address.

``python -m gerbang.ledger verify URL [--key VKEY ...] [--keys FILE] [--state FILE] [--event ID ...] [--witness VKEY ...]``

It depends on the standard library (``urllib``), ``cryptography`` and ``gerbang.ledger.tlog`` only
(no Django, nothing else of Gerbang; ``tests/test_standalone.py`` keeps it so). It trusts nothing
the server says but what the log's key signed:

1. the checkpoint is opened with the log's keys (given, pinned in the state file, or on a first
   run taken from ``/ledger/key``, with a warning), each valid only for the checkpoint sizes of its
   period (a log may replace its key: ``tlog.keyring``); a checkpoint signed by a key not given, or
   only by a retired key after its period, is reported; witnesses' cosignatures are checked for
   the witness keys given;
2. every tile and entry bundle of the checkpoint's tree is fetched; each entry must hash to its
   level-0 tile's hash, the entries must make the signed root, the tiles must make it too, and
   every tile's hash must be the hash of the leaves it spans; each leaf must be a canonical
   leaf v1 and no event id may appear twice;
3. with a state file of an earlier run, the tree must extend the tree verified then (the leaves
   recomputed, and the log's consistency proof checked): otherwise the log was rewritten or forked;
4. each ``--event`` must be in the tree, by the inclusion-proof API, checked against the root.

Everything is reported; the exit status is 0 when the log is consistent, 1 when a problem was
found, 2 when the verifier could not run (bad arguments, unreadable state file).
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from gerbang.ledger.tlog.checkpoint import Checkpoint, WrongOriginError
from gerbang.ledger.tlog.errors import InvalidProofError, TlogError
from gerbang.ledger.tlog.keyring import (
    KeyRing,
    OpenedCheckpoint,
    RetiredKeyError,
    open_checkpoint_with,
)
from gerbang.ledger.tlog.merkle import (
    HASH_SIZE,
    MemoryStore,
    leaf_hash,
    root_from_leaf_hashes,
    root_hash,
    verify_consistency,
    verify_inclusion,
)
from gerbang.ledger.tlog.note import (
    Ed25519Verifier,
    InvalidSignatureError,
    Signature,
    UnknownKeyError,
    cosignature_timestamp,
    open_note,
    parse_verifier_key,
)
from gerbang.ledger.tlog.tiles import (
    TILE_HEIGHT,
    MalformedTileError,
    Tile,
    TileHashReader,
    decode_bundle,
    tile_hashes,
    tiles_for_size,
)

USER_AGENT = "gerbang-ledger-verifier/1"
TIMEOUT = 30
MAX_DETAILS = 20  # problems of one kind listed one by one; the rest are counted
STATE_VERSION = 1

LEAF_KEYS = frozenset(
    {"v", "id", "code", "subject_type", "subject_id", "office", "actor", "system", "at", "details"}
)
_HEX_HASH = re.compile(r"[0-9a-f]{64}")
_AT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z")


class FetchError(Exception):
    """The server did not give what was asked: an HTTP status, or no answer at all."""

    def __init__(self, url: str, status: int | None, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.status = status
        self.reason = reason


class StateError(Exception):
    """The state file cannot be read as a state of this verifier."""


Fetch = Callable[[str], bytes]


def http_fetch(url: str) -> bytes:
    """GET ``url`` and return the body; a status other than 200 raises FetchError."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
            return bytes(response.read())
    except urllib.error.HTTPError as error:
        raise FetchError(url, error.code, f"HTTP {error.code}") from error
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise FetchError(url, None, f"no answer ({reason})") from error


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: Any, what: str) -> bytes:
    if not isinstance(text, str):
        raise ValueError(f"{what} is not a base64 string")
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as error:
        raise ValueError(f"{what} is not base64") from error


# -- The state kept between runs --------------------------------------------------------------


@dataclass(frozen=True)
class State:
    """What an earlier run verified: the pinned keys, and the size, root and checkpoint then."""

    key: str
    size: int
    root: bytes
    checkpoint: str
    verified_at: str
    # The log's keys pinned, as a key list (tlog.keyring), current first; empty in a state saved
    # before keys could change, which pins ``key`` alone.
    keys: tuple[str, ...] = ()

    def ring(self) -> KeyRing:
        return KeyRing.parse("\n".join(self.keys)) if self.keys else KeyRing.of([self.key])

    def to_json(self) -> dict[str, Any]:
        return {
            "version": STATE_VERSION,
            "key": self.key,
            "keys": list(self.keys),
            "size": self.size,
            "root": b64(self.root),
            "checkpoint": self.checkpoint,
            "verified_at": self.verified_at,
        }

    @classmethod
    def from_json(cls, data: Any) -> State:
        if not isinstance(data, dict) or data.get("version") != STATE_VERSION:
            raise StateError(f"not a state file of this verifier (version {STATE_VERSION})")
        try:
            size, key = data["size"], data["key"]
            if not isinstance(size, int) or isinstance(size, bool) or size < 0 or not isinstance(key, str):
                raise StateError("the state's size or key is not valid")
            root = unb64(data["root"], "the state's root")
            if len(root) != HASH_SIZE:
                raise StateError("the state's root is not a 32-byte hash")
            keys = data.get("keys") or []
            if not isinstance(keys, list) or not all(isinstance(line, str) for line in keys):
                raise StateError("the state's keys are not a list of key lines")
            state = cls(key, size, root, str(data["checkpoint"]), str(data["verified_at"]), tuple(keys))
            state.ring()  # a malformed key list is a malformed state
            return state
        except (KeyError, ValueError) as error:
            raise StateError(f"the state file lacks or garbles {error}") from error


def load_state(path: Path) -> State | None:
    """The state saved at ``path``, or None if there is no such file yet."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as error:
        raise StateError(f"cannot read {path}: {error}") from error
    try:
        return State.from_json(json.loads(text))
    except json.JSONDecodeError as error:
        raise StateError(f"{path} is not JSON: {error}") from error


def save_state(path: Path, state: State) -> None:
    """Write the state (a new file, then renamed over the old one: never half written)."""
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps(state.to_json(), indent=2) + "\n", encoding="utf-8")
    os.replace(temporary, path)


# -- The report -------------------------------------------------------------------------------


@dataclass
class Report:
    """What the verifier found: facts, warnings, and problems (the log is consistent without any)."""

    lines: list[tuple[str, str]] = field(default_factory=list)

    def info(self, text: str) -> None:
        self.lines.append(("ok", text))

    def warn(self, text: str) -> None:
        self.lines.append(("warning", text))

    def problem(self, kind: str, text: str) -> None:
        self.lines.append((kind, text))

    def problems(self, kind: str | None = None) -> list[str]:
        return [text for k, text in self.lines if k not in ("ok", "warning") and kind in (None, k)]

    def details(self, kind: str, texts: Sequence[str]) -> None:
        """Report problems of one kind, the first MAX_DETAILS one by one and the rest counted."""
        for text in texts[:MAX_DETAILS]:
            self.problem(kind, text)
        if len(texts) > MAX_DETAILS:
            self.problem(kind, f"... and {len(texts) - MAX_DETAILS} more of the same kind")

    @property
    def consistent(self) -> bool:
        return not self.problems()

    def text(self) -> str:
        return "".join(f"{kind}: {text}\n" for kind, text in self.lines)


# -- Leaves -----------------------------------------------------------------------------------


def check_leaf_v1(data: bytes) -> tuple[int | None, list[str]]:
    """The event id of a canonical leaf v1 (docs/ledger.md), and what is wrong with it.

    A leaf of a later version is not judged (its id is read if it has one): the problem list
    then says so, prefixed with "unknown version".
    """
    try:
        text = data.decode("ascii")
        value = json.loads(text)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None, ["is not ASCII JSON text"]
    if not isinstance(value, dict):
        return None, ["is not a JSON object"]
    raw_id = value.get("id")
    event_id = raw_id if isinstance(raw_id, int) and not isinstance(raw_id, bool) else None
    if value.get("v") != 1:
        return event_id, [f"unknown version {value.get('v')!r}: not checked"]
    wrong: list[str] = []
    canonical = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    if canonical != text:
        wrong.append("is not in canonical form (sorted keys, no whitespace)")
    if set(value) != LEAF_KEYS:
        missing, extra = sorted(LEAF_KEYS - set(value)), sorted(set(value) - LEAF_KEYS)
        wrong.append(f"has the wrong keys (missing {missing}, unexpected {extra})")
    if event_id is None or event_id < 1:
        wrong.append(f"has no valid event id ({raw_id!r})")
    for key in ("code", "subject_type", "subject_id"):
        if key in value and not (isinstance(value[key], str) and value[key]):
            wrong.append(f"{key} is not a non-empty string")
    office = value.get("office")
    if office is not None and (not isinstance(office, int) or isinstance(office, bool)):
        wrong.append("office is not a number or null")
    actor = value.get("actor")
    if actor is not None and not (isinstance(actor, str) and _HEX_HASH.fullmatch(actor)):
        wrong.append("actor is not a keyed hash or null")
    system = value.get("system")
    if system is not None and not isinstance(system, str):
        wrong.append("system is not a string or null")
    if "details" in value and not (
        isinstance(value["details"], str) and _HEX_HASH.fullmatch(value["details"])
    ):
        wrong.append("details is not a keyed hash")
    at = value.get("at")
    if "at" in value:
        try:
            if not (isinstance(at, str) and _AT.fullmatch(at)):
                raise ValueError
            datetime.fromisoformat(at)
        except ValueError:
            wrong.append(f"at {at!r} is not a UTC time with microseconds")
    return event_id, wrong


# -- The verifier -----------------------------------------------------------------------------


def _leaves(start: int, end: int) -> str:
    return f"leaf {start}" if end - start == 1 else f"leaves {start}-{end - 1}"


@dataclass(frozen=True)
class _Latest:
    """The latest checkpoint, opened, and its note as served."""

    checkpoint: Checkpoint
    note_text: str


@dataclass
class Verifier:
    """One run against the log at ``base_url`` (the site's address: /ledger/... and /api/v1/...)."""

    base_url: str
    # The log's keys given (verifier keys or key lists; the first is the current one).
    keys: Sequence[str] = ()
    state_path: Path | None = None
    events: Sequence[int] = ()
    witnesses: Sequence[str] = ()
    fetch: Fetch = http_fetch
    now: Callable[[], datetime] = lambda: datetime.now(UTC)
    report: Report = field(default_factory=Report)

    def url(self, path: str, query: dict[str, int] | None = None) -> str:
        base = self.base_url.rstrip("/").removesuffix("/ledger") + "/"  # the site's address, or the log's
        address = urllib.parse.urljoin(base, path)
        return f"{address}?{urllib.parse.urlencode(query)}" if query else address

    def get(self, path: str, query: dict[str, int] | None = None) -> bytes:
        return self.fetch(self.url(path, query))

    # The steps, in order; each reports what it finds.

    def run(self) -> Report:
        witnesses = [parse_verifier_key(vkey) for vkey in self.witnesses]  # a malformed one stops here
        given = KeyRing.of(self.keys) if self.keys else None  # a malformed key stops here too
        state = self._load_state()
        ring = self._log_keys(given, state)
        opened = None if ring is None else self._checkpoint(ring)
        if ring is not None and opened is not None:
            checkpoint, note_text = opened.checkpoint, opened.note_text
            self._witnesses(note_text, witnesses)
            store = self._tree(checkpoint)
            if state is not None:
                self._against_state(state, checkpoint, store, ring)
            for event_id in self.events:
                self._event(event_id, checkpoint, ring)
        if ring is not None and opened is not None and self.report.consistent:
            self.report.info(
                f"consistent: the log of {checkpoint.size} leaves, root {b64(checkpoint.root_hash)}"
            )
            if self.state_path is not None:
                verified_at = self.now().astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
                new = State(
                    ring.current.verifier.verifier_key(),
                    checkpoint.size,
                    checkpoint.root_hash,
                    note_text,
                    verified_at,
                    tuple(ring.text().splitlines()),
                )
                save_state(self.state_path, new)
                self.report.info(f"state saved to {self.state_path}")
        else:
            count = len(self.report.problems())
            unsaved = "; the state file was not updated" if self.state_path else ""
            self.report.problem("not consistent", f"{count} problem(s) found{unsaved}")
        return self.report

    def _load_state(self) -> State | None:
        if self.state_path is None:
            return None
        state = load_state(self.state_path)
        if state is not None:
            self.report.info(
                f"state: size {state.size}, root {b64(state.root)}, verified on {state.verified_at}"
            )
        return state

    def _log_keys(self, given: KeyRing | None, state: State | None) -> KeyRing | None:
        if given is not None:
            if state is not None:
                self._given_against_pinned(given, state)
            return given
        if state is not None:
            self.report.info("keys: the ones pinned in the state file")
            return state.ring()
        try:
            text = self.get("ledger/key").decode("utf-8")
            served = KeyRing.parse(text)
        except (FetchError, UnicodeDecodeError, TlogError) as error:
            self.report.problem(
                "no key", f"the log's key could not be read from {self.url('ledger/key')}: {error}"
            )
            return None
        retired = [key.verifier.verifier_key() for key in served.keys if not key.current]
        self.report.warn(
            f"key {served.current.verifier.verifier_key()}"
            + (f" (and the retired keys {', '.join(retired)})" if retired else "")
            + " was taken from the log itself: compare it with one published out of band (pass it with "
            "--key, or the list with --keys), since a log's own word for its key proves nothing"
            + (" (pinned in the state file from now on)" if self.state_path else "")
        )
        return served

    def _given_against_pinned(self, given: KeyRing, state: State) -> None:
        pinned = state.ring().current
        now = given.find(pinned.name, pinned.key_id)
        if now is None:
            self.report.problem(
                "key changed",
                f"the keys given ({', '.join(key.verifier.verifier_key() for key in given.keys)}) do not "
                f"include the key pinned in the state file ({pinned.verifier.verifier_key()}) on "
                f"{state.verified_at}: the log changed its key, or someone is impersonating it; if the log "
                "announced the change (it lists its retired keys at /ledger/key), give the pinned key too",
            )
        elif not now.current:
            self.report.info(
                f"the log's key changed since {state.verified_at}: {pinned.label()}, pinned then, is "
                f"given as {now.period()}; the current key is {given.current.label()}"
            )

    def _open(self, message: bytes | str, ring: KeyRing) -> OpenedCheckpoint:
        return open_checkpoint_with(message, ring, origin=ring.current.name)

    def _unknown_key(self, error: UnknownKeyError, ring: KeyRing, what: str) -> str:
        signers = ", ".join(f"{s.name}+{s.key_id:08x}" for s in error.unverified) or "no key"
        return (
            f"{what} is signed by {signers}, none of the log's keys given "
            f"({', '.join(key.label() for key in ring.keys)}): if the log changed its key, take the new "
            f"one from {self.url('ledger/key')}, compare it with one published out of band and give it "
            "with --key (or the list with --keys)"
        )

    def _checkpoint(self, ring: KeyRing) -> _Latest | None:
        try:
            message = self.get("ledger/checkpoint")
        except FetchError as error:
            self.report.problem("no checkpoint", f"the checkpoint could not be fetched: {error}")
            return None
        try:
            opened = self._open(message, ring)
        except InvalidSignatureError as error:
            self.report.problem(
                "bad signature",
                f"the checkpoint's signature by {error.name}+{error.key_id:08x} does not verify",
            )
            return None
        except UnknownKeyError as error:
            self.report.problem("unknown key", self._unknown_key(error, ring, "the checkpoint"))
            return None
        except RetiredKeyError as error:
            self.report.problem(
                "retired key",
                f"{error}: a key the log retired must not sign a newer checkpoint (it may have leaked)",
            )
            return None
        except WrongOriginError as error:
            self.report.problem("wrong log", str(error))
            return None
        except TlogError as error:
            self.report.problem("malformed checkpoint", str(error))
            return None
        checkpoint, key = opened.checkpoint, opened.key
        self.report.info(
            f"checkpoint of {checkpoint.origin}: size {checkpoint.size}, root {b64(checkpoint.root_hash)}, "
            f"signature verified by {key.label()} ({key.period()})"
        )
        for other in opened.also_signed_by:
            self.report.info(f"the checkpoint is also signed by {other.label()} ({other.period()})")
        self._unknown_log_signatures(opened.note.unverified, ring)
        return _Latest(checkpoint, message.decode("utf-8"))

    def _unknown_log_signatures(self, signatures: Sequence[Signature], ring: KeyRing) -> None:
        names = {key.name for key in ring.keys}
        for signature in signatures:
            if signature.name in names:
                self.report.warn(
                    f"the checkpoint also carries a signature by {signature.name}+{signature.key_id:08x}, "
                    f"a key of the log not given: the log may be changing its key (see {self.url('ledger/key')}); "
                    "compare the new key with one published out of band before you give it"
                )

    def _witnesses(self, message: str, witnesses: Sequence[Ed25519Verifier]) -> None:
        for witness in witnesses:
            name = f"{witness.name}+{witness.key_id:08x}"
            try:
                note = open_note(message, [witness])
            except InvalidSignatureError:
                self.report.problem("bad cosignature", f"witness {name}'s cosignature does not verify")
                continue
            except UnknownKeyError:
                self.report.problem("not cosigned", f"witness {name} did not cosign this checkpoint")
                continue
            (signature,) = [s for s in note.signatures if s.key_id == witness.key_id]
            when = ""
            if witness.sig_type == 0x04:
                stamp = datetime.fromtimestamp(cosignature_timestamp(signature), UTC)
                when = f" at {stamp.isoformat(timespec='seconds').replace('+00:00', 'Z')}"
            self.report.info(f"witness {name} cosigned the checkpoint{when}")

    # -- The tree ---------------------------------------------------------------------------------

    def _fetch_tiles(self, size: int) -> tuple[dict[Tile, list[bytes]], dict[Tile, list[bytes]]]:
        tiles: dict[Tile, list[bytes]] = {}
        bundles: dict[Tile, list[bytes]] = {}
        missing: list[str] = []
        for tile in tiles_for_size(size):
            try:
                tiles[tile] = tile_hashes(tile, self.get(f"ledger/{tile.path()}"))
            except FetchError as error:
                missing.append(f"{tile.path()} ({_leaves(tile.start, min(tile.end, size))}): {error.reason}")
            except MalformedTileError as error:
                missing.append(str(error))
            if tile.level == 0:
                try:
                    bundles[tile] = decode_bundle(self.get(f"ledger/{tile.entries_path()}"), tile.width)
                except FetchError as error:
                    missing.append(
                        f"entry bundle {tile.entries_path()} ({_leaves(tile.start, tile.end)}): {error.reason}; "
                        "those leaves cannot be checked"
                    )
                except MalformedTileError as error:
                    missing.append(f"entry bundle {tile.entries_path()}: {error}")
        self.report.details("missing", missing)
        return tiles, bundles

    def _tree(self, checkpoint: Checkpoint) -> MemoryStore | None:
        """Check the tree against the signed root; the store of the entries' hashes when complete."""
        size, signed_root = checkpoint.size, checkpoint.root_hash
        tiles, bundles = self._fetch_tiles(size)
        entries: list[bytes | None] = [None] * size
        for tile, bundle in bundles.items():
            entries[tile.start : tile.end] = bundle
        entry_hashes = [None if e is None else leaf_hash(e) for e in entries]
        tile0: list[bytes | None] = [None] * size
        for tile, hashes in tiles.items():
            if tile.level == 0:
                tile0[tile.start : tile.end] = hashes

        store: MemoryStore | None = None
        entries_root = None
        complete = [h for h in entry_hashes if h is not None]
        if len(complete) == size:
            store = MemoryStore()
            for digest in complete:
                store.append_leaf_hash(digest)
            entries_root = store.root(size)
        served0 = [h for h in tile0 if h is not None]
        tile0_root = root_from_leaf_hashes(served0) if len(served0) == size else None

        tiles_root = None
        if len(tiles) == len(tiles_for_size(size)):
            tiles_root = root_hash(size, TileHashReader(size, lambda tile: b"".join(tiles[tile])))
        leaf_level = self._leaves_against_tiles(entry_hashes, tile0, entries_root, tile0_root, signed_root)
        if store is not None and not (leaf_level and entries_root != signed_root):
            self._tiles_against_leaves(tiles, store, trusted_leaves=entries_root == signed_root)
        if entries_root is not None:
            if entries_root == signed_root:
                self.report.info(f"the {size} leaves make the signed root")
            else:
                self.report.problem(
                    "root mismatch",
                    f"the leaves make root {b64(entries_root)}, not the signed root {b64(signed_root)}",
                )
        if tiles_root is not None:
            if tiles_root == signed_root:
                self.report.info(f"the {len(tiles)} tiles make the signed root")
            else:
                self.report.problem(
                    "root mismatch",
                    f"the tiles make root {b64(tiles_root)}, not the signed root {b64(signed_root)}",
                )
        if entries_root is not None and entries_root != signed_root and store is not None:
            agree = all(
                tiles.get(t) == [store.read(TILE_HEIGHT * t.level, t.first_hash + k) for k in range(t.width)]
                for t in tiles
            )
            if agree:
                self.report.problem(
                    "root mismatch",
                    "the tiles and the leaves agree with each other but not with the signed root: "
                    "the log's contents were rewritten after it signed this checkpoint",
                )
        self._leaf_contents(entries)
        return store

    def _leaves_against_tiles(
        self,
        entry_hashes: list[bytes | None],
        tile0: list[bytes | None],
        entries_root: bytes | None,
        tile0_root: bytes | None,
        signed_root: bytes,
    ) -> bool:
        """Each entry's hash must be its level-0 tile's hash; say which side is wrong when the
        signed root tells. Whether any differs."""
        differ = [i for i, (e, t) in enumerate(zip(entry_hashes, tile0, strict=True)) if e and t and e != t]
        if not differ:
            return False
        where = {i: f"{Tile(0, i // 256).path()} hash {i % 256}" for i in differ}
        if entries_root == signed_root:
            self.report.details(
                "tile mismatch",
                [
                    f"{where[i]} is not the hash of leaf {i}, though the leaves make the signed root: "
                    "the served (stored) hash was replaced"
                    for i in differ
                ],
            )
            return True
        texts: list[str] = []
        paired: set[int] = set()
        wanted = {t: i for i, t in enumerate(tile0) if t is not None and i in set(differ)}
        for i in differ:
            if i in paired:
                continue
            j = wanted.get(entry_hashes[i])  # type: ignore[arg-type]
            if j is not None and j != i and wanted.get(entry_hashes[j]) == i:  # type: ignore[arg-type]
                paired.update((i, j))
                texts.append(
                    f"leaves {i} and {j} are in each other's place (swapped): each hashes to the other's hash in {Tile(0, i // 256).path()}"
                )
            elif j is not None and j != i:
                texts.append(f"leaf {i} holds the bytes of leaf {j} (moved): its hash is {where[j]}")
            else:
                texts.append(f"leaf {i}: its bytes do not match its hash ({where[i]}): the leaf was altered")
        if tile0_root is not None and tile0_root != signed_root:
            texts.append("neither the leaves nor the level-0 tiles make the signed root")
        self.report.details("leaf mismatch", texts)
        return True

    def _tiles_against_leaves(
        self, tiles: dict[Tile, list[bytes]], store: MemoryStore, *, trusted_leaves: bool
    ) -> None:
        """Every hash of every tile above level 0 must be the hash of the leaves it spans. When
        the leaves make the signed root, a tile that differs was replaced; otherwise the leaves
        (and their level-0 hashes) were changed under a tile hash that may be the true one."""
        texts = []
        for tile in sorted(tiles):
            if tile.level == 0:
                continue
            level = TILE_HEIGHT * tile.level
            for k, served in enumerate(tiles[tile]):
                index = tile.first_hash + k
                if served != store.read(level, index):
                    span = 1 << level
                    leaves = _leaves(index * span, (index + 1) * span)
                    texts.append(
                        f"{tile.path()} hash {k} is not the hash of {leaves}, though the leaves make the signed "
                        "root: the served (stored) hash was replaced"
                        if trusted_leaves
                        else f"{leaves} (with their level-0 tile) do not make {tile.path()} hash {k}: "
                        "a leaf in that range was changed together with its stored hash, or the tile hash was"
                    )
        self.report.details("tile mismatch", texts)

    def _leaf_contents(self, entries: list[bytes | None]) -> None:
        seen: dict[int, int] = {}
        texts: list[str] = []
        unknown = 0
        for i, data in enumerate(entries):
            if data is None:
                continue
            event_id, wrong = check_leaf_v1(data)
            if wrong and wrong[0].startswith("unknown version"):
                unknown += 1
                wrong = []
            texts.extend(f"leaf {i} {w}" for w in wrong)
            if event_id is not None:
                if event_id in seen:
                    texts.append(f"leaf {i} repeats event {event_id}, already leaf {seen[event_id]}")
                else:
                    seen[event_id] = i
        if unknown:
            self.report.warn(f"{unknown} leaves of a version this verifier does not know were not checked")
        self.report.details("bad leaf", texts)
        if not texts and seen:
            self.report.info(f"{len(seen)} leaves are canonical leaves v1 of distinct events")

    # -- Against the earlier run ------------------------------------------------------------------

    def _saved_checkpoint(self, state: State, ring: KeyRing) -> None:
        """The checkpoint verified last time, checked against the key valid for it now."""
        what = f"the checkpoint you verified on {state.verified_at}"
        try:
            opened = self._open(state.checkpoint, ring)
        except UnknownKeyError as error:
            self.report.warn(self._unknown_key(error, ring, what) + "; it was checked then")
        except RetiredKeyError as error:
            self.report.problem("retired key", f"{what}: {error}")
        except TlogError as error:
            self.report.warn(f"{what} cannot be checked again: {error}")
        else:
            if opened.key is not ring.current:
                self.report.info(f"{what} is signed by {opened.key.label()} ({opened.key.period()})")

    def _against_state(
        self, state: State, checkpoint: Checkpoint, store: MemoryStore | None, ring: KeyRing
    ) -> None:
        self._saved_checkpoint(state, ring)
        old, new = state.size, checkpoint.size
        when = state.verified_at
        fork = (
            f"the log at size {old} no longer matches the root you verified on {when} "
            f"({b64(state.root)}): it was rewritten or forked"
        )
        if new < old:
            self.report.problem(
                "fork", f"the log has {new} leaves, fewer than the {old} you verified on {when}: " + fork
            )
            return
        if old == 0:
            return
        evidence = []
        if store is not None:
            recomputed = store.root(old)
            if recomputed != state.root:
                evidence.append(f"its leaves now make root {b64(recomputed)} at size {old}")
        if new == old:
            if checkpoint.root_hash != state.root:
                evidence.append(f"it now signs root {b64(checkpoint.root_hash)} for the same size")
        else:
            evidence.extend(self._consistency_proof(state, checkpoint, ring))
        if evidence:
            self.report.problem("fork", fork + "; " + "; ".join(evidence))
        else:
            self.report.info(f"the log of {new} leaves extends the log of {old} you verified on {when}")

    def _consistency_proof(self, state: State, checkpoint: Checkpoint, ring: KeyRing) -> list[str]:
        old, new = state.size, checkpoint.size
        try:
            answer = json.loads(
                self.get("api/v1/ledger/consistency-proof", {"old_size": old, "new_size": new})
            )
            hashes = [unb64(h, "a proof hash") for h in answer["hashes"]]
        except FetchError as error:
            return [f"the log gives no consistency proof from {old} to {new} ({error.reason})"]
        except (ValueError, KeyError, TypeError) as error:
            return [f"the log's consistency proof from {old} to {new} is malformed ({error})"]
        evidence = []
        try:
            verify_consistency(old, new, state.root, checkpoint.root_hash, hashes)
        except InvalidProofError:
            evidence.append(f"the log's consistency proof from {old} to {new} does not verify")
        try:
            signed = self._open(answer.get("old_checkpoint") or "", ring).checkpoint
        except RetiredKeyError as error:
            self.report.problem("retired key", f"the log's checkpoint of size {old}: {error}")
            return evidence
        except TlogError:
            return evidence
        if signed.size == old and signed.root_hash != state.root:
            evidence.append(
                f"the log now serves a checkpoint of size {old} it signed with root {b64(signed.root_hash)}: "
                "with the one you verified, two signed checkpoints of one size prove the fork"
            )
        return evidence

    # -- Events -----------------------------------------------------------------------------------

    def _event(self, event_id: int, checkpoint: Checkpoint, ring: KeyRing) -> None:
        size = checkpoint.size
        try:
            answer = json.loads(
                self.get("api/v1/ledger/inclusion-proof", {"event_id": event_id, "tree_size": size})
            )
        except FetchError as error:
            if error.status == 404:
                self.report.problem("not included", f"event {event_id} is not in the log of {size} leaves")
            else:
                self.report.problem("not included", f"event {event_id}: no inclusion proof ({error.reason})")
            return
        except ValueError as error:
            self.report.problem(
                "not included", f"event {event_id}: the inclusion proof is not JSON ({error})"
            )
            return
        try:
            index = int(answer["leaf_index"])
            leaf = unb64(answer["leaf"], "the leaf")
            hashes = [unb64(h, "a proof hash") for h in answer["hashes"]]
            signed = self._open(answer["checkpoint"], ring).checkpoint
        except (KeyError, TypeError, ValueError) as error:
            self.report.problem(
                "not included", f"event {event_id}: the inclusion proof is malformed or unsigned ({error})"
            )
            return
        if (signed.size, signed.root_hash) != (size, checkpoint.root_hash):
            self.report.problem(
                "fork",
                f"event {event_id}: the proof comes with a signed checkpoint of size {signed.size}, root "
                f"{b64(signed.root_hash)}, not the checkpoint verified: the log signed two different trees",
            )
            return
        leaf_id, _wrong = check_leaf_v1(leaf)
        if leaf_id != event_id:
            self.report.problem("not included", f"event {event_id}: the proof's leaf is of event {leaf_id}")
            return
        try:
            verify_inclusion(index, size, leaf_hash(leaf), hashes, checkpoint.root_hash)
        except (InvalidProofError, ValueError):
            self.report.problem(
                "not included",
                f"event {event_id}: its inclusion proof as leaf {index} does not verify against the root",
            )
            return
        self.report.info(f"event {event_id} is leaf {index}, proved included")


def verify(
    base_url: str,
    *,
    key: str | None = None,
    keys: Iterable[str] = (),
    state_path: Path | None = None,
    events: Iterable[int] = (),
    witnesses: Iterable[str] = (),
    fetch: Fetch = http_fetch,
) -> Report:
    """Verify the log at ``base_url`` with the log's keys given (``key`` and ``keys``: verifier
    keys or key lists, the first the current one); raises StateError for an unreadable state file
    and TlogError for a malformed key given."""
    given = ([key] if key else []) + list(keys)
    run = Verifier(base_url, tuple(given), state_path, tuple(events), tuple(witnesses), fetch)
    return run.run()
