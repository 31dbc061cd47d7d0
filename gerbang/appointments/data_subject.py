"""What the bookings hold about a person, for the rights of UU PDP (``core.data_subjects``): the
visits booked for their cases (office, time, purpose, state) and, when they asked for it, why
they had priority.

- Export: every booking of the person's cases.
- Blockers: none. A booking is for a visit its case waits for, so a case with a booking is still
  open and the applications already name it; and a coming booking is simply cancelled by the
  erasure itself, its place given back to others at once.
- Erasure: held and confirmed bookings are cancelled (``services.bookings_cancel_for_erasure``:
  the place and the daily quota count are given back) and lose their priority reason. A visit
  that took place (or was missed) is kept for ``DATA_RETENTION_YEARS["visits"]`` after its day;
  past that its priority reason is erased, and its code, times and state stay for the office's
  figures. The nightly sweep (``expire``) does the same for everyone.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils.translation import gettext_lazy

from gerbang.appointments import selectors, services
from gerbang.appointments.models import ACTIVE
from gerbang.appointments.services.erasure import PRIVACY, RETENTION
from gerbang.core import data_subjects
from gerbang.core.data_subjects import Activity, Basis, Outcome, Provider, Section, iso

BATCH = 500

ACTIVITIES = (
    Activity(
        key="appointments.bookings",
        name=gettext_lazy("Appointments at an immigration office"),
        data=gettext_lazy(
            "The application a visit is for, the office, day and time, its purpose (interview and "
            "biometrics, or collecting the document), its state, and, when the person asks for "
            "priority service, the reason (aged 60 or over, a disability, pregnant, a small child: "
            "partly health data)."
        ),
        purpose=gettext_lazy(
            "Receiving the applicant at a set time, serving those who need it first, and planning "
            "the office's days."
        ),
        basis=Basis.PUBLIC_TASK,
        law=(
            "UU No. 6/2011 (Keimigrasian); PP No. 31/2013 (wawancara, biometrik, penyerahan dokumen); "
            "UU No. 25/2009 (Pelayanan Publik: standar pelayanan, pelayanan khusus kelompok rentan); "
            "UU No. 43/2009 (Kearsipan: retensi)"
        ),
        retention=gettext_lazy(
            "A coming booking until the visit or its cancellation; then the years of the "
            "records-retention schedule after the visit's day, after which the priority reason is "
            "erased."
        ),
        recipients=gettext_lazy("Officers and supervisors of the office; auditors."),
    ),
)


def export(person: Any) -> list[Section]:
    rows = [
        {
            "application": booking.application.number or "",
            "booking_code": booking.code,
            "office": str(booking.slot.office.name),
            "service": str(booking.service.name),
            "purpose": booking.get_purpose_display(),
            "day": iso(booking.slot.day),
            "starts_at": iso(booking.slot.starts_at),
            "ends_at": iso(booking.slot.ends_at),
            "status": booking.get_status_display(),
            "priority": booking.get_priority_reason_display() if booking.priority_reason else "",
            "booked_at": iso(booking.created_at),
            "confirmed_at": iso(booking.confirmed_at),
            "ended_at": iso(booking.ended_at),
            "times_moved": booking.reschedules,
        }
        for booking in selectors.bookings_of_person(person)
    ]
    return [Section("appointments.bookings", gettext_lazy("Appointments"), rows)]


LABEL = gettext_lazy("Appointments")
KEPT_REASON = gettext_lazy(
    "A visit is kept for the years of the records-retention schedule after its day (UU No. "
    "25/2009 on Public Services; UU No. 43/2009 on Archives); then why you had priority is erased, "
    "and its time and state stay in the office's figures."
)


def erase(person: Any, now: datetime, dry_run: bool) -> list[Outcome]:
    cutoff = selectors.visits_cutoff_day(now)
    bookings = list(selectors.bookings_of_person(person))
    coming = [b for b in bookings if b.status in ACTIVE]
    past = [b for b in bookings if b.status not in ACTIVE and b.slot.day < cutoff]
    kept = [b for b in bookings if b.status not in ACTIVE and b.slot.day >= cutoff]
    cancelled = len(coming)
    if not dry_run:
        cancelled = services.bookings_cancel_for_erasure(
            booking_ids=[b.pk for b in coming], now=now, actor=PRIVACY
        )
        while services.bookings_personal_data_erase(
            cutoff_day=cutoff,
            actor=PRIVACY,
            why="request",
            booking_ids=[b.pk for b in past],
            limit=BATCH,
        ):
            pass
    days = [b.slot.day for b in kept]
    return [
        Outcome(
            key="appointments.bookings",
            label=LABEL,
            erased=cancelled + len(past),
            kept=len(kept),
            kept_until=selectors.visit_kept_until(max(days)) if days else None,
            reason=KEPT_REASON if kept else "",
        )
    ]


def expire(now: datetime, dry_run: bool) -> list[Outcome]:
    cutoff = selectors.visits_cutoff_day(now)
    if dry_run:
        return [
            Outcome(
                key="appointments.bookings",
                label=LABEL,
                erased=selectors.priorities_past_retention(cutoff).count(),
            )
        ]
    erased = 0
    while done := services.bookings_personal_data_erase(
        cutoff_day=cutoff, actor=RETENTION, why="retention", limit=BATCH
    ):
        erased += done
    return [Outcome(key="appointments.bookings", label=LABEL, erased=erased)]


# Booking events are recorded on the case ("applications.application", traced by the
# applications' provider); appointments records no subject of its own that belongs to a person.
data_subjects.register(
    Provider(
        key="appointments",
        activities=ACTIVITIES,
        export=export,
        erase=erase,
        expire=expire,
    )
)
