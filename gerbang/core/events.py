"""Recording events. Services call ``record`` inside their transaction (DESIGN convention 3),
so a change and its event are stored together or not at all."""

from __future__ import annotations

from typing import Any

from django.db import models

from gerbang.core.logging import request_id_var
from gerbang.core.models import Event


def record(
    code: str,
    *,
    actor: Any,
    subject: models.Model,
    details: dict[str, Any] | None = None,
    office_id: int | None = None,
) -> Event:
    request_id = request_id_var.get()
    return Event.objects.create(
        code=code,
        actor=actor if getattr(actor, "pk", None) else None,
        subject_type=subject._meta.label_lower,
        subject_id=str(subject.pk),
        office_id=office_id,
        details=details or {},
        request_id="" if request_id == "-" else request_id,
    )
