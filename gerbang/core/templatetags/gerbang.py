"""Template filters shared by every app's templates."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django import template
from django.utils.translation import gettext as _

from gerbang.core import formatting

register = template.Library()


@register.filter
def rupiah(amount: int | None) -> str:
    return formatting.rupiah(amount)


# Moments and days, one filter per kind, written as ``gerbang.core.formatting`` writes them.
# Human text only: a ``datetime`` attribute or an address takes ``|date:"c"`` / ``|date:"Y-m-d"``.


@register.filter
def office_time(value: datetime | None, office: Any = None) -> str:
    """A moment in the office's own time zone (the site's without an office), with the zone:
    '3 Desember 2026, 14.30 WITA'."""
    return formatting.moment(value, office)


@register.filter
def office_clock(value: datetime | time | None, office: Any = None) -> str:
    """Only the time of day at the office: '08.30' (where a heading names the zone)."""
    return formatting.clock(value, office)


@register.filter
def day(value: date | None, office: Any = None) -> str:
    """A calendar day: '3 Desember 2026' (of a moment: its day at the office)."""
    return formatting.day(value, office)


@register.filter
def weekday(value: date | None, office: Any = None) -> str:
    """A calendar day with its weekday: 'Kamis, 3 Desember 2026'."""
    return formatting.weekday(value, office)


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
