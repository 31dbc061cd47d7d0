"""Demo visiting hours: every demo office receives visitors on weekdays, passports morning and
afternoon, visas and stay permits in the morning; a daily quota for the fast-track passport."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from gerbang.appointments.models import ScheduleTemplate, ServiceQuota
from gerbang.catalog.models import Office, Service
from gerbang.core import demo

# (group, weekdays, blocks of (from, until), slot minutes, places per slot, priority %, same-day %)
HOURS = (
    (
        "passport",
        range(5),
        ((dt.time(8, 0), dt.time(12, 0)), (dt.time(13, 0), dt.time(15, 0))),
        30,
        6,
        20,
        15,
    ),
    ("visa", range(4), ((dt.time(8, 0), dt.time(12, 0)),), 30, 3, 0, 0),
    ("stay_permit", range(4), ((dt.time(8, 0), dt.time(12, 0)),), 30, 3, 0, 0),
)


def _closing_of(office: Office, weekday: int, starts: dt.time) -> dt.time | None:
    """When the opening period holding ``starts`` closes on that weekday."""
    return next(
        (
            p.closes
            for p in office.opening_hours.all()
            if p.weekday == weekday and p.opens <= starts < p.closes
        ),
        None,
    )


@transaction.atomic
def load() -> int:
    made = 0
    for office in Office.objects.filter(is_active=True):
        for group, weekdays, blocks, minutes, places, priority, same_day in HOURS:
            for weekday in weekdays:
                for starts, ends in blocks:
                    # The office's Friday break (prayer time) shortens the morning block.
                    ends = min(ends, _closing_of(office, weekday, starts) or ends)
                    _template, created = ScheduleTemplate.objects.get_or_create(
                        office=office,
                        group=group,
                        weekday=weekday,
                        starts=starts,
                        defaults={
                            "ends": ends,
                            "slot_minutes": minutes,
                            "capacity": places,
                            "priority_share": priority,
                            "same_day_share": same_day,
                        },
                    )
                    made += created
        fast_track = Service.objects.filter(code="paspor-percepatan").first()
        if fast_track is not None:
            ServiceQuota.objects.get_or_create(
                office=office, service=fast_track, defaults={"daily_limit": 20}
            )
    return made


demo.register("appointments", load, after=["catalog"])
