"""The periods a dashboard shows: today, the last 7 days or the last 30 days, each ending today."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodChoice(models.TextChoices):
    TODAY = "today", _("Today")
    WEEK = "7d", _("Last 7 days")
    MONTH = "30d", _("Last 30 days")


DAYS = {PeriodChoice.TODAY: 1, PeriodChoice.WEEK: 7, PeriodChoice.MONTH: 30}
DEFAULT = PeriodChoice.WEEK


@dataclass(frozen=True)
class Span:
    """The calendar days a dashboard counts (both included)."""

    choice: PeriodChoice
    first: date
    last: date

    @classmethod
    def ending(cls, today: date, choice: PeriodChoice | str = DEFAULT) -> Span:
        chosen = PeriodChoice(choice)
        return cls(chosen, today - timedelta(days=DAYS[chosen] - 1), today)

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1
