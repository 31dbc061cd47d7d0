"""What appointments does when other apps' state changes (subscribed in ``apps.py``)."""

from __future__ import annotations

from gerbang.applications.events import CaseMoved
from gerbang.appointments import services
from gerbang.appointments.places import case_moved_on
from gerbang.content.events import NoticePublished, NoticeWithdrawn


def case_moved(event: CaseMoved) -> None:
    """Bookings for a visit the case no longer needs end: done when the move records the visit,
    otherwise cancelled with their place given back (``places.case_moved_on``)."""
    case_moved_on(event.application, now=event.at, visit_done=event.transition.completes_visit)


def notice_published(event: NoticePublished) -> None:
    """A notice of one office that stops services stops them for its time: their slots close,
    the bookings there are moved or cancelled and their applicants told. A notice that stops
    nothing (any more) lifts what it stopped. If the editor asked, everyone booked at the office
    is sent the notice."""
    notice = event.announcement
    if notice.office is None or not notice.suspends:
        services.services_resume(source=event.source, actor=event.actor)
    else:
        displaced = services.services_suspend(
            office=notice.office,
            groups=notice.suspends,
            starts_at=notice.starts_at,
            ends_at=notice.ends_at,
            reason_id=notice.title_id,
            reason_en=notice.title_en,
            source=event.source,
            actor=event.actor,
        )
        event.told.count += displaced.moved + displaced.cancelled
    if event.tell_booked:
        event.told.count += services.notice_notify_bookings(notice=notice)


def notice_withdrawn(event: NoticeWithdrawn) -> None:
    """A notice back to a draft: the services it stopped come back, their closed times reopen."""
    services.services_resume(source=event.source, actor=event.actor)
