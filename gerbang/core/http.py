"""HTTP helpers shared by pages: where to go next, cache headers and a server-side page cache."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar, cast

from csp.decorators import csp_update
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers, set_response_etag
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language

from gerbang.core import display
from gerbang.core.cache import Versioned


class AuthenticatedRequest(HttpRequest):
    """A request to a view behind sign-in. Apps below ``accounts`` do not know its user model
    by type; ``gerbang.accounts.http.AuthenticatedRequest`` types the user for those above."""

    user: Any


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
# Each process keeps its latest answers in memory too (a page is tens of kilobytes: fetched and
# unpickled for every visitor, it cost a kept page a third of its speed).
_public = Versioned("public-pages:version", in_process=256)


@dataclass(frozen=True)
class _Kept:
    """A kept answer, as nobody can change it: each visitor gets a new response made from it
    (the middleware adds headers of its own to each)."""

    status: int
    headers: tuple[tuple[str, str], ...]
    content: bytes

    @classmethod
    def of(cls, response: HttpResponse) -> _Kept:
        return cls(response.status_code, tuple(response.items()), response.content)

    def response(self) -> HttpResponse:
        answer = HttpResponse(self.content, status=self.status)
        for name, value in self.headers:
            answer.headers[name] = value
        return answer


def public_pages_changed(*args: Any, **kwargs: Any) -> None:
    """Invalidate every cached public page and API read (connected to saves of catalogue and
    content; writes that send no signal call it themselves)."""
    _public.changed()


def watch_public_models(app_config: Any) -> None:
    """Invalidate the page cache whenever a model of this app is saved or deleted (call from
    the app's ``ready``), so a change shows at once on every cached page. Writes that send no
    signal (``bulk_create``, ``QuerySet.update``) call ``public_pages_changed`` themselves."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    for model in app_config.get_models():
        label = model._meta.label
        post_save.connect(public_pages_changed, sender=model, dispatch_uid=f"pages-{label}-save")
        post_delete.connect(public_pages_changed, sender=model, dispatch_uid=f"pages-{label}-delete")
    m2m_changed.connect(public_pages_changed, dispatch_uid="pages-m2m")


# Cookies that change what a public page shows (a visitor's choices kept without a session,
# such as the warnings they hid): each value is part of the cached page's key. Apps add theirs.
_variant_cookies: set[str] = set()


def vary_public_pages_on_cookie(name: str) -> None:
    _variant_cookies.add(name)


def _shared_key(kind: str, request: HttpRequest) -> str:
    """The cache key of an answer every visitor gets alike: by address (with its query) and
    language; notices start and end by the clock, so the minute is part of it."""
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    modes = ".".join(display.modes_of(request))  # larger text, high contrast: another page
    variants = "|".join(f"{name}={request.COOKIES.get(name, '')}" for name in sorted(_variant_cookies))
    if variants:
        modes = f"{modes}.{hashlib.sha256(variants.encode()).hexdigest()[:16]}"
    return f"{kind}:{get_language()}:{modes}:{int(time.time() // 60)}:{path}"


def _page_key(request: HttpRequest) -> str | None:
    """A key for pages every anonymous visitor sees alike, or None when this one may differ:
    signed in (or with a session, which may hold messages), or a message waiting in a cookie."""
    if request.method not in {"GET", "HEAD"}:
        return None
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
        return None
    return _shared_key("page", request)


def _cache_answer(
    key: str | None, view: Callable[..., HttpResponse], request: HttpRequest, *args: Any, **kwargs: Any
) -> HttpResponse:
    """The kept answer for ``key``, or the view's, kept when it holds nothing of this visitor:
    a plain 200 that sets no cookie and used no CSRF token (the token, and the cookie it needs,
    come only after the view: CsrfViewMiddleware marks its use)."""
    if key is None:
        return view(request, *args, **kwargs)
    version, kept = _public.get(key)
    if isinstance(kept, _Kept):
        return kept.response()
    response = view(request, *args, **kwargs)
    personal = response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    if response.status_code == 200 and not personal and not response.streaming:
        set_response_etag(response)  # once, not on every answer (ConditionalGetMiddleware)
        _public.set(key, version, _Kept.of(response), PAGE_CACHE_SECONDS)
    return response


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Public information pages: cached on the server for anonymous visitors, and with cache
    headers (anonymous visitors may keep the page five minutes; signed-in users revalidate).
    ConditionalGetMiddleware adds the ETag, so an unchanged page costs a 304 without a body."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = _cache_answer(_page_key(request), view, request, *args, **kwargs)
        if response.status_code == 200:
            if request.user.is_authenticated:
                patch_cache_control(response, private=True, no_cache=True)
            else:
                patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
            patch_vary_headers(response, ("Cookie",))
        return response

    return wrapped


def public_read(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Public API reads (the catalogue, content): the same for every caller, signed in or not,
    so cached on the server for all of them, with the pages' cache and the same invalidation
    (any change of catalogue or content shows at once). Apply with ninja's ``decorate_view``.
    The answer depends on the language, asked with ``?lang=`` (in the key with the query) or
    Accept-Language (said in Vary); clients may keep it five minutes and revalidate with the
    ETag ConditionalGetMiddleware adds."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        key = _shared_key("api", request) if request.method in {"GET", "HEAD"} else None
        response = _cache_answer(key, view, request, *args, **kwargs)
        if response.status_code == 200:
            patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
            patch_vary_headers(response, ("Accept-Language",))
        return response

    return wrapped
