"""Reads of the IKM: whether an invitation was answered, what a person may still answer, and
the published figures (never a single response)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, F, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from gerbang.applications.models import Application
from gerbang.applications.workflow import State
from gerbang.catalog.models import Office
from gerbang.core.crypto import blind_index, blind_index_candidates
from gerbang.feedback.models import Consultation, Report
from gerbang.ikm.models import Response, Result, Served
from gerbang.ikm.periods import Period, PeriodKind
from gerbang.ikm.questionnaire import FIELDS
from gerbang.queueing.models import Ticket, TicketStatus
from gerbang.satisfaction.models import Invitation, Occasion

INVITATION_PURPOSE = "ikm.invitation"


def invitation_key(invitation: Invitation) -> str:
    """The keyed hash a response keeps of the invitation it answers (nothing else of it)."""
    return blind_index(str(invitation.pk), purpose=INVITATION_PURPOSE)


def _invitation_keys(invitation: Invitation) -> list[str]:
    # Under the previous blind index keys too, until ``reindex_blind`` has re-keyed the answers.
    return blind_index_candidates(str(invitation.pk), purpose=INVITATION_PURPOSE)


def is_answered(invitation: Invitation) -> bool:
    return Response.objects.filter(key__in=_invitation_keys(invitation)).exists()


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
    keys = {each.pk: _invitation_keys(each) for each in invitations}
    answered = set(
        Response.objects.filter(key__in=[key for some in keys.values() for key in some]).values_list(
            "key", flat=True
        )
    )
    return [each for each in invitations if answered.isdisjoint(keys[each.pk])]


def month_of(moment: datetime) -> date:
    """The first day of the month ``moment`` falls in, in the site's zone (as the figures count)."""
    local = timezone.localtime(moment)
    return date(local.year, local.month, 1)


def start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


Key = tuple[int | None, int | None]


# The profile questions, in the order the report shows them.
PROFILE_FIELDS = ("age_band", "sex", "education", "occupation")

Profile = dict[str, dict[str, int]]


@dataclass
class Tally:
    """The answers of one (office, service) in a period: how many, the sums of U1…U9 and how
    many gave each answer of the profile, all read from the same rows."""

    respondents: int = 0
    sums: list[int] = field(default_factory=lambda: [0] * len(FIELDS))
    profile: Profile = field(default_factory=lambda: {name: {} for name in PROFILE_FIELDS})

    def add(self, other: Tally) -> None:
        self.respondents += other.respondents
        self.sums = [a + b for a, b in zip(self.sums, other.sums, strict=True)]
        for name in PROFILE_FIELDS:
            counts = self.profile.setdefault(name, {})
            for value, count in other.profile.get(name, {}).items():
                counts[value] = counts.get(value, 0) + count


def response_sums(period: Period) -> dict[Key, Tally]:
    """Per (office id, service id): the respondents, the sums of U1…U9 and the profile counts
    in ``period``, from one query, so the profile always adds up to the respondents."""
    rows: Any = (
        Response.objects.filter(served_month__gte=period.start, served_month__lt=period.end)
        .values("office_id", "service_id", *PROFILE_FIELDS)
        .annotate(respondents=Count("id"), **{f"sum_{name}": Sum(name) for name in FIELDS})
        .order_by()
    )
    tallies: dict[Key, Tally] = {}
    for row in rows:
        part = Tally(
            respondents=row["respondents"],
            sums=[row[f"sum_{name}"] or 0 for name in FIELDS],
            profile={name: {row[name]: row["respondents"]} for name in PROFILE_FIELDS},
        )
        tallies.setdefault((row["office_id"], row["service_id"]), Tally()).add(part)
    return tallies


def populations(period: Period) -> dict[Key, int]:
    """Per (office id, service id): the occasions served in ``period`` (``Served``: every case
    collected, visit served, question or report closed, invited or not)."""
    rows = (
        Served.objects.filter(served_month__gte=period.start, served_month__lt=period.end)
        .values("office_id", "service_id")
        .annotate(served=Count("id"))
        .order_by()
    )
    return {(row["office_id"], row["service_id"]): row["served"] for row in rows}


@dataclass(frozen=True)
class OccasionServed:
    """One occasion a person was served, as the app that served them keeps it."""

    occasion: str
    occasion_id: int
    office_id: int | None
    service_id: int | None
    served_at: datetime


def occasions_served(*, since: datetime | None = None) -> Iterator[OccasionServed]:
    """Every occasion served (since ``since``, or ever), read from the apps that serve people:
    the invitations first (an answer is grouped by its invitation's office, service and
    month, so an occasion invited counts where its answer does), then the cases collected,
    the visits served at a counter, the questions and the reports closed, with the office,
    the service and the moment their events give (see ``subscribers``). An occasion can come
    more than once (invited and closed): the caller keeps the first."""
    after = {} if since is None else {"served_at__gte": since}
    for row in (
        Invitation.objects.filter(**after)
        .order_by()
        .values_list("occasion", "occasion_id", "office_id", "service_id", "served_at")
        .iterator(chunk_size=5000)
    ):
        yield OccasionServed(*row)
    sources: list[tuple[str, Any, str]] = [
        (
            Occasion.CASE,
            Application.objects.filter(state=State.COLLECTED).annotate(
                occasion_service=F("service_id"), occasion_at=F("state_changed_at")
            ),
            "state_changed_at",
        ),
        (
            Occasion.VISIT,
            Ticket.objects.filter(status=TicketStatus.COMPLETED, ended_at__isnull=False).annotate(
                occasion_service=Coalesce("application__service_id", "booking__application__service_id"),
                occasion_at=F("ended_at"),
            ),
            "ended_at",
        ),
        (
            Occasion.CONSULTATION,
            Consultation.objects.filter(closed_at__isnull=False).annotate(
                occasion_service=F("application__service_id"), occasion_at=F("closed_at")
            ),
            "closed_at",
        ),
        (
            Occasion.REPORT,
            Report.objects.filter(closed_at__isnull=False).annotate(
                occasion_service=F("application__service_id"), occasion_at=F("closed_at")
            ),
            "closed_at",
        ),
    ]
    for occasion, rows, moment in sources:
        if since is not None:
            rows = rows.filter(**{f"{moment}__gte": since})
        # The training office's synthetic people are never in the survey's population.
        rows = rows.exclude(office__is_training=True)
        for pk, office_id, service_id, served_at in (
            rows.order_by()
            .values_list("pk", "office_id", "occasion_service", "occasion_at")
            .iterator(chunk_size=5000)
        ):
            yield OccasionServed(str(occasion), pk, office_id, service_id, served_at)


def answered_months() -> list[date]:
    return sorted(set(Response.objects.values_list("served_month", flat=True).distinct()))


# The published figures.

# What the national figure (office None: every office and the national unit together) is
# called in addresses, open data and the API, where an office gives its code.
NATIONAL = "national"


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
    """Every aggregate for open data (never a response), in a stable order: the national
    figures first (``office_code`` NATIONAL: only them), then each office's."""
    results = _results().order_by(
        F("office__code").asc(nulls_first=True),
        F("service__code").asc(nulls_first=True),
        "period_kind",
        "period_start",
        "scope",
    )
    if office_code == NATIONAL:
        results = results.filter(office__isnull=True)
    elif office_code:
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


def latest_of_offices(office_ids: list[int]) -> dict[int, Result]:
    """Each office's newest quarter with answers, all services together (``office_latest`` of
    each, in one query: a few quarters per office)."""
    rows = (
        _results()
        .filter(office_id__in=office_ids, service=None, period_kind=PeriodKind.QUARTER, respondents__gt=0)
        .order_by("office_id", "-period_start")
    )
    latest: dict[int, Result] = {}
    for result in rows:
        if result.office_id is not None:
            latest.setdefault(result.office_id, result)
    return latest


def national_latest() -> Result | None:
    """The newest quarter with answers of every office and the national unit together."""
    return (
        _results()
        .filter(office=None, service=None, period_kind=PeriodKind.QUARTER, respondents__gt=0)
        .order_by("-period_start")
        .first()
    )


def profile_table(result: Result) -> list[tuple[str, list[tuple[str, int]]]]:
    """How many of ``result``'s respondents gave each age band, sex, education and occupation:
    the counts stored with the figures when they were computed (counts only, for the report's
    profile of respondents), so they always add up to its respondents."""
    from gerbang.ikm.questionnaire import AgeBand, Education, Occupation, Sex

    stored: dict[str, dict[str, int]] = result.profile or {}
    if not stored:  # figures computed before profiles were stored with them
        return []
    table = []
    for name, choices in (
        ("age_band", AgeBand),
        ("sex", Sex),
        ("education", Education),
        ("occupation", Occupation),
    ):
        counted = stored.get(name, {})
        table.append((name, [(str(label), int(counted.get(value, 0))) for value, label in choices.choices]))
    return table


# --- A person's answers (UU PDP) -------------------------------------------------------------------


def responses_of(person: Any) -> QuerySet[Response]:
    """The answers given on ``person``'s invitations. A response names nobody, but whoever holds
    the blind index key can go from an invitation to its answer: to the authority, which holds
    it, the answers are pseudonymous, not anonymous, so they are the person's to see and to have
    unlinked. The link is computed here and stored nowhere."""
    ids = Invitation.objects.filter(person=person).values_list("pk", flat=True)
    keys = [key for pk in ids for key in blind_index_candidates(str(pk), purpose=INVITATION_PURPOSE)]
    return Response.objects.filter(key__in=keys)
