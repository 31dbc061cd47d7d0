"""Writes to the catalogue. Every change to offices, services, fees and calendars goes through here."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _

from gerbang.catalog import regions
from gerbang.catalog.models import (
    Holiday,
    Office,
    OfficeClosure,
    OfficeService,
    OpeningHours,
    Requirement,
    RequirementCase,
    Service,
    ServiceTerms,
)
from gerbang.catalog.search import office_documents, service_documents
from gerbang.core import events, search
from gerbang.core.actors import Actor, SystemActor
from gerbang.core.exceptions import Problems, ValidationError
from gerbang.core.http import public_pages_changed
from gerbang.core.models import Event
from gerbang.core.permissions import Perm, require_permission_unless_system


@transaction.atomic
def office_upsert(
    *,
    code: str,
    name_id: str,
    province: str,
    regency: str,
    address: str,
    time_zone: str,
    name_en: str = "",
    office_class: str = "I",
    phone: str = "",
    email: str = "",
    latitude: Decimal | float | None = None,
    longitude: Decimal | float | None = None,
    area_codes: str = "",
    is_training: bool = False,
    actor: Actor,
) -> Office:
    """Create the office with this code, or bring an existing one up to date. A new office
    needs the right over the national catalogue; a change, the right over the office
    (the system, ``SystemActor``, loads demo data and imports). ``is_training`` makes a new
    office the training office (docs/training.md); an existing office never changes kind, so
    that nothing once public or counted becomes training, nor the reverse."""
    existing = Office.objects.select_for_update().filter(code=code).first()
    _office_upsert_problems(
        existing, code=code, latitude=latitude, longitude=longitude, area_codes=area_codes, actor=actor
    )
    values: dict[str, Any] = {
        "name_id": name_id,
        "name_en": name_en,
        "office_class": office_class,
        "province": province,
        "regency": regency,
        "address": address,
        "phone": phone,
        "email": email,
        "latitude": None if latitude is None else Decimal(str(latitude)),
        "longitude": None if longitude is None else Decimal(str(longitude)),
        "time_zone": time_zone,
        "area_codes": ",".join(clean_area_codes(area_codes)),
    }
    changed = sorted(
        name for name, value in values.items() if existing is None or getattr(existing, name) != value
    )
    if existing is not None and existing.is_training != is_training:
        raise ValidationError(
            _("An office never changes between a real office and the training office."), field="code"
        )
    office, created = Office.objects.update_or_create(
        code=code, defaults=values, create_defaults={**values, "is_training": is_training}
    )
    if changed:
        events.record(
            "office.saved",
            actor=actor,
            subject=office,
            office_id=office.pk,
            details={"created": created, "fields": changed},
        )
    search.replace(
        "office", office.code, office_documents(office) if office.is_active and not office.is_training else []
    )
    return office


def office_upsert_check(
    *,
    code: str,
    latitude: Decimal | float | None = None,
    longitude: Decimal | float | None = None,
    area_codes: str = "",
    actor: Actor,
) -> None:
    """Raise what is wrong with saving the office with this code, by the rules ``office_upsert``
    applies; a form calls it to show the problems before saving."""
    existing = Office.objects.filter(code=code).first()
    _office_upsert_problems(
        existing, code=code, latitude=latitude, longitude=longitude, area_codes=area_codes, actor=actor
    )


# Words that pages use where an office's code goes (``/ikm/national/`` is the national figure):
# no office may take them as its code.
RESERVED_OFFICE_CODES = frozenset({"national", "nasional", "all", "semua"})


def _office_upsert_problems(
    existing: Office | None,
    *,
    code: str,
    latitude: Decimal | float | None,
    longitude: Decimal | float | None,
    area_codes: str,
    actor: Actor,
) -> None:
    if existing is None:
        require_permission_unless_system(actor, Perm.CATALOG_MANAGE)
    else:
        _require_office_manager(actor, existing)
    with Problems() as problems:
        if existing is None and code.lower() in RESERVED_OFFICE_CODES:
            problems.add(
                ValidationError(
                    _("“%(code)s” is kept for the national figures' pages: choose another code.")
                    % {"code": code},
                    field="code",
                )
            )
        if latitude is not None and not -90 <= float(latitude) <= 90:
            problems.add(ValidationError(_("Latitude lies between -90 and 90."), field="latitude"))
        if longitude is not None and not -180 <= float(longitude) <= 180:
            problems.add(ValidationError(_("Longitude lies between -180 and 180."), field="longitude"))
        try:
            clean_area_codes(area_codes)
        except ValidationError as exc:
            problems.add(exc)


def clean_area_codes(text: str) -> list[str]:
    """An office's working area as a list of 4-digit regency or city codes (Kemendagri, the
    list in ``regions``): "18.11, 1805" gives ["1811", "1805"]; repeats are dropped. A code that
    is not 2 digits of a province (11 and above) and 2 of a regency (01 and above) is refused,
    naming it."""
    codes: list[str] = []
    for part in (text or "").replace(";", ",").split(","):
        raw = part.strip()
        if not raw:
            continue
        code = raw.replace(".", "").replace(" ", "")
        if not (
            len(code) == 4 and code.isascii() and code.isdigit() and code[:2] >= "11" and code[2:] != "00"
        ):
            raise ValidationError(
                _(
                    "“%(code)s” is not a regency or city code: give 4 digits, 2 of the province and 2 of"
                    " the regency or city (e.g. 1811 for Kabupaten Mesuji), separated by commas."
                )
                % {"code": raw},
                field="area_codes",
            )
        if not regions.is_regency(code):
            raise ValidationError(
                _(
                    "“%(code)s” is not in the list of regency and city codes (%(source)s): check"
                    " the first four digits of a NIK issued there."
                )
                % {"code": raw, "source": regions.SOURCE},
                field="area_codes",
            )
        if code not in codes:
            codes.append(code)
    return codes


def _require_office_manager(actor: Actor, office: Office) -> None:
    """Staff changes need the right over the office; the system itself (``SystemActor``:
    demo data, imports) needs none."""
    require_permission_unless_system(actor, Perm.OFFICE_MANAGE, office_id=office.pk)


@transaction.atomic
def opening_hours_set(*, office: Office, periods: Iterable[tuple[int, time, time]], actor: Actor) -> Event:
    """Replace an office's weekly hours with ``(weekday, opens, closes)`` periods. Visiting
    hours must follow: change them through ``appointments.services.office_hours_set``."""
    _require_office_manager(actor, office)
    periods = sorted(periods)
    for (day_a, _opens_a, closes_a), (day_b, opens_b, _closes_b) in itertools.pairwise(periods):
        if day_a == day_b and opens_b < closes_a:
            raise ValidationError(
                _("Two opening periods of %(day)s overlap.") % {"day": WEEKDAYS.get(day_a, day_a)},
                field="closes",
            )
    rows = []
    for weekday, opens, closes in periods:
        if not 0 <= weekday <= 6:
            raise ValidationError(_("A weekday is a number from 0 (Monday) to 6 (Sunday)."), field="weekday")
        if opens >= closes:
            raise ValidationError(
                _("On %(day)s the office must open before it closes.") % {"day": WEEKDAYS[weekday]},
                field="closes",
            )
        rows.append(OpeningHours(office=office, weekday=weekday, opens=opens, closes=closes))
    OpeningHours.objects.filter(office=office).delete()
    OpeningHours.objects.bulk_create(rows)
    public_pages_changed()  # bulk_create sends no signal, and an office without hours deleted none
    return events.record(
        "office.hours_set",
        actor=actor,
        subject=office,
        office_id=office.pk,
        details={"periods": [[w, f"{o:%H:%M}", f"{c:%H:%M}"] for w, o, c in periods]},
    )


@transaction.atomic
def holiday_upsert(*, day: date, kind: str, name_id: str, name_en: str = "") -> Holiday:
    holiday, _created = Holiday.objects.update_or_create(
        date=day, defaults={"kind": kind, "name_id": name_id, "name_en": name_en}
    )
    return holiday


@transaction.atomic
def office_closure_remove(*, closure: OfficeClosure, actor: Actor) -> None:
    _require_office_manager(actor, closure.office)
    events.record(
        "office.closure_removed",
        actor=actor,
        subject=closure,
        office_id=closure.office_id,
        details={"from": closure.start_date.isoformat(), "until": closure.end_date.isoformat()},
    )
    closure.delete()


@transaction.atomic
def office_closure_add(
    *,
    office: Office,
    start_date: date,
    end_date: date,
    reason_id: str,
    reason_en: str = "",
    actor: Actor,
) -> OfficeClosure:
    _require_office_manager(actor, office)
    if end_date < start_date:
        raise ValidationError(_("The closure must end on or after the day it starts."), field="end_date")
    if not reason_id.strip() and not reason_en.strip():
        raise ValidationError(_("Say why the office is closed."), field="reason_id")
    closure, created = OfficeClosure.objects.get_or_create(
        office=office,
        start_date=start_date,
        end_date=end_date,
        defaults={"reason_id": reason_id, "reason_en": reason_en},
    )
    if created:
        events.record(
            "office.closure_added",
            actor=actor,
            subject=closure,
            office_id=office.pk,
            details={"from": start_date.isoformat(), "until": end_date.isoformat()},
        )
    return closure


@transaction.atomic
def service_upsert(
    *,
    code: str,
    fields: Mapping[str, Any],
    requirements: Iterable[Mapping[str, Any]],
) -> Service:
    """Create or update a service and bring its requirements to the list given (in its order).
    A requirement already there (the same document, ``name_id``, for the same applicants) keeps
    its row, so the documents applicants uploaded for it stay attached to it; the ones no longer
    listed go."""
    service, _created = Service.objects.update_or_create(code=code, defaults=dict(fields))
    existing = {(r.applies_to, r.name_id): r for r in Requirement.objects.filter(service=service)}
    kept: list[int] = []
    for index, item in enumerate(requirements):
        values = dict(item)
        key = (values.get("applies_to", RequirementCase.ALWAYS), values["name_id"])
        row = existing.get(key)
        if row is None:
            row = Requirement.objects.create(service=service, order=index, **values)
        else:
            for name, value in {**values, "order": index}.items():
                setattr(row, name, value)
            row.save()
        kept.append(row.pk)
    Requirement.objects.filter(service=service).exclude(pk__in=kept).delete()
    search.replace("service", service.code, service_documents(service) if service.is_active else [])
    return service


@transaction.atomic
def service_terms_set(
    *,
    service: Service,
    effective_from: date,
    fee: int,
    standard_working_days: int,
    payment_deadline_hours: int = 2,
    fee_breakdown: list[dict[str, Any]] | None = None,
    legal_basis: str = "",
    actor: Actor,
) -> ServiceTerms:
    """Record the fee and standard in force from ``effective_from`` (a new version, or a
    correction of a version not yet in force). Money is integer rupiah.

    Staff may only add versions that start after today: a version in force is what submitted
    applications were charged, so it never changes (the system, ``SystemActor``, loads history).
    """
    require_permission_unless_system(actor, Perm.CATALOG_MANAGE)
    if not isinstance(actor, SystemActor) and effective_from <= timezone.localdate():
        raise ValidationError(
            _("A fee already in force cannot be changed. Add a new version that starts tomorrow or later."),
            field="effective_from",
        )
    if fee < 0:
        raise ValidationError(_("A fee cannot be negative."), field="fee")
    if fee_breakdown and sum(int(part["amount"]) for part in fee_breakdown) != fee:
        raise ValidationError(_("The parts of the fee must add up to the fee."), field="fee_breakdown")
    if payment_deadline_hours < 1:
        raise ValidationError(_("Allow at least one hour to pay."), field="payment_deadline_hours")
    values = {
        "fee": fee,
        "fee_breakdown": fee_breakdown or [],
        "standard_working_days": standard_working_days,
        "payment_deadline_hours": payment_deadline_hours,
        "legal_basis": legal_basis,
    }
    terms = ServiceTerms.objects.filter(service=service, effective_from=effective_from).first()
    created = terms is None
    if terms is not None and all(getattr(terms, key) == value for key, value in values.items()):
        return terms  # already so: nothing changed, nothing to record
    terms, _updated = ServiceTerms.objects.update_or_create(
        service=service, effective_from=effective_from, defaults=values
    )
    events.record(
        "service.terms_set",
        actor=actor,
        subject=terms,
        details={
            "service": service.code,
            "effective_from": effective_from.isoformat(),
            "fee": fee,
            "standard_working_days": standard_working_days,
            "new_version": created,
        },
    )
    return terms


@transaction.atomic
def office_service_set(
    *,
    office: Office,
    service: Service,
    is_available: bool = True,
    unavailable_reason_id: str = "",
    unavailable_reason_en: str = "",
    unavailable_until: date | None = None,
    actor: Actor,
) -> OfficeService:
    """Offer a service at an office, or mark it unavailable for a while, saying why."""
    _require_office_manager(actor, office)
    if not is_available and not unavailable_reason_id.strip():
        raise ValidationError(
            _("Say why the service is unavailable, so applicants are not left guessing."),
            field="unavailable_reason_id",
        )
    link, _created = OfficeService.objects.get_or_create(office=office, service=service)
    changed = link.is_available != is_available
    link.is_available = is_available
    link.unavailable_reason_id = "" if is_available else unavailable_reason_id
    link.unavailable_reason_en = "" if is_available else unavailable_reason_en
    link.unavailable_until = None if is_available else unavailable_until
    link.save()
    if changed:
        events.record(
            "office.service_availability_changed",
            actor=actor,
            subject=link,
            office_id=office.pk,
            details={"service": service.code, "available": is_available},
        )
    return link


@transaction.atomic
def office_services_suspend(
    *,
    office: Office,
    groups: Iterable[str],
    starts_at: datetime,
    ends_at: datetime | None,
    reason_id: str,
    reason_en: str = "",
    source: str,
    actor: Actor,
) -> list[OfficeService]:
    """Stop an office's services of some groups for a time (an emergency notice): they are
    offered nowhere until ``ends_at`` and the reason is shown wherever they would be. Replaces
    what the same ``source`` suspended before."""
    office_services_resume(source=source, actor=actor)
    links = list(
        OfficeService.objects.select_related("service").filter(
            office=office, service__category__in=list(groups)
        )
    )
    for link in links:
        link.suspended_from, link.suspended_until = starts_at, ends_at
        link.suspension_reason_id = reason_id or reason_en
        link.suspension_reason_en = reason_en or reason_id
        link.suspended_by = source
    OfficeService.objects.bulk_update(
        links,
        ["suspended_from", "suspended_until", "suspension_reason_id", "suspension_reason_en", "suspended_by"],
    )
    if links:
        events.record(
            "office.services_suspended",
            actor=actor,
            subject=office,
            office_id=office.pk,
            details={
                "services": sorted(link.service.code for link in links),
                "from": starts_at.isoformat(),
                "until": ends_at.isoformat() if ends_at else None,
                "source": source,
            },
        )
    return links


@transaction.atomic
def office_services_resume(*, source: str, actor: Actor) -> list[OfficeService]:
    """Lift what ``source`` suspended (a notice withdrawn or changed); returns the links lifted."""
    links = list(OfficeService.objects.select_related("service").filter(suspended_by=source))
    for link in links:
        link.suspended_from = link.suspended_until = None
        link.suspension_reason_id = link.suspension_reason_en = link.suspended_by = ""
    OfficeService.objects.bulk_update(
        links,
        ["suspended_from", "suspended_until", "suspension_reason_id", "suspension_reason_en", "suspended_by"],
    )
    if links:
        events.record(
            "office.services_resumed",
            actor=actor,
            subject=links[0].office,
            office_id=links[0].office_id,
            details={"services": sorted(link.service.code for link in links), "source": source},
        )
    return links
