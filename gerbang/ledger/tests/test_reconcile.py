"""The nightly reconciliation: a logged event the sequencer skipped (its transaction stayed open
longer than the settling time) is found over the whole history, page by page, and appended late
with both of its times; it runs beside the sequencer; the command and the nightly task."""

from __future__ import annotations

import logging
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from gerbang.core import event_text
from gerbang.core.actors import WORKER
from gerbang.core.models import Event
from gerbang.core.tests.concurrency import in_parallel
from gerbang.ledger import selectors
from gerbang.ledger.models import Checkpoint, Leaf, LogHead
from gerbang.ledger.services import log_integrate, log_reconcile
from gerbang.ledger.tlog.note import parse_note

pytestmark = pytest.mark.django_db


def event(pk: int, *, code: str = "application.submitted", age: timedelta = timedelta(hours=2)) -> Event:
    """An event with this id, recorded ``age`` ago: as a transaction that began then and
    commits only now leaves it."""
    return Event.objects.create(
        pk=pk, code=code, subject_type="applications.application", subject_id=str(pk),
        created_at=timezone.now() - age, details={"n": pk},
    )  # fmt: skip


def history(first: int, count: int, step: int = 3) -> list[Event]:
    """Logged events every ``step`` ids from ``first``, two hours old, integrated: the ids in
    between are holes the sequencer has decided for good."""
    made = [event(first + step * n) for n in range(count)]
    log_integrate(actor=WORKER)
    assert LogHead.objects.get().checked_through >= made[-1].pk
    return made


@pytest.fixture
def base() -> int:
    """An id above every event so far (explicit ids below stay free)."""
    top = Event.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    return top + 1000


def test_an_event_committed_after_the_settling_time_is_appended_late(
    base: int, settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    settings.LEDGER_SETTLE_SECONDS = 600
    made = history(base, 3)
    # A transaction that began two hours ago (its event's id and time are of then) commits now.
    late = event(base + 4)
    assert log_integrate(actor=WORKER) == 0  # the sequencer looks no more below its mark
    head = LogHead.objects.get()
    size, readable = head.size, Event.objects.filter(pk__lte=head.checked_through).count()

    with caplog.at_level(logging.INFO, logger="gerbang.ledger.services"):
        found = log_reconcile(actor=WORKER)
    assert (found.found, found.appended) == (1, 1)
    assert found.through == head.checked_through >= made[-1].pk
    assert found.examined == readable
    leaf = Leaf.objects.get(event_id=late.pk)
    assert leaf.seq == size  # after everything already in the log
    assert leaf.event_created_at == late.created_at  # the event's own time, in the leaf too...
    assert leaf.integrated_at > late.created_at + timedelta(hours=1)  # ...and when it came in
    latest = selectors.latest_checkpoint()
    assert latest is not None and latest.size == size + 1
    assert selectors.verify_stored_tree().sound
    (warning,) = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert "1 logged events missing from the log, 1 appended" in warning.getMessage()

    # What it did is recorded as an event, in words in the audit log.
    recorded = Event.objects.filter(code="ledger.reconciled").get()
    assert recorded.details == {
        "examined": found.examined,
        "through": found.through,
        "found": 1,
        "appended": 1,
        "system": "worker",
    }
    assert "1 logged events missing" in event_text.describe_event(recorded)

    # Nothing is missing any more: a second run finds nothing, and says so quietly.
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="gerbang.ledger.services"):
        again = log_reconcile(actor=WORKER)
    assert (again.found, again.appended) == (0, 0)
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert Leaf.objects.filter(event_id=late.pk).count() == 1


def test_it_reads_page_by_page_and_appends_in_batches(base: int) -> None:
    history(base, 10)  # ids base, base+3, ..., base+27
    holes = [event(base + 3 * n + 1) for n in range(9)]  # nine logged events in the holes
    unlogged = [event(base + 3 * n + 2, code="content.faq_saved") for n in range(9)]
    checkpoints = Checkpoint.objects.count()
    readable = Event.objects.filter(pk__lte=LogHead.objects.get().checked_through).count()
    found = log_reconcile(actor=WORKER, page_size=4, batch_size=2)
    assert (found.found, found.appended) == (9, 9)
    assert found.examined == readable == 10 + 9 + 9
    appended = list(Leaf.objects.filter(event_id__in=[e.pk for e in holes]).order_by("seq"))
    assert [leaf.event_id for leaf in appended] == [e.pk for e in holes]  # in id order
    assert not Leaf.objects.filter(event_id__in=[e.pk for e in unlogged]).exists()
    # Each batch of at most two is a transaction with its own checkpoint.
    assert Checkpoint.objects.count() > checkpoints + 4
    assert selectors.verify_stored_tree().sound


def test_events_above_the_mark_are_left_to_the_sequencer(base: int, settings: Any) -> None:
    settings.LEDGER_SETTLE_SECONDS = 600
    history(base, 2)
    recent = event(LogHead.objects.get().checked_through + 50, age=timedelta(0))
    found = log_reconcile(actor=WORKER)
    assert found.found == 0 and not Leaf.objects.filter(event_id=recent.pk).exists()
    assert log_integrate(actor=WORKER) == 1


def test_a_log_never_integrated_has_nothing_to_reconcile() -> None:
    found = log_reconcile(actor=WORKER)
    assert (found.examined, found.found, found.through) == (0, 0, 0)
    with pytest.raises(ValueError):
        log_reconcile(actor=WORKER, page_size=0)


@pytest.mark.django_db(transaction=True)
def test_it_runs_beside_the_sequencer(base: int) -> None:
    history(base, 20)
    holes = [event(base + 3 * n + 1) for n in range(19)]
    fresh = [event(base + 200 + n, age=timedelta(0)) for n in range(20)]  # the sequencer's part
    if connection.vendor == "sqlite":
        connection.close()  # each thread opens its own connection to the test database file
    results = in_parallel(
        [
            lambda: log_reconcile(actor=WORKER, page_size=5, batch_size=3),
            lambda: log_integrate(actor=WORKER, batch_size=4),
            lambda: log_integrate(actor=WORKER, batch_size=4),
        ]
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    log_integrate(actor=WORKER)  # whatever the sequencer's mark had not reached yet
    log_reconcile(actor=WORKER)
    ids = list(Leaf.objects.order_by("seq").values_list("event_id", flat=True))
    assert len(ids) == len(set(ids)) == 20 + 19 + 20
    assert set(ids) >= {e.pk for e in holes + fresh}
    assert list(Leaf.objects.order_by("seq").values_list("seq", flat=True)) == list(range(len(ids)))
    assert selectors.verify_stored_tree().sound
    # Every checkpoint is signed and extends the previous one (one lock, one writer at a time).
    sizes = list(Checkpoint.objects.order_by("pk").values_list("size", flat=True))
    assert sizes == sorted(sizes)
    assert all(parse_note(note) for note in Checkpoint.objects.values_list("note", flat=True))


def test_the_command_reconciles_then_integrates(base: int) -> None:
    history(base, 2)
    late = event(base + 1)
    out = StringIO()
    call_command("ledger_integrate", "--reconcile", "--page-size", "1", stdout=out)
    assert "1 logged events missing from the log, 1 appended." in out.getvalue()
    assert Leaf.objects.filter(event_id=late.pk).exists()
    with pytest.raises(CommandError, match="--page-size must be at least 1"):
        call_command("ledger_integrate", "--reconcile", "--page-size", "0", stdout=StringIO())


def test_the_nightly_task_reconciles(base: int) -> None:
    from datetime import datetime

    from gerbang.ledger.tasks import reconcile_ledger

    history(base, 2)
    late = event(base + 1)
    reconcile_ledger.call_local()
    assert Leaf.objects.filter(event_id=late.pk).exists()
    # Every night, at a quiet hour (20:23 UTC: 03:23 in Jakarta), as huey's scheduler asks.
    task = reconcile_ledger.s()
    assert task.validate_datetime(datetime(2026, 12, 5, 20, 23))  # noqa: DTZ001 - huey's UTC clock
    assert not task.validate_datetime(datetime(2026, 12, 5, 20, 24))  # noqa: DTZ001
