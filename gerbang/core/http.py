"""HTTP helpers shared by pages: where to go next, cache headers and a server-side page cache."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from csp.decorators import csp_update
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language


def safe_next(request: HttpRequest, default: str) -> str:
    """The ``next`` address the request names (in its form, else its query), when it stays on
    this site; otherwise ``default``. Every redirect to an address a request names goes through
    here, so that no link can send a person from Gerbang to another site (an open redirect)."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def allow_features(*features: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Let a view's page use browser features the Permissions-Policy denies elsewhere (the
    camera, at a counter that verifies faces): on this site's own origin only."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def allowed(*args: Any, **kwargs: Any) -> Any:
            response = view(*args, **kwargs)
            response.allowed_features = frozenset(features)
            return response

        return allowed

    return decorate


View = TypeVar("View", bound=Callable[..., Any])


def csp_allow(directives: dict[str, list[str]]) -> Callable[[View], View]:
    """Let one view's page load more than the Content-Security-Policy allows elsewhere
    (django-csp's ``csp_update``, typed for views of any signature)."""
    return cast(Callable[[View], View], csp_update(directives))


PUBLIC_MAX_AGE = 300
PAGE_CACHE_SECONDS = 120
_VERSION_KEY = "public-pages:version"


def public_pages_changed(*args: Any, **kwargs: Any) -> None:
    """Invalidate every cached public page (connected to saves of catalogue and content)."""
    try:
        cache.incr(_VERSION_KEY)
    except ValueError:
        cache.set(_VERSION_KEY, 1, None)


def watch_public_models(app_config: Any) -> None:
    """Invalidate the page cache whenever a model of this app is saved or deleted (call from
    the app's ``ready``), so a change shows at once on every cached page."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    for model in app_config.get_models():
        label = model._meta.label
        post_save.connect(public_pages_changed, sender=model, dispatch_uid=f"pages-{label}-save")
        post_delete.connect(public_pages_changed, sender=model, dispatch_uid=f"pages-{label}-delete")
    m2m_changed.connect(public_pages_changed, dispatch_uid="pages-m2m")


def _version() -> int:
    return int(cache.get_or_set(_VERSION_KEY, 1, None) or 1)


def _cache_key(request: HttpRequest) -> str | None:
    """A key for pages every anonymous visitor sees alike, or None when this one may differ:
    signed in (or with a session, which may hold messages), or a message waiting in a cookie."""
    if request.method not in {"GET", "HEAD"}:
        return None
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
        return None
    # Notices start and end by the clock: the minute is part of the key.
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"page:{_version()}:{get_language()}:{int(time.time() // 60)}:{path}"


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Public information pages: cached on the server for anonymous visitors, and with cache
    headers (anonymous visitors may keep the page five minutes; signed-in users revalidate).
    ConditionalGetMiddleware adds the ETag, so an unchanged page costs a 304 without a body."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        key = _cache_key(request)
        response = cache.get(key) if key else None
        if response is None:
            response = view(request, *args, **kwargs)
            if key and response.status_code == 200 and not response.cookies:
                cache.set(key, response, PAGE_CACHE_SECONDS)
        if response.status_code == 200:
            if request.user.is_authenticated:
                patch_cache_control(response, private=True, no_cache=True)
            else:
                patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
            patch_vary_headers(response, ("Cookie",))
        return response

    return wrapped
