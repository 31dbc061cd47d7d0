"""Events: the record every change leaves, and the typed events apps react to.

``record`` stores what happened (actor, subject, code, details) inside the service's transaction
(DESIGN convention 3): a change and its record are stored together or not at all. The timeline,
the audit trail and the coming ledger read those rows.

``publish`` tells the other apps (DESIGN convention 4). The app that changes state defines its
events as frozen dataclasses deriving from ``DomainEvent`` (in its own ``events.py``) and
publishes them inside its transaction; the apps that care ``subscribe`` in their own
``apps.py``, each handler declaring whether it runs in that same transaction (its writes then
stand or fall with the change) or after the commit (work that must not undo the change if it
fails). The publisher imports none of its subscribers: a new app reacts to a case, a payment or
a booking by subscribing, with no change to the app that publishes.

An event may also carry the messages it owes people (``messages``): whoever delivers messages
subscribes to every event and writes them, so the publisher needs no notification code either.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import partial
from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.db import connection, models, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.functions import Cast

from gerbang.core.actors import Actor, SystemActor
from gerbang.core.logging import request_id_var
from gerbang.core.models import Event, EventNote

# The key in an event's details that holds the digest of its note (``EventNote``).
NOTE_DIGEST = "note_sha256"


def _event(
    code: str,
    *,
    actor: Actor | AnonymousUser | None,
    subject: models.Model,
    details: dict[str, Any] | None,
    office_id: int | None,
    request_id: str,
) -> Event:
    details = dict(details or {})
    if isinstance(actor, SystemActor):
        details.setdefault("system", actor.name)
    return Event(
        code=code,
        actor_id=None if actor is None or isinstance(actor, SystemActor) else actor.pk,
        subject_type=subject._meta.label_lower,
        subject_id=str(subject.pk),
        office_id=office_id,
        details=details,
        request_id="" if request_id == "-" else request_id,
    )


def record(
    code: str,
    *,
    actor: Actor | AnonymousUser | None,
    subject: models.Model,
    details: dict[str, Any] | None = None,
    office_id: int | None = None,
    note: str = "",
) -> Event:
    """Store what happened. The system is stored as no user, its name kept in the details
    (``details["system"]``) so the audit log says which part of it acted; so is a visitor not
    signed in (``AnonymousUser``) or no one (``None``, e.g. a provider's unsigned callback).

    Free text someone wrote (an explanation, a note, a reason) goes in ``note``, never in the
    details: it is kept in an ``EventNote`` that retention can erase, and the details keep only
    its salted digest, so the event (and the public ledger's leaf of it) never has to change."""
    text = note.strip()
    salt = secrets.token_hex(16) if text else ""
    if text:
        details = {**(details or {}), NOTE_DIGEST: note_digest(salt, text)}
    event = _event(
        code,
        actor=actor,
        subject=subject,
        details=details,
        office_id=office_id,
        request_id=request_id_var.get(),
    )
    event.save(force_insert=True)
    if text:
        EventNote.objects.create(event=event, text=text, salt=salt)
    return event


def note_digest(salt: str, text: str) -> str:
    """SHA-256 of the salt, a NUL and the text (UTF-8), in hex: what the event's details keep."""
    return hashlib.sha256(f"{salt}\x00{text}".encode()).hexdigest()


def note_of(event: Event) -> str | None:
    """The free text of ``event``: "" when it has none, None when it had one that was erased.
    Read the events with ``select_related("note")``, or each call costs a query."""
    if not (event.details or {}).get(NOTE_DIGEST):
        return ""
    try:
        return str(event.note.text)
    except EventNote.DoesNotExist:
        return None


def note_intact(note: EventNote) -> bool:
    """Whether ``note`` is still the text its event was recorded with."""
    return bool(note.event.details.get(NOTE_DIGEST) == note_digest(note.salt, note.text))


def _notes_of_subjects(subject_type: str, subject_ids: Iterable[Any]) -> Iterator[QuerySet[EventNote]]:
    """The notes of these subjects' events, a few hundred subjects at a time (an ``IN`` list
    stays within every database's limit on parameters)."""
    ids = [str(pk) for pk in subject_ids]
    for start in range(0, len(ids), 500):
        yield EventNote.objects.filter(
            event__subject_type=subject_type, event__subject_id__in=ids[start : start + 500]
        )


def notes_by_subject(subject_type: str, subject_ids: Iterable[Any]) -> dict[str, list[str]]:
    """The notes of the events of these subjects, oldest first, by subject id (as stored: text)."""
    found: dict[str, list[str]] = {}
    for batch in _notes_of_subjects(subject_type, subject_ids):
        for note in batch.select_related("event").order_by("event__created_at", "event_id"):
            found.setdefault(note.event.subject_id, []).append(note.text)
    return found


def with_notes(subject_type: str) -> Exists:
    """True for rows (of ``subject_type``) that have an event with a note: a filter for the
    retention sweeps, ``Model.objects.filter(events.with_notes("app.model"))``."""
    return Exists(
        EventNote.objects.filter(
            event__subject_type=subject_type, event__subject_id=Cast(OuterRef("pk"), models.CharField())
        )
    )


def notes_erase(subject_type: str, subject_ids: Iterable[Any]) -> int:
    """Erase the notes of the events of these subjects (their retention ended, or the person
    asked and the law lets it go). The events themselves stay as they were."""
    return sum(batch.delete()[0] for batch in _notes_of_subjects(subject_type, subject_ids))


def record_many(
    code: str,
    *,
    actor: Actor | AnonymousUser | None,
    subjects: Iterable[tuple[models.Model, int | None]],
    details: dict[str, Any] | None = None,
) -> list[Event]:
    """``record`` for many subjects at once (each with its office id), in one INSERT: a staff
    read of a list of a few hundred rows leaves one event per row without a query per row."""
    request_id = request_id_var.get()
    rows = [
        _event(
            code, actor=actor, subject=subject, details=details, office_id=office_id, request_id=request_id
        )
        for subject, office_id in subjects
    ]
    return Event.objects.bulk_create(rows) if rows else []


@dataclass(frozen=True)
class Message:
    """One message an event owes one person: who, which kind (registered with
    ``gerbang.core.messages``), a key that makes a repeat harmless, and the facts it needs
    (never a secret: the text is made from the current data when it is delivered)."""

    recipient: Any
    kind: str
    dedup_key: str
    context: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class DomainEvent:
    """Base of every published event. Subclasses are frozen dataclasses named for what
    happened, in the past tense (``CaseMoved``, ``PaymentSettled``)."""

    def messages(self) -> Sequence[Message]:
        """The messages this event owes people; none unless the event says so."""
        return ()


class When(StrEnum):
    IN_TRANSACTION = "in_transaction"
    ON_COMMIT = "on_commit"


E = TypeVar("E", bound=DomainEvent)


@dataclass(frozen=True)
class Subscription:
    event_type: type[DomainEvent]
    handler: Callable[[Any], None]
    when: When

    @property
    def name(self) -> str:
        return f"{self.handler.__module__}.{self.handler.__qualname__}"


_subscriptions: list[Subscription] = []


def subscribe(event_type: type[E], handler: Callable[[E], None], *, when: When) -> None:
    """Run ``handler`` for every published ``event_type`` (or subclass of it). Called from an
    app's ``AppConfig.ready``; subscribing the same handler twice keeps one subscription."""
    subscription = Subscription(event_type, handler, When(when))
    if subscription not in _subscriptions:
        _subscriptions.append(subscription)


def subscribers(event_type: type[DomainEvent]) -> list[Subscription]:
    """Who reacts to ``event_type``, in the order they run (the apps' order in settings)."""
    return [s for s in _subscriptions if issubclass(event_type, s.event_type)]


def publish(event: DomainEvent) -> None:
    """Tell the subscribers. Only inside the transaction that makes the change, so an
    in-transaction handler's writes commit or roll back with it and an on-commit handler runs
    only for a change that was kept."""
    if not connection.in_atomic_block:
        raise RuntimeError(f"{type(event).__name__} must be published inside the transaction that makes it")
    for subscription in subscribers(type(event)):
        if subscription.when is When.IN_TRANSACTION:
            subscription.handler(event)
        else:
            transaction.on_commit(partial(subscription.handler, event))
