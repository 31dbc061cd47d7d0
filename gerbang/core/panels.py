"""Panels: what an app shows on a page another app owns.

A page names its slots (the applicant's dashboard, the staff home, an office's public page);
each app says, in its own ``panels.py`` (found on first use, as the admin finds ``admin.py``),
what it shows in them: a template, and a function that reads what the template shows for this
request and the page's facts (the office on an office's page), or None when it has nothing to
show this person. The page's view asks ``shown(slot, request, ...)`` and its template renders
each with ``{% panel %}`` (the page's context and the panel's own), in a stable order: by
``order``, then by template name. So the page knows none of the apps that fill it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.http import HttpRequest
from django.utils.module_loading import autodiscover_modules

# The applicant's dashboard (accounts), under the profile reminders.
APPLICANT_HOME = "applicant_home"
# The staff home (accounts), before its "Work" section, and the cards inside that section.
STAFF_HOME = "staff_home"
STAFF_WORK = "staff_work"
# An office's public page (catalog), under its name; given ``office``.
OFFICE_PAGE = "office_page"
# A service's public page (catalog), after its steps; given ``service``.
SERVICE_PAGE = "service_page"
# A case's page for its applicant (applications), after the documents; given ``application``.
APPLICANT_CASE = "applicant_case"
# The officer's case page (applications): its sections after the timeline, and the forms in
# its "Actions" panel; given ``application`` and ``form`` (a refused form as posted, or None).
STAFF_CASE = "staff_case"
STAFF_CASE_ACTIONS = "staff_case_actions"
# The printed summary of an assisted application (applications; the page and the PDF), after
# its fee: how to pay; given ``application``.
ASSISTED_SUMMARY = "assisted_summary"
# The visitor's ticket page on their phone (queueing), under the ticket; given ``ticket``.
TICKET_PAGE = "ticket_page"
# The page where a served person rates the service (satisfaction), under the rating form and
# on its thank-you page; given ``invitation``.
RATING_PAGE = "rating_page"
# Every page built on base.html, after its main content (base.html asks with ``{% shown_in %}``);
# given nothing. Each panel decides on which pages it shows (by ``request.resolver_match``).
PAGE_HELP = "page_help"

PanelContext = Callable[..., Mapping[str, Any] | None]


@dataclass(frozen=True)
class Panel:
    slot: str
    template: str
    # Called with the request and the page's facts as keywords; None: nothing to show.
    context: PanelContext
    order: int = 100
    # A page with a bar of links to its sections lists the panel's: its section's id and the
    # link's words.
    jump: tuple[str, Any] | None = None


@dataclass(frozen=True)
class Shown:
    """A panel with what it shows to this request."""

    template: str
    context: Mapping[str, Any]
    jump: tuple[str, Any] | None = None


_PANELS: dict[str, list[Panel]] = {}


def register(*panels: Panel) -> None:
    for panel in panels:
        registered_here = _PANELS.setdefault(panel.slot, [])
        if panel not in registered_here:
            registered_here.append(panel)


@cache
def _discover() -> None:
    autodiscover_modules("panels")


def registered(slot: str) -> list[Panel]:
    """The panels of ``slot``, in the order the page shows them."""
    _discover()
    return sorted(_PANELS.get(slot, ()), key=lambda panel: (panel.order, panel.template))


def shown(slot: str, request: HttpRequest, **facts: Any) -> list[Shown]:
    """The panels of ``slot`` that have something to show for ``request``, in order."""
    result = []
    for panel in registered(slot):
        context = panel.context(request, **facts)
        if context is not None:
            result.append(Shown(panel.template, context, panel.jump))
    return result
