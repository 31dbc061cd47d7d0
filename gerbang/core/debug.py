"""With DEBUG on (``make run``), an address that is not found shows the site's own page, as it
does in service, instead of Django's technical page: someone trying the demo sees what an
applicant would. ``DEBUG_TECHNICAL_404=1`` brings the technical page back (which routes were
tried), for a developer who needs it. Errors (500) keep their technical page under DEBUG."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import get_resolver, get_urlconf
from django.views import debug

_technical_404 = debug.technical_404_response


def _not_found(request: HttpRequest, exception: Http404) -> HttpResponse:
    if settings.DEBUG_TECHNICAL_404:
        return _technical_404(request, exception)
    # As Django answers with DEBUG off: the URLconf's handler404. The site's page reads the
    # database (its notices); without one yet (before ``migrate``), the technical page.
    handler: Any = get_resolver(get_urlconf()).resolve_error_handler(404)
    try:
        response: HttpResponse = handler(request, exception)
    except DatabaseError:
        return _technical_404(request, exception)
    return response


def use_site_not_found_page() -> None:
    """Django calls ``debug.technical_404_response`` for a 404 only with DEBUG on."""
    debug.technical_404_response = _not_found
