"""Demo visiting hours: every demo office receives visitors on weekdays, passports morning and
afternoon, visas and stay permits in the morning; a daily quota for the fast-track passport.

Set through the same services as the back office, by the demo national administrator (loaded
before this), so the demo's audit trail shows them as it would show an administrator's work."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import transaction

from gerbang.accounts.demo import DEMO_ADMINISTRATOR
from gerbang.accounts.models import User
from gerbang.appointments import demo_history, services
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
    demo_history.load()  # the past cases' visits first, for the statistics
    administrator = User.objects.get(email=DEMO_ADMINISTRATOR)
    fast_track = Service.objects.filter(code="paspor-percepatan").first()
    made = 0
    for office in Office.objects.filter(is_active=True):
        existing = set(
            ScheduleTemplate.objects.filter(office=office).values_list("group", "weekday", "starts")
        )
        for group, weekdays, blocks, minutes, places, priority, same_day in HOURS:
            for starts, ends in blocks:
                # The office's Friday break (prayer time) shortens the morning block: the days
                # that end a block at the same time are set together.
                days_by_end: dict[dt.time, list[int]] = defaultdict(list)
                for weekday in weekdays:
                    if (group, weekday, starts) not in existing:
                        days_by_end[min(ends, _closing_of(office, weekday, starts) or ends)].append(weekday)
                for block_ends, days in days_by_end.items():
                    services.schedule_block_add(
                        office=office,
                        group=group,
                        weekdays=days,
                        starts=starts,
                        ends=block_ends,
                        slot_minutes=minutes,
                        capacity=places,
                        priority_share=priority,
                        same_day_share=same_day,
                        actor=administrator,
                    )
                    made += len(days)
        if (
            fast_track is not None
            and not ServiceQuota.objects.filter(office=office, service=fast_track).exists()
        ):
            services.quota_set(office=office, service=fast_track, daily_limit=20, actor=administrator)
    return made


demo.register("appointments", load, after=["catalog", "accounts", "applications"])
