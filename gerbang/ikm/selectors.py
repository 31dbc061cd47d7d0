"""Reads of the IKM: whether an invitation was answered, what a person may still answer, and
the published figures (never a single response)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, QuerySet, Sum
from django.utils import timezone

from gerbang.catalog.models import Office
from gerbang.core.crypto import blind_index
from gerbang.ikm.models import Response, Result
from gerbang.ikm.periods import Period, PeriodKind
from gerbang.ikm.questionnaire import FIELDS
from gerbang.satisfaction.models import Invitation


def invitation_key(invitation: Invitation) -> str:
    """The keyed hash a response keeps of the invitation it answers (nothing else of it)."""
    return blind_index(str(invitation.pk), purpose="ikm.invitation")


def is_answered(invitation: Invitation) -> bool:
    return Response.objects.filter(key=invitation_key(invitation)).exists()


def answer_deadline(invitation: Invitation) -> datetime:
    return invitation.served_at + timedelta(days=settings.IKM_ANSWER_DAYS)


def is_open(invitation: Invitation, *, now: datetime | None = None) -> bool:
    """Whether the questionnaire may still be answered for ``invitation``."""
    return (now or timezone.now()) < answer_deadline(invitation) and not is_answered(invitation)


def invitation_by_token(token: str) -> Invitation | None:
    if not token or len(token) > 64:
        return None
    return Invitation.objects.select_related("office", "service").filter(token=token).first()


def open_invitations_of(person: Any, *, now: datetime | None = None) -> list[Invitation]:
    """``person``'s invitations of the answering window not answered yet, newest first."""
    if not getattr(person, "is_authenticated", False):
        return []
    since = (now or timezone.now()) - timedelta(days=settings.IKM_ANSWER_DAYS)
    invitations = list(
        Invitation.objects.select_related("office", "service")
        .filter(person=person, served_at__gte=since)
        .order_by("-served_at")[:20]
    )
    answered = set(
        Response.objects.filter(key__in=[invitation_key(each) for each in invitations]).values_list(
            "key", flat=True
        )
    )
    return [each for each in invitations if invitation_key(each) not in answered]


def month_of(moment: datetime) -> date:
    """The first day of the month ``moment`` falls in, in the site's zone (as the figures count)."""
    local = timezone.localtime(moment)
    return date(local.year, local.month, 1)


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


Key = tuple[int | None, int | None]


def response_sums(period: Period) -> dict[Key, tuple[int, list[int]]]:
    """Per (office id, service id): the respondents and the sums of U1…U9 in ``period``."""
    rows: Any = (
        Response.objects.filter(served_month__gte=period.start, served_month__lt=period.end)
        .values("office_id", "service_id")
        .annotate(respondents=Count("id"), **{f"sum_{field}": Sum(field) for field in FIELDS})
        .order_by()
    )
    return {
        (row["office_id"], row["service_id"]): (
            row["respondents"],
            [row[f"sum_{field}"] or 0 for field in FIELDS],
        )
        for row in rows
    }


def populations(period: Period) -> dict[Key, int]:
    """Per (office id, service id): the occasions served in ``period`` (one invitation each)."""
    rows = (
        Invitation.objects.filter(served_at__gte=_start_of(period.start), served_at__lt=_start_of(period.end))
        .values("office_id", "service_id")
        .annotate(served=Count("id"))
        .order_by()
    )
    return {(row["office_id"], row["service_id"]): row["served"] for row in rows}


def answered_months() -> list[date]:
    return sorted(set(Response.objects.values_list("served_month", flat=True).distinct()))


# The published figures.


def _results() -> QuerySet[Result]:
    return Result.objects.select_related("office", "service")


def latest_period(kind: str = PeriodKind.QUARTER) -> Period | None:
    """The newest period of ``kind`` with figures."""
    start = (
        Result.objects.filter(period_kind=kind, respondents__gt=0)
        .order_by("-period_start")
        .values_list("period_start", flat=True)
        .first()
    )
    return None if start is None else Period(kind, start)


def overview(period: Period) -> list[Result]:
    """Each office's figures of ``period``, all services together, by office name."""
    return list(
        _results()
        .filter(period_kind=period.kind, period_start=period.start, service=None, office__isnull=False)
        .order_by("office__name_id")
    )


def result_of(office: Office | None, period: Period, *, service_id: int | None = None) -> Result | None:
    return (
        _results()
        .filter(office=office, service=service_id, period_kind=period.kind, period_start=period.start)
        .first()
    )


def trend_of(office: Office | None, kind: str, *, service_id: int | None = None) -> list[Result]:
    """The office's figures of every period of ``kind``, oldest first."""
    return list(
        _results().filter(office=office, service=service_id, period_kind=kind).order_by("period_start")
    )


def periods_of(office: Office | None) -> list[Period]:
    """The periods with figures for ``office``, newest first."""
    rows = (
        Result.objects.filter(office=office, service=None)
        .values_list("period_kind", "period_start")
        .distinct()
        .order_by("-period_start", "period_kind")
    )
    return [Period(kind, start) for kind, start in rows]


def services_of(office: Office | None, period: Period) -> list[Result]:
    """The office's figures per service in ``period``."""
    return list(
        _results()
        .filter(office=office, period_kind=period.kind, period_start=period.start, service__isnull=False)
        .order_by("service__category", "service__order", "service__code")
    )


def open_data(*, office_code: str | None = None) -> QuerySet[Result]:
    """Every aggregate for open data (never a response), in a stable order."""
    results = _results().order_by("office__code", "service__code", "period_kind", "period_start", "scope")
    if office_code:
        results = results.filter(office__code=office_code)
    return results


def office_latest(office: Office) -> Result | None:
    """The office's newest quarter with answers, all services together (for its page)."""
    return (
        _results()
        .filter(office=office, service=None, period_kind=PeriodKind.QUARTER, respondents__gt=0)
        .order_by("-period_start")
        .first()
    )


def profile_counts(office: Office | None, period: Period) -> list[tuple[str, list[tuple[str, int]]]]:
    """How many respondents of each age band, sex, education and occupation answered for the
    office in ``period`` (counts only, for the report's profile of respondents)."""
    from gerbang.ikm.questionnaire import AgeBand, Education, Occupation, Sex

    responses = Response.objects.filter(
        office=office, served_month__gte=period.start, served_month__lt=period.end
    )
    table = []
    for field, choices in (
        ("age_band", AgeBand),
        ("sex", Sex),
        ("education", Education),
        ("occupation", Occupation),
    ):
        counted = dict(responses.values_list(field).annotate(n=Count("id")).order_by())
        table.append((field, [(str(label), counted.get(value, 0)) for value, label in choices.choices]))
    return table
