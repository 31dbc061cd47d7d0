"""A small country for the dashboards' tests: Mesuji (WIB) and Makassar (WITA), their staff, and
rows of every kind the dashboards count (cases in each stage, decisions by officers, tickets,
appointments, complaints, satisfaction answers), made directly with the dates each figure turns
on. The clock stands at Wednesday 9 December 2026, 10:00 WIB (``NOW``)."""

from __future__ import annotations

import datetime as dt
import itertools
import secrets
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from gerbang.accounts.models import Role, User
from gerbang.accounts.tests.factories import UserFactory, staff
from gerbang.applications import numbers
from gerbang.applications.models import Application
from gerbang.applications.workflow import State
from gerbang.appointments.models import Booking, BookingStatus, Slot
from gerbang.catalog.models import Office, Service
from gerbang.catalog.tests.factories import OfficeFactory
from gerbang.core.models import Event
from gerbang.feedback.models import Report
from gerbang.queueing.models import Lane, Ticket, TicketSource, TicketStatus

WIB = ZoneInfo("Asia/Jakarta")
WITA = ZoneInfo("Asia/Makassar")
NOW = dt.datetime(2026, 12, 9, 10, 0, tzinfo=WIB)
TODAY = NOW.date()
_serial = itertools.count(1)


def at(day: int, hour: int, minute: int = 0, zone: ZoneInfo = WIB) -> dt.datetime:
    """A moment of December 2026 in ``zone``."""
    return dt.datetime(2026, 12, day, hour, minute, tzinfo=zone)


@dataclass
class World:
    mesuji: Office
    makassar: Office
    service: Service
    officer: User
    second_officer: User
    supervisor: User
    makassar_officer: User
    makassar_supervisor: User
    national: User
    cases: dict[str, Application] = field(default_factory=dict)

    def case(
        self,
        name: str,
        state: State,
        *,
        office: Office | None = None,
        due: dt.date | None = None,
        decided_at: dt.datetime | None = None,
    ) -> Application:
        place = office or self.mesuji
        application = Application.objects.create(
            applicant=UserFactory.create(),
            office=place,
            service=self.service,
            form_key="passport",
            state=state,
            number=numbers.new_number(office_code=place.code, year=2026),
            submitted_at=NOW - dt.timedelta(days=20),
            due_date=due,
            decided_at=decided_at,
        )
        self.cases[name] = application
        return application

    def decide(
        self, application: Application, officer: User, moment: dt.datetime, action: str = "approve"
    ) -> Event:
        """The decision event a move leaves (as ``services.moves._move`` records it)."""
        return Event.objects.create(
            code=f"application.{action}",
            actor=officer,
            subject_type="applications.application",
            subject_id=str(application.pk),
            office_id=application.office_id,
            details={"from": "in_review", "to": "approved" if action == "approve" else "rejected"},
            created_at=moment,
        )


def make_world() -> World:
    from gerbang.catalog.demo import load_services

    services = {s.code: s for s in load_services()}
    mesuji = OfficeFactory.create(code="mesuji", name_id="Kantor Imigrasi Mesuji")
    makassar = OfficeFactory.create(
        code="makassar", name_id="Kantor Imigrasi Makassar", time_zone="Asia/Makassar"
    )
    return World(
        mesuji=mesuji,
        makassar=makassar,
        service=services["paspor-biasa"],
        officer=staff(Role.OFFICER, [mesuji], full_name="Andi Pratama", language="en"),
        second_officer=staff(Role.OFFICER, [mesuji], full_name="Bayu Saputra", language="en"),
        supervisor=staff(Role.SUPERVISOR, [mesuji], full_name="Dewi Lestari", language="en"),
        makassar_officer=staff(Role.OFFICER, [makassar], full_name="Citra Dewi", language="en"),
        makassar_supervisor=staff(Role.SUPERVISOR, [makassar], full_name="Eka Putri", language="en"),
        national=staff(Role.NATIONAL_ADMIN, [], full_name="Rina Wulandari", language="en"),
    )


def lane(office: Office) -> Lane:
    return Lane.objects.get_or_create(office=office, letter="A", defaults={"name_id": "Paspor"})[0]


def ticket(
    office: Office,
    day: dt.date,
    *,
    waited: int | None,
    source: str = TicketSource.WALK_IN,
    status: str = TicketStatus.COMPLETED,
) -> Ticket:
    issued = dt.datetime.combine(day, dt.time(8, 0), tzinfo=ZoneInfo(office.time_zone))
    return Ticket.objects.create(
        office=office,
        lane=lane(office),
        day=day,
        number=f"A-{next(_serial):03d}",
        token=secrets.token_hex(16),
        source=source,
        order_at=issued,
        issued_at=issued,
        status=status,
        waited_seconds=waited,
    )


def booking(application: Application, starts: dt.datetime, status: str = BookingStatus.CONFIRMED) -> Booking:
    office = application.office
    slot, _made = Slot.objects.get_or_create(
        office=office,
        group="passport",
        starts_at=starts,
        defaults={
            "day": starts.astimezone(ZoneInfo(office.time_zone)).date(),
            "ends_at": starts + dt.timedelta(minutes=30),
            "capacity": 6,
        },
    )
    Slot.objects.filter(pk=slot.pk).update(booked=slot.booked + 1)
    return Booking.objects.create(
        application=application,
        slot=slot,
        service=application.service,
        code=f"T{next(_serial):07d}",
        purpose="interview",
        status=status,
    )


def report(office: Office | None, *, status: str, due: dt.date | None, **fields: Any) -> Report:
    return Report.objects.create(
        reference=f"LAPOR-{next(_serial):04d}-TEST",
        kind=fields.pop("kind", "complaint"),
        privacy="open",
        office=office,
        subject="Antrean lama",
        status=status,
        due=due,
        **fields,
    )
