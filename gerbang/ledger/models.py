"""The public log's storage: its head, its leaves, the hashes of its tree and its checkpoints;
the witnesses that follow it and their cosignatures of its checkpoints.

The log itself is written by the sequencer alone (``services.log_integrate``), and nothing of it
is ever updated or deleted but the head. Witnesses are registered by national administrators;
cosignatures are added by the witnesses (``services.cosignature_submit``) and never changed.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class LogHead(models.Model):
    """The one row the sequencer locks: how many leaves the log has, and up to which event id
    every event has been looked at (logged, or not in the registry)."""

    size = models.BigIntegerField(default=0)
    # Every committed event with an id up to this one has been decided; later ones are looked
    # at again each run (see services.log_integrate on events committed late).
    checked_through = models.BigIntegerField(default=0)
    # PostgreSQL only: the highest event id seen by an earlier run (``mark_id``) and the first
    # transaction id not yet begun then (``mark_xid``, 0 for no mark). Once every transaction
    # before ``mark_xid`` has ended, no event up to ``mark_id`` can still commit, and
    # ``checked_through`` moves there (services._settle).
    mark_id = models.BigIntegerField(default=0)
    mark_xid = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("ledger head")
        verbose_name_plural = _("ledger heads")

    def __str__(self) -> str:
        return f"ledger of {self.size}"


class Leaf(models.Model):
    """One entry of the log: leaf ``seq`` (0, 1, 2, ... without gaps) is event ``event_id``.

    The bytes are kept as written: changing the event afterwards does not change the log, and
    changing the bytes is found by hashing them again (``selectors.verify_stored_tree``). The
    event id is a plain number, not a foreign key, so that nothing done to events reaches the log.
    """

    seq = models.BigIntegerField(primary_key=True)
    event_id = models.BigIntegerField(unique=True)
    data = models.BinaryField()
    hash = models.BinaryField(max_length=32)
    event_created_at = models.DateTimeField()
    integrated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("ledger leaf")
        verbose_name_plural = _("ledger leaves")

    def __str__(self) -> str:
        return f"leaf {self.seq} (event {self.event_id})"


class StoredHash(models.Model):
    """The hash of one complete subtree, at its place in the dense "stored hash index" order of
    golang.org/x/mod/sumdb/tlog (``tlog.merkle.stored_hash_index``): any root, proof or tile is a
    few reads by primary key."""

    index = models.BigIntegerField(primary_key=True)
    hash = models.BinaryField(max_length=32)

    class Meta:
        verbose_name = _("ledger tree hash")
        verbose_name_plural = _("ledger tree hashes")

    def __str__(self) -> str:
        return f"hash {self.index}"


class Checkpoint(models.Model):
    """A signed head of the log (C2SP tlog-checkpoint in a signed note); every one is kept."""

    origin = models.CharField(max_length=200)
    size = models.BigIntegerField(db_index=True)
    root = models.BinaryField(max_length=32)
    note = models.TextField()
    # The log's key that signed it (its Ed25519 public key, base64): a key's period is the
    # checkpoints it signed (selectors.log_keys). During a key change the note carries the
    # previous key's signature too; this names the current one.
    public_key = models.CharField(max_length=44, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("ledger checkpoint")
        verbose_name_plural = _("ledger checkpoints")
        indexes = [models.Index(fields=["public_key", "size"], name="ledger_checkpoint_key_size")]

    def __str__(self) -> str:
        return f"checkpoint {self.origin} {self.size}"


class Witness(models.Model):
    """An independent party that follows the log and cosigns its checkpoints (C2SP
    tlog-cosignature v1), registered by a national administrator with the verifier key it gave.

    A witness that is no longer active may not cosign; what it cosigned stays stored."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    # The witness's public key as a C2SP verifier key string of signature type 0x04
    # (name+hexid+base64(0x04 || Ed25519 public key)), as its program's ``keygen`` prints it.
    verifier_key = models.CharField(_("verifier key"), max_length=300, unique=True)
    active = models.BooleanField(_("active"), default=True)
    added_at = models.DateTimeField(default=timezone.now)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("ledger witness")
        verbose_name_plural = _("ledger witnesses")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Cosignature(models.Model):
    """A witness's cosignature of one checkpoint: its signature line, as the witness sent it,
    which ``/ledger/checkpoint`` adds to the log's note."""

    witness = models.ForeignKey(Witness, on_delete=models.PROTECT, related_name="cosignatures")
    checkpoint = models.ForeignKey(Checkpoint, on_delete=models.PROTECT, related_name="cosignatures")
    # When the witness says it cosigned (the signature's POSIX timestamp).
    timestamp = models.DateTimeField()
    # The signature after the key id: the 8-byte timestamp and the 64-byte Ed25519 signature.
    signature = models.BinaryField(max_length=72)
    # The whole note signature line ("— <key name> base64(key id || signature)" and a newline).
    line = models.TextField()
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("ledger cosignature")
        verbose_name_plural = _("ledger cosignatures")
        constraints = [
            models.UniqueConstraint(
                fields=["witness", "checkpoint"], name="ledger_one_cosignature_per_witness"
            )
        ]

    def __str__(self) -> str:
        return f"cosignature of {self.checkpoint_id} by {self.witness_id}"
