"""Fixtures for reports: an office with its officer and supervisor, the national unit, reporters."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from gerbang.accounts.models import Role
from gerbang.accounts.tests.factories import UserFactory, staff
from gerbang.catalog.models import Holiday, HolidayKind
from gerbang.catalog.tests.factories import OfficeFactory
from gerbang.feedback import report_services
from gerbang.feedback.models import Report

# A Monday, 09:00 WIB.
MONDAY = dt.datetime(2026, 12, 7, 2, 0, tzinfo=dt.UTC)


@dataclass
class Desk:
    office: Any
    other_office: Any
    officer: Any
    supervisor: Any
    other_officer: Any
    national: Any
    reporter: Any

    def file(self, **overrides: Any) -> report_services.Filed:
        values: dict[str, Any] = {
            "kind": "complaint",
            "topic": "service",
            "office": self.office,
            "subject": "Waited four hours at the counter",
            "body": "I came at 08:00 with an appointment and was served at noon.",
            "privacy": "open",
            "actor": self.reporter,
            **overrides,
        }
        return report_services.report_submit(**values)

    def report(self, **overrides: Any) -> Report:
        return self.file(**overrides).report


@pytest.fixture
def desk(db: None) -> Desk:
    office = OfficeFactory.create(code="mesuji", name_id="Kantor Imigrasi Mesuji")
    other = OfficeFactory.create(
        code="makassar", name_id="Kantor Imigrasi Makassar", time_zone="Asia/Makassar"
    )
    Holiday.objects.create(
        date=dt.date(2026, 12, 24), kind=HolidayKind.COLLECTIVE_LEAVE, name_id="Cuti bersama Natal"
    )
    Holiday.objects.create(date=dt.date(2026, 12, 25), name_id="Hari Raya Natal")
    return Desk(
        office=office,
        other_office=other,
        officer=staff(Role.OFFICER, [office], full_name="Petugas Satu", email="petugas@example.test"),
        supervisor=staff(Role.SUPERVISOR, [office], full_name="Supervisor Satu", email="spv@example.test"),
        other_officer=staff(Role.OFFICER, [other], full_name="Petugas Lain"),
        national=staff(Role.NATIONAL_ADMIN, [], full_name="Unit Pengaduan", email="nasional@example.test"),
        reporter=UserFactory.create(full_name="Rahasia Wibowo", email="rahasia.wibowo@example.test"),
    )
