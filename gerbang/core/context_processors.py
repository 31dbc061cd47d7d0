from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from gerbang.core import display


def site(request: HttpRequest) -> dict[str, Any]:
    modes = display.modes_of(request)
    return {
        "SITE_NAME": "Gerbang",
        "DEBUG": settings.DEBUG,
        "DISPLAY_MODES": modes,
        "DISPLAY_CLASSES": display.classes(modes),
    }
