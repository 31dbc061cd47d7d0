"""Site-wide pages: home and the health probes."""

from __future__ import annotations

import json
import logging

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from gerbang.core import display, pwa, search
from gerbang.core.bilingual import active_language
from gerbang.core.http import public_page, safe_next

logger = logging.getLogger(__name__)


@public_page
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


@require_GET
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness: the process answers. Touches nothing else on purpose."""
    return JsonResponse({"status": "ok"})


def _check_database() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure means "not ready"; the reason goes to the log
        logger.warning("readiness: database unreachable: %s", exc)
        return "unreachable"
    return None


def _check_redis() -> str | None:
    if not settings.REDIS_URL:
        return None
    import redis

    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)
        client.ping()
    except Exception as exc:
        logger.warning("readiness: redis unreachable: %s", exc)
        return "unreachable"
    return None


@require_GET
@never_cache
def readyz(request: HttpRequest) -> HttpResponse:
    """Readiness: the database and, when configured, Redis answer; 503 otherwise."""
    checks = {"database": _check_database() or "ok"}
    if settings.REDIS_URL:
        checks["redis"] = _check_redis() or "ok"
    ready = all(state == "ok" for state in checks.values())
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks},
        status=200 if ready else 503,
    )


@public_page
def search_page(request: HttpRequest) -> HttpResponse:
    """Site search across services, offices, FAQ, guides and notices, in both languages."""
    query = request.GET.get("q", "").strip()[:200]
    hits = search.search(query, language=active_language()) if query else []
    return render(request, "core/search.html", {"query": query, "hits": hits})


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    return render(request, "core/robots.txt", {"SITE_URL": settings.SITE_URL}, content_type="text/plain")


@require_GET
def display_toggle(request: HttpRequest) -> HttpResponse:
    """Larger text or high contrast, on or off (``?mode=large&next=/page/``), from a plain link
    of every page's footer: kept in a cookie for a year, then back to the page."""
    response = HttpResponseRedirect(safe_next(request, "/"))
    modes = display.toggled(display.modes_of(request), request.GET.get("mode", ""))
    if modes:
        response.set_cookie(
            display.COOKIE,
            ".".join(modes),
            max_age=display.COOKIE_AGE,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            samesite="Lax",
        )
    else:
        response.delete_cookie(display.COOKIE, samesite="Lax")
    return response


@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    """The installable app's manifest, in the visitor's language."""
    body = json.dumps(pwa.manifest(get_language()), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/manifest+json; charset=utf-8")
    patch_cache_control(response, public=True, max_age=60 * 60)
    patch_vary_headers(response, ("Cookie", "Accept-Language"))
    return response


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, served from the root so that it covers the whole site; browsers
    check it for a new version at each visit (no-cache)."""
    context = pwa.worker_context()
    context.update(
        {
            name: json.dumps(context[name])
            for name in (
                "shell",
                "kept_prefixes",
                "never_kept_prefixes",
                "queued_paths",
                "never_queued_fields",
            )
        }
    )
    response = render(request, "core/sw.js", context, content_type="application/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    """What the app shows for a page that was not kept, while the device is offline (the service
    worker stores it on install)."""
    return render(request, "core/offline.html")
