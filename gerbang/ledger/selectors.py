"""Reads of the public log: checkpoints, tiles, entry bundles, proofs, and a full re-check."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from django.utils.translation import gettext as _

from gerbang.core.exceptions import NotFound, ValidationError
from gerbang.ledger import keys
from gerbang.ledger.models import Checkpoint, Cosignature, Leaf, LogHead, StoredHash, Witness
from gerbang.ledger.tlog import checkpoint as tlog_checkpoint
from gerbang.ledger.tlog.errors import TlogError
from gerbang.ledger.tlog.keyring import KeyRing, LogKey
from gerbang.ledger.tlog.merkle import (
    HASH_SIZE,
    HashReader,
    MemoryStore,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    stored_hash_index,
)
from gerbang.ledger.tlog.note import (
    MAX_SIGNATURES,
    Ed25519Verifier,
    encode_base64,
    open_note,
    parse_note,
    parse_verifier_key,
)
from gerbang.ledger.tlog.tiles import TILE_HEIGHT, Tile, encode_bundle

T = TypeVar("T")


class StoreIncomplete(Exception):
    """A hash the tree must have is missing from the store (the log is damaged)."""


def latest_checkpoint() -> Checkpoint | None:
    return Checkpoint.objects.order_by("-pk").first()


def cosigned_note(checkpoint: Checkpoint) -> str:
    """The checkpoint's signed note with the cosignature lines of its active witnesses after the
    log's own signature (a C2SP note may carry many; clients ignore the keys they do not know)."""
    own = len(parse_note(checkpoint.note)[1])  # the log's signatures: two during a change of key
    lines = (
        Cosignature.objects.filter(checkpoint=checkpoint, witness__active=True)
        .order_by("witness__name")
        .values_list("line", flat=True)[: MAX_SIGNATURES - own]
    )
    return checkpoint.note + "".join(lines)


@dataclass(frozen=True)
class CheckpointRow:
    """A checkpoint as the public page lists it, with who cosigned it."""

    checkpoint: Checkpoint
    root: str
    cosignatures: list[Cosignature]


def recent_checkpoints(limit: int = 20) -> list[CheckpointRow]:
    """The latest checkpoints, newest first, each with its cosignatures (witness name order)."""
    checkpoints = list(Checkpoint.objects.order_by("-pk")[:limit])
    by_checkpoint: dict[int, list[Cosignature]] = {c.pk: [] for c in checkpoints}
    for cosignature in (
        Cosignature.objects.filter(checkpoint__in=checkpoints)
        .select_related("witness")
        .order_by("witness__name")
    ):
        by_checkpoint[cosignature.checkpoint_id].append(cosignature)
    return [CheckpointRow(c, encode_base64(bytes(c.root)), by_checkpoint[c.pk]) for c in checkpoints]


def witnesses(*, active_only: bool = False) -> list[Witness]:
    found = Witness.objects.order_by("name")
    return list(found.filter(active=True) if active_only else found)


# -- The log's keys ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class KeyPeriod:
    """One of the log's keys with its period: when it was the log's key (``since`` its first
    checkpoint, ``until`` its retirement) and the sizes of the checkpoints it signed as the
    log's key (None where it signed none that the log keeps)."""

    verifier_key: str
    current: bool
    cosigning: bool
    since: datetime | None
    until: datetime | None
    first_size: int | None
    last_size: int | None

    def log_key(self) -> LogKey:
        return LogKey(
            parse_verifier_key(self.verifier_key),
            self.current,
            self.first_size,
            None if self.current else self.last_size,
            self.since,
            self.until,
            self.cosigning,
        )


def _signed_with(public_key: bytes, *, last: bool) -> tuple[int, datetime] | None:
    order = ("-size", "-pk") if last else ("size", "pk")
    return (
        Checkpoint.objects.filter(public_key=keys.public_key_text(public_key))
        .order_by(*order)
        .values_list("size", "created_at")
        .first()
    )


def log_keys() -> list[KeyPeriod]:
    """The log's current key, then the keys it signed with before, newest first, each with its
    period (two indexed reads per key)."""
    current = keys.verifier()
    first = _signed_with(current.public_key, last=False)
    retired = keys.retired()
    transition = keys.transition_signer()
    found = [
        KeyPeriod(
            current.verifier_key(),
            current=True,
            cosigning=False,
            since=first[1] if first else (retired[-1].retired_at if retired else None),
            until=None,
            first_size=first[0] if first else None,
            last_size=None,
        )
    ]
    for index in reversed(range(len(retired))):
        key = retired[index]
        first = _signed_with(key.public_key, last=False)
        last = _signed_with(key.public_key, last=True)
        found.append(
            KeyPeriod(
                key.verifier.verifier_key(),
                current=False,
                cosigning=transition is not None and transition.public_key == key.public_key,
                since=first[1] if first else (retired[index - 1].retired_at if index else None),
                until=key.retired_at,
                first_size=first[0] if first else None,
                last_size=last[0] if last else None,
            )
        )
    return found


def key_ring() -> KeyRing:
    """The log's keys as the key list ``/ledger/key`` serves (tlog.keyring)."""
    return KeyRing(tuple(period.log_key() for period in log_keys()))


def checkpoint_of_size(size: int) -> Checkpoint | None:
    """The latest checkpoint of a tree of ``size`` leaves, if the log signed one."""
    return Checkpoint.objects.filter(size=size).order_by("-pk").first()


def log_size() -> int:
    """How many leaves the latest checkpoint covers (0 before the first)."""
    latest = Checkpoint.objects.order_by("-pk").values_list("size", flat=True).first()
    return latest or 0


def _with_stored_hashes(compute: Callable[[HashReader], T]) -> T:
    """Run ``compute`` against the stored hashes in two reads of the database at most: a first
    pass with a stand-in reader learns which subtrees it needs (which subtrees a root or a proof
    reads does not depend on their hashes), one query fetches them, a second pass computes."""
    wanted: set[tuple[int, int]] = set()

    def note(level: int, index: int) -> bytes:
        wanted.add((level, index))
        return bytes(HASH_SIZE)

    compute(note)
    places = {stored_hash_index(level, index): (level, index) for level, index in wanted}
    found = {
        places[at]: bytes(value)
        for at, value in StoredHash.objects.filter(index__in=list(places)).values_list("index", "hash")
    }

    def read(level: int, index: int) -> bytes:
        try:
            return found[(level, index)]
        except KeyError:
            raise StoreIncomplete(f"no stored hash for subtree ({level}, {index})") from None

    return compute(read)


# -- Tiles (C2SP tlog-tiles) ------------------------------------------------------------------


def _available(tile: Tile, size: int) -> bool:
    hashes_at_level = size >> (TILE_HEIGHT * tile.level)
    return tile.first_hash + tile.width <= hashes_at_level


def tile_data(tile: Tile) -> bytes | None:
    """The bytes of a hash tile of the latest checkpoint's tree, or None if it has no such tile.

    A tile's hashes are the complete subtrees of level 8L it spans, read by their stored index in
    one query; a partial tile of width W is served as long as the tree has W hashes there (its
    bytes never change).
    """
    if not _available(tile, log_size()):
        return None
    tree_level = TILE_HEIGHT * tile.level
    places = [stored_hash_index(tree_level, tile.first_hash + i) for i in range(tile.width)]
    found = dict(StoredHash.objects.filter(index__in=places).values_list("index", "hash"))
    if len(found) != len(places):
        raise StoreIncomplete(f"tile {tile.path()} lacks stored hashes")
    return b"".join(bytes(found[at]) for at in places)


def entry_bundle(tile: Tile) -> bytes | None:
    """The entries of a level-0 tile of the latest checkpoint's tree, or None."""
    if tile.level != 0 or not _available(tile, log_size()):
        return None
    first = tile.first_hash
    entries = list(
        Leaf.objects.filter(seq__gte=first, seq__lt=first + tile.width)
        .order_by("seq")
        .values_list("data", flat=True)
    )
    if len(entries) != tile.width:
        raise StoreIncomplete(f"entry bundle {tile.entries_path()} lacks leaves")
    return encode_bundle([bytes(entry) for entry in entries])


# -- Proofs -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class InclusionProof:
    event_id: int
    leaf_index: int
    tree_size: int
    leaf: bytes
    leaf_hash: bytes
    hashes: list[bytes]
    checkpoint: str


def inclusion_proof_of_event(event_id: int, *, tree_size: int | None = None) -> InclusionProof:
    """The proof that event ``event_id``'s leaf is in the tree of a signed checkpoint (the latest,
    or the one of ``tree_size``)."""
    leaf = Leaf.objects.filter(event_id=event_id).first()
    if leaf is None:
        raise NotFound(_("This event is not in the log (yet, or it is not an event the log keeps)."))
    signed = latest_checkpoint() if tree_size is None else checkpoint_of_size(tree_size)
    if signed is None:
        raise NotFound(_("The log signed no checkpoint of this size."))
    if leaf.seq >= signed.size:
        raise NotFound(_("This event came into the log after that checkpoint."))
    size = signed.size
    hashes = _with_stored_hashes(lambda reader: inclusion_proof(leaf.seq, size, reader))
    return InclusionProof(
        event_id=event_id,
        leaf_index=leaf.seq,
        tree_size=size,
        leaf=bytes(leaf.data),
        leaf_hash=bytes(leaf.hash),
        hashes=hashes,
        checkpoint=signed.note,
    )


@dataclass(frozen=True)
class ConsistencyProof:
    old_size: int
    new_size: int
    hashes: list[bytes]
    old_checkpoint: str | None
    new_checkpoint: str | None


def consistency_proof_between(old_size: int, new_size: int) -> ConsistencyProof:
    """The proof that the tree of ``new_size`` extends the tree of ``old_size`` (both at most the
    latest checkpoint's size), with the checkpoints the log signed of those sizes, if any."""
    if old_size < 1:
        raise ValidationError(
            _("A consistency proof starts from a tree of at least one leaf."), field="old_size"
        )
    if new_size < old_size:
        raise ValidationError(_("The new size must not be smaller than the old size."), field="new_size")
    if new_size > log_size():
        raise NotFound(_("The log has no checkpoint that large yet."))
    hashes = _with_stored_hashes(lambda reader: consistency_proof(old_size, new_size, reader))
    old, new = checkpoint_of_size(old_size), checkpoint_of_size(new_size)
    return ConsistencyProof(
        old_size=old_size,
        new_size=new_size,
        hashes=hashes,
        old_checkpoint=old.note if old else None,
        new_checkpoint=new.note if new else None,
    )


# -- The whole log checked again ----------------------------------------------------------------


@dataclass
class TreeCheck:
    """What ``verify_stored_tree`` found: the log's size and every problem (none when sound)."""

    size: int = 0
    problems: list[str] = field(default_factory=list)
    # The tree recomputed from the stored leaves (roots of any size up to ``size``).
    store: MemoryStore = field(default_factory=MemoryStore, repr=False)

    @property
    def sound(self) -> bool:
        return not self.problems


def verify_stored_tree(using: str = "default") -> TreeCheck:
    """Recompute the whole log from the stored leaf bytes and compare it with what is stored:
    sequence numbers without gaps, each leaf's hash, every stored subtree hash, and every
    checkpoint's signature (by the key that was the log's then: ``LEDGER_SIGNING_KEY`` or one of
    ``LEDGER_PREVIOUS_VERIFIER_KEYS``), origin, size and root. Reads everything; for audits,
    not pages.
    ``using`` names the database (a restored backup's, see ``backup_problems``)."""
    check = TreeCheck()
    store = check.store
    leaves = Leaf.objects.using(using).order_by("seq").values_list("seq", "data", "hash")
    for seq, data, stored in leaves.iterator():
        if seq != store.size:
            check.problems.append(f"leaf {store.size} is missing (the next stored is {seq})")
            break
        digest = leaf_hash(bytes(data))
        if digest != bytes(stored):
            check.problems.append(f"leaf {seq}: its bytes do not hash to its stored hash")
        store.append_leaf_hash(digest)
    check.size = store.size
    head = LogHead.objects.using(using).first()
    if head is not None and head.size != store.size:
        check.problems.append(f"the head says {head.size} leaves, {store.size} are stored")
    expected = store.stored_hashes()
    stored_hashes = dict(StoredHash.objects.using(using).values_list("index", "hash").iterator())
    if len(stored_hashes) != len(expected):
        check.problems.append(f"{len(stored_hashes)} tree hashes are stored, the leaves make {len(expected)}")
    for at, value in enumerate(expected):
        if at in stored_hashes and bytes(stored_hashes[at]) != value:
            check.problems.append(f"stored tree hash {at} differs from the leaves'")
    _check_checkpoints(check, using)
    return check


def _check_checkpoints(check: TreeCheck, using: str) -> None:
    """Every checkpoint: signed (under the origin the log had then) by the key it names, one of
    the log's keys as configured; the keys used one after the other, never back to a retired one,
    and none after its retirement; and its size and root those of the stored leaves."""
    retired = keys.retired()
    # The keys in the order the log used them: the retired ones, oldest first, then the current one.
    order = [key.public_key for key in retired] + [keys.verifier().public_key]
    named = {keys.public_key_text(public_key): public_key for public_key in order}
    retired_at = {key.public_key: key.retired_at for key in retired}
    used = 0  # the latest place in ``order`` a checkpoint's key had
    for signed in Checkpoint.objects.using(using).order_by("pk").iterator():
        where = f"checkpoint {signed.pk} (size {signed.size})"
        verifiers = [Ed25519Verifier(signed.origin, public_key) for public_key in order]
        try:
            note = open_note(signed.note, verifiers)
            body = tlog_checkpoint.Checkpoint.parse(note.text)
        except TlogError as error:
            check.problems.append(f"{where}: {error}")
            continue
        if body.origin != signed.origin:
            check.problems.append(f"{where}: the note is of {body.origin!r}, not {signed.origin!r}")
        signers = [v.public_key for v in verifiers if note.signed_by(v.name, v.key_id)]
        key = named.get(signed.public_key) if signed.public_key else signers[0]
        if key is None:
            check.problems.append(
                f"{where}: signed by a key the configuration does not list ({signed.public_key})"
            )
        elif key not in signers:
            check.problems.append(f"{where}: the note carries no signature by the key it names")
        else:
            place = order.index(key)
            if place < used:
                check.problems.append(f"{where}: signed by a key the log had stopped using before")
            used = max(used, place)
            if key in retired_at and signed.created_at > retired_at[key]:
                check.problems.append(
                    f"{where}: signed by a key after its retirement on {retired_at[key].isoformat()}"
                )
        if (body.size, body.root_hash) != (signed.size, bytes(signed.root)):
            check.problems.append(f"{where}: the note does not say the stored size and root")
        if signed.size > check.size:
            check.problems.append(f"{where}: larger than the log")
        elif check.store.root(signed.size) != bytes(signed.root):
            check.problems.append(f"{where}: its root is not the root of the stored leaves")


# -- Backups (registered with gerbang.core.backups in apps.py) ----------------------------------


def backup_facts(using: str) -> dict[str, object] | None:
    """What a backup keeps of the log: its latest signed checkpoint (None before the first)."""
    latest = Checkpoint.objects.using(using).order_by("-pk").first()
    if latest is None:
        return None
    return {"size": latest.size, "root": bytes(latest.root).hex(), "note": latest.note}


def backup_problems(using: str, facts: dict[str, object] | None) -> list[str]:
    """What is wrong with a restored log: the whole log re-checked (``verify_stored_tree``), and
    the root recomputed from its leaves must be the root of the checkpoint at backup time."""
    check = verify_stored_tree(using)
    problems = list(check.problems)
    latest = backup_facts(using)
    if facts is None:
        if latest is not None:
            problems.append("the backup was made before the first checkpoint, the restored log has one")
        return problems
    size, root = int(str(facts["size"])), str(facts["root"])
    if latest is None or (latest["size"], latest["root"]) != (size, root):
        problems.append(f"the restored latest checkpoint is not the one of the backup (size {size})")
    if size > check.size:
        problems.append(f"the restored log has {check.size} leaves, the checkpoint at backup time {size}")
    elif check.store.root(size).hex() != root:
        problems.append(f"the root recomputed from the restored leaves is not the checkpoint's (size {size})")
    return problems
