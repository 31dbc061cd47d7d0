"""Reading assisted applications: the office's open ones, and the take-over code to print."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from gerbang.accounts.permissions import Perm, has_permission
from gerbang.applications import assisted_codes
from gerbang.applications.models import Application, AssistedIntake, TakeoverCode
from gerbang.core.scoping import scope_to_offices


def intake_of(application: Application) -> AssistedIntake | None:
    return AssistedIntake.objects.filter(application=application).select_related("officer").first()


def assisted_case_for(user: Any, pk: int) -> Application | None:
    """An assisted case of an office ``user`` may assist in, or None."""
    application = (
        Application.objects.select_related("office", "service", "applicant")
        .filter(pk=pk, assisted__isnull=False)
        .first()
    )
    if application is None or not has_permission(user, Perm.CASE_ASSIST, office_id=application.office_id):
        return None
    return application


def assisted_cases(user: Any) -> QuerySet[Application]:
    """The assisted cases of the offices ``user`` assists in, newest first (drafts first)."""
    return scope_to_offices(
        Application.objects.filter(assisted__isnull=False).select_related(
            "office", "service", "applicant", "assisted__officer"
        ),
        user,
        office_field="office",
    ).order_by("-created_at")


def takeover_code_shown(application: Application) -> tuple[str, TakeoverCode] | None:
    """The code to print on the summary while it works (made again from its nonce), or None."""
    code = application.takeover_codes.filter(used_at__isnull=True, voided_at__isnull=True).first()
    if code is None or not code.is_usable():
        return None
    return assisted_codes.code_for(code.nonce), code
