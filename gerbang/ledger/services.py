"""The sequencer: committed events become leaves of the log, and each batch a signed checkpoint;
the nightly reconciliation that appends any logged event the sequencer missed; the witnesses
that cosign the checkpoints (registered by national administrators) and their
cosignatures (``cosignature_submit``, docs/ledger.md "Witnesses").

The write path of the rest of Gerbang is not touched (``core.events.record`` stays one INSERT):
the Event table is the queue. ``log_integrate`` takes the committed events that the registry
logs and that are not in the log yet, in id order, and appends them with sequence numbers
0, 1, 2, ... without gaps. It holds the one ``LogHead`` row locked (``SELECT ... FOR UPDATE``; on
SQLite the IMMEDIATE transaction itself) so that two sequencers never interleave: the second
waits, then finds the first one's leaves already there.

Each run looks only at events above ``LogHead.checked_through``, the id up to which every event
is decided for good (logged, or not one the log takes). How far that mark may move depends on
the engine (``_settle``):

- SQLite lets one writer in at a time, and the sequencer's IMMEDIATE transaction is that writer:
  no transaction is open while it reads, and ids only grow (AUTOINCREMENT), so no event up to the
  highest id it sees can commit later. The mark moves there at once: each run reads only what is
  new.
- PostgreSQL takes an id at INSERT, so a transaction may commit event 7 after event 8 was logged.
  Each run notes the highest id it sees and the first transaction id not yet begun
  (``mark_id``, ``mark_xid``); once every transaction older than that has ended (the snapshot's
  ``xmin`` has passed it), nothing up to ``mark_id`` can still commit, and ``checked_through``
  moves there. The look-back is then about one run, not ``LEDGER_SETTLE_SECONDS``; a late event
  simply gets a later sequence number.
- Either way (and on PostgreSQL while a long transaction holds the snapshot back), events older
  than ``LEDGER_SETTLE_SECONDS`` are decided too. An event whose transaction stayed open longer
  than that is skipped by the sequencer, and appended by ``log_reconcile``, which reads the
  whole history again every night. (So is, on PostgreSQL, an event whose transaction took its id
  but had not yet written it when a mark was noted: microseconds inside one INSERT.)
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection, transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from gerbang.core import events
from gerbang.core.actors import Actor, SystemActor
from gerbang.core.exceptions import Conflict, NotFound, PermissionDenied, ValidationError
from gerbang.core.models import Event
from gerbang.core.permissions import Perm, require_permission_unless_system
from gerbang.ledger import keys
from gerbang.ledger.leaves import leaf_v1
from gerbang.ledger.models import Checkpoint, Cosignature, Leaf, LogHead, StoredHash, Witness
from gerbang.ledger.registry import logged_events_q
from gerbang.ledger.tlog import checkpoint as tlog_checkpoint
from gerbang.ledger.tlog.errors import TlogError
from gerbang.ledger.tlog.merkle import hashes_for_new_leaf, leaf_hash, root_hash, stored_hash_index
from gerbang.ledger.tlog.note import (
    CosignatureVerifier,
    Ed25519Signer,
    InvalidSignatureError,
    Signature,
    UnknownKeyError,
    cosignature_timestamp,
    open_note,
    parse_note,
    parse_verifier_key,
)

HEAD_ID = 1
# Event ids the reconciliation reads per query (ids only: bounded memory over any history).
RECONCILE_PAGE = 5000

logger = logging.getLogger(__name__)


class _BatchHashes:
    """A ``HashReader`` over the stored hashes and the ones this batch adds (not yet saved)."""

    def __init__(self) -> None:
        self.new: dict[int, bytes] = {}
        self._read: dict[int, bytes] = {}

    def __call__(self, level: int, index: int) -> bytes:
        at = stored_hash_index(level, index)
        if at in self.new:
            return self.new[at]
        if at not in self._read:
            self._read[at] = bytes(StoredHash.objects.values_list("hash", flat=True).get(index=at))
        return self._read[at]

    def add(self, first_index: int, hashes: Sequence[bytes]) -> None:
        for offset, value in enumerate(hashes):
            self.new[first_index + offset] = value


def _not_in_log() -> Exists:
    return Exists(Leaf.objects.filter(event_id=OuterRef("pk")))


def _pending(head: LogHead, limit: int) -> list[Event]:
    """The committed events the log takes and does not have yet, oldest id first."""
    return list(
        Event.objects.filter(pk__gt=head.checked_through)
        .filter(logged_events_q())
        .exclude(_not_in_log())
        .order_by("pk")[:limit]
    )


def _locked_head() -> LogHead:
    LogHead.objects.get_or_create(pk=HEAD_ID)
    return LogHead.objects.select_for_update().get(pk=HEAD_ID)


def _append(head: LogHead, events: Sequence[Event], now: datetime) -> _BatchHashes:
    """Append ``events`` as the next leaves (the head locked by the caller); ``head.size`` grows.
    The leaf keeps the event's own time and the time it was integrated, however late."""
    reader = _BatchHashes()
    leaves: list[Leaf] = []
    for seq, event in enumerate(events, start=head.size):
        data = leaf_v1(event)
        digest = leaf_hash(data)
        leaves.append(
            Leaf(
                seq=seq,
                event_id=event.pk,
                data=data,
                hash=digest,
                event_created_at=event.created_at,
                integrated_at=now,
            )
        )
        reader.add(stored_hash_index(0, seq), hashes_for_new_leaf(seq, digest, reader))
    Leaf.objects.bulk_create(leaves)
    StoredHash.objects.bulk_create(StoredHash(index=at, hash=value) for at, value in reader.new.items())
    head.size += len(leaves)
    return reader


def _signed_by_all(note: str, signers: Sequence[Ed25519Signer]) -> bool:
    _text, signatures = parse_note(note)
    present = {(signature.name, signature.key_id) for signature in signatures}
    return all((signer.name, signer.key_id) in present for signer in signers)


def _sign(head: LogHead, reader: _BatchHashes, *, grew: bool) -> None:
    """Sign a checkpoint of the head's size when the log grew, or when the latest one is not
    what the log would sign now: none yet, another origin, or not signed by every key that signs
    now (the key changed). So the latest checkpoint is always signed by the current key."""
    signers = keys.signers()
    latest = Checkpoint.objects.order_by("-pk").only("origin", "size", "note").first()
    if not (
        grew
        or latest is None
        or latest.origin != keys.origin()
        or latest.size != head.size
        or not _signed_by_all(latest.note, signers)
    ):
        return
    body = tlog_checkpoint.Checkpoint(keys.origin(), head.size, root_hash(head.size, reader))
    Checkpoint.objects.create(
        origin=body.origin,
        size=body.size,
        root=body.root_hash,
        note=tlog_checkpoint.sign_checkpoint(body, signers),
        public_key=keys.public_key_text(signers[0].public_key),
    )


@dataclass(frozen=True)
class _Snapshot:
    """PostgreSQL's view at one moment: every transaction id below ``xmin`` has ended, none from
    ``xmax`` on had begun, and ``top`` was the highest event id visible."""

    xmin: int
    xmax: int
    top: int


def _snapshot() -> _Snapshot | None:
    if connection.vendor != "postgresql":
        return None
    # One statement, so one snapshot for the three values; the table's name is the model's own.
    table = connection.ops.quote_name(Event._meta.db_table)
    query = f"SELECT pg_snapshot_xmin(s)::text::bigint, pg_snapshot_xmax(s)::text::bigint, (SELECT max(id) FROM {table}) FROM pg_current_snapshot() AS s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(query)
        xmin, xmax, top = cursor.fetchone()
    return _Snapshot(int(xmin), int(xmax), int(top or 0))


def _settle(
    head: LogHead, events: Sequence[Event], more: bool, now: datetime, snapshot: _Snapshot | None
) -> None:
    """Move ``checked_through`` as far as no event below it can still commit (module docstring)."""
    if connection.vendor == "sqlite":
        # This transaction holds the one write lock: every event up to the highest id is final.
        top = events[-1].pk if more else Event.objects.aggregate(top=Max("pk"))["top"]
        head.checked_through = max(head.checked_through, top or 0)
        return
    # Events older than the settling time, up to the last one looked at, are decided for good.
    settled = Event.objects.filter(pk__gt=head.checked_through, created_at__lte=now - _settle_time())
    if more:
        settled = settled.filter(pk__lte=events[-1].pk)
    top = settled.aggregate(top=Max("pk"))["top"]
    head.checked_through = max(head.checked_through, top or 0)
    if snapshot is None:
        return
    # The snapshot was taken before the events were read: when every transaction older than the
    # mark had ended by then, every event up to the mark's id was visible to that read, and this
    # batch appended all of them unless it stopped short of the mark.
    if head.mark_xid and snapshot.xmin >= head.mark_xid and (not more or events[-1].pk >= head.mark_id):
        head.checked_through = max(head.checked_through, head.mark_id)
        head.mark_xid = 0
    if not head.mark_xid and snapshot.top > head.checked_through:
        head.mark_id, head.mark_xid = snapshot.top, snapshot.xmax


def _integrate_batch(limit: int) -> tuple[int, bool]:
    """Append up to ``limit`` events in one transaction; returns how many, and whether more wait."""
    with transaction.atomic():
        # Before the head's lock gives this transaction an id of its own (PostgreSQL).
        snapshot = _snapshot()
        head = _locked_head()
        now = timezone.now()
        events = _pending(head, limit)
        more = len(events) == limit
        reader = _append(head, events, now)
        _sign(head, reader, grew=bool(events))
        _settle(head, events, more, now, snapshot)
        head.updated_at = now
        head.save(update_fields=["size", "checked_through", "mark_id", "mark_xid", "updated_at"])
    return len(events), more


def _settle_time() -> timedelta:
    return timedelta(seconds=settings.LEDGER_SETTLE_SECONDS)


def log_integrate(*, actor: Actor, batch_size: int | None = None) -> int:
    """Append every committed event the registry logs and the log lacks; returns how many.

    Each batch (``LEDGER_BATCH_SIZE`` events) is one transaction that ends with a signed
    checkpoint; a log with no checkpoint yet gets one (of the empty tree, if need be), and so
    does a log whose latest checkpoint is not signed by the keys that sign now (after a key
    change). The sequencer records no event of its own: its checkpoints are its record.
    ``actor`` says who runs it (the worker, a command, a test) and is not stored.
    """
    limit = batch_size or settings.LEDGER_BATCH_SIZE
    if limit < 1:
        raise ValueError(f"batch size {limit}")
    total = 0
    while True:
        appended, more = _integrate_batch(limit)
        total += appended
        if not more:
            return total


# -- Reconciliation ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reconciliation:
    """What ``log_reconcile`` did: the event ids it read (up to ``through``), the logged events
    it found missing from the log, and how many of those it appended (the others were appended
    meanwhile by the sequencer)."""

    examined: int
    found: int
    appended: int
    through: int


def _append_missing(event_ids: Sequence[int]) -> int:
    """Append those of ``event_ids`` still missing, under the head's lock, as the sequencer does."""
    with transaction.atomic():
        head = _locked_head()
        # Looked for again under the lock: the sequencer may have appended some meanwhile.
        found = list(
            Event.objects.filter(pk__in=list(event_ids))
            .filter(logged_events_q())
            .exclude(_not_in_log())
            .order_by("pk")
        )
        if not found:
            return 0
        now = timezone.now()
        reader = _append(head, found, now)
        _sign(head, reader, grew=True)
        head.updated_at = now
        head.save(update_fields=["size", "updated_at"])
    return len(found)


def log_reconcile(
    *, actor: Actor, page_size: int = RECONCILE_PAGE, batch_size: int | None = None
) -> Reconciliation:
    """Find every event the registry logs, over the whole history the sequencer has decided
    (ids up to ``checked_through``), that is not in the log, and append it (late: its leaf keeps
    the event's own time, its row the time it was integrated).

    The sequencer skips an event whose transaction stayed open longer than
    ``LEDGER_SETTLE_SECONDS``; this finds it. It reads the events by id, ``page_size`` ids at a
    time (keyset pagination: memory stays bounded however long the history), holds no lock while
    it reads, and appends under the head's lock like the sequencer, ``LEDGER_BATCH_SIZE`` events
    per transaction each ending with a signed checkpoint, so it may run while the sequencer runs.
    It records what it found as an event (``ledger.reconciled``) and a log line (a warning when
    it found anything: a transaction stayed open too long).
    """
    limit = batch_size or settings.LEDGER_BATCH_SIZE
    if limit < 1 or page_size < 1:
        raise ValueError(f"batch size {limit}, page size {page_size}")
    head, _created = LogHead.objects.get_or_create(pk=HEAD_ID)
    through = head.checked_through
    examined = found = appended = 0
    after = 0
    while after < through:
        page = list(
            Event.objects.filter(pk__gt=after, pk__lte=through)
            .order_by("pk")
            .values_list("pk", flat=True)[:page_size]
        )
        if not page:
            break
        examined += len(page)
        missing = list(
            Event.objects.filter(pk__gt=after, pk__lte=page[-1])
            .filter(logged_events_q())
            .exclude(_not_in_log())
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        found += len(missing)
        for start in range(0, len(missing), limit):
            appended += _append_missing(missing[start : start + limit])
        after = page[-1]
    result = Reconciliation(examined=examined, found=found, appended=appended, through=through)
    log = logger.warning if found else logger.info
    log(
        "ledger reconciliation: %s events up to id %s read, %s logged events missing from the log, %s appended",
        examined,
        through,
        found,
        appended,
    )
    events.record(
        "ledger.reconciled",
        actor=actor,
        subject=head,
        details={"examined": examined, "through": through, "found": found, "appended": appended},
    )
    return result


# -- Witnesses -------------------------------------------------------------------------------------


def _witness_verifier(verifier_key: str) -> CosignatureVerifier:
    """The verifier of a registered key; ``ValidationError`` unless a cosignature/v1 (0x04) key."""
    try:
        verifier = parse_verifier_key(verifier_key.strip())
    except TlogError as error:
        raise ValidationError(
            _("This is not a verifier key (name+id+key, as the witness program prints it): %(error)s")
            % {"error": error},
            field="verifier_key",
        ) from None
    if not isinstance(verifier, CosignatureVerifier):
        raise ValidationError(
            _("This key is not a witness key: a witness signs with a cosignature/v1 key (type 0x04)."),
            field="verifier_key",
        )
    return verifier


@transaction.atomic
def witness_register(*, name: str, verifier_key: str, note: str = "", actor: Actor) -> Witness:
    """Register a witness by its name and the verifier key it gave (national administrators)."""
    require_permission_unless_system(actor, Perm.LEDGER_MANAGE)
    name = name.strip()
    if not name:
        raise ValidationError(_("Name the witness."), field="name")
    verifier = _witness_verifier(verifier_key)
    vkey = verifier.verifier_key()
    if Witness.objects.filter(name=name).exists():
        raise ValidationError(_("A witness of this name is registered already."), field="name")
    same_key = [w for w in Witness.objects.all() if _same_key(w.verifier_key, verifier)]
    if same_key:
        raise ValidationError(
            _("This key (or another with the same key name and id) is registered already, for %(name)s.")
            % {"name": same_key[0].name},
            field="verifier_key",
        )
    witness = Witness.objects.create(name=name, verifier_key=vkey, note=note.strip())
    events.record(
        "ledger.witness_registered", actor=actor, subject=witness, details={"name": name, "key": vkey}
    )
    return witness


def _same_key(registered: str, verifier: CosignatureVerifier) -> bool:
    try:
        other = parse_verifier_key(registered)
    except TlogError:
        return False
    return (other.name, other.key_id) == (verifier.name, verifier.key_id)


@transaction.atomic
def witness_set_active(*, witness: Witness, active: bool, actor: Actor) -> Witness:
    """Retire a witness (it may cosign no more and its cosignatures are no longer served with
    the checkpoint; they stay stored), or take it back."""
    require_permission_unless_system(actor, Perm.LEDGER_MANAGE)
    witness = Witness.objects.select_for_update().get(pk=witness.pk)
    if witness.active != active:
        witness.active = active
        witness.save(update_fields=["active"])
        code = "ledger.witness_reactivated" if active else "ledger.witness_deactivated"
        events.record(code, actor=actor, subject=witness, details={"name": witness.name})
    return witness


def _stored_checkpoint(text: str) -> Checkpoint:
    """The checkpoint the log signed with exactly this text; refusals say what is wrong."""
    try:
        body = tlog_checkpoint.Checkpoint.parse(text)
    except TlogError as error:
        raise ValidationError(_("This is not a checkpoint: %(error)s") % {"error": error}) from None
    same_size = list(Checkpoint.objects.filter(origin=body.origin, size=body.size).order_by("-pk"))
    for stored in same_size:
        if parse_note(stored.note)[0] == text:
            return stored
    if same_size:
        raise Conflict(
            _(
                "The log signed another checkpoint for a tree of %(size)s leaves: this one is not the "
                "log's. If the log's key signed it, keep it: it is evidence of a fork."
            )
            % {"size": body.size}
        )
    raise NotFound(
        _("The log signed no checkpoint of %(origin)s with %(size)s leaves.")
        % {"origin": body.origin, "size": body.size}
    )


def _check_timestamp(signature: Signature, checkpoint: Checkpoint, witness: Witness) -> datetime:
    when = cosignature_timestamp(signature)
    now = time.time()
    skew = settings.LEDGER_COSIGNATURE_CLOCK_SKEW
    if when > now + skew:
        raise ValidationError(
            _(
                "The cosignature of %(name)s is dated in the future (%(seconds)s seconds ahead): check its clock."
            )
            % {"name": witness.name, "seconds": int(when - now)}
        )
    if when < now - settings.LEDGER_COSIGNATURE_MAX_AGE:
        raise ValidationError(
            _(
                "The cosignature of %(name)s is stale (made %(seconds)s seconds ago): cosign the checkpoint again."
            )
            % {"name": witness.name, "seconds": int(now - when)}
        )
    if when < checkpoint.created_at.timestamp() - skew:
        raise ValidationError(
            _("The cosignature of %(name)s is dated before the log signed the checkpoint.")
            % {"name": witness.name}
        )
    return datetime.fromtimestamp(when, tz=UTC)


@transaction.atomic
def cosignature_submit(*, note: str, actor: Actor) -> list[Cosignature]:
    """Store the cosignatures that registered, active witnesses made of one of the log's checkpoints.

    ``note`` is the checkpoint as the log signed it, with the witnesses' cosignature lines (the
    log's own signature may stay; signatures by unknown keys are ignored). Refused: a note that
    is not a checkpoint (``ValidationError``), a checkpoint the log did not sign
    (``NotFound``, or ``Conflict`` when it signed another root for that size), no cosignature by
    a registered, active witness or one that does not verify (``PermissionDenied``), a
    cosignature dated outside ``LEDGER_COSIGNATURE_MAX_AGE`` / ``LEDGER_COSIGNATURE_CLOCK_SKEW``
    (``ValidationError``) or on a smaller tree than the witness cosigned already (``Conflict``).
    A cosignature of a checkpoint the witness cosigned already is not stored again (the first
    stays). The signature is its own record: no event (witnesses cosign every few seconds).
    ``actor`` is whoever sent it (a visitor: the request is authenticated by the signature).
    """
    try:
        text, _signatures = parse_note(note)
    except TlogError as error:
        raise ValidationError(_("This is not a signed note: %(error)s") % {"error": error}) from None
    checkpoint = _stored_checkpoint(text)
    registered: dict[tuple[str, int], tuple[Witness, CosignatureVerifier]] = {}
    for witness in Witness.objects.filter(active=True):
        try:
            verifier = _witness_verifier(witness.verifier_key)
        except ValidationError:
            continue
        registered[(verifier.name, verifier.key_id)] = (witness, verifier)
    try:
        opened = open_note(note, [verifier for _w, verifier in registered.values()])
    except UnknownKeyError:
        raise PermissionDenied(
            _("The note carries no cosignature by a registered, active witness of this log.")
        ) from None
    except InvalidSignatureError as error:
        raise PermissionDenied(
            _(
                "The cosignature by %(key)s does not verify: it is not that witness's signature of this checkpoint."
            )
            % {"key": f"{error.name}+{error.key_id:08x}"}
        ) from None
    except TlogError as error:
        raise ValidationError(_("This is not a signed note: %(error)s") % {"error": error}) from None
    stored: list[Cosignature] = []
    for signature in opened.signatures:
        witness, _verifier = registered[(signature.name, signature.key_id)]
        timestamp = _check_timestamp(signature, checkpoint, witness)
        existing = Cosignature.objects.filter(witness=witness, checkpoint=checkpoint).first()
        if existing is not None:
            stored.append(existing)
            continue
        larger = (
            Cosignature.objects.filter(
                witness=witness, checkpoint__origin=checkpoint.origin, checkpoint__size__gt=checkpoint.size
            )
            .order_by("-checkpoint__size")
            .values_list("checkpoint__size", flat=True)
            .first()
        )
        if larger is not None:
            raise Conflict(
                _(
                    "%(name)s cosigned a larger tree (%(larger)s leaves) already; a witness only moves forward."
                )
                % {"name": witness.name, "larger": larger}
            )
        stored.append(
            Cosignature.objects.create(
                witness=witness,
                checkpoint=checkpoint,
                timestamp=timestamp,
                signature=signature.signature,
                line=signature.line(),
            )
        )
    return stored


def log_follow(
    *,
    actor: SystemActor,
    every: float,
    stopped: Callable[[], bool],
    complain: Callable[[str], object] = print,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """Bring the log up to date every ``every`` seconds until ``stopped()`` (``manage.py
    ledger_integrate --follow``); each run appends everything committed, batch after batch. A
    database that is busy or restarting is said and tried again. Returns how many events it
    appended in all."""
    total = 0
    while not stopped():
        close_old_connections()
        try:
            appended = log_integrate(actor=actor)
        except DatabaseError as error:
            complain(f"ledger: {error}")
            appended = 0
        total += appended
        sleep(every)
    return total
