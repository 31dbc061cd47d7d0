"""The event bus: handlers run in the publisher's transaction or after its commit, as declared."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction

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
