"""What the face check shows on the officer's case page (``core.panels``): the latest check and
the way to the counter page. Applications know nothing of it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from gerbang.applications.models import Application
from gerbang.biometrics import selectors
from gerbang.core import panels


def face_check(request: HttpRequest, *, application: Application, form: Any = None) -> dict[str, Any] | None:
    if not selectors.may_verify(request.user, application):
        return None
    at_counter = selectors.at_counter(application)
    latest = selectors.checks_of(application).first()
    if not at_counter and latest is None:
        return None
    return {"face_latest": latest, "face_at_counter": at_counter}


panels.register(panels.Panel(panels.STAFF_CASE_ACTIONS, "biometrics/panel.html", face_check, order=10))
