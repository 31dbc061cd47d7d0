"""Building blocks for the risk flags' tests: cases written directly (for the rules, which read
fingerprints), NIKs made to measure, and scans that differ from person to person."""

from __future__ import annotations

import io
import zlib
from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone
from pypdf import PdfWriter

from gerbang.accounts.tests.factories import UserFactory
from gerbang.analytics.models import RiskFlag
from gerbang.analytics.risk import services
from gerbang.applications import numbers
from gerbang.applications.blind_indexes import subject_nik_index
from gerbang.applications.formspec import form_for
from gerbang.applications.models import Application
from gerbang.applications.tests import factories as f
from gerbang.applications.workflow import State
from gerbang.core.actors import WORKER


def make_nik(born: date, sex: str = "M", *, area: str = "3171", serial: int = 1) -> str:
    day = born.day + (40 if sex == "F" else 0)
    return f"{area}01{day:02d}{born.month:02d}{born.year % 100:02d}{serial:04d}"


def answers_for(name: str, born: date, sex: str = "M", *, serial: int = 1, **extra: str) -> dict[str, str]:
    """Valid answers about one person, with a phone number of their own (unless given)."""
    extra.setdefault("phone", f"0812 {serial:04d} {zlib.crc32(name.encode()) % 10000:04d}")
    return f.passport_answers(
        full_name=name,
        sex=sex,
        date_of_birth=f"{born.day:02d}/{born.month:02d}/{born.year}",
        nik=make_nik(born, sex, serial=serial),
        **extra,
    )


def written_case(
    world: f.World,
    *,
    answers: dict[str, str],
    applicant: Any = None,
    office: Any = None,
    code: str = "paspor-biasa",
    state: State = State.IN_VERIFICATION,
    submitted_at: datetime | None = None,
    for_child: bool = False,
    fill_minutes: float = 30,
) -> Application:
    """A case as if submitted, written directly (no uploads): enough for the rules that compare
    answers and fingerprints."""
    service = world.service(code)
    office = office or world.office
    at = submitted_at or timezone.now()
    return Application.objects.create(
        number=numbers.new_number(office_code=office.code, year=at.year),
        applicant=applicant or UserFactory.create(),
        office=office,
        service=service,
        form_key=form_for(service.code, service.audience).key,
        state=state,
        for_child=for_child,
        answers=answers,
        subject_nik_index=subject_nik_index(answers),
        fee=350_000,
        submitted_at=at,
        created_at=at - timedelta(minutes=fill_minutes),
    )


def scan(application: Application, **kwargs: Any) -> dict[str, RiskFlag]:
    flags = services.risk_case_scan(application=application, actor=WORKER, use_current_model=False, **kwargs)
    return {flag.kind: flag for flag in flags if flag.status != "withdrawn"}


def codes(flag: RiskFlag) -> list[str]:
    return [reason["code"] for reason in flag.reasons]


def unique_pdf(variant: int) -> bytes:
    """A one-page PDF of its own (its page size differs), so two people's scans differ."""
    writer = PdfWriter()
    writer.add_blank_page(width=500 + variant, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def upload_unique(application: Application, *, variant: int) -> None:
    from gerbang.applications import services as cases
    from gerbang.applications.slots import document_slots

    for index, slot in enumerate(document_slots(application)):
        data = f.photo_bytes(seed=variant) if slot.images_only else unique_pdf(variant * 10 + index)
        cases.document_upload(
            application=application,
            slot=slot.key,
            upload=io.BytesIO(data),
            file_name="scan",
            actor=application.applicant,
        )
