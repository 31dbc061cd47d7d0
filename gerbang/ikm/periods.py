"""Periods of the IKM: a month, a quarter or a year, named in addresses and open data the same
way in every language ("2026-11", "2026-Q4", "2026")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _

from gerbang.core.calendar import months_later
from gerbang.core.formatting import day


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    YEAR = "year", _("Year")


_MONTHS = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.YEAR: 12}
_SLUG = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{2})|-Q(?P<quarter>[1-4]))?$")


@dataclass(frozen=True, order=True)
class Period:
    kind: str
    start: date

    @classmethod
    def containing(cls, kind: str, when: date) -> Period:
        if kind == PeriodKind.YEAR:
            return cls(kind, date(when.year, 1, 1))
        if kind == PeriodKind.QUARTER:
            return cls(kind, date(when.year, (when.month - 1) // 3 * 3 + 1, 1))
        return cls(PeriodKind.MONTH, date(when.year, when.month, 1))

    @classmethod
    def from_slug(cls, slug: str) -> Period | None:
        match = _SLUG.match(slug or "")
        if match is None:
            return None
        year = int(match["year"])
        if match["month"]:
            month = int(match["month"])
            return cls(PeriodKind.MONTH, date(year, month, 1)) if 1 <= month <= 12 else None
        if match["quarter"]:
            return cls(PeriodKind.QUARTER, date(year, (int(match["quarter"]) - 1) * 3 + 1, 1))
        return cls(PeriodKind.YEAR, date(year, 1, 1))

    @property
    def end(self) -> date:
        """The first day after the period."""
        return months_later(self.start, _MONTHS[PeriodKind(self.kind)])

    @property
    def slug(self) -> str:
        if self.kind == PeriodKind.YEAR:
            return f"{self.start.year}"
        if self.kind == PeriodKind.QUARTER:
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        return f"{self.start.year}-{self.start.month:02d}"

    @property
    def label(self) -> str:
        """For people: "November 2026" / "2026 Q4" / "2026", in the reader's language."""
        if self.kind == PeriodKind.MONTH:
            # "1 November 2026" without its day.
            return day(self.start).split(" ", 1)[1]
        if self.kind == PeriodKind.QUARTER:
            return str(_("Quarter %(quarter)s %(year)s")) % {
                "quarter": (self.start.month - 1) // 3 + 1,
                "year": self.start.year,
            }
        return str(self.start.year)

    def months(self) -> list[date]:
        """The first days of the months in the period."""
        return [months_later(self.start, step) for step in range(_MONTHS[PeriodKind(self.kind)])]


def periods_of_month(month: date) -> list[Period]:
    """The month, quarter and year a month belongs to."""
    return [Period.containing(kind, month) for kind in PeriodKind]
