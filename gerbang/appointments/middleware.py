"""The waiting room's gates, so that in a rush telling people to wait costs little.

Most booking attempts in a rush come from people the waiting room will not admit yet. Through
the API, someone already told to wait is answered before the session is read, from the counters
cache alone (``WaitingRoomGate``, one read); anyone else with a signed-in session is admitted or
refused right after the session is read, before the user, two-factor state, CSRF and the view
(``WaitingRoomAdmission``). Ten times the load then spends its CPU on the people being admitted.
Only the answers the full check would give are given here; pages go the full way, as they
render a waiting page of their own.

Whoever is told to wait gets a cookie saying so (``IN_LINE_COOKIE``; it says nothing of their
place, which stays in the counters), and the gate looks in the counters only for attempts that
bring it: everyone else, most of a calm day and everyone being admitted, costs the gate nothing.
A client that drops the cookie is still answered, by the full check after the session."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation

from gerbang.accounts.throttling import client_ip
from gerbang.appointments import admission
from gerbang.core.exceptions import RateLimited
from gerbang.core.middleware import language_for

# The API's booking attempts (the pages render a waiting page of their own, after the session).
GATED = re.compile(r"^/api/v1/applications/\d+/appointment/(?:hold|reschedule)$")
# Set on whoever is told to wait; only the API's booking calls need to see it.
IN_LINE_COOKIE, IN_LINE_COOKIE_PATH = "gerbang_in_line", "/api/v1/applications/"


class WaitingRoomGate:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and IN_LINE_COOKIE in request.COOKIES and GATED.match(request.path_info):
            session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
            turn = admission.early_turn(session_key) if session_key else None
            if turn is not None:
                return refusal(request, admission.in_line_error(turn))
        return self.get_response(request)


class WaitingRoomAdmission:
    """After the session, before the user and everything else: an API booking attempt of a
    signed-in session is admitted or refused here, from the account id the session holds (one
    read of the session) and the counters. A refusal, most of what a rush is, then costs no
    user, two-factor, CSRF or view work; an admitted attempt goes on, and the view's own
    admission check finds it done.

    The session cookie is SameSite=Lax, so a cross-site POST brings no session and is not
    counted here; whoever is admitted still meets every check after this (the user, CSRF, the
    case's owner), as before."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and GATED.match(request.path_info):
            account = request.session.get(SESSION_KEY)
            if account is not None:
                try:
                    admission.admit_account(account, client_ip(request), request.session.session_key)
                except RateLimited as error:
                    return refusal(request, error)
                setattr(request, admission.ADMITTED, True)
                response = self.get_response(request)
                if IN_LINE_COOKIE in request.COOKIES:  # out of the line now
                    response.delete_cookie(IN_LINE_COOKIE, path=IN_LINE_COOKIE_PATH, samesite="Lax")
                return response
        return self.get_response(request)


def mark_in_line(response: HttpResponse) -> None:
    response.set_cookie(
        IN_LINE_COOKIE,
        "1",
        max_age=admission.PASS_SECONDS,
        path=IN_LINE_COOKIE_PATH,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def refusal(request: HttpRequest, error: RateLimited) -> HttpResponse:
    """The answer the API gives a throttled or waiting person (see ``gerbang.api``), in the
    language the API would answer in (the language is not chosen yet this early)."""
    language = language_for(request)
    with translation.override(language):
        body = {"detail": str(error.message), "field": None, "code": error.code}
    response = JsonResponse(body, status=error.status_code)
    response["Retry-After"] = str(error.retry_after)
    response["Content-Language"] = language
    if isinstance(error, admission.InLine):
        mark_in_line(response)
    return response
