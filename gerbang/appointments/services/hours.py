"""Opening hours and visiting hours: set by the office, and the bookings they no longer hold."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gerbang.accounts.models import User
from gerbang.appointments.models import ScheduleTemplate, Slot, Weekday
from gerbang.appointments.services.closures import _active_bookings, _displace
from gerbang.appointments.services.rules import _require_manager
from gerbang.appointments.services.slots import _regenerate_unreleased
from gerbang.catalog import selectors as catalog
from gerbang.catalog import services as catalog_services
from gerbang.catalog.models import Office, ServiceCategory
from gerbang.core import events
from gerbang.core.exceptions import ValidationError


@dataclass
class HoursOutcome:
    office: Office
    # Visiting-hour blocks cut to fit the new hours, and those that no longer fit at all.
    trimmed: int
    removed: int
    moved: int
    cancelled: int
    # Each visiting-hours block changed, in words ("Friday, Passports: 08:00-12:00 → 09:00-10:00").
    changes: list[str] = field(default_factory=list)


def _trim_to_opening(
    office: Office, opening: dict[int, catalog.Periods], changes: list[str]
) -> tuple[int, int, set[str]]:
    """Cut every visiting-hours block to the parts that lie inside the opening hours (a block
    across a new break becomes two); a part shorter than one slot is dropped."""
    trimmed = removed = 0
    groups: set[str] = set()
    for block in list(ScheduleTemplate.objects.filter(office=office)):
        periods = opening.get(block.weekday, [])
        if catalog.within_opening(periods, block.starts, block.ends):
            continue
        groups.add(block.group)
        pieces = []
        for opens, closes in periods:
            starts, ends = max(opens, block.starts), min(closes, block.ends)
            length = dt.datetime.combine(dt.date.min, ends) - dt.datetime.combine(dt.date.min, starts)
            if length >= dt.timedelta(minutes=block.slot_minutes):
                pieces.append((starts, ends))
        block.delete()
        for starts, ends in pieces:
            ScheduleTemplate.objects.create(
                office=office,
                group=block.group,
                weekday=block.weekday,
                starts=starts,
                ends=ends,
                slot_minutes=block.slot_minutes,
                capacity=block.capacity,
                priority_share=block.priority_share,
                same_day_share=block.same_day_share,
            )
        if pieces:
            trimmed += 1
        else:
            removed += 1
        changes.append(
            _("%(day)s, %(group)s: %(before)s → %(after)s")
            % {
                "day": Weekday(block.weekday).label,
                "group": ServiceCategory(block.group).label,
                "before": catalog.opening_hours_text([(block.starts, block.ends)]),
                "after": catalog.opening_hours_text(pieces) if pieces else _("removed"),
            }
        )
    return trimmed, removed, groups


def office_hours_set(
    *,
    office: Office,
    periods: Iterable[tuple[int, dt.time, dt.time]],
    actor: User,
    now: dt.datetime | None = None,
) -> HoursOutcome:
    """New opening hours: visiting hours are cut to lie inside them, and coming slots outside
    them close, their bookings moved to the earliest free time or cancelled (as in a closure),
    their applicants told."""
    now = now or timezone.now()
    with transaction.atomic():
        hours_event = catalog_services.opening_hours_set(office=office, periods=periods, actor=actor)
        office = Office.objects.prefetch_related("opening_hours").get(pk=office.pk)
        opening = catalog.opening_periods(office)
        changes: list[str] = []
        trimmed, removed, groups = _trim_to_opening(office, opening, changes)
        zone = ZoneInfo(office.time_zone)
        outside = [
            slot.pk
            for slot in Slot.objects.filter(office=office, closed=False, starts_at__gt=now)
            if not catalog.within_opening(
                opening.get(slot.day.weekday(), []),
                timezone.localtime(slot.starts_at, zone).time(),
                timezone.localtime(slot.ends_at, zone).time(),
            )
        ]
        slots = Slot.objects.filter(pk__in=outside)
        slots.update(closed=True)
        outcome = _displace(
            _active_bookings(slots),
            office=office,
            after=None,
            move=True,
            reason_id="Jam buka kantor berubah",
            reason_en="The office's opening hours changed",
            cause=f"hours:{hours_event.pk}",
            actor=actor,
            now=now,
        )
        for group in groups:
            _regenerate_unreleased(office, group, now)
    return HoursOutcome(
        office=office,
        trimmed=trimmed,
        removed=removed,
        moved=outcome.moved,
        cancelled=outcome.cancelled,
        changes=changes,
    )


@transaction.atomic
def schedule_block_add(
    *,
    office: Office,
    group: str,
    weekdays: Iterable[int],
    starts: dt.time,
    ends: dt.time,
    slot_minutes: int,
    capacity: int,
    priority_share: int = 0,
    same_day_share: int = 0,
    actor: User,
) -> list[ScheduleTemplate]:
    """Add visiting hours on some weekdays (replacing a block that starts at the same time)."""
    _require_manager(actor, office)
    weekdays = sorted(set(weekdays))
    if not weekdays:
        raise ValidationError(_("Choose at least one day of the week."), field="weekdays")
    if starts >= ends:
        raise ValidationError(_("The hours must end after they start."), field="ends")
    if not 5 <= slot_minutes <= 240:
        raise ValidationError(_("A slot lasts between 5 and 240 minutes."), field="slot_minutes")
    if capacity < 1:
        raise ValidationError(_("A slot needs at least one place."), field="capacity")
    if priority_share + same_day_share > 100:
        raise ValidationError(_("The two shares together cannot exceed 100%."), field="priority_share")
    length = dt.datetime.combine(dt.date.min, ends) - dt.datetime.combine(dt.date.min, starts)
    if length < dt.timedelta(minutes=slot_minutes):
        raise ValidationError(_("The hours are shorter than one slot."), field="slot_minutes")
    opening = catalog.opening_periods(office)
    for weekday in weekdays:
        if not catalog.within_opening(opening.get(weekday, []), starts, ends):
            raise ValidationError(
                _(
                    "On %(day)s the office is open %(hours)s. Visiting hours must lie within the "
                    "opening hours, outside any break; change the opening hours first if needed."
                )
                % {
                    "day": Weekday(weekday).label,
                    "hours": catalog.opening_hours_text(opening.get(weekday, [])),
                },
                field="starts",
            )
    blocks = []
    for weekday in weekdays:
        clash = (
            ScheduleTemplate.objects.filter(
                office=office, group=group, weekday=weekday, starts__lt=ends, ends__gt=starts
            )
            .exclude(starts=starts)
            .exists()
        )
        if clash:
            raise ValidationError(
                _("These hours overlap other hours of the same day; remove those first."), field="starts"
            )
        block, _created = ScheduleTemplate.objects.update_or_create(
            office=office,
            group=group,
            weekday=weekday,
            starts=starts,
            defaults={
                "ends": ends,
                "slot_minutes": slot_minutes,
                "capacity": capacity,
                "priority_share": priority_share,
                "same_day_share": same_day_share,
            },
        )
        blocks.append(block)
    events.record(
        "appointment.hours_set",
        actor=actor,
        subject=office,
        office_id=office.pk,
        details={
            "group": group,
            "weekdays": weekdays,
            "from": starts.isoformat(),
            "until": ends.isoformat(),
            "slot_minutes": slot_minutes,
            "capacity": capacity,
        },
    )
    _regenerate_unreleased(office, group)
    return blocks


@transaction.atomic
def schedule_block_remove(*, block: ScheduleTemplate, actor: User) -> None:
    _require_manager(actor, block.office)
    office, group = block.office, block.group
    events.record(
        "appointment.hours_removed",
        actor=actor,
        subject=office,
        office_id=office.pk,
        details={"group": group, "weekday": block.weekday, "from": block.starts.isoformat()},
    )
    block.delete()
    _regenerate_unreleased(office, group)
