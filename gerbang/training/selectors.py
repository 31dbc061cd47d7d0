"""Reads of the training office (docs/training.md)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from gerbang.catalog.models import Office
from gerbang.core.models import Event

# The training office's code (its address in the back office: /backoffice/offices/latihan/...).
OFFICE_CODE = "latihan"
RESET_CODE = "training.reset"


def training_office() -> Office | None:
    return Office.objects.filter(is_training=True).order_by("pk").first()


def last_resets(office: Office, *, limit: int = 5) -> QuerySet[Event]:
    """The office's latest resets, newest first (who and when)."""
    return (
        Event.objects.filter(code=RESET_CODE, office_id=office.pk)
        .select_related("actor")
        .order_by("-created_at", "-pk")[:limit]
    )


def is_member(user: Any, office: Office) -> bool:
    """Whether ``user`` belongs to ``office`` (staff only; anyone else belongs to none)."""
    office_ids = getattr(user, "office_ids", None)
    return callable(office_ids) and office.pk in office_ids()
