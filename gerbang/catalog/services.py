"""Writes to the catalogue. Every change to an office goes through here."""

from __future__ import annotations

from django.db import transaction

from gerbang.catalog.models import Office


@transaction.atomic
def office_upsert(
    *,
    code: str,
    name: str,
    province: str,
    regency: str,
    address: str,
    time_zone: str,
) -> Office:
    """Create the office with this code, or bring an existing one up to date."""
    office, _created = Office.objects.update_or_create(
        code=code,
        defaults={
            "name": name,
            "province": province,
            "regency": regency,
            "address": address,
            "time_zone": time_zone,
        },
    )
    return office
