"""What the on-site queue holds about a person, for the rights of UU PDP (``core.data_subjects``):
the tickets of the visits for their cases (checked in with a booking, or transferred on from
one), with the waiting and service times, why they had priority and the officer's note.
A walk-in ticket is issued without a name or a case: it belongs to nobody the queue knows.

- Export: every ticket of the person's cases; the officer who issued it appears by role.
- Blockers: none. Tickets live one day at the office; a visit under way is the case's, which the
  applications name while it is open.
- Erasure: a ticket is kept for ``DATA_RETENTION_YEARS["visits"]`` after its day; past that its
  priority reason and note are erased (``services.tickets_personal_data_erase``) and its
  number, lane, times and state stay for the queue's figures. The nightly sweep does the same
  for everyone.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.utils.translation import gettext_lazy

from gerbang.accounts.selectors import acted_as
from gerbang.core import data_subjects, events
from gerbang.core.data_subjects import Activity, Basis, Outcome, Provider, Section, iso
from gerbang.queueing.models import Ticket
from gerbang.queueing.selectors import personal
from gerbang.queueing.services.erasure import PRIVACY, RETENTION, tickets_personal_data_erase

BATCH = 500

ACTIVITIES = (
    Activity(
        key="queueing.tickets",
        name=gettext_lazy("Queue tickets at an immigration office"),
        data=gettext_lazy(
            "The ticket of a visit for an application: its number, lane and counter, when it was "
            "issued, called and served, the waiting and service times, whether the visitor came "
            "late, the reason for priority service (partly health data) and an officer's note."
        ),
        purpose=gettext_lazy(
            "Calling visitors in order, serving first those who need it, and measuring waiting "
            "times against the office's service standard."
        ),
        basis=Basis.PUBLIC_TASK,
        law=(
            "UU No. 25/2009 (Pelayanan Publik: standar pelayanan, pelayanan khusus kelompok rentan); "
            "UU No. 6/2011 (Keimigrasian); UU No. 43/2009 (Kearsipan: retensi)"
        ),
        retention=gettext_lazy(
            "The years of the records-retention schedule after the day of the visit; then the "
            "priority reason and the note are erased and the times stay in the queue's figures."
        ),
        recipients=gettext_lazy(
            "Officers of the office; the display board shows only the ticket number and counter."
        ),
    ),
)


def export(person: Any) -> list[Section]:
    tickets = list(personal.tickets_of(person))
    notes = events.notes_by_subject(Ticket._meta.label_lower, [ticket.pk for ticket in tickets])
    rows = [
        {
            "application": ticket.application.number or "" if ticket.application else "",
            "booking_code": ticket.booking.code if ticket.booking else "",
            "office": str(ticket.office.name),
            "day": iso(ticket.day),
            "number": ticket.number,
            "lane": ticket.lane.letter,
            "how": ticket.get_source_display(),
            "status": ticket.get_status_display(),
            "priority": ticket.get_priority_reason_display() if ticket.priority_reason else "",
            "late": ticket.late,
            "issued_at": iso(ticket.issued_at),
            "issued_by": acted_as(ticket.issued_by, ticket.office),
            "first_called_at": iso(ticket.first_called_at),
            "counter": ticket.counter.number if ticket.counter else None,
            "waited_seconds": ticket.waited_seconds,
            "service_seconds": ticket.service_seconds,
            "ended_at": iso(ticket.ended_at),
            "note": ticket.note,
            # What officers noted as the ticket moved (set aside, sent to another lane).
            "history_notes": notes.get(str(ticket.pk), []),
        }
        for ticket in tickets
    ]
    return [Section("queueing.tickets", gettext_lazy("Queue tickets"), rows)]


LABEL = gettext_lazy("Queue tickets")
KEPT_REASON = gettext_lazy(
    "A ticket is kept for the years of the records-retention schedule after the day of the visit "
    "(UU No. 25/2009 on Public Services; UU No. 43/2009 on Archives); then why you had priority "
    "and the officer's note are erased, and its times stay in the queue's figures."
)


def erase(person: Any, now: datetime, dry_run: bool) -> list[Outcome]:
    cutoff = personal.cutoff_day(now)
    tickets = list(personal.tickets_of(person))
    past = [t for t in tickets if t.day < cutoff]
    kept = [t for t in tickets if t.day >= cutoff]
    if not dry_run:
        while tickets_personal_data_erase(
            cutoff_day=cutoff, actor=PRIVACY, why="request", ticket_ids=[t.pk for t in past], limit=BATCH
        ):
            pass
    return [
        Outcome(
            key="queueing.tickets",
            label=LABEL,
            erased=len(past),
            kept=len(kept),
            kept_until=personal.kept_until(max(t.day for t in kept)) if kept else None,
            reason=KEPT_REASON if kept else "",
        )
    ]


def expire(now: datetime, dry_run: bool) -> list[Outcome]:
    cutoff = personal.cutoff_day(now)
    if dry_run:
        return [
            Outcome(
                key="queueing.tickets", label=LABEL, erased=personal.tickets_past_retention(cutoff).count()
            )
        ]
    erased = 0
    while done := tickets_personal_data_erase(
        cutoff_day=cutoff, actor=RETENTION, why="retention", limit=BATCH
    ):
        erased += done
    return [Outcome(key="queueing.tickets", label=LABEL, erased=erased)]


def _ticket_owners(subject_ids: Sequence[str]) -> dict[str, int]:
    return personal.owners_of_tickets(data_subjects.int_ids(subject_ids))


# Ticket events (called, served, set aside, erased) are recorded on
# the ticket; check-ins are recorded on the case and traced by the applications.
data_subjects.register(
    Provider(
        key="queueing",
        activities=ACTIVITIES,
        export=export,
        erase=erase,
        expire=expire,
        owners={"queueing.ticket": _ticket_owners},
    )
)
