"""Reads of data protection: a person's requests and consents, the officer's queue, the
processing register and the people whose data staff read in a window (for a breach)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from gerbang.core import consents, data_subjects
from gerbang.core.models import Event
from gerbang.core.staff_reads import staff_reads_q
from gerbang.privacy.models import Consent, Kind, Request, Status


def requests_of(person: Any) -> QuerySet[Request]:
    return Request.objects.filter(person=person).order_by("-received_at", "-id")


@dataclass(frozen=True)
class Copies:
    """The copies a person downloaded: how many, and the last (each is answered at once, so
    they are counted rather than listed among the requests that wait for an answer)."""

    count: int
    last: Request | None


def copies_of(person: Any) -> Copies:
    copies = requests_of(person).filter(kind=Kind.ACCESS)
    return Copies(copies.count(), copies.first())


@dataclass(frozen=True)
class ConsentLine:
    purpose: consents.Purpose
    standing: Consent | None  # the consent in force, if any
    history: list[Consent]


def consents_of(person: Any) -> list[ConsentLine]:
    """Every registered purpose the person has a record for, with the one in force."""
    records = list(Consent.objects.filter(person=person).order_by("-given_at", "-id"))
    by_purpose: dict[str, list[Consent]] = defaultdict(list)
    for record in records:
        by_purpose[record.purpose].append(record)
    lines = []
    for key, purpose in consents.purposes().items():
        history = by_purpose.get(key, [])
        if not history:
            continue
        standing = next((c for c in history if c.withdrawn_at is None), None)
        lines.append(ConsentLine(purpose=purpose, standing=standing, history=history))
    return lines


def consent_records_of(person: Any) -> QuerySet[Consent]:
    """Every consent record of the person, given or withdrawn, whether or not its purpose is
    still registered: the oldest first."""
    return Consent.objects.filter(person=person).order_by("given_at", "id")


def open_requests(now: datetime | None = None) -> QuerySet[Request]:
    """Requests still waiting for an answer, the most urgent first."""
    return Request.objects.filter(status=Status.RECEIVED).select_related("person").order_by("due_at", "id")


def waiting_counts(now: datetime | None = None) -> tuple[int, int]:
    """How many requests wait for an answer, and how many of them are past their deadline: one
    query, whatever the queue's length."""
    counts = Request.objects.filter(status=Status.RECEIVED).aggregate(
        waiting=Count("pk"), overdue=Count("pk", filter=Q(due_at__lt=now or timezone.now()))
    )
    return counts["waiting"], counts["overdue"]


def answered_requests() -> QuerySet[Request]:
    return Request.objects.exclude(status=Status.RECEIVED).select_related("person").order_by("-answered_at")


def request_by_id(pk: int) -> Request | None:
    if not 0 < pk < 2**63:
        return None
    return Request.objects.select_related("person", "answered_by").filter(pk=pk).first()


def is_overdue(request: Request, now: datetime | None = None) -> bool:
    return request.status == Status.RECEIVED and (now or timezone.now()) > request.due_at


# The register is read in the order a person meets the service: their account and their case
# first, what they chose to take part in last.
READING_ORDER = (
    "accounts",
    "applications",
    "payments",
    "appointments",
    "queueing",
    "notifications",
    "feedback",
    "privacy",
    "satisfaction",
    "ikm",
    "participation",
    "assistant",
    "ledger",
)


def register() -> list[data_subjects.Activity]:
    """The processing register, app by app (Pasal 31), in reading order."""

    def place(activity: data_subjects.Activity) -> int:
        app = activity.key.split(".", 1)[0]
        return READING_ORDER.index(app) if app in READING_ORDER else len(READING_ORDER)

    return sorted(data_subjects.activities(), key=place)


@dataclass(frozen=True)
class RetentionLine:
    what: str
    years: int


def retention_periods() -> list[RetentionLine]:
    """The retention periods in force (settings ``DATA_RETENTION_YEARS``), in words."""
    from django.conf import settings
    from django.utils.translation import gettext as _

    labels = {
        "cases": _(
            "Applications, with their answers and documents, after they are decided, withdrawn or expired"
        ),
        "payments": _("Bills, payments and refunds, after they are settled"),
        "reports": _("Questions to offices and complaints, after they are closed"),
        "visits": _("Bookings and queue tickets, after the day of the visit"),
        "messages": _("Messages sent to you, after they were sent"),
    }
    return [
        RetentionLine(what=labels.get(key, key), years=int(years))
        for key, years in settings.DATA_RETENTION_YEARS.items()
    ]


@dataclass
class Affected:
    """A person whose data staff read in the window, and how."""

    user_id: int
    reads: int = 0
    first: datetime | None = None
    last: datetime | None = None
    what: set[str] = field(default_factory=set)  # the read events' codes
    by: set[int] = field(default_factory=set)  # the staff accounts that read


@dataclass(frozen=True)
class Untraced:
    code: str
    subject_type: str
    reads: int


def affected_by_reads(
    start: datetime, end: datetime, *, actor_ids: list[int] | None = None, office_id: int | None = None
) -> tuple[list[Affected], list[Untraced]]:
    """Who is affected by staff access in ``[start, end)``: every staff read of that window
    (optionally by some staff accounts, or in one office), traced through the apps' owners to
    the people the records belong to. Reads no app can trace are counted apart, never dropped."""
    reads = Event.objects.filter(staff_reads_q(), created_at__gte=start, created_at__lt=end)
    if actor_ids is not None:
        reads = reads.filter(actor_id__in=actor_ids)
    if office_id is not None:
        reads = reads.filter(office_id=office_id)
    rows = list(
        reads.order_by("id").values_list("code", "subject_type", "subject_id", "created_at", "actor_id")
    )
    ids_by_type: dict[str, set[str]] = defaultdict(set)
    for _code, subject_type, subject_id, _at, _actor in rows:
        ids_by_type[subject_type].add(subject_id)
    owner_by_type = {t: data_subjects.owners_of(t, ids) for t, ids in ids_by_type.items()}
    people: dict[int, Affected] = {}
    untraced: dict[tuple[str, str], int] = defaultdict(int)
    for code, subject_type, subject_id, at, actor_id in rows:
        owner = owner_by_type.get(subject_type, {}).get(subject_id)
        if owner is None:
            untraced[(code, subject_type)] += 1
            continue
        line = people.setdefault(owner, Affected(user_id=owner))
        line.reads += 1
        line.first = at if line.first is None or at < line.first else line.first
        line.last = at if line.last is None or at > line.last else line.last
        line.what.add(code)
        if actor_id is not None:
            line.by.add(actor_id)
    return (
        sorted(people.values(), key=lambda a: a.user_id),
        [Untraced(code=c, subject_type=t, reads=n) for (c, t), n in sorted(untraced.items())],
    )
