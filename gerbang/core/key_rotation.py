"""Re-encrypting personal fields under the current key while the service runs, and counting
what each key version still holds (``manage.py rotate_keys``; docs/operations.md, "Keys").

Every encrypted column of every installed app is found from the models themselves (each
``EncryptedTextField``, ``EncryptedJSONField`` included), so a new app's fields are rotated
with no list to keep. The work goes by primary key in small batches, one short transaction
each, on the stored text itself: a batch reads at most ``batch_size`` values, and each value is
written back with a queryset update of its column (no ``save()``, no ``auto_now``) only if it is
still the value that was read, so a change made meanwhile by the service is never overwritten.
Readers keep working at every moment: the ring decrypts every version it lists.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models, transaction
from django.db.models.functions import Cast, Left, StrIndex

from gerbang.core import crypto
from gerbang.core.fields import EncryptedTextField

KEYS_ROTATED = "core.keys_rotated"


@dataclass(frozen=True)
class EncryptedColumn:
    model: type[models.Model]
    field: EncryptedTextField

    @property
    def label(self) -> str:
        return f"{self.model._meta.label}.{self.field.name}"

    def queryset(self) -> models.QuerySet[Any]:
        """Rows with a stored value, each with its stored text as ``raw`` (not decrypted)."""
        name = self.field.attname
        rows: models.QuerySet[Any] = self.model._base_manager.filter(**{f"{name}__isnull": False})
        annotated: models.QuerySet[Any] = rows.annotate(raw=raw_text(name)).exclude(raw="")
        return annotated


def raw_text(name: str) -> Cast:
    # The column as plain text: a TextField output has no converter, so nothing is decrypted.
    return Cast(name, output_field=models.TextField())


def encrypted_columns() -> list[EncryptedColumn]:
    """Every encrypted column of the installed apps' concrete models."""
    found: list[EncryptedColumn] = []
    for model in apps.get_models():
        meta = model._meta
        if meta.proxy or not meta.managed or meta.swapped:
            continue
        found.extend(
            EncryptedColumn(model, field)
            for field in meta.local_concrete_fields
            if isinstance(field, EncryptedTextField)
        )
    return sorted(found, key=lambda column: column.label)


@dataclass(frozen=True)
class Batch:
    read: int  # values not under the current version found in this batch
    rotated: int  # of which re-encrypted (0 in a dry run; fewer if changed meanwhile)
    last_pk: Any


def stale(column: EncryptedColumn) -> models.QuerySet[Any]:
    """The rows whose value is not under the current key version."""
    return column.queryset().exclude(raw__startswith=crypto.version_prefix(crypto.current_version()))


def rotate_batches(
    column: EncryptedColumn, *, batch_size: int, dry_run: bool = False, after: Any = None
) -> Iterator[Batch]:
    """Re-encrypt ``column``'s values under the current key, one batch (one transaction) per
    step; a dry run decrypts each value (proving the ring reads it) and writes nothing. Stop
    at any step and run again: what is done stays done (``after`` resumes past a primary key)."""
    name = column.field.attname
    manager = column.model._base_manager
    while True:
        with transaction.atomic():
            rows = stale(column)
            if after is not None:
                rows = rows.filter(pk__gt=after)
            batch = list(rows.order_by("pk").values_list("pk", "raw")[:batch_size])
            if not batch:
                return
            rotated = 0
            for pk, raw in batch:
                try:
                    plaintext = crypto.decrypt(raw)
                except ValueError as exc:
                    raise ValueError(f"{column.label} (primary key {pk}): {exc}") from exc
                if dry_run:
                    continue
                rotated += (
                    manager.filter(pk=pk)
                    .alias(raw=raw_text(name))
                    .filter(raw=raw)
                    .update(**{name: models.Value(crypto.encrypt(plaintext), models.TextField())})
                )
        after = batch[-1][0]
        yield Batch(read=len(batch), rotated=rotated, last_pk=after)


def version_counts(column: EncryptedColumn) -> dict[int | None, int]:
    """How many stored values of ``column`` each key version holds (None: bare tokens written
    before versions, readable by whichever key of the ring made them)."""
    raw = raw_text(column.field.attname)
    # "k3:" from "k3:gAAAA…"; "" from a bare token (no ":" in it).
    head = Left(raw, StrIndex(raw, models.Value(":")))
    counts: dict[int | None, int] = {}
    grouped = column.queryset().annotate(head=head).order_by().values("head").annotate(n=models.Count("pk"))
    for row in grouped:
        version = crypto.version_of(row["head"] or "")
        counts[version] = counts.get(version, 0) + row["n"]
    return counts
