"""An office with two services, visiting hours and a history of weekly applications written as
the statistics' daily figures (the forecasts' source)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from gerbang.accounts.models import Role, User
from gerbang.accounts.tests.factories import staff
from gerbang.analytics.forecast.history import monday_of
from gerbang.analytics.models import ForecastRun
from gerbang.appointments.tests.factories import weekday_hours
from gerbang.catalog.demo import load_services
from gerbang.catalog.models import Office, Service
from gerbang.catalog.selectors import office_today
from gerbang.catalog.services import office_service_set
from gerbang.catalog.tests.factories import OfficeFactory
from gerbang.core.actors import SystemActor
from gerbang.transparency.models import DailyFigure

TESTS = SystemActor("tests")


@dataclass
class Place:
    office: Office
    other: Office
    passport: Service
    visa: Service
    admin: User
    other_admin: User
    supervisor: User
    officer: User
    run: ForecastRun | None = None


def place(**hours: Any) -> Place:
    services = {service.code: service for service in load_services()}
    office = OfficeFactory.create(code="mesuji", name_id="Kantor Imigrasi Mesuji")
    other = OfficeFactory.create(
        code="makassar", name_id="Kantor Imigrasi Makassar", time_zone="Asia/Makassar"
    )
    passport, visa = services["paspor-biasa"], services["visa-kunjungan"]
    for each in (office, other):
        for service in (passport, visa):
            office_service_set(actor=TESTS, office=each, service=service)
    weekday_hours(office, "passport", **hours)
    weekday_hours(office, "visa", capacity=2, days=range(4))
    return Place(
        office=office,
        other=other,
        passport=passport,
        visa=visa,
        admin=staff(Role.OFFICE_ADMIN, [office], full_name="Admin Mesuji"),
        other_admin=staff(Role.OFFICE_ADMIN, [other], full_name="Admin Makassar"),
        supervisor=staff(Role.SUPERVISOR, [office], full_name="Supervisor Mesuji"),
        officer=staff(Role.OFFICER, [office], full_name="Petugas Mesuji"),
    )


def weekly_figures(
    office: Office, service: Service, counts: Sequence[float], *, last_week: dt.date | None = None
) -> dt.date:
    """Write ``counts`` as the applications of the weeks up to ``last_week`` (the week before
    this one by default), each on its Monday; returns the first Monday."""
    last = last_week or monday_of(office_today(office)) - dt.timedelta(days=7)
    first = last - dt.timedelta(weeks=len(counts) - 1)
    DailyFigure.objects.bulk_create(
        [
            DailyFigure(
                day=first + dt.timedelta(weeks=n),
                office_id=office.pk,
                service_id=service.pk,
                measure="submitted",
                count=int(count),
            )
            for n, count in enumerate(counts)
            if count
        ]
    )
    return first
