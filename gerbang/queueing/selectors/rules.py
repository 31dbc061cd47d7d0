"""The queue's rules as the office set them: the call order, the priority rule, which lane a
visit goes to, and what is said about issuing tickets while the office is closed."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from gerbang.catalog import selectors as catalog
from gerbang.catalog.models import Office
from gerbang.queueing.models import Lane, QueuePolicy

# The order in which a lane's tickets are called (after the priority rule): those on time
# before late arrivals, then by appointment or arrival time.
CALL_ORDER = ("late", "order_at", "id")


def policy_of(office: Office) -> QueuePolicy:
    return QueuePolicy.objects.filter(office=office).first() or QueuePolicy(office=office)


def lane_for(office: Office, group: str, purpose: str) -> Lane | None:
    """The most specific active lane of the office for a visit of this group and purpose."""
    fitting = [
        lane
        for lane in Lane.objects.filter(office=office, is_active=True)
        if lane.group in ("", group) and lane.purpose in ("", purpose)
    ]
    if not fitting:
        return None
    return min(fitting, key=lambda lane: (not lane.group, not lane.purpose, lane.letter))


def closed_now_text(office: Office, now: dt.datetime, *, refused: bool = False) -> str:
    """What an officer is told about issuing a ticket while the office is closed."""
    day = catalog.office_today(office, now)
    periods = catalog.opening_periods(office).get(day.weekday(), [])
    if day in catalog.working_calendar(office, day, 0).closed or not periods:
        text = _(
            "The office is closed all day today. Issue a ticket only to a visitor the office has let in."
        )
    else:
        text = _(
            "The office is closed now (opening hours today: %(hours)s). Issue a ticket only to a visitor "
            "who came in before closing."
        ) % {"hours": catalog.opening_hours_text(periods)}
    confirm = _("Tick the box to confirm.")
    return f"{text} {confirm}" if refused else text


def choose_priority(*, priority_waiting: bool, regular_waiting: bool, since: int, every: int) -> bool:
    """Whether the next call of a lane goes to a priority visitor: always when nobody else
    waits, otherwise once ``every - 1`` other visitors have been called since the last one
    (``every`` = 1: priority visitors first)."""
    return priority_waiting and (not regular_waiting or since >= every - 1)
