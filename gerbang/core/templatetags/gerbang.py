"""Template filters shared by every app's templates."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template
from django.utils import formats

from gerbang.core import formatting

register = template.Library()


@register.filter
def rupiah(amount: int | None) -> str:
    return formatting.rupiah(amount)


@register.filter
def office_time(value: datetime | None, office: Any) -> str:
    """A moment shown in the office's own time zone with its abbreviation: '14:30 WITA'."""
    if value is None:
        return ""
    zone = getattr(office, "time_zone", office)
    local = formatting.in_zone(value, zone)
    return f"{formats.date_format(local, 'DATETIME_FORMAT')} {formatting.zone_abbreviation(zone)}"


@register.filter
def office_clock(value: datetime | None, office: Any) -> str:
    """Only the time of day at the office: '08:30'."""
    if value is None:
        return ""
    return formatting.office_clock(value, office)


@register.filter
def zone_abbreviation(zone_name: str) -> str:
    return formatting.zone_abbreviation(zone_name)


@register.filter
def get_item(mapping: Any, key: str) -> Any:
    """``mapping[key]`` in a template, or None."""
    return mapping.get(key) if hasattr(mapping, "get") else None
