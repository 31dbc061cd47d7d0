"""What one office's cases did on one day, as counts for the public statistics.

``day_figures(office, day)`` is the raw computation the statistics are built from (and checked
against): for the cases of ``office`` and the calendar ``day`` in the office's own time zone,

- ``submitted``: applications submitted that day;
- ``approved`` and ``rejected``: decisions taken that day and still standing (a reversed decision
  no longer counts; the new one counts on its own day);
- ``withdrawn`` and ``expired``: submitted cases that ended so that day (cancelled by the
  applicant, or left unpaid until the bill lapsed);
- ``decision_days``: per decision, the working days from the payment (when the service standard's
  clock starts) to the decision, as ``bucket``; ``decision_within``: per decision, 1 when it was
  taken by its due date, else 0;
- ``ready_days``: per case made ready for pickup that day, the working days from the payment.

Each figure is (service id, measure, bucket, count); bucket is 0 where it means nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date

from gerbang.applications.models import Application
from gerbang.applications.workflow import State
from gerbang.catalog.models import Office
from gerbang.catalog.selectors import working_calendar
from gerbang.core.calendar import day_bounds, local_date
from gerbang.core.figures import Figure, figures
from gerbang.core.models import Event

SUBJECT_TYPE = "applications.application"
APPROVED_STATES = frozenset({State.APPROVED, State.READY_FOR_PICKUP, State.COLLECTED})
PAYMENT_CODE = "application.record_payment"
READY_CODE = "application.mark_ready"
MEASURES = (
    "submitted",
    "approved",
    "rejected",
    "withdrawn",
    "expired",
    "decision_days",
    "decision_within",
    "ready_days",
)


def _paid_on(office: Office, application_ids: Iterable[int]) -> dict[int, date]:
    """The day (at the office) each case's fee was paid: the last payment recorded for it."""
    paid: dict[int, date] = {}
    rows = (
        Event.objects.filter(
            subject_type=SUBJECT_TYPE, subject_id__in=[str(pk) for pk in application_ids], code=PAYMENT_CODE
        )
        .order_by("created_at", "pk")
        .values_list("subject_id", "created_at")
    )
    for subject_id, moment in rows:
        paid[int(subject_id)] = local_date(moment, office.time_zone)
    return paid


def _working_days(office: Office, spans: list[tuple[date, date]]) -> list[int]:
    """Working days at ``office`` from each first date to its second (0 when not after)."""
    if not spans:
        return []
    first = min(start for start, _end in spans)
    last = max(end for _start, end in spans)
    calendar = working_calendar(office, first, horizon_days=max((last - first).days, 0) + 1)
    return [calendar.working_days_between(start, end) for start, end in spans]


def day_figures(office: Office, day: date) -> list[Figure]:
    start, end = day_bounds(day, office.time_zone)
    counts: Counter[tuple[int, str, int]] = Counter()
    cases = Application.objects.filter(office=office, submitted_at__isnull=False)

    for service_id in cases.filter(submitted_at__gte=start, submitted_at__lt=end).values_list(
        "service_id", flat=True
    ):
        counts[(service_id, "submitted", 0)] += 1

    ended = cases.filter(
        state__in=(State.CANCELLED, State.EXPIRED), state_changed_at__gte=start, state_changed_at__lt=end
    ).values_list("service_id", "state")
    for service_id, state in ended:
        counts[(service_id, "withdrawn" if state == State.CANCELLED else "expired", 0)] += 1

    decided = list(
        cases.filter(decided_at__gte=start, decided_at__lt=end).values_list(
            "pk", "service_id", "state", "due_date"
        )
    )
    paid = _paid_on(office, [pk for pk, *_rest in decided])
    timed = [(pk, service_id, due) for pk, service_id, _state, due in decided if pk in paid]
    days = _working_days(office, [(paid[pk], day) for pk, _service, _due in timed])
    for (_pk, service_id, due), taken in zip(timed, days, strict=True):
        counts[(service_id, "decision_days", taken)] += 1
        counts[(service_id, "decision_within", int(due is not None and day <= due))] += 1
    for _pk, service_id, state, _due in decided:
        outcome = "approved" if state in APPROVED_STATES else "rejected" if state == State.REJECTED else ""
        if outcome:
            counts[(service_id, outcome, 0)] += 1

    ready_ids = [
        int(subject_id)
        for subject_id in Event.objects.filter(
            subject_type=SUBJECT_TYPE,
            code=READY_CODE,
            office_id=office.pk,
            created_at__gte=start,
            created_at__lt=end,
        ).values_list("subject_id", flat=True)
    ]
    if ready_ids:
        services = dict(cases.filter(pk__in=ready_ids).values_list("pk", "service_id"))
        paid = _paid_on(office, services)
        ready = [(pk, services[pk]) for pk in ready_ids if pk in services and pk in paid]
        for (_pk, service_id), taken in zip(
            ready, _working_days(office, [(paid[pk], day) for pk, _service in ready]), strict=True
        ):
            counts[(service_id, "ready_days", taken)] += 1

    return figures(counts)


def offices_with_cases() -> list[int]:
    """The offices that have any submitted case (the reconciliation walks these)."""
    return sorted(
        set(
            Application.objects.filter(submitted_at__isnull=False)
            .values_list("office_id", flat=True)
            .distinct()
        )
    )
