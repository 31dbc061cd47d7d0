"""Invitations made directly (the satisfaction app's service also sends a message whose kind
that app registers; these tests need only the rows), and a valid set of answers."""

from __future__ import annotations

import itertools
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from gerbang.catalog.models import Service
from gerbang.satisfaction.models import Invitation, Occasion

_numbers = itertools.count(1)


def make_service(code: str) -> Service:
    service, _created = Service.objects.get_or_create(
        code=code,
        defaults={
            "category": "passport",
            "audience": "citizen",
            "name_id": f"Layanan {code}",
            "name_en": f"Service {code}",
            "summary_id": "Ringkas",
            "eligibility_id": "WNI",
            "steps_id": "Isi",
        },
    )
    return service


def invite(
    *, office: Any = None, service: Any = None, person: Any = None, served_at: datetime | None = None
) -> Invitation:
    return Invitation.objects.create(
        token=secrets.token_urlsafe(16),
        occasion=Occasion.VISIT,
        occasion_id=next(_numbers),
        person=person,
        office=office,
        service=service,
        served_at=served_at or timezone.now() - timedelta(hours=1),
    )


def answers(*scores: int, **profile: str) -> dict[str, Any]:
    """The nine scores (all 3 unless given) and a complete profile."""
    values = scores or (3,) * 9
    return {
        **{f"u{n}": score for n, score in enumerate(values, start=1)},
        "age_band": "30",
        "sex": "F",
        "education": "s1",
        "occupation": "private",
        **profile,
    }


@pytest.fixture
def invitation_for() -> Callable[..., Invitation]:
    return invite
