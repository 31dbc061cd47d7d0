"""Reading reports: the reporter's own, an anonymous one by its code, and the ones a member of
staff may see (their offices' reports; the national unit: all, whistle-blowing included). Whose
identity a viewer may see is decided here, once: ``reporter_name``."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from types import SimpleNamespace
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from gerbang.accounts.permissions import Perm, has_permission
from gerbang.accounts.scoping import scope_to_offices
from gerbang.catalog import selectors as catalog
from gerbang.catalog.models import Office
from gerbang.core.bilingual import pick
from gerbang.core.calendar import day_bounds
from gerbang.core.crypto import blind_index, blind_index_candidates
from gerbang.core.event_text import describe
from gerbang.core.figures import ANY_SERVICE, Figure, figures
from gerbang.core.models import Event
from gerbang.core.ratelimit import Limit, enforce
from gerbang.core.staff_reads import staff_reads_q
from gerbang.feedback import threads
from gerbang.feedback.lifecycle import FINAL, OWED_BY_OFFICE
from gerbang.feedback.models import (
    Report,
    ReportAttachment,
    ReportKind,
    ReportMessage,
    ReportPrivacy,
    ReportStatus,
    ReportTopic,
)

CODE_PURPOSE = "report-code"


def _normal_code(code: str) -> str:
    return "".join((code or "").upper().split()).replace("-", "")


def code_hash(code: str) -> str:
    return blind_index(_normal_code(code), purpose=CODE_PURPOSE)


def code_hashes(code: str) -> list[str]:
    """The code's hash under the current and the previous blind index keys: a code is given to
    its reporter and kept nowhere, so its hash can never be recomputed under a new key."""
    return blind_index_candidates(_normal_code(code), purpose=CODE_PURPOSE)


def reports_of(user: Any) -> QuerySet[Report]:
    if not getattr(user, "is_authenticated", False):
        return Report.objects.none()
    return Report.objects.filter(reporter=user).select_related("office", "application")


def report_of(user: Any, pk: int) -> Report | None:
    return reports_of(user).filter(pk=pk).first()


def report_by_code(code: str) -> Report | None:
    """The anonymous report whose follow-up code this is (the code is stored only as a hash)."""
    if len("".join((code or "").split())) < 8:
        return None
    return (
        Report.objects.filter(code_hash__in=code_hashes(code), privacy=ReportPrivacy.ANONYMOUS)
        .select_related("office")
        .first()
    )


def is_national(user: Any) -> bool:
    return has_permission(user, Perm.REPORT_NATIONAL)


def reports_for_staff(user: Any) -> QuerySet[Report]:
    """The reports ``user`` may see: the national unit all; an office's staff those routed to
    their offices, never one about staff (whistle-blowing goes to the national unit only)."""
    rows = Report.objects.select_related("office", "application", "application__service")
    if is_national(user):
        return rows
    if not has_permission(user, Perm.REPORT_VIEW):
        return Report.objects.none()
    return scope_to_offices(rows.filter(office__isnull=False, about_staff=False), user)


def report_for_staff(user: Any, pk: int) -> Report | None:
    return reports_for_staff(user).filter(pk=pk).first()


def can_handle(user: Any, report: Report) -> bool:
    if is_national(user):
        return True
    if report.office_id is None or report.about_staff:
        return False
    return has_permission(user, Perm.REPORT_HANDLE, office_id=report.office_id)


def may_see_identity(user: Any, report: Report) -> bool:
    """A reporter's name is shown to an office only when they chose so; a confidential one only
    to the national unit; an anonymous one to nobody."""
    if report.privacy == ReportPrivacy.OPEN:
        return True
    return report.privacy == ReportPrivacy.CONFIDENTIAL and is_national(user)


def reporter_name(user: Any, report: Report) -> str:
    if report.privacy == ReportPrivacy.ANONYMOUS or report.reporter is None:
        return _("Anonymous reporter")
    if not may_see_identity(user, report):
        return _("Confidential reporter")
    return f"{report.reporter.full_name} <{report.reporter.email}>"


def overdue_q(*, zones: Iterable[str], now: datetime | None = None) -> Q:
    """Owed a step by the office (or the national unit) and past its due date where the office
    is (the national unit: the capital), as ``is_overdue`` says of one report."""
    national_today = threads.today_at(None, now)
    return Q(status__in=OWED_BY_OFFICE, due__isnull=False) & (
        catalog.before_local_today("due", zones=zones, now=now)
        | Q(office__isnull=True, due__lt=national_today)
    )


def staff_queue(
    user: Any,
    *,
    status: str = "open",
    kind: str = "",
    topic: str = "",
    office_id: int | None = None,
    national: bool = False,
    overdue: bool = False,
) -> QuerySet[Report]:
    """The queue: what is owed first, by due date; or any status; ``overdue``: only what is owed
    and past its due date."""
    rows = reports_for_staff(user)
    if national:
        rows = rows.filter(office__isnull=True)
    elif office_id is not None:
        rows = rows.filter(office_id=office_id)
    if kind in ReportKind.values:
        rows = rows.filter(kind=kind)
    if topic in ReportTopic.values:
        rows = rows.filter(topic=topic)
    if overdue:
        rows = rows.filter(overdue_q(zones=catalog.office_zones()))
    if status == "open":
        return rows.filter(status__in=OWED_BY_OFFICE).order_by("due", "created_at", "id")
    if status in ReportStatus.values:
        rows = rows.filter(status=status)
    return rows.order_by("-updated_at", "-id")


def messages_of(report: Report) -> list[ReportMessage]:
    return list(report.messages.select_related("author").prefetch_related("attachments"))


def attachments_of(report: Report) -> QuerySet[ReportAttachment]:
    return report.attachments.all()


def timer(report: Report, now: datetime | None = None) -> threads.Timer:
    return threads.timer(report.office, report.due, now)


def is_overdue(report: Report, now: datetime | None = None) -> bool:
    return report.status in OWED_BY_OFFICE and threads.is_overdue(report.office, report.due, now)


@dataclass(frozen=True)
class CountRow:
    office: str
    kind: str
    open: int
    overdue: int
    total: int


def counts(user: Any, *, since: date | None = None, today: date | None = None) -> list[CountRow]:
    """Reports per office and kind: open (owed by the office), overdue, and all in the period."""
    rows = reports_for_staff(user)
    if since is not None:
        rows = rows.filter(created_at__date__gte=since)
    owed = Q(status__in=OWED_BY_OFFICE)
    late = owed & Q(due__lt=today or threads.today_at(None))
    grouped = (
        rows.values("office__name_id", "office__name_en", "kind")
        .annotate(open=Count("id", filter=owed), overdue=Count("id", filter=late), total=Count("id"))
        .order_by("office__name_id", "kind")
    )
    return [
        CountRow(
            office=str(
                pick(SimpleNamespace(name_id=row["office__name_id"], name_en=row["office__name_en"]), "name")
            )
            if row["office__name_id"]
            else _("National complaints unit"),
            kind=str(ReportKind(row["kind"]).label),
            open=row["open"],
            overdue=row["overdue"],
            total=row["total"],
        )
        for row in grouped
    ]


@dataclass(frozen=True)
class OpenCounts:
    open: int
    overdue: int


def open_counts(user: Any) -> OpenCounts:
    rows = reports_for_staff(user).filter(status__in=OWED_BY_OFFICE)
    found = rows.aggregate(open=Count("id"), overdue=Count("id", filter=Q(due__lt=threads.today_at(None))))
    return OpenCounts(open=found["open"] or 0, overdue=found["overdue"] or 0)


@dataclass(frozen=True)
class ComplaintCounts:
    open: int = 0
    overdue: int = 0


def complaint_counts(
    user: Any,
    office_ids: list[int],
    *,
    national: bool = False,
    zones: Iterable[str],
    now: datetime | None = None,
) -> dict[int | None, ComplaintCounts]:
    """Per office of ``office_ids`` (and the national unit, as None, with ``national``): the
    complaints ``user`` may see that the office owes a step on, and of them the overdue ones,
    as the queue lists them (``staff_queue(kind="complaint")``, with ``overdue``). One query."""
    where = (
        (Q(office_id__in=office_ids) | Q(office__isnull=True)) if national else Q(office_id__in=office_ids)
    )
    rows = (
        reports_for_staff(user)
        .filter(where, kind=ReportKind.COMPLAINT, status__in=OWED_BY_OFFICE)
        .values("office_id")
        .annotate(open=Count("id"), overdue=Count("id", filter=overdue_q(zones=zones, now=now)))
        .order_by()
    )
    return {row["office_id"]: ComplaintCounts(open=row["open"], overdue=row["overdue"]) for row in rows}


# Guessing codes: a handful of tries per address and hour (a code has 80 random bits anyway).
CODE_TRIES_PER_HOUR = 10


def report_by_code_limited(code: str, *, client: str) -> Report | None:
    """``report_by_code``, counted against the address's tries (RateLimited past them)."""
    enforce(
        (Limit("report-code", CODE_TRIES_PER_HOUR, 60 * 60), client or "-"),
        message=_("Too many codes tried from here. Please wait an hour and try again."),
    )
    return report_by_code(code)


def latest_message_id(thread: list[ReportMessage]) -> int:
    return thread[-1].pk if thread else 0


def export_rows(user: Any, *, since: date, until: date) -> list[list[str]]:
    """The reports received in the period (dates where each office is), as the CSV's rows:
    ids, dates, where, what, status, tier, due, answered, closed, working days taken and
    whether it escalated. Nothing that names or reaches the reporter."""
    rows = reports_for_staff(user).filter(
        created_at__date__gte=since - timedelta(days=1), created_at__date__lte=until + timedelta(days=1)
    )
    out: list[list[str]] = []
    for report in rows.order_by("created_at", "id"):
        received = threads.today_at(report.office, report.created_at)
        if not since <= received <= until:
            continue
        answered = (
            threads.today_at(report.office, report.first_answered_at) if report.first_answered_at else None
        )
        closed = threads.today_at(report.office, report.closed_at) if report.closed_at else None
        end = closed or answered
        taken = ""
        if end is not None:
            calendar = catalog.working_calendar(
                report.office, received, horizon_days=(end - received).days + 1
            )
            taken = str(calendar.working_days_between(received, end))
        out.append(
            [
                report.reference,
                received.isoformat(),
                report.channel,
                report.kind,
                report.topic,
                "yes" if report.about_staff else "no",
                report.application.service.code if report.application else "",
                report.office.code if report.office else "national",
                report.status,
                report.tier,
                report.due.isoformat() if report.due else "",
                answered.isoformat() if answered else "",
                closed.isoformat() if closed else "",
                taken,
                "yes" if report.escalated_ever else "no",
            ]
        )
    return out


def timeline(report: Report) -> list[dict[str, Any]]:
    """What happened, in words, naming nobody (both sides see the same steps; reads by staff
    are in the audit log, not here)."""
    rows = Event.objects.filter(subject_type="feedback.report", subject_id=str(report.pk)).exclude(
        staff_reads_q()
    )
    return [
        {"at": e.created_at, "text": describe(e.code, e.details)} for e in rows.order_by("created_at", "id")
    ]


# --- Retention (UU PDP Pasal 44) -------------------------------------------------------------------


def ended_at(report: Report) -> datetime | None:
    """When a report's handling ended: closed, or referred or archived (its last change); None
    while it is being handled."""
    if report.status not in FINAL:
        return None
    return report.closed_at or report.updated_at


def reports_past_retention(now: datetime) -> QuerySet[Report]:
    """Reports whose handling ended before the retention period and whose texts are still there
    (anonymous ones too: their texts may name the reporter or others)."""
    cutoff = threads.retention_cutoff(now)
    ended_before = Q(closed_at__lt=cutoff) | Q(closed_at__isnull=True, updated_at__lt=cutoff)
    return Report.objects.filter(ended_before, status__in=FINAL).exclude(subject="")


def day_figures(office: Office, day: date) -> list[Figure]:
    """For the public statistics (``core.figures``): the complaints routed to ``office`` that
    were received on ``day`` (``complaints``), and per complaint closed that day whether it was
    handled within its service level at every step (``complaint_within`` 1: never overdue, so
    never escalated; 0 otherwise). Under the service of the case it is about, if any. Reports
    of the national unit belong to no office and are in no office's figures."""
    start, end = day_bounds(day, office.time_zone)
    counts: Counter[tuple[int, str, int]] = Counter()
    complaints = Report.objects.filter(office=office, kind=ReportKind.COMPLAINT)
    for service_id in complaints.filter(created_at__gte=start, created_at__lt=end).values_list(
        "application__service_id", flat=True
    ):
        counts[(service_id or ANY_SERVICE, "complaints", 0)] += 1
    closed = complaints.filter(
        status=ReportStatus.CLOSED, closed_at__gte=start, closed_at__lt=end
    ).values_list("application__service_id", "escalated_ever")
    for service_id, escalated in closed:
        counts[(service_id or ANY_SERVICE, "complaint_within", int(not escalated))] += 1
    return figures(counts)
