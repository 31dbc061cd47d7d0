"""What the satisfaction app shows on pages other apps own (``core.panels``): the person's
invitations to rate on their dashboard, the ratings and published reviews on an office's and a
service's page, and "rate your visit" on a walk-in's ticket page once served."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from gerbang.core import panels
from gerbang.core.permissions import Perm, has_permission
from gerbang.queueing.models import TicketStatus
from gerbang.satisfaction import selectors


def to_rate(request: HttpRequest) -> dict[str, Any] | None:
    invitations = selectors.invitations_to_rate(request.user)
    if not invitations:
        return None
    return {"invitations": invitations}


def office_ratings(request: HttpRequest, *, office: Any) -> dict[str, Any] | None:
    summary = selectors.office_summary(office.pk)
    return {"summary": summary, "about": office.name, "suggest": f"office={office.code}"}


def service_ratings(request: HttpRequest, *, service: Any) -> dict[str, Any] | None:
    summary = selectors.service_summary(service.pk)
    return {"summary": summary, "about": service.name, "suggest": f"service={service.code}"}


def waiting_reviews(request: HttpRequest) -> dict[str, Any] | None:
    if not has_permission(request.user, Perm.RATING_MODERATE):
        return None
    return {"waiting": selectors.pending_count(request.user)}


def ticket_rating(request: HttpRequest, *, ticket: Any) -> dict[str, Any] | None:
    if ticket.status != TicketStatus.COMPLETED:
        return None
    invitation = selectors.ticket_invitation(ticket.pk)
    if invitation is None:
        return None
    return {"invitation": invitation}


panels.register(
    panels.Panel(panels.APPLICANT_HOME, "satisfaction/panels/to_rate.html", to_rate, order=12),
    panels.Panel(panels.OFFICE_PAGE, "satisfaction/panels/ratings.html", office_ratings, order=80),
    panels.Panel(panels.SERVICE_PAGE, "satisfaction/panels/ratings.html", service_ratings, order=80),
    panels.Panel(panels.STAFF_WORK, "satisfaction/panels/waiting_reviews.html", waiting_reviews, order=25),
    panels.Panel(panels.TICKET_PAGE, "satisfaction/panels/ticket.html", ticket_rating, order=50),
)
