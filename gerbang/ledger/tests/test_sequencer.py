"""The sequencer: events become leaves in id order without gaps, once, with a signed checkpoint
after each batch; the stored log stands on its own and is checked by recomputing it."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.models import Max

from gerbang.core import events
from gerbang.core.actors import DEMO, WORKER
from gerbang.core.models import Event
from gerbang.core.tests.concurrency import in_parallel
from gerbang.ledger import keys, selectors
from gerbang.ledger.leaves import leaf_v1
from gerbang.ledger.models import Checkpoint, Leaf, LogHead, StoredHash
from gerbang.ledger.services import log_integrate
from gerbang.ledger.tests.helpers import logged_events
from gerbang.ledger.tlog.checkpoint import open_checkpoint
from gerbang.ledger.tlog.merkle import leaf_hash, root_from_leaf_hashes

pytestmark = pytest.mark.django_db


def leaves() -> list[Leaf]:
    return list(Leaf.objects.order_by("seq"))


def test_events_become_leaves_in_id_order_without_gaps(office_a: Any) -> None:
    made = logged_events(office_a, 5)
    assert log_integrate(actor=WORKER) == 5
    stored = leaves()
    assert [leaf.seq for leaf in stored] == [0, 1, 2, 3, 4]
    assert [leaf.event_id for leaf in stored] == [event.pk for event in made]
    for leaf, event in zip(stored, made, strict=True):
        assert bytes(leaf.data) == leaf_v1(event)
        assert bytes(leaf.hash) == leaf_hash(bytes(leaf.data))
        assert leaf.event_created_at == event.created_at
        assert leaf.integrated_at >= event.created_at


def test_running_twice_in_a_row_appends_nothing_twice(office_a: Any) -> None:
    logged_events(office_a, 3)
    assert log_integrate(actor=WORKER) == 3
    assert log_integrate(actor=WORKER) == 0
    logged_events(office_a, 2)
    assert log_integrate(actor=WORKER) == 2
    assert [leaf.seq for leaf in leaves()] == [0, 1, 2, 3, 4]
    assert LogHead.objects.get().size == 5
    # One checkpoint per batch that grew the log, none for a run that found nothing.
    assert list(Checkpoint.objects.order_by("pk").values_list("size", flat=True)) == [3, 5]


def test_small_batches_each_end_with_a_checkpoint(office_a: Any) -> None:
    logged_events(office_a, 5)
    assert log_integrate(actor=WORKER, batch_size=2) == 5
    assert list(Checkpoint.objects.order_by("pk").values_list("size", flat=True)) == [2, 4, 5]
    assert selectors.verify_stored_tree().sound


def test_an_empty_log_still_gets_a_checkpoint() -> None:
    assert log_integrate(actor=WORKER) == 0
    (only,) = Checkpoint.objects.all()
    assert only.size == 0
    body, _ = open_checkpoint(only.note, keys.verifier(), origin=keys.origin())
    assert body.root_hash == root_from_leaf_hashes([])


def test_events_the_registry_does_not_log_stay_out(office_a: Any) -> None:
    logged = events.record("payment.bill_issued", actor=DEMO, subject=office_a)
    events.record("content.faq_saved", actor=DEMO, subject=office_a)
    events.record("office.hours_set", actor=DEMO, subject=office_a)
    events.record("appointment.quota_set", actor=DEMO, subject=office_a)
    events.record("something.unheard_of", actor=DEMO, subject=office_a)
    read = events.record("rating.viewed", actor=DEMO, subject=office_a)  # a staff read: logged
    assert log_integrate(actor=WORKER) == 2
    assert [leaf.event_id for leaf in leaves()] == [logged.pk, read.pk]


def test_the_checkpoint_verifies_and_its_root_is_the_leaves_root(office_a: Any) -> None:
    logged_events(office_a, 7)
    log_integrate(actor=WORKER)
    latest = selectors.latest_checkpoint()
    assert latest is not None
    body, note = open_checkpoint(latest.note, keys.verifier(), origin=keys.origin())
    assert body.origin == keys.origin() == "127.0.0.1:8000/ledger"
    assert body.size == 7
    assert body.root_hash == bytes(latest.root)
    assert body.root_hash == root_from_leaf_hashes([bytes(leaf.hash) for leaf in leaves()])
    assert note.signed_by(keys.origin(), keys.verifier().key_id)


def test_an_event_committed_late_gets_a_later_sequence_number(office_a: Any) -> None:
    # PostgreSQL takes ids before commit: event `late` may commit after a higher id was logged.
    # (SQLite cannot do that: one writer at a time; there such an event is left to the nightly
    # reconciliation, see test_reconcile.py.)
    first = events.record("application.created", actor=DEMO, subject=office_a)
    gap = first.pk + 10
    later = Event.objects.create(code="application.submitted", subject_type="x.y", subject_id="1", pk=gap)
    log_integrate(actor=WORKER)
    late = Event.objects.create(code="application.submitted", subject_type="x.y", subject_id="2", pk=gap - 5)
    if connection.vendor == "sqlite":
        assert LogHead.objects.get().checked_through == gap  # the watermark: nothing below can commit
        assert log_integrate(actor=WORKER) == 0
        return
    assert log_integrate(actor=WORKER) == 1
    assert [leaf.event_id for leaf in leaves()] == [first.pk, later.pk, late.pk]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the watermark is SQLite's (one writer at a time)")
def test_on_sqlite_each_run_reads_only_what_is_new(office_a: Any, settings: Any) -> None:
    from django.db import connection as db
    from django.test.utils import CaptureQueriesContext

    settings.LEDGER_SETTLE_SECONDS = 600  # the settling time plays no part on SQLite
    logged_events(office_a, 3)
    unlogged = events.record("content.faq_saved", actor=DEMO, subject=office_a)
    assert log_integrate(actor=WORKER) == 3
    # Under the write lock nothing is uncommitted, and ids only grow: the mark is the highest id,
    # unlogged events too, without waiting for anything to settle.
    assert LogHead.objects.get().checked_through == unlogged.pk
    more = logged_events(office_a, 2)
    with CaptureQueriesContext(db) as queries:
        assert log_integrate(actor=WORKER) == 2
    (pending,) = [
        q["sql"] for q in queries.captured_queries if 'FROM "core_event"' in q["sql"] and "LIMIT" in q["sql"]
    ]
    assert f'"core_event"."id" > {unlogged.pk}' in pending
    assert LogHead.objects.get().checked_through == more[-1].pk
    # A batch that stops short moves the mark to its last event only.
    rest = logged_events(office_a, 3)
    log_integrate(actor=WORKER, batch_size=2)
    assert LogHead.objects.get().checked_through == rest[-1].pk
    assert [leaf.event_id for leaf in leaves()][-3:] == [event.pk for event in rest]


def _until(condition: Any, seconds: float = 60) -> bool:
    """Run the sequencer until ``condition()`` holds (other sessions of the PostgreSQL server may
    hold its snapshot back a while)."""
    import time

    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
        log_integrate(actor=WORKER)
    return True


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's transaction ids")
def test_on_postgresql_the_look_back_ends_once_older_transactions_have(office_a: Any, settings: Any) -> None:
    import threading

    from django.db import connections, transaction

    settings.LEDGER_SETTLE_SECONDS = 600
    made = logged_events(office_a, 3)
    log_integrate(actor=WORKER)
    head = LogHead.objects.get()
    # The first run notes its mark and waits: it cannot know yet that nothing below will commit.
    assert (head.checked_through, head.mark_id) == (0, made[-1].pk) and head.mark_xid > 0
    # A later run, once every transaction older than the mark has ended, moves past it.
    assert _until(lambda: LogHead.objects.get().checked_through == made[-1].pk)

    # An open transaction holds an event back: the mark does not pass it until it commits.
    recorded, release = threading.Event(), threading.Event()
    slow: list[Event] = []

    def slow_service() -> None:
        try:
            with transaction.atomic():
                slow.append(events.record("application.submitted", actor=DEMO, subject=office_a))
                recorded.set()
                release.wait(60)
        finally:
            connections.close_all()

    thread = threading.Thread(target=slow_service)
    thread.start()
    try:
        assert recorded.wait(30)
        quick = logged_events(office_a, 1)[0]
        for _run in range(5):
            log_integrate(actor=WORKER)
        assert LogHead.objects.get().checked_through < slow[0].pk < quick.pk
    finally:
        release.set()
        thread.join()
    assert _until(lambda: LogHead.objects.get().checked_through == quick.pk)
    assert [leaf.event_id for leaf in leaves()][-2:] == [quick.pk, slow[0].pk]
    assert selectors.verify_stored_tree().sound


def test_events_older_than_the_settling_time_are_not_looked_at_again(office_a: Any, settings: Any) -> None:
    settings.LEDGER_SETTLE_SECONDS = 0
    events.record("content.faq_saved", actor=DEMO, subject=office_a)
    logged_events(office_a, 2)
    log_integrate(actor=WORKER)
    assert LogHead.objects.get().checked_through == Event.objects.aggregate(top=Max("pk"))["top"]


def test_changing_an_event_afterwards_does_not_change_the_log(office_a: Any) -> None:
    (event,) = logged_events(office_a, 1)
    log_integrate(actor=WORKER)
    before = bytes(Leaf.objects.get().data)
    Event.objects.filter(pk=event.pk).update(code="application.rejected", details={"forged": True})
    assert log_integrate(actor=WORKER) == 0
    assert bytes(Leaf.objects.get().data) == before
    assert selectors.verify_stored_tree().sound


def test_changed_leaf_bytes_are_found_by_recomputing(office_a: Any) -> None:
    logged_events(office_a, 4)
    log_integrate(actor=WORKER)
    check = selectors.verify_stored_tree()
    assert check.sound and check.size == 4
    leaf = Leaf.objects.get(seq=2)
    Leaf.objects.filter(seq=2).update(data=bytes(leaf.data).replace(b'"v":1', b'"v":2'))
    problems = selectors.verify_stored_tree().problems
    assert problems[0] == "leaf 2: its bytes do not hash to its stored hash"
    # The tree recomputed from the bytes is not the tree stored, nor the one signed.
    assert "stored tree hash 3 differs from the leaves'" in problems
    assert any("its root is not the root of the stored leaves" in problem for problem in problems)


def test_changed_leaf_bytes_and_hash_are_found_against_the_checkpoints(office_a: Any) -> None:
    logged_events(office_a, 4)
    log_integrate(actor=WORKER)
    forged = b'{"v":1,"forged":true}'
    Leaf.objects.filter(seq=1).update(data=forged, hash=leaf_hash(forged))
    problems = selectors.verify_stored_tree().problems
    assert any("stored tree hash" in problem for problem in problems)
    assert any("its root is not the root of the stored leaves" in problem for problem in problems)


def test_a_missing_leaf_or_hash_is_found(office_a: Any) -> None:
    logged_events(office_a, 4)
    log_integrate(actor=WORKER)
    StoredHash.objects.filter(index=0).delete()
    assert selectors.verify_stored_tree().problems == ["6 tree hashes are stored, the leaves make 7"]
    Leaf.objects.filter(seq=1).delete()
    assert "leaf 1 is missing (the next stored is 2)" in selectors.verify_stored_tree().problems


def test_the_command_integrates_and_verifies(office_a: Any) -> None:
    from io import StringIO

    from django.core.management import call_command

    logged_events(office_a, 3)
    out = StringIO()
    call_command("ledger_integrate", "--verify", stdout=out)
    assert "3 events appended; the log has 3." in out.getvalue()
    assert "recomputes to every checkpoint" in out.getvalue()


def test_the_periodic_task_integrates(office_a: Any) -> None:
    from huey.contrib.djhuey import HUEY

    from gerbang.ledger.tasks import integrate_ledger_every_minute

    HUEY.flush()
    logged_events(office_a, 2)
    integrate_ledger_every_minute.call_local()
    assert Leaf.objects.count() == 2
    # Three more runs within the minute: 15, 30 and 45 seconds later.
    assert sorted(task.name for task in HUEY.scheduled()) == ["integrate_ledger"] * 3
    HUEY.flush()


@pytest.mark.django_db(transaction=True)
def test_two_sequencers_at_once_never_interleave(office_a: Any) -> None:
    made = logged_events(office_a, 40)
    if connection.vendor == "sqlite":
        connection.close()  # each thread opens its own connection to the test database file
    results = in_parallel([lambda: log_integrate(actor=WORKER, batch_size=7)] * 2)
    assert all(isinstance(result, int) for result in results), results
    assert sum(results) == 40
    assert [leaf.seq for leaf in leaves()] == list(range(40))
    assert [leaf.event_id for leaf in leaves()] == [event.pk for event in made]
    assert selectors.verify_stored_tree().sound


def test_the_leaf_says_the_time_in_utc_with_microseconds(office_a: Any) -> None:
    from datetime import datetime, timedelta, timezone

    (event,) = logged_events(office_a, 1)
    event.created_at = datetime(2026, 12, 5, 1, 2, 3, 4, tzinfo=timezone(timedelta(hours=7)))
    assert b'"at":"2026-12-04T18:02:03.000004Z"' in leaf_v1(event)
    event.created_at = datetime(2026, 12, 5, 1, 2, 3, tzinfo=timezone(timedelta(hours=7)))
    assert b'"at":"2026-12-04T18:02:03.000000Z"' in leaf_v1(event)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite lets one writer in at a time")
def test_an_event_committed_after_a_later_one_was_logged_is_logged_next(office_a: Any) -> None:
    import threading

    from django.db import connections, transaction

    recorded, release = threading.Event(), threading.Event()
    slow: list[Event] = []

    def slow_service() -> None:
        try:
            with transaction.atomic():
                slow.append(events.record("application.submitted", actor=DEMO, subject=office_a))
                recorded.set()
                release.wait(30)
        finally:
            connections.close_all()

    thread = threading.Thread(target=slow_service)
    thread.start()
    assert recorded.wait(30)
    quick = events.record("application.created", actor=DEMO, subject=office_a)
    assert log_integrate(actor=WORKER) == 1  # the slow one is not committed yet
    release.set()
    thread.join()
    assert log_integrate(actor=WORKER) == 1
    assert slow[0].pk < quick.pk
    assert [leaf.event_id for leaf in leaves()] == [quick.pk, slow[0].pk]


def test_the_log_is_named_and_signed_for_its_origin(office_a: Any, settings: Any) -> None:
    settings.LEDGER_ORIGIN = "gerbang.example.id/ledger"
    logged_events(office_a, 1)
    log_integrate(actor=WORKER)
    latest = selectors.latest_checkpoint()
    assert latest is not None and latest.origin == "gerbang.example.id/ledger"
    assert latest.note.startswith("gerbang.example.id/ledger\n1\n")
    assert keys.verifier().verifier_key().startswith("gerbang.example.id/ledger+")
    open_checkpoint(latest.note, keys.verifier(), origin="gerbang.example.id/ledger")
    # A new origin is signed at once, even with nothing new to log.
    settings.LEDGER_ORIGIN = "gerbang.go.id/ledger"
    log_integrate(actor=WORKER)
    assert list(Checkpoint.objects.order_by("pk").values_list("origin", "size")) == [
        ("gerbang.example.id/ledger", 1),
        ("gerbang.go.id/ledger", 1),
    ]
    assert selectors.verify_stored_tree().sound


def test_a_checkpoint_signed_by_another_key_is_found(office_a: Any) -> None:
    from gerbang.ledger.tlog.checkpoint import Checkpoint as Body
    from gerbang.ledger.tlog.checkpoint import sign_checkpoint
    from gerbang.ledger.tlog.note import generate_signer

    logged_events(office_a, 2)
    log_integrate(actor=WORKER)
    latest = selectors.latest_checkpoint()
    assert latest is not None
    forged = sign_checkpoint(Body(latest.origin, 2, bytes(latest.root)), [generate_signer(latest.origin)])
    Checkpoint.objects.filter(pk=latest.pk).update(note=forged)
    (problem,) = selectors.verify_stored_tree().problems
    assert problem.startswith(f"checkpoint {latest.pk} (size 2): ")


def test_the_leaf_hides_the_actor_and_the_details(office_a: Any, settings: Any) -> None:
    import json

    from gerbang.accounts.tests.factories import UserFactory

    person = UserFactory.create()
    first = events.record("application.created", actor=person, subject=office_a, details={"x": 1})
    second = events.record("application.submitted", actor=person, subject=office_a, details={"x": 1})
    one, two = json.loads(leaf_v1(first)), json.loads(leaf_v1(second))
    # One person's entries cannot be linked by their hashes (each names its event).
    assert one["actor"] == keys.keyed_hash("actor", f"{first.pk}:{person.pk}")
    assert two["actor"] == keys.keyed_hash("actor", f"{second.pk}:{person.pk}") != one["actor"]
    assert one["details"] != two["details"]
    assert one["system"] is None
    assert (
        json.loads(leaf_v1(events.record("payment.failed", actor=WORKER, subject=office_a)))["system"]
        == "worker"
    )
    settings.LEDGER_HASH_KEY = "another key"
    assert json.loads(leaf_v1(first))["actor"] != one["actor"]
    viewed = events.record("application.x_viewed", actor=person, subject=person)
    again = events.record("application.x_viewed", actor=person, subject=person)
    about_person = json.loads(leaf_v1(viewed))
    assert about_person["subject_id"] == keys.keyed_hash("subject", f"{viewed.pk}:accounts.user:{person.pk}")
    assert json.loads(leaf_v1(again))["subject_id"] != about_person["subject_id"]


def test_following_appends_what_committed_then_waits_its_interval(settings: Any, monkeypatch: Any) -> None:
    from gerbang.core.actors import COMMAND
    from gerbang.ledger.services import log_follow

    settings.LEDGER_BATCH_SIZE = 3  # one run still appends every batch
    from gerbang.ledger import services as ledger_services

    runs: list[int] = []
    real = ledger_services.log_integrate

    def counting(*, actor: Any) -> int:
        appended = real(actor=actor)
        runs.append(appended)
        return appended

    monkeypatch.setattr(ledger_services, "log_integrate", counting)
    # The test's database lives in its transaction: the loop must not close it between runs.
    monkeypatch.setattr(ledger_services, "close_old_connections", lambda: None)
    sleeps: list[float] = []
    for n in range(7):
        Event.objects.create(code="application.created", subject_type="application", subject_id=str(n))
    total = log_follow(
        actor=COMMAND, every=0.5, stopped=lambda: len(runs) >= 4 or len(sleeps) > 10, sleep=sleeps.append
    )
    assert runs == [7, 0, 0, 0] and total == 7
    assert sleeps == [0.5] * 4
    assert selectors.log_size() == 7
