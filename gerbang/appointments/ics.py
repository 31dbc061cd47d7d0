"""A calendar file (RFC 5545) for one appointment, so it can be added to any calendar app.

Written with ``icalendar``, which escapes the text values and folds long lines as the RFC asks.
Times are written in UTC (``...Z``): every calendar app shows them in its owner's time zone,
and the file needs no VTIMEZONE block for the office's zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from icalendar import Alarm, Calendar, Event

PRODUCT_ID = "-//Gerbang//Appointments//EN"
# The calendar app reminds its owner this long before the appointment.
REMINDER_BEFORE = timedelta(hours=2)


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    starts_at: datetime
    ends_at: datetime
    summary: str
    location: str
    description: str
    url: str = ""
    # Bumped on every change, so calendar apps replace the old entry.
    sequence: int = 0
    cancelled: bool = False


def calendar_file(event: CalendarEvent, *, now: datetime) -> str:
    calendar = Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "CANCEL" if event.cancelled else "PUBLISH")

    entry = Event()
    entry.add("uid", event.uid)
    entry.add("dtstamp", now.astimezone(UTC))
    entry.add("dtstart", event.starts_at.astimezone(UTC))
    entry.add("dtend", event.ends_at.astimezone(UTC))
    entry.add("sequence", event.sequence)
    entry.add("summary", event.summary)
    entry.add("location", event.location)
    entry.add("description", event.description)
    entry.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
    if event.url:
        entry.add("url", event.url)
    if not event.cancelled:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("trigger", -REMINDER_BEFORE)
        alarm.add("description", event.summary)
        entry.add_component(alarm)
    calendar.add_component(entry)
    ical: bytes = calendar.to_ical()
    return ical.decode()
