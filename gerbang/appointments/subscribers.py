"""What appointments does when other apps' state changes (subscribed in ``apps.py``)."""

from __future__ import annotations

from gerbang.applications.events import CaseMoved
from gerbang.appointments.places import case_moved_on


def case_moved(event: CaseMoved) -> None:
    """Bookings for a visit the case no longer needs end: done when the move records the visit,
    otherwise cancelled with their place given back (``places.case_moved_on``)."""
    case_moved_on(event.application, now=event.at, visit_done=event.transition.completes_visit)
