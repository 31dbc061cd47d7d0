"""Template filters shared by every app's templates."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template
from django.utils import formats
from django.utils.translation import gettext as _

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


@register.filter
def duration_minutes(seconds: float | None) -> str:
    """A duration in seconds as whole minutes: '12 min' ('' when unknown)."""
    if seconds is None:
        return ""
    if seconds < 60:
        return _("under 1 min")
    return _("%(minutes)s min") % {"minutes": round(seconds / 60)}


@register.filter
def percent(share: float | None) -> str:
    """A share between 0 and 1 as a whole percentage: '25%'."""
    if share is None:
        return ""
    return f"{round(share * 100)}%"
