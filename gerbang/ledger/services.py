"""The sequencer: committed events become leaves of the log, and each batch a signed checkpoint.

The write path of the rest of Gerbang is not touched (``core.events.record`` stays one INSERT):
the Event table is the queue. ``log_integrate`` takes the committed events that the registry
logs and that are not in the log yet, in id order, and appends them with sequence numbers
0, 1, 2, ... without gaps. It holds the one ``LogHead`` row locked (``SELECT ... FOR UPDATE``; on
SQLite the IMMEDIATE transaction itself) so that two sequencers never interleave: the second
waits, then finds the first one's leaves already there.

An event committed late (PostgreSQL takes an id at INSERT, so a transaction may commit event 7
after event 8 was logged) simply gets a later sequence number: the sequencer looks again at
every event of the last ``LEDGER_SETTLE_SECONDS`` that is not in the log yet (``checked_through``
only moves past events older than that).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone

from gerbang.core.actors import Actor
from gerbang.core.models import Event
from gerbang.ledger import keys
from gerbang.ledger.leaves import leaf_v1
from gerbang.ledger.models import Checkpoint, Leaf, LogHead, StoredHash
from gerbang.ledger.registry import logged_events_q
from gerbang.ledger.tlog import checkpoint as tlog_checkpoint
from gerbang.ledger.tlog.merkle import hashes_for_new_leaf, leaf_hash, root_hash, stored_hash_index

HEAD_ID = 1


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


def _pending(head: LogHead, limit: int) -> list[Event]:
    """The committed events the log takes and does not have yet, oldest id first."""
    in_log = Leaf.objects.filter(event_id=OuterRef("pk"))
    return list(
        Event.objects.filter(pk__gt=head.checked_through)
        .filter(logged_events_q())
        .exclude(Exists(in_log))
        .order_by("pk")[:limit]
    )


def _checkpoint_sign(size: int, reader: _BatchHashes) -> Checkpoint:
    root = root_hash(size, reader)
    body = tlog_checkpoint.Checkpoint(keys.origin(), size, root)
    note = tlog_checkpoint.sign_checkpoint(body, [keys.signer()])
    return Checkpoint.objects.create(origin=body.origin, size=size, root=root, note=note)


def _integrate_batch(limit: int) -> tuple[int, bool]:
    """Append up to ``limit`` events in one transaction; returns how many, and whether more wait."""
    with transaction.atomic():
        LogHead.objects.get_or_create(pk=HEAD_ID)
        head = LogHead.objects.select_for_update().get(pk=HEAD_ID)
        now = timezone.now()
        events = _pending(head, limit)
        more = len(events) == limit
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
        size = head.size + len(leaves)
        latest = Checkpoint.objects.order_by("-pk").only("origin", "size").first()
        if leaves or latest is None or latest.origin != keys.origin() or latest.size != size:
            _checkpoint_sign(size, reader)
        # Events older than the settling time, up to the last one looked at, are decided for good.
        settled = Event.objects.filter(pk__gt=head.checked_through, created_at__lte=now - _settle())
        if more:
            settled = settled.filter(pk__lte=events[-1].pk)
        top = settled.aggregate(top=Max("pk"))["top"]
        head.size = size
        head.checked_through = max(head.checked_through, top or 0)
        head.updated_at = now
        head.save(update_fields=["size", "checked_through", "updated_at"])
    return len(leaves), more


def _settle() -> timedelta:
    return timedelta(seconds=settings.LEDGER_SETTLE_SECONDS)


def log_integrate(*, actor: Actor, batch_size: int | None = None) -> int:
    """Append every committed event the registry logs and the log lacks; returns how many.

    Each batch (``LEDGER_BATCH_SIZE`` events) is one transaction that ends with a signed
    checkpoint; a log with no checkpoint yet gets one (of the empty tree, if need be). The
    sequencer records no event of its own: its checkpoints are its record. ``actor`` says who
    runs it (the worker, a command, a test) and is not stored.
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
