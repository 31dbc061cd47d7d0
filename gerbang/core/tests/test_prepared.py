"""Prepared statements: what the ORM would read or change, with the same objects and converters,
compiled once; parameters bound per call and checked; what cannot be bound faithfully refused."""

from __future__ import annotations

import datetime as dt
import threading
from contextlib import nullcontext
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.db.models.signals import post_save
from django.test.utils import CaptureQueriesContext

from gerbang.accounts.models import User
from gerbang.applications.models import Application
from gerbang.applications.tests import factories as f
from gerbang.appointments.models import Booking, Slot
from gerbang.catalog.models import Office
from gerbang.core.prepared import PreparedInsert, PreparedInsertIfUpdated, PreparedRead, PreparedUpdate


def tuesday_slot(office: Office) -> Slot:
    return Slot.objects.create(
        office=office,
        group="passport",
        day=dt.date(2026, 12, 8),
        starts_at=dt.datetime(2026, 12, 8, 1, 0, tzinfo=dt.UTC),
        ends_at=dt.datetime(2026, 12, 8, 2, 0, tzinfo=dt.UTC),
        capacity=2,
    )


own_case = PreparedRead(
    lambda applicant_id, pk: Application.objects.filter(applicant_id=applicant_id, pk=pk).select_related(
        "office", "service"
    ),
    int,
    int,
)


@pytest.mark.django_db
def test_a_read_gives_what_the_orm_gives_with_related_rows_and_decrypted_fields() -> None:
    world = f.make_world()
    mine = f.draft(world, answers=f.passport_answers(mother_name="Siti O'Brien"))
    other = f.draft(world, code="paspor-biasa")
    expected = Application.objects.select_related("office", "service").get(pk=mine.pk)

    with CaptureQueriesContext(connection) as queries:
        found = own_case.first(world.applicant.pk, mine.pk)
        assert found is not None
        assert (found.office.code, found.service.code) == (expected.office.code, expected.service.code)
    assert len(queries) == 1  # the office and the service came with it
    assert found.answers == expected.answers and found.answers["mother_name"] == "Siti O'Brien"  # decrypted
    assert {field.attname: getattr(found, field.attname) for field in Application._meta.concrete_fields} == {
        field.attname: getattr(expected, field.attname) for field in Application._meta.concrete_fields
    }
    assert found._state.adding is False and found._state.db == "default"  # a saved row, saved again
    found.save(update_fields=["updated_at"])

    # The same statement, other values: bound anew on every call.
    assert own_case.first(world.applicant.pk, other.pk).pk == other.pk  # type: ignore[union-attr]
    assert own_case.first(world.officer.pk, mine.pk) is None  # not the officer's own case
    assert own_case(world.applicant.pk, 10**9) == []


@pytest.mark.django_db
def test_text_parameters_and_several_rows() -> None:
    f.make_world()
    by_prefix = PreparedRead(lambda code: Office.objects.filter(code__gte=code).order_by("code"), str)
    codes = sorted(Office.objects.values_list("code", flat=True))
    assert [o.code for o in by_prefix(codes[1])] == codes[1:]
    assert [o.code for o in by_prefix("")] == codes


@pytest.mark.django_db
def test_parameters_are_checked() -> None:
    with pytest.raises(TypeError, match="2 parameters expected"):
        own_case(1)
    with pytest.raises(TypeError, match="int parameter expected"):
        own_case(1, "2")
    with pytest.raises(TypeError, match="int parameter expected"):
        own_case(1, True)
    with pytest.raises(TypeError, match="int or str"):
        PreparedRead(lambda day: Office.objects.filter(created_at__date=day), object)


@pytest.mark.django_db
def test_a_parameter_the_orm_would_change_is_refused_when_built() -> None:
    # icontains sends "%text%", not the text: binding the bare text would search wrongly.
    fuzzy = PreparedRead(lambda text: Office.objects.filter(name_id__icontains=text), str)
    with pytest.raises(ValueError, match="computed from a parameter"):
        fuzzy("Mesuji")
    unused = PreparedRead(lambda pk: Office.objects.all(), int)
    with pytest.raises(ValueError, match="do not reach the SQL"):
        unused(1)
    with pytest.raises(ValueError, match="plain queryset"):
        PreparedRead(lambda pk: Office.objects.prefetch_related("services").filter(pk=pk), int)(1)


@pytest.mark.django_db
def test_a_conditional_update_counts_the_rows_it_changed() -> None:
    world = f.make_world()
    user: User = world.applicant
    # Rename only while the name is still the one the caller saw.
    rename = PreparedUpdate(
        lambda pk, seen: (User.objects.filter(pk=pk, full_name=seen), {"full_name": seen + "!"}), int, str
    )
    with pytest.raises(ValueError, match="computed from a parameter"):
        rename(user.pk, user.full_name)  # the new name would be a stand-in's, not the caller's
    slot = tuesday_slot(world.office)
    take = PreparedUpdate(
        lambda pk: (Slot.objects.filter(pk=pk, booked__lt=F("capacity")), {"booked": F("booked") + 1}), int
    )
    assert [take(slot.pk), take(slot.pk), take(slot.pk)] == [1, 1, 0]  # the third found no place
    slot.refresh_from_db()
    assert slot.booked == 2
    with pytest.raises(ValueError, match="computed from a parameter"):
        PreparedUpdate(lambda pk: (Slot.objects.filter(pk=pk), {"capacity": pk + 1}), int)(slot.pk)


@pytest.mark.django_db
def test_an_update_across_tables_is_refused() -> None:
    across = PreparedUpdate(
        lambda code: (Application.objects.filter(office__code=code), {"updated_at": F("created_at")}), str
    )
    with pytest.raises(ValueError, match="one table"):
        across("mesuji")


@pytest.mark.django_db(transaction=True)
def test_each_thread_compiles_for_its_own_connection() -> None:
    world = f.make_world()
    case = f.draft(world)
    found: list[Any] = []

    def read() -> None:
        try:
            found.append(own_case.first(world.applicant.pk, case.pk))
        finally:
            connection.close()

    own_case.first(world.applicant.pk, case.pk)
    worker = threading.Thread(target=read)
    worker.start()
    worker.join()
    assert found and found[0].pk == case.pk


@pytest.mark.django_db
def test_an_insert_stores_what_save_would_and_gives_the_id() -> None:
    world = f.make_world()
    case = f.draft(world)
    slot = tuesday_slot(world.office)
    insert = PreparedInsert(Booking)
    held = Booking(
        application=case,
        slot=slot,
        service_id=case.service_id,
        code="ABC123",
        purpose="interview",
        status="held",
        hold_expires_at=dt.datetime(2026, 12, 7, 2, 10, tzinfo=dt.UTC),
    )
    with CaptureQueriesContext(connection) as queries:
        assert insert(held) is held
    assert len(queries) == 1
    assert held.pk and not held._state.adding
    stored = Booking.objects.get(pk=held.pk)
    assert (stored.code, stored.status, stored.hold_expires_at, stored.reschedules) == (
        "ABC123",
        "held",
        held.hold_expires_at,
        0,  # the default
    )
    assert stored.created_at == held.created_at  # the default, as save() would set it
    with pytest.raises(ValueError, match="new instance"):
        insert(held)
    with pytest.raises(IntegrityError), transaction.atomic():
        insert(Booking(application=case, slot=slot, service_id=case.service_id, code="ABC123", status="held"))


@pytest.mark.django_db
def test_an_insert_refuses_a_model_with_save_listeners() -> None:
    def listener(**kwargs: Any) -> None:
        pass

    post_save.connect(listener, sender=Booking)
    try:
        with pytest.raises(TypeError, match="save listeners"):
            PreparedInsert(Booking)(Booking())
    finally:
        post_save.disconnect(listener, sender=Booking)


def _held(case: Application, slot: Slot, code: str) -> Booking:
    return Booking(
        application=case,
        slot=slot,
        service_id=case.service_id,
        code=code,
        purpose="interview",
        status="held",
        hold_expires_at=dt.datetime(2026, 12, 7, 2, 10, tzinfo=dt.UTC),
    )


def _insert_if_place() -> PreparedInsertIfUpdated[Booking]:
    take = PreparedUpdate(
        lambda pk: (Slot.objects.filter(pk=pk, booked__lt=F("capacity")), {"booked": F("booked") + 1}), int
    )
    return PreparedInsertIfUpdated(PreparedInsert(Booking), take)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="a data-modifying WITH is PostgreSQL's")
@pytest.mark.parametrize("in_transaction", [False, True])
def test_an_insert_made_only_when_its_update_changes_a_row(in_transaction: bool) -> None:
    """One statement: the row and the update, or neither; a failed insert undoes the update,
    without a transaction of its own (in autocommit) or within the caller's (a savepoint)."""
    world = f.make_world()
    cases = [f.draft(world) for _ in range(4)]
    slot = tuesday_slot(world.office)  # two places
    insert_if_place = _insert_if_place()
    outer = transaction.atomic() if in_transaction else nullcontext()
    with outer:
        first = _held(cases[0], slot, "CODE-1")
        with CaptureQueriesContext(connection) as queries:
            assert insert_if_place(first, slot.pk) is True
        assert len(queries) == (3 if in_transaction else 1)  # (a savepoint, and its release)
        assert first.pk and not first._state.adding
        stored = Booking.objects.get(pk=first.pk)
        assert (stored.code, stored.hold_expires_at, stored.created_at) == (
            "CODE-1",
            first.hold_expires_at,
            first.created_at,
        )
        # The same code again: the insert fails, and the place it took is given back with it.
        with pytest.raises(IntegrityError):
            insert_if_place(_held(cases[1], slot, "CODE-1"), slot.pk)
        assert Slot.objects.get(pk=slot.pk).booked == 1
        assert insert_if_place(_held(cases[2], slot, "CODE-3"), slot.pk) is True
        late = _held(cases[3], slot, "CODE-4")
        assert insert_if_place(late, slot.pk) is False  # no place left: nothing inserted
        assert late.pk is None and late._state.adding
    assert Slot.objects.get(pk=slot.pk).booked == 2
    assert sorted(Booking.objects.values_list("code", flat=True)) == ["CODE-1", "CODE-3"]
    with pytest.raises(TypeError):
        insert_if_place(_held(cases[3], slot, "CODE-5"), str(slot.pk))


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor == "postgresql", reason="refused only where there is no such WITH")
def test_an_insert_under_an_update_is_refused_elsewhere() -> None:
    world = f.make_world()
    with pytest.raises(ValueError, match="data-modifying WITH"):
        _insert_if_place()(_held(f.draft(world), tuesday_slot(world.office), "CODE-1"), 1)


@pytest.mark.django_db
@pytest.mark.parametrize("key", [2**63, 2**64 + 5, -(2**63) - 1, 10**40])
def test_a_key_no_column_can_hold_matches_nothing(key: int) -> None:
    """An id of 2**63 typed into an address: the ORM's ``exact`` finds nothing; so must a
    prepared statement, instead of the driver's OverflowError (a 500 on every page)."""
    world = f.make_world()
    mine = f.draft(world)
    slot = tuesday_slot(world.office)
    take = PreparedUpdate(
        lambda pk: (Slot.objects.filter(pk=pk, booked__lt=F("capacity")), {"booked": F("booked") + 1}), int
    )
    assert list(Application.objects.filter(pk=key)) == []  # what the ORM answers
    with CaptureQueriesContext(connection) as queries:
        assert own_case(world.applicant.pk, key) == []
        assert own_case(key, mine.pk) == []
        assert own_case.first(key, key) is None
        assert take(key) == 0
    assert len(queries) == 0  # answered without the database
    assert own_case.first(world.applicant.pk, mine.pk) is not None  # in range: asked as ever
    assert take(slot.pk) == 1
    if connection.vendor == "postgresql":
        late = _held(mine, slot, "CODE-9")
        assert _insert_if_place()(late, key) is False
        assert late.pk is None
    # An insert's values come from rows already found: out of range there is a programming error.
    with pytest.raises(ValueError, match="fits no integer column"):
        PreparedInsert(Booking)(
            Booking(application=mine, slot_id=key, service_id=mine.service_id, code="X1", status="held")
        )
