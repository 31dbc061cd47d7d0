"""HTTP helpers shared by public pages."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers

PUBLIC_MAX_AGE = 300


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Cache headers for public information pages.

    Anonymous visitors may keep the page for five minutes; signed-in users revalidate (the
    header shows their name). ConditionalGetMiddleware adds the ETag, so a revalidation that
    finds nothing changed costs a 304 without a body, which matters on slow mobile links.
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            if request.user.is_authenticated:
                patch_cache_control(response, private=True, no_cache=True)
            else:
                patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
            patch_vary_headers(response, ("Cookie",))
        return response

    return wrapped
