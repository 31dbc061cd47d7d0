"""What the catalogue shows on pages other apps own (``core.panels``): the offices a staff
member works for, on the staff home."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from gerbang.catalog.selectors import offices_visible_to
from gerbang.core import panels
from gerbang.core.scoping import office_scope


def staff_offices(request: HttpRequest) -> dict[str, Any]:
    return {
        "offices": offices_visible_to(request.user),
        "every_office": office_scope(request.user).every_office,
    }


panels.register(panels.Panel(panels.STAFF_HOME, "catalog/panels/staff_offices.html", staff_offices, order=10))
