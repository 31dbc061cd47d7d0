"""The JSON API under /api/v1 (django-ninja; OpenAPI at /api/v1/openapi.json).

Each app contributes a router from its ``api.py``; domain errors become JSON with the field to
fix, never a 500. Responses are in the language asked for with ``?lang=`` or Accept-Language.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

from gerbang.applications.api import router as applications_router
from gerbang.appointments.api import router as appointments_router
from gerbang.catalog.api import router as catalog_router
from gerbang.content.api import router as content_router
from gerbang.core.exceptions import ApplicationError, RateLimited
from gerbang.feedback.api import router as feedback_router
from gerbang.queueing.api import router as queue_router

api = NinjaAPI(
    title="Gerbang API",
    version="1",
    description=(
        "Public information of the immigration service (offices, services, fees, FAQ, guides, notices), "
        "applications: start, answer, upload, submit, correct, cancel, and track; and appointments: "
        "availability, hold, confirm, reschedule and cancel; the on-site queue: an office's board and a ticket's status; "
        "consultations: questions to an office and their answers."
    ),
    urls_namespace="api",
)
api.add_router("/", catalog_router)
api.add_router("/", content_router)
api.add_router("/", applications_router)
api.add_router("/", appointments_router)
api.add_router("/", queue_router)
api.add_router("/", feedback_router)


@api.exception_handler(ApplicationError)
def application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    response = api.create_response(
        request,
        {"detail": str(exc.message), "field": exc.field, "code": exc.code},
        status=exc.status_code,
    )
    if isinstance(exc, RateLimited):
        response["Retry-After"] = str(exc.retry_after)
    return response
