"""What content shows on pages other apps own (``core.panels``): an office's own notices on its
page (its emergencies show in the banner, from the context processor), the scam warnings on
the applicant's dashboard, and a link to a service's step-by-step tutorial on its page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from gerbang.content.campaigns import hidden_ids
from gerbang.content.selectors import active_announcements, offices_of_person, running_campaigns, tutorial_of
from gerbang.core import panels


def office_notices(request: HttpRequest, *, office: Any) -> dict[str, Any]:
    return {
        "notices": [
            n
            for n in active_announcements(office_ids=[office.pk])
            if n.office_id == office.pk and n.level != "emergency"
        ]
    }


def applicant_campaigns(request: HttpRequest) -> dict[str, Any] | None:
    """Scam warnings running now on the applicant's dashboard: national ones, and those of the
    offices they applied to; not those they hid."""
    shown = running_campaigns(office_ids=offices_of_person(request.user), hidden=hidden_ids(request))
    return {"campaigns": shown} if shown else None


def service_tutorial(request: HttpRequest, *, service: Any) -> dict[str, Any] | None:
    """A link to the service's step-by-step tutorial with pictures, when it has one."""
    tutorial = tutorial_of(service)
    return {"tutorial": tutorial} if tutorial else None


panels.register(
    panels.Panel(panels.OFFICE_PAGE, "content/panels/office_notices.html", office_notices, order=10),
    panels.Panel(panels.APPLICANT_HOME, "content/panels/campaigns.html", applicant_campaigns, order=5),
    panels.Panel(panels.SERVICE_PAGE, "content/panels/tutorial.html", service_tutorial, order=5),
)
