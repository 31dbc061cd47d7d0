"""The waiting room's gate in front of the session: in a rush, most booking attempts come from
people already told to wait. Their next attempt through the API is answered here from the
counters cache alone (one read), before the session, the user and the database are loaded, so
ten times the load spends its CPU on the people being admitted, not on telling the rest to wait.
Only a refusal the full check would give is given here; everything else goes on as before."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation

from gerbang.appointments import admission
from gerbang.core.middleware import language_for

# The API's booking attempts (the pages render a waiting page of their own, after the session).
GATED = re.compile(r"^/api/v1/applications/\d+/appointment/(?:hold|reschedule)$")


class WaitingRoomGate:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and GATED.match(request.path_info):
            session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
            turn = admission.early_turn(session_key) if session_key else None
            if turn is not None:
                return self.refuse(request, turn)
        return self.get_response(request)

    @staticmethod
    def refuse(request: HttpRequest, turn: admission.Turn) -> HttpResponse:
        """The same answer the API gives a person in line (see ``gerbang.api``)."""
        language = language_for(request)
        with translation.override(language):
            error = admission.in_line_error(turn)
            body = {"detail": str(error.message), "field": None, "code": error.code}
        response = JsonResponse(body, status=error.status_code)
        response["Retry-After"] = str(error.retry_after)
        response["Content-Language"] = language
        return response
