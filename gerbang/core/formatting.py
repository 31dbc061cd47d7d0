"""The one way money and moments are written for people, per language: pages, emails, SMS,
PDFs and the API's display strings all go through these functions (templates through the
filters of ``gerbang.core.templatetags.gerbang``). The formats of each language live in
``gerbang.formats``. Machine-readable values (``datetime`` attributes, URLs, CSV, JSON) never
come from here: they are ISO 8601 and plain numbers."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.functional import Promise, lazy

# Indonesian time zones by IANA name, as people say them.
ZONE_ABBREVIATIONS = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}


def _language() -> str:
    return translation.get_language() or settings.LANGUAGE_CODE


def rupiah(amount: int | None) -> str:
    """Integer rupiah as people write it: 'Rp 350.000' in Indonesian, 'Rp 350,000' in English."""
    if amount is None:
        return ""
    grouped = f"{abs(int(amount)):,}"
    if _language().startswith("id"):
        grouped = grouped.replace(",", ".")
    sign = "-" if int(amount) < 0 else ""
    return f"{sign}Rp {grouped}"


def money_text(text: str | Promise, **amounts: int) -> str:
    """A text naming amounts of money (``%(name)s`` placeholders), each written by ``rupiah``
    in the reader's language when the text is shown: for texts made once, at import."""
    return _lazy_money_text(text, amounts)


def _money_text(text: str | Promise, amounts: dict[str, int]) -> str:
    return str(text) % {name: rupiah(amount) for name, amount in amounts.items()}


_lazy_money_text = lazy(_money_text, str)


def number(value: Decimal | float | int | None, places: int) -> str:
    """A number with ``places`` decimals as people write it: '3,6' in Indonesian, '3.6' in
    English (never grouped: these are scores and weights, not amounts)."""
    if value is None:
        return ""
    # Rounded half up first: Django's number_format cuts the digits after ``places`` off.
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return formats.number_format(rounded, decimal_pos=places, use_l10n=True, force_grouping=False)


def zone_abbreviation(zone_name: str) -> str:
    return ZONE_ABBREVIATIONS.get(zone_name, zone_name)


def zone_of(place: object | None) -> str:
    """The time zone of an office (or a zone name); the site's own zone when there is none."""
    if place is None or place == "":
        return str(settings.TIME_ZONE)
    return str(getattr(place, "time_zone", place))


def in_zone(value: datetime, zone_name: str) -> datetime:
    return timezone.localtime(value, ZoneInfo(zone_name))


def _format(name: str) -> str:
    """A named format of the active language (see ``gerbang.formats``)."""
    for module in formats.get_format_modules(_language()):
        if hasattr(module, name):
            return str(getattr(module, name))
    return str(formats.get_format(name))


def _local_day(value: date, place: object | None) -> date:
    """The day of a date, or of a moment at an office (or in a zone; the site's by default)."""
    return in_zone(value, zone_of(place)).date() if isinstance(value, datetime) else value


def day(value: date | None, place: object | None = None) -> str:
    """A calendar day: '3 Desember 2026' / '3 December 2026'."""
    if value is None:
        return ""
    return formats.date_format(_local_day(value, place), _format("DATE_FORMAT"))


def month(value: date | None) -> str:
    """A calendar month: 'Desember 2026' / 'December 2026'."""
    if value is None:
        return ""
    return formats.date_format(value, "F Y")


def month_short(value: date | None) -> str:
    """A month on a chart's axis: 'Des 2026' / 'Dec 2026'."""
    if value is None:
        return ""
    return formats.date_format(value, "M Y")


def day_short(value: date | None) -> str:
    """A day on a chart's axis: '14 Des' / '14 Dec'."""
    if value is None:
        return ""
    return formats.date_format(value, "j M")


def percent(share: float | None, places: int = 0) -> str:
    """A share (0..1) as people write it: '94%' / '94%'; '' for none."""
    if share is None:
        return ""
    return f"{number(share * 100, places)}%"


def weekday(value: date | None, place: object | None = None) -> str:
    """A calendar day with its weekday: 'Kamis, 3 Desember 2026' / 'Thursday, 3 December 2026'."""
    if value is None:
        return ""
    return formats.date_format(_local_day(value, place), _format("WEEKDAY_DATE_FORMAT"))


def clock(value: datetime | time | None, place: object | None = None) -> str:
    """Only the time of day at an office (or in a zone; the site's by default): '08.30' /
    '08:30'. For times listed under a heading that names the zone, and for opening hours."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = in_zone(value, zone_of(place))
    return formats.time_format(value, _format("TIME_FORMAT"))


def moment(value: datetime | None, place: object | None = None) -> str:
    """A moment at an office (or in a zone; the site's by default), with its zone:
    '3 Desember 2026, 23.29 WIB' / '3 December 2026, 23:29 WIB'."""
    if value is None:
        return ""
    zone = zone_of(place)
    local = in_zone(value, zone)
    return f"{formats.date_format(local, _format('DATETIME_FORMAT'))} {zone_abbreviation(zone)}"


def office_clock(value: datetime, office: object) -> str:
    """Only the time of day at the office: '08.30' (kept for callers by this name)."""
    return clock(value, office)
