"""What content shows on pages other apps own (``core.panels``): an office's own notices on its
page (its emergencies show in the banner, from the context processor)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from gerbang.content.selectors import active_announcements
from gerbang.core import panels


def office_notices(request: HttpRequest, *, office: Any) -> dict[str, Any]:
    return {
        "notices": [
            n
            for n in active_announcements(office_ids=[office.pk])
            if n.office_id == office.pk and n.level != "emergency"
        ]
    }


panels.register(
    panels.Panel(panels.OFFICE_PAGE, "content/panels/office_notices.html", office_notices, order=10)
)
