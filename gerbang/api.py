"""The JSON API under /api/v1 (django-ninja; OpenAPI at /api/v1/openapi.json).

Each app contributes a router from its ``api.py``; domain errors become JSON with the field to
fix, never a 500. Responses are in the language asked for with ``?lang=`` or Accept-Language.

Every error, whoever raises it (a service, ninja's checks of the request, the CSRF check, a
missing page), answers one body, ``ErrorOut``; and every operation documents the errors it can
answer, so that clients generated from the document know them.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial, wraps
from typing import Any

from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override
from django.views.defaults import page_not_found
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as RequestInvalid
from ninja.openapi.schema import OpenAPISchema
from ninja.openapi.views import openapi_json
from ninja.operation import Operation

from gerbang.accounts.api import router as accounts_router
from gerbang.applications.api import router as applications_router
from gerbang.appointments.api import router as appointments_router
from gerbang.assistant.api import router as assistant_router
from gerbang.catalog.api import router as catalog_router
from gerbang.content.api import router as content_router
from gerbang.core import idempotency
from gerbang.core.api_auth import scope_of
from gerbang.core.app_scopes import SCOPE_TEXTS
from gerbang.core.exceptions import ApplicationError, ErrorCode, RateLimited, TokenRefused
from gerbang.core.http import csp_allow
from gerbang.feedback.api import router as feedback_router
from gerbang.ikm.api import router as ikm_router
from gerbang.ledger.api import router as ledger_router
from gerbang.notifications.api import router as notifications_router
from gerbang.participation.api import router as participation_router
from gerbang.payments.api import router as payments_router
from gerbang.queueing.api import router as queue_router
from gerbang.satisfaction.api import router as satisfaction_router
from gerbang.transparency.api import router as transparency_router


class ProblemOut(Schema):
    field: str = Field(description="Where the problem is: a body field, or a path or query parameter.")
    problem: str = Field(description="What is wrong with it (English, for developers).")
    type: str = Field(description="Pydantic's error type, e.g. missing, int_parsing.")


class ErrorOut(Schema):
    """The body of every error answer."""

    detail: str = Field(description="What went wrong and what to do, in the language asked for.")
    field: str | None = Field(None, description="The field to fix, when one is to blame.")
    code: ErrorCode | None = Field(
        None, description="A stable code for programs, e.g. slot_full, invalid_request."
    )
    errors: list[ProblemOut] | None = Field(
        None, description="Each problem of a request that is not valid (422)."
    )


# Which errors an operation documents: every one may meet these ...
_ALWAYS = {
    "400": "The request breaks a rule (the detail says which, and field names the input to fix).",
    "404": "Not found, or not yours.",
    "409": "It conflicts with the current state (reload and try again).",
    "422": "The request's values are not what this document describes (errors lists each).",
    "429": "Too many requests: wait for the seconds in Retry-After.",
}
# ... and an operation for signed-in people these.
_SIGNED_IN = {
    "401": "Not signed in, or the access token is not valid (expired or revoked).",
    "403": (
        "Not allowed: the token lacks the operation's scope (insufficient_scope) or the account "
        "may not use apps; or, with the session, the CSRF token is missing (send X-CSRFToken "
        "with the csrftoken cookie)."
    ),
}
# The security scheme of apps' bearer tokens (gerbang.core.api_auth.AppToken).
OAUTH2 = "OAuth2"


class _Document(OpenAPISchema):
    """Ninja's document, with each operation's OAuth2 scope listed (ninja lists none)."""

    def operation_security(self, operation: Operation) -> Any:
        result = super().operation_security(operation)
        if not result:
            return result
        secured = [auth for auth in operation.auth_callbacks if hasattr(auth, "openapi_security_schema")]
        return [
            {OAUTH2: [str(scope)]} if (scope := scope_of(auth)) else entry
            for auth, entry in zip(secured, result, strict=True)
        ]


# Every POST and PATCH takes it (core.idempotency; the IETF httpapi Idempotency-Key draft).
_IDEMPOTENCY_KEY = {
    "name": idempotency.HEADER,
    "in": "header",
    "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": idempotency.KEY_MAX},
    "description": (
        "A key of the client's choosing (a UUID) to send this request safely more than once: a "
        "repeat with the same key and the same request is answered with the first response "
        "(marked Idempotent-Replayed: true) and changes nothing; the same key with another "
        "request is a 422 (idempotency_key_reused); while the first is still being answered, a "
        "409 (idempotency_key_in_use). Keys are per user and kept for a day."
    ),
}


class GerbangAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> Any:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return with_error_responses(with_app_sign_in(_Document(self, path_prefix)))


def with_app_sign_in(schema: Any) -> Any:
    """The OAuth2 scheme: the authorization code flow (with PKCE, S256) and every scope."""
    schemes = schema.get("components", {}).get("securitySchemes", {})
    if schemes.pop("AppToken", None) is not None:
        with override("en"):
            scopes = {scope: str(text) for scope, text in SCOPE_TEXTS.items()}
        schemes[OAUTH2] = {
            "type": "oauth2",
            "description": (
                "Sign-in for apps: OAuth 2.1 authorization code with PKCE (S256 only), refresh "
                "tokens that rotate, revocation (RFC 7009). A bearer request needs no CSRF token. "
                "See docs/api.md."
            ),
            "flows": {
                "authorizationCode": {
                    "authorizationUrl": reverse("oauth2_provider:authorize"),
                    "tokenUrl": reverse("oauth2_provider:token"),
                    "refreshUrl": reverse("oauth2_provider:token"),
                    "scopes": scopes,
                }
            },
        }
    return schema


def with_error_responses(schema: Any) -> Any:
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    error_schema = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
    components.update(error_schema.pop("$defs", {}))
    components["ErrorOut"] = error_schema
    body = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
    for operations in schema["paths"].values():
        for method, operation in operations.items():
            if method.upper() in idempotency.METHODS:
                operation.setdefault("parameters", []).append(_IDEMPOTENCY_KEY)
            answers = dict(_ALWAYS)
            if operation.get("security"):
                answers.update(_SIGNED_IN)
            responses = operation.setdefault("responses", {})
            for status, description in answers.items():
                responses.setdefault(status, {"description": description, "content": body})
    return schema


# The documentation page (Swagger UI, served from this site's static files) sets styles inline
# and draws icons as data: images.
_DOCS_POLICY = csp_allow({"style-src": ["'self'", "'unsafe-inline'"], "img-src": ["'self'", "data:"]})


def _documentation(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The documentation page and the OpenAPI document. The document is made from the
    operations, which are fixed when the process starts: it is built once per process (ninja
    builds it on every request, some 80 ms) and then only sent."""
    if isinstance(view, partial) and view.func is openapi_json:
        view = _built_once(view)
    return _DOCS_POLICY(view)


def _built_once(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    built: dict[str, tuple[int, bytes, str]] = {}

    @wraps(view)
    def document(request: HttpRequest, **kwargs: Any) -> HttpResponse:
        key = request.path  # the query changes nothing (and must not grow this)
        if key not in built:
            response = view(request, **kwargs)
            if response.status_code != 200:
                return response
            built[key] = (response.status_code, response.content, response["Content-Type"])
        status, content, content_type = built[key]
        return HttpResponse(content, status=status, content_type=content_type)

    return document


api = GerbangAPI(
    docs_decorator=_documentation,
    title="Gerbang API",
    version="1",
    description=(
        "Public information of the immigration service (offices, services, fees, FAQ, guides, notices), "
        "the account: register, confirm the address, the profile, two-factor sign-in; "
        "applications: start, answer, upload, submit, correct, cancel, and track; and appointments: "
        "availability, hold, confirm, reschedule and cancel; payment: the bill, its billing code and QRIS, "
        "checking it arrived, a new bill, receipts; the inbox and the choice of channels and push devices; "
        "the on-site queue: an office's board and a ticket's status; "
        "consultations: questions to an office and their answers; the assistant's answers; "
        "and proofs of the public ledger (an event's inclusion, the log's consistency). Signed-in operations take the browser session "
        "(with its CSRF token) or an app's OAuth 2.1 access token with the operation's scope."
    ),
    urls_namespace="api",
)


def one_value_per_parameter(view: Callable[..., Any]) -> Callable[..., Any]:
    """No operation takes a list in its query, so a parameter given twice is ambiguous (HTTP
    parameter pollution: one layer may read the first, another the last): refused, naming it."""

    @wraps(view)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        for name, values in request.GET.lists():
            if len(values) > 1:  # answered here: view decorators run outside ninja's error handlers
                detail = _("%(name)s is given more than once; give it once.") % {"name": name}
                return _error(request, 400, detail, ErrorCode.VALIDATION_ERROR, field=name)
        return view(request, *args, **kwargs)

    return checked


def idempotent(view: Callable[..., Any]) -> Callable[..., Any]:
    """Every POST and PATCH takes an ``Idempotency-Key`` header: answered once, repeats get the
    first answer (core.idempotency)."""
    return idempotency.api_once(view, lambda *args, **kwargs: _error(*args, **kwargs))


api.add_decorator(one_value_per_parameter, mode="view")
api.add_decorator(idempotent, mode="view")
api.add_router("/", catalog_router)
api.add_router("/", content_router)
api.add_router("/", accounts_router)
api.add_router("/", applications_router)
api.add_router("/", payments_router)
api.add_router("/", appointments_router)
api.add_router("/", queue_router)
api.add_router("/", notifications_router)
api.add_router("/", feedback_router)
api.add_router("/", assistant_router)
api.add_router("/", satisfaction_router)
api.add_router("/", ikm_router)
api.add_router("/", participation_router)
api.add_router("/", ledger_router)
api.add_router("/", transparency_router)


def _error(
    request: HttpRequest, status: int, detail: str, code: ErrorCode, *, field: str | None = None, **more: Any
) -> HttpResponse:
    """An answer with the one error body (``ErrorOut``)."""
    return api.create_response(
        request, {"detail": detail, "field": field, "code": code, **more}, status=status
    )


@api.exception_handler(ApplicationError)
def application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    response = _error(request, exc.status_code, str(exc.message), exc.code, field=exc.field)
    if isinstance(exc, RateLimited):
        response["Retry-After"] = str(exc.retry_after)
    if isinstance(exc, TokenRefused):
        response["WWW-Authenticate"] = exc.challenge
    return response


def _where(location: Any) -> str:
    """A field's name from pydantic's location: ("body", "payload", "slot") is "slot"."""
    parts = [str(part) for part in location]
    # A body's parts follow the name of the view's argument; a parameter's follow its place.
    named = (parts[2:] or ["body"]) if parts[:1] == ["body"] else (parts[1:] or parts)
    return ".".join(named)


@api.exception_handler(RequestInvalid)
def request_invalid(request: HttpRequest, exc: RequestInvalid) -> HttpResponse:
    problems = [
        {
            "field": _where(error.get("loc", ())),
            "problem": str(error.get("msg", "")),
            "type": str(error.get("type", "")),
        }
        for error in exc.errors
    ]
    first = problems[0]["field"] if problems else None
    detail = (
        _("Check %(field)s: it is missing or not of the right kind.") % {"field": first}
        if first
        else _("The request is not valid.")
    )
    return _error(request, 422, detail, ErrorCode.INVALID_REQUEST, field=first, errors=problems)


@api.exception_handler(AuthenticationError)
def not_signed_in(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = _error(request, 401, _("Sign in first."), ErrorCode.NOT_SIGNED_IN)
    response["WWW-Authenticate"] = 'Bearer realm="gerbang"'
    return response


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400:
        return _error(request, 400, _("The request body is not valid JSON."), ErrorCode.UNREADABLE_BODY)
    if exc.status_code == 403:
        return _error(
            request, 403, _("Refused: send the CSRF token (X-CSRFToken) with the request."), ErrorCode.CSRF
        )
    return _error(request, exc.status_code, str(exc), ErrorCode.HTTP_ERROR)


def unmatched(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's 404 for an address no route matches (``handler404``): under /api/ the API's own
    error body, as the document describes every answer (``/api/v1/reports/null`` matches no
    route taking a number); elsewhere the site's page."""
    if request.path.startswith("/api/"):
        return _error(request, 404, _("Not found."), ErrorCode.NOT_FOUND)
    return page_not_found(request, exception)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, _("Not found."), ErrorCode.NOT_FOUND)


@api.exception_handler(MultiPartParserError)
def unreadable_upload(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
    """Form data without its boundary, or cut off: a bad request with DEBUG on as off (ninja
    would show a traceback under DEBUG)."""
    detail = _("The form data cannot be read (it is malformed or cut off). Send it again.")
    return _error(request, 400, detail, ErrorCode.UNREADABLE_BODY)


@api.exception_handler(SuspiciousOperation)
def suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
    return _error(
        request, 400, _("The request cannot be accepted (too large or malformed)."), ErrorCode.BAD_REQUEST
    )
