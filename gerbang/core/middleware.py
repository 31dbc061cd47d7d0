"""Request-wide middleware: request ids, the chosen language and domain-error pages."""

from __future__ import annotations

import logging
import re
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.gzip import GZipMiddleware, re_accepts_gzip
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation.trans_real import parse_accept_lang_header

from gerbang.core.exceptions import ApplicationError, RateLimited
from gerbang.core.logging import request_id_var

logger = logging.getLogger(__name__)
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    """Give every request an id (kept from a trusted proxy's X-Request-ID when well formed)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        # Not reset on the way out: Django logs some responses (404, 500) after the middleware
        # chain returns, and those lines must carry the id too. The next request overwrites it.
        request_id_var.set(request_id)
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        logger.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={"status": response.status_code, "method": request.method},
        )
        return response


# Text compresses to a fraction; pictures, PDFs and archives are compressed already.
_COMPRESSIBLE = re.compile(
    r"^(text/(?!event-stream)[a-z-]+|application/([a-z.+-]*\+)?(json|xml|javascript|manifest\+json)|image/svg\+xml)\b"
)


_SMALL = 512
# Compressed shared answers kept per process, by ETag (a few kilobytes each).
_KEPT_COMPRESSED = 512


class CompressionMiddleware(GZipMiddleware):
    """Django's gzip compression (with its random padding against BREACH) of the text answers
    (pages, JSON, CSS, JavaScript, SVG) for clients that accept it. Not of pictures and
    documents (already compressed), live event streams (compression would hold events back)
    or partial answers (a range of the uncompressed body). Placed before WhiteNoise, so static
    files served without a compressed copy (``make run`` serves them from the source folders)
    are compressed too; WhiteNoise's own brotli or gzip copies (``collectstatic``) go out as
    they are.

    Answers every visitor shares (``Cache-Control: public``: the cached public pages and API
    reads) are compressed once per content (by their ETag) and the result kept: compressing
    cost a cached page a third of its speed. They hold nothing of anyone (no session, no CSRF
    token: ``core.http`` keeps no answer that has), so a fixed padding gives BREACH nothing to
    find; everything else is compressed afresh with new padding each time."""

    def __init__(self, get_response: Any) -> None:
        super().__init__(get_response)
        self._kept: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if response.status_code == 206 or not _COMPRESSIBLE.match(response.get("Content-Type", "")):
            return response
        # Django compares sizes only for answers in one piece; a small file (streamed) would
        # grow by gzip's header and the random padding (up to ~120 bytes).
        if response.streaming and int(response.get("Content-Length") or _SMALL) < _SMALL:
            return response
        etag = response.get("ETag", "")
        shared = (
            isinstance(response, HttpResponse)
            and etag
            and "public" in response.get("Cache-Control", "")
            and not response.has_header("Content-Encoding")
            and re_accepts_gzip.search(request.headers.get("Accept-Encoding", ""))
        )
        if not shared:
            return super().process_response(request, response)
        with self._lock:
            packed = self._kept.get(etag)
            if packed is not None:
                self._kept.move_to_end(etag)
        if packed is None:
            response = super().process_response(request, response)
            if isinstance(response, HttpResponse) and response.get("Content-Encoding") == "gzip":
                with self._lock:
                    self._kept[etag] = response.content
                    while len(self._kept) > _KEPT_COMPRESSED:
                        self._kept.popitem(last=False)
            return response
        assert isinstance(response, HttpResponse)  # noqa: S101 - ``shared`` says so
        patch_vary_headers(response, ("Accept-Encoding",))
        response.content = packed
        response.headers["Content-Length"] = str(len(packed))
        if etag.startswith('"'):
            response.headers["ETag"] = "W/" + etag
        response.headers["Content-Encoding"] = "gzip"
        return response


class ContentSecurityPolicy(CSPMiddleware):
    """django-csp's policy (``CONTENT_SECURITY_POLICY``), which also lets pages connect to the
    live relay where it has an address of its own (``LIVE_URL``, read per request: a test's
    relay has a port of its own)."""

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        live = "/".join(str(settings.LIVE_URL).split("/")[:3])
        if live and not report_only:
            update = dict(parts.update or {})
            update["connect-src"] = [*update.get("connect-src", []), live]
            parts.update = update
        return parts


class PermissionsPolicyMiddleware:
    """The Permissions-Policy header: which browser features (camera, microphone, location...)
    a page may use, from ``PERMISSIONS_POLICY``; a view allows more with
    ``core.http.allow_features``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = dict(settings.PERMISSIONS_POLICY)
        self.everywhere = permissions_policy(self.policy)  # the header of nearly every response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Permissions-Policy" not in response:
            allowed: frozenset[str] = getattr(response, "allowed_features", frozenset())
            response["Permissions-Policy"] = (
                permissions_policy(self.policy, allowed) if allowed else self.everywhere
            )
        return response


def permissions_policy(policy: dict[str, list[str]], allowed: frozenset[str] = frozenset()) -> str:
    parts = []
    for feature, origins in policy.items():
        granted = ["self"] if feature in allowed and not origins else origins
        listed = " ".join(origin if origin == "self" else '"' + origin + '"' for origin in granted)
        parts.append(f"{feature}=({listed})")
    return ", ".join(parts)


def language_for(request: HttpRequest) -> str:
    """The language to serve: the signed-in user's choice, then the cookie, else Indonesian.

    The browser's Accept-Language is deliberately not consulted: the service speaks
    Bahasa Indonesia by default and English only when someone asks for it.
    """
    supported = {code for code, _name in settings.LANGUAGES}
    if request.path.startswith("/api/"):
        # API clients have no cookie: they ask with ?lang= or Accept-Language.
        asked = request.GET.get("lang", "")
        if asked[:2] in supported:
            return asked[:2]
        for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
            if code[:2] in supported:
                return code[:2]
        return str(settings.LANGUAGE_CODE)
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.language in supported:
        return str(user.language)
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    if cookie in supported:
        return cookie
    return str(settings.LANGUAGE_CODE)


class LanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = language_for(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response


class ApplicationErrorMiddleware:
    """Render a domain error raised by a service as a page with its message and status."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if not isinstance(exc, ApplicationError):
            return None
        return render_application_error(request, exc)


def render_application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    """The page for a domain error: its message, in the user's language, with its status."""
    response = render(
        request,
        "core/error.html",
        {"message": exc.message, "status": exc.status_code},
        status=exc.status_code,
    )
    if isinstance(exc, RateLimited):
        response["Retry-After"] = str(exc.retry_after)
    return response
