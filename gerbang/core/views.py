"""Site-wide pages: home and the health probes."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from gerbang.core import search
from gerbang.core.bilingual import active_language
from gerbang.core.http import public_page

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
