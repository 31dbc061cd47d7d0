"""Public tracking: a case's status and timeline for its number and the birth date, alike for
any mismatch, behind its rate limits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from gerbang.applications import numbers
from gerbang.applications.models import Application
from gerbang.applications.selectors.timeline import SUBJECT_TYPE, TimelineEntry, _timeline_of
from gerbang.applications.workflow import OPEN_AT_OFFICE
from gerbang.core.crypto import blind_index
from gerbang.core.exceptions import RateLimited
from gerbang.core.models import Event
from gerbang.core.prepared import PreparedRead
from gerbang.core.ratelimit import Limit, enforce

# Public tracking: per address and per number, so guessing birth dates gets nowhere.
TRACK_PER_IP = Limit("track-ip", 20, 60 * 10)


TRACK_PER_NUMBER = Limit("track-number", 10, 60 * 60)


def tracking_key(number: str, born: date) -> str:
    return blind_index(f"{number}|{born.isoformat()}", purpose="tracking")


@dataclass
class Tracked:
    number: str
    service: str
    office: str
    zone: str
    state: str
    submitted_at: datetime | None
    due_date: date | None
    steps: list[TimelineEntry]


# Public tracking is what a crowd asks at once (a decision day, a rush): its two reads are
# compiled once (gerbang.core.prepared), and read only what the answer shows, so no personal
# data is even decrypted for it.
_tracked_case = PreparedRead(
    lambda number, key: (
        Application.objects.filter(number=number, tracking_key=key)
        .select_related("office", "service")
        .only(
            "number",
            "applicant_id",
            "state",
            "submitted_at",
            "due_date",
            "office__name_id",
            "office__name_en",
            "office__time_zone",
            "service__name_id",
            "service__name_en",
        )
    ),
    str,
    str,
)


_public_events = PreparedRead(
    lambda subject_id: (
        Event.objects.filter(subject_type=SUBJECT_TYPE, subject_id=subject_id)
        .only("code", "actor_id", "details", "created_at")
        .order_by("created_at", "id")
    ),
    str,
)


def track(number: str, born: date) -> Tracked | None:
    """Status and timeline for a number and birth date; None for any mismatch, alike."""
    canonical = numbers.normalize(number)
    if canonical is None:
        return None
    application = _tracked_case.first(canonical, tracking_key(canonical, born))
    if application is None:
        return None
    return Tracked(
        number=canonical,
        service=str(application.service.name),
        office=str(application.office.name),
        zone=application.office.time_zone,
        state=application.state_label,
        submitted_at=application.submitted_at,
        # When a decision is still owed; not once it is taken or the case has ended.
        due_date=application.due_date if application.state in OPEN_AT_OFFICE else None,
        # The timeline without reasons: free text could carry personal details.
        steps=[
            TimelineEntry(e.at, e.code, e.text, "", e.state, e.by_staff, e.event_id)
            for e in _timeline_of(
                application, _public_events(str(application.pk)), for_staff=False, reasons=False
            )
            if e.code != "application.created"
        ],
    )


def track_limited(number: str, born: date, *, client: str) -> Tracked | None:
    """``track`` behind its rate limits (per address and per number), for the page and the API."""
    enforce(
        (TRACK_PER_IP, client),
        (TRACK_PER_NUMBER, "".join(number.upper().split())),
        message=RateLimited.default_message,
    )
    return track(number, born)
