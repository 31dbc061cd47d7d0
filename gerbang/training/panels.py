"""What the training app shows on the staff home (``core.panels``): the guided tour's offer,
until it is finished or dismissed, and the training office's card for its members."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from gerbang.applications.models import Application
from gerbang.core import panels
from gerbang.training import selectors, tour


def tour_offer(request: HttpRequest) -> dict[str, Any] | None:
    if request.COOKIES.get(tour.TOUR_COOKIE) == tour.TOUR_DONE:
        return None
    return {"tour_step_count": len(tour.steps_for(request.user))}


def training_card(request: HttpRequest) -> dict[str, Any] | None:
    office = selectors.training_office()
    user: Any = request.user
    if office is None or not (user.has_national_scope or selectors.is_member(user, office)):
        return None
    return {"training_office": office, "training_cases": Application.objects.filter(office=office).count()}


panels.register(
    panels.Panel(panels.STAFF_HOME, "training/panels/tour_offer.html", tour_offer, order=5),
    panels.Panel(panels.STAFF_WORK, "training/panels/training_card.html", training_card, order=95),
)
