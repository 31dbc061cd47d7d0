"""The event bus: handlers run in the publisher's transaction or after its commit, as declared."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.utils import translation

from gerbang.core import events
from gerbang.core.events import DomainEvent, When
from gerbang.core.models import Event

pytestmark = pytest.mark.django_db


@dataclass(frozen=True, kw_only=True)
class Happened(DomainEvent):
    what: str


@dataclass(frozen=True, kw_only=True)
class HappenedLoudly(Happened):
    pass


@pytest.fixture
def bus() -> Iterator[list[str]]:
    """A clean subscription list for the test, restored after it."""
    saved = list(events._subscriptions)
    events._subscriptions.clear()
    seen: list[str] = []
    yield seen
    events._subscriptions[:] = saved


@pytest.mark.django_db(transaction=True)
def test_publishing_outside_a_transaction_is_refused(bus: list[str]) -> None:
    with pytest.raises(RuntimeError, match="inside the transaction"):
        events.publish(Happened(what="x"))


def test_an_in_transaction_handler_rolls_back_with_the_change(bus: list[str]) -> None:
    def write(event: Happened) -> None:
        Event.objects.create(code=f"test.{event.what}", subject_type="t", subject_id="1")

    events.subscribe(Happened, write, when=When.IN_TRANSACTION)

    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        events.publish(Happened(what="kept"))
        assert Event.objects.filter(code="test.kept").exists()
        raise Undo
    assert not Event.objects.filter(code="test.kept").exists()


@pytest.mark.django_db(transaction=True)
def test_an_on_commit_handler_runs_only_for_a_kept_change(bus: list[str]) -> None:
    events.subscribe(Happened, lambda e: bus.append(e.what), when=When.ON_COMMIT)
    with transaction.atomic():
        events.publish(Happened(what="kept"))
        assert bus == []
    assert bus == ["kept"]

    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        events.publish(Happened(what="dropped"))
        raise Undo
    assert bus == ["kept"]


def test_a_subscription_covers_subclasses_once_and_in_order(bus: list[str]) -> None:
    def first(event: Happened) -> None:
        bus.append(f"first:{event.what}")

    def second(event: Happened) -> None:
        bus.append(f"second:{event.what}")

    events.subscribe(Happened, first, when=When.IN_TRANSACTION)
    events.subscribe(HappenedLoudly, second, when=When.IN_TRANSACTION)
    events.subscribe(Happened, first, when=When.IN_TRANSACTION)
    with transaction.atomic():
        events.publish(HappenedLoudly(what="a"))
        events.publish(Happened(what="b"))
    assert bus == ["first:a", "second:a", "first:b"]
    assert [s.name for s in events.subscribers(Happened)] == [f"{__name__}.{first.__qualname__}"]


def test_record_many_writes_one_row_per_subject_in_one_insert(django_assert_num_queries: Any) -> None:
    from gerbang.core.actors import SystemActor
    from gerbang.core.models import SearchEntry

    subjects = [
        SearchEntry.objects.create(
            kind="t", key=str(n), language="id", title="", body="", url="", title_folded="", body_folded=""
        )
        for n in range(5)
    ]
    with django_assert_num_queries(1):
        made = events.record_many(
            "thing.viewed",
            actor=SystemActor("tester"),
            subjects=[(subject, n if n % 2 else None) for n, subject in enumerate(subjects)],
            details={"why": "test"},
        )
    assert len(made) == 5
    rows = list(Event.objects.filter(code="thing.viewed").order_by("id"))
    assert [row.subject_id for row in rows] == [str(s.pk) for s in subjects]
    assert [row.office_id for row in rows] == [None, 1, None, 3, None]
    assert all(row.details == {"why": "test", "system": "tester"} and row.actor_id is None for row in rows)
    assert all(row.subject_type == "core.searchentry" for row in rows)
    assert events.record_many("thing.viewed", actor=None, subjects=[]) == []


def _entry(key: str) -> Any:
    from gerbang.core.models import SearchEntry

    return SearchEntry.objects.create(
        kind="t", key=key, language="id", title="", body="", url="", title_folded="", body_folded=""
    )


def test_free_text_is_an_erasable_note_and_the_details_keep_only_its_digest() -> None:
    from gerbang.core import event_text
    from gerbang.core.models import EventNote

    first, second = _entry("1"), _entry("2")
    event = events.record(
        "thing.refused", actor=None, subject=first, details={"to": "x"}, note="  Foto buram.  "
    )
    other = events.record("thing.refused", actor=None, subject=second, note="Foto buram.")
    plain = events.record("thing.refused", actor=None, subject=second)
    stored = Event.objects.select_related("note").get(pk=event.pk)
    assert "Foto" not in str(stored.details)  # the text is not in what the ledger commits to
    assert set(stored.details) == {"to", events.NOTE_DIGEST}
    assert events.note_of(stored) == "Foto buram."
    assert events.note_intact(stored.note)
    # The same words under two events do not give the same digest (each note has its own salt).
    assert stored.details[events.NOTE_DIGEST] != Event.objects.get(pk=other.pk).details[events.NOTE_DIGEST]
    assert events.note_of(Event.objects.get(pk=plain.pk)) == ""
    with translation.override("en"):
        assert event_text.describe_event(stored).endswith("Note: Foto buram.")

    # Changing the text by hand shows: it no longer matches its event's digest.
    EventNote.objects.filter(pk=event.pk).update(salt="0" * 32)
    assert not events.note_intact(EventNote.objects.select_related("event").get(pk=event.pk))

    details_before = dict(stored.details)
    assert events.notes_erase("core.searchentry", [first.pk]) == 1
    erased = Event.objects.select_related("note").get(pk=event.pk)
    assert erased.details == details_before  # the event (and so its ledger leaf) is unchanged
    assert events.note_of(erased) is None
    assert events.note_of(Event.objects.select_related("note").get(pk=other.pk)) == "Foto buram."
    with translation.override("en"):
        assert "erased when its retention period ended" in event_text.describe_event(erased)
    assert events.notes_erase("core.searchentry", [first.pk]) == 0


def test_a_blank_note_is_no_note() -> None:
    from gerbang.core.models import EventNote

    event = events.record("thing.refused", actor=None, subject=_entry("3"), note="   ")
    assert events.NOTE_DIGEST not in event.details
    assert not EventNote.objects.exists()
