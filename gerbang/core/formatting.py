"""Locale-aware formatting of money and of times in an office's own time zone."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone, translation

# Indonesian time zones by IANA name, as people say them.
ZONE_ABBREVIATIONS = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}


def rupiah(amount: int | None) -> str:
    """Integer rupiah as people write it: 'Rp 350.000' in Indonesian, 'Rp 350,000' in English."""
    if amount is None:
        return ""
    grouped = f"{abs(int(amount)):,}"
    if (translation.get_language() or "id").startswith("id"):
        grouped = grouped.replace(",", ".")
    sign = "-" if int(amount) < 0 else ""
    return f"{sign}Rp {grouped}"


def zone_abbreviation(zone_name: str) -> str:
    return ZONE_ABBREVIATIONS.get(zone_name, zone_name)


def in_zone(value: datetime, zone_name: str) -> datetime:
    return timezone.localtime(value, ZoneInfo(zone_name))


def office_clock(value: datetime, office: object) -> str:
    """Only the time of day at the office (an office or a zone name): '08:30'."""
    return in_zone(value, str(getattr(office, "time_zone", office))).strftime("%H:%M")
