"""How each app's blind indexes are rebuilt under a new ``BLIND_INDEX_KEY`` (``manage.py
reindex_blind``; docs/operations.md, "Keys").

A blind index column holds ``crypto.blind_index(value, purpose=…)``, a keyed hash. Only the app
that owns the column knows which value and purpose make it, so each app says so in its own
``blind_indexes.py`` (found on first use, as the admin finds ``admin.py``), in one of three ways:

- ``register_derived``: the hash is made from the row's own fields (decrypted): it is
  recomputed row by row under the current key.
- ``register_rekeyed``: the hash is of something the row does not keep, but other data does
  (an IKM response keeps a hash of its invitation's id): the app re-keys it, given the previous
  keys (``settings.BLIND_INDEX_PREVIOUS_KEYS``) to recognise the old hashes.
- ``register_kept``: nothing kept can make the hash again (an anonymous report's code is only
  ever known to its reporter): look-ups must match the previous keys too
  (``crypto.blind_index_candidates``), for as long as such rows matter.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db import models, transaction
from django.utils.module_loading import autodiscover_modules

BLIND_INDEX_REBUILT = "core.blind_index_rebuilt"


@dataclass(frozen=True)
class Batch:
    read: int  # rows looked at
    changed: int  # hashes rewritten (in a dry run: that would be)
    last_pk: Any


@dataclass(frozen=True)
class DerivedIndex:
    model: type[models.Model]
    column: str
    # The fields ``compute`` reads (loaded with ``only``, so a batch decrypts nothing else).
    sources: tuple[str, ...]
    # The hash under the current key; None leaves the stored hash as it is (cannot be made).
    compute: Callable[[Any], str | None]

    @property
    def label(self) -> str:
        return f"{self.model._meta.label}.{self.column}"


# (previous keys, batch size, dry run) -> hashes re-keyed per batch, one transaction each.
Rekey = Callable[[Sequence[str], int, bool], Iterator[int]]


@dataclass(frozen=True)
class RekeyedIndex:
    label: str
    rekey: Rekey


@dataclass(frozen=True)
class KeptIndex:
    label: str
    why: str


_DERIVED: dict[str, DerivedIndex] = {}
_REKEYED: dict[str, RekeyedIndex] = {}
_KEPT: dict[str, KeptIndex] = {}


def register_derived(
    model: type[models.Model], column: str, *, sources: Sequence[str], compute: Callable[[Any], str | None]
) -> None:
    index = DerivedIndex(model, column, tuple(sources), compute)
    _DERIVED[index.label] = index


def register_rekeyed(label: str, rekey: Rekey) -> None:
    _REKEYED[label] = RekeyedIndex(label, rekey)


def register_kept(label: str, why: str) -> None:
    _KEPT[label] = KeptIndex(label, why)


@cache
def _discover() -> None:
    autodiscover_modules("blind_indexes")


def derived() -> list[DerivedIndex]:
    _discover()
    return sorted(_DERIVED.values(), key=lambda index: index.label)


def rekeyed() -> list[RekeyedIndex]:
    _discover()
    return sorted(_REKEYED.values(), key=lambda index: index.label)


def kept() -> list[KeptIndex]:
    _discover()
    return sorted(_KEPT.values(), key=lambda index: index.label)


def reindex_batches(index: DerivedIndex, *, batch_size: int, dry_run: bool = False) -> Iterator[Batch]:
    """Recompute ``index`` row by row under the current key, by primary key in batches of one
    short transaction each. A hash is written with a queryset update (no ``save()``), and only
    if it is still the one read, so a change the service made meanwhile is never overwritten."""
    manager = index.model._base_manager
    after: Any = None
    while True:
        with transaction.atomic():
            rows = manager.order_by("pk").only(*index.sources, index.column)
            if after is not None:
                rows = rows.filter(pk__gt=after)
            batch = list(rows[:batch_size])
            if not batch:
                return
            changed = 0
            for row in batch:
                new = index.compute(row)
                old = getattr(row, index.column)
                if new is None or new == old:
                    continue
                if dry_run:
                    changed += 1
                else:
                    changed += manager.filter(pk=row.pk, **{index.column: old}).update(**{index.column: new})
        after = batch[-1].pk
        yield Batch(read=len(batch), changed=changed, last_pk=after)
