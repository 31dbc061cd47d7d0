"""Making slots (and their days' quota counts) from the visiting hours, ahead of time and again
when the hours change."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from gerbang.appointments.models import GeneratedDay, QuotaDay, ScheduleTemplate, ServiceQuota, Slot
from gerbang.appointments.selectors import last_bookable_day, last_shown_day, policy_for
from gerbang.catalog import selectors as catalog
from gerbang.catalog.models import Office

# Slots are made this many days beyond the furthest bookable day, so a batch that does not run
# for a week still leaves every bookable day with its slots (and pages make missing days too).
GENERATION_MARGIN_DAYS = 7


def _reserves(template: ScheduleTemplate) -> tuple[int, int]:
    same_day = math.floor(template.capacity * template.same_day_share / 100)
    priority = min(math.ceil(template.capacity * template.priority_share / 100), template.capacity - same_day)
    return priority, same_day


def slots_generate(*, office: Office, group: str, days: Iterable[dt.date]) -> int:
    """Make the slots (and quota counts) of the given days that were not made yet; idempotent."""
    days = sorted(set(days))
    if not days:
        return 0
    done = set(
        GeneratedDay.objects.filter(office=office, group=group, day__in=days).values_list("day", flat=True)
    )
    todo = [day for day in days if day not in done]
    if not todo:
        return 0
    closed = catalog.working_calendar(office, todo[0], (todo[-1] - todo[0]).days + 1).closed
    opening = catalog.opening_periods(office)
    templates = list(ScheduleTemplate.objects.filter(office=office, group=group))
    quotas = list(ServiceQuota.objects.filter(office=office, service__category=group))
    zone = ZoneInfo(office.time_zone)
    slots: list[Slot] = []
    counts: list[QuotaDay] = []
    for day in todo:
        if day in closed:
            continue
        for template in templates:
            if template.weekday != day.weekday():
                continue
            priority, same_day = _reserves(template)
            length = dt.timedelta(minutes=template.slot_minutes)
            for start in template.slot_starts():
                starts_at = dt.datetime.combine(day, start, tzinfo=zone)
                # Never a time the office is not open (a break, hours shortened since).
                if not catalog.within_opening(
                    opening.get(day.weekday(), []), start, (starts_at + length).time()
                ):
                    continue
                slots.append(
                    Slot(
                        office=office,
                        group=group,
                        day=day,
                        starts_at=starts_at,
                        ends_at=starts_at + dt.timedelta(minutes=template.slot_minutes),
                        capacity=template.capacity,
                        reserved_priority=priority,
                        reserved_same_day=same_day,
                    )
                )
        if any(t.weekday == day.weekday() for t in templates):
            counts += [
                QuotaDay(office=office, service=q.service, day=day, limit=q.daily_limit) for q in quotas
            ]
    with transaction.atomic():
        Slot.objects.bulk_create(slots, ignore_conflicts=True)
        QuotaDay.objects.bulk_create(counts, ignore_conflicts=True)
        GeneratedDay.objects.bulk_create(
            [GeneratedDay(office=office, group=group, day=day) for day in todo], ignore_conflicts=True
        )
    return len(slots)


def slots_ensure(*, office: Office, group: str, until: dt.date, now: dt.datetime | None = None) -> int:
    """Make every missing day from today up to ``until``: pages call this, so a day that should
    have slots has them even when the periodic batch did not run."""
    today = catalog.office_today(office, now)
    days = [today + dt.timedelta(days=n) for n in range((until - today).days + 1)]
    return slots_generate(office=office, group=group, days=days)


def slots_ensure_shown(*, office: Office, group: str, now: dt.datetime | None = None) -> int:
    """Make every day ``selectors.availability`` shows (the bookable days and the preview
    beyond): the pages that show it call this first."""
    now = now or timezone.now()
    return slots_ensure(office=office, group=group, until=last_shown_day(office, group, now), now=now)


def slots_generate_ahead(*, now: dt.datetime | None = None) -> int:
    """The periodic batch: for every office and group with visiting hours, the bookable days
    and a margin beyond them."""
    now = now or timezone.now()
    made = 0
    pairs = ScheduleTemplate.objects.values_list("office_id", "group").distinct()
    offices = {o.pk: o for o in Office.objects.filter(is_active=True)}
    for office_id, group in set(pairs):
        office = offices.get(office_id)
        if office is None:
            continue
        policy = policy_for(office_id, group)
        until = last_bookable_day(policy, now, office.time_zone) + dt.timedelta(days=GENERATION_MARGIN_DAYS)
        made += slots_ensure(office=office, group=group, until=until, now=now)
    return made


def _regenerate_unreleased(office: Office, group: str, now: dt.datetime | None = None) -> None:
    """New hours apply from the first day not yet open for booking: those days' slots (none of
    them booked, as nobody could book them) are made again from the new hours."""
    now = now or timezone.now()
    first = last_bookable_day(policy_for(office.pk, group), now, office.time_zone) + dt.timedelta(days=1)
    marked = set(
        GeneratedDay.objects.filter(office=office, group=group, day__gte=first).values_list("day", flat=True)
    )
    Slot.objects.filter(office=office, group=group, day__gte=first, booked=0).delete()
    # A day that still has a booked slot (an office-moved booking) keeps its slots.
    kept = set(Slot.objects.filter(office=office, group=group, day__gte=first).values_list("day", flat=True))
    GeneratedDay.objects.filter(office=office, group=group, day__in=marked - kept).delete()
    slots_generate(office=office, group=group, days=marked - kept)
