"""Session rules for staff and the gate in front of every back-office page."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from gerbang.accounts.http import second_factor_verified
from gerbang.accounts.permissions import Perm, has_permission
from gerbang.accounts.selectors import has_two_factor
from gerbang.core.exceptions import PermissionDenied
from gerbang.core.middleware import render_application_error

BACKOFFICE_PREFIX = "/backoffice/"
_LAST_SEEN = "staff_last_seen"


def _login_redirect(request: HttpRequest) -> HttpResponse:
    query = urlencode({"next": request.get_full_path()})
    return HttpResponseRedirect(f"{reverse('accounts:login')}?{query}")


class StaffSessionTimeoutMiddleware:
    """Sign staff out after 15 minutes without a request (server-side and in the cookie)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and user.is_staff_role:
            idle = settings.STAFF_SESSION_IDLE_SECONDS
            now = time.time()
            last_seen = request.session.get(_LAST_SEEN)
            if last_seen is not None and now - float(last_seen) > idle:
                logout(request)
                messages.info(
                    request,
                    _("You were signed out after %(minutes)d minutes without activity. Please sign in again.")
                    % {"minutes": idle // 60},
                )
                return _login_redirect(request)
            request.session[_LAST_SEEN] = now
            request.session.set_expiry(idle)
        return self.get_response(request)


class BackofficeGuardMiddleware:
    """No back-office page opens for someone who is not staff, or who has not signed in with
    a second factor; staff without one are sent to set it up first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(BACKOFFICE_PREFIX):
            user = request.user
            if not user.is_authenticated:
                return _login_redirect(request)
            if not has_permission(user, Perm.BACKOFFICE_ACCESS):
                return render_application_error(request, PermissionDenied())
            if not second_factor_verified(user):
                if has_two_factor(user):
                    # Signed in before 2FA was enrolled on another device: ask again.
                    logout(request)
                    return _login_redirect(request)
                messages.warning(request, _("Set up two-factor sign-in before using the back office."))
                return HttpResponseRedirect(
                    f"{reverse('accounts:two_factor_setup')}?{urlencode({'next': request.get_full_path()})}"
                )
        return self.get_response(request)
