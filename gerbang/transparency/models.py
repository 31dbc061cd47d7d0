"""The pre-aggregated figures the public statistics are read from (docs/transparency.md).

``DailyFigure`` holds what one office's cases of one service did on one day, as counts per
measure and bucket (a bucket is a number of working days for a duration, 0/1 for a yes/no, 0
otherwise), computed from the cases themselves (``applications.selectors.statistics``).
``MonthlyFigure`` adds them up by month, with "all offices" and "all services" as office or
service 0, and says which counts are withheld so that no small group of people can be singled
out (``suppressed``). ``StaleDay`` lists the office days to compute again.
"""

from __future__ import annotations

from django.db import models

ALL = 0  # "all offices" or "all services" in MonthlyFigure


class DailyFigure(models.Model):
    day = models.DateField()
    office_id = models.BigIntegerField()
    service_id = models.BigIntegerField()
    measure = models.CharField(max_length=32)
    bucket = models.IntegerField(default=0)
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["office_id", "day", "service_id", "measure", "bucket"], name="one_daily_figure"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.office_id}/{self.service_id} {self.measure}[{self.bucket}]={self.count}"


class MonthlyFigure(models.Model):
    month = models.DateField()  # the first day of the month
    office_id = models.BigIntegerField()  # ALL for every office
    service_id = models.BigIntegerField()  # ALL for every service
    measure = models.CharField(max_length=32)
    bucket = models.IntegerField(default=0)
    count = models.PositiveIntegerField()
    # Withheld wherever it is published: fewer than STATISTICS_MIN_CELL people, or withheld so
    # that a withheld count cannot be found by subtracting the others from a total.
    suppressed = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["office_id", "service_id", "measure", "month", "bucket"], name="one_monthly_figure"
            )
        ]
        indexes = [models.Index(fields=["month", "measure"])]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.office_id}/{self.service_id} {self.measure}[{self.bucket}]={self.count}"


class StaleDay(models.Model):
    office_id = models.BigIntegerField()
    day = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["office_id", "day"], name="one_stale_day")]

    def __str__(self) -> str:
        return f"{self.office_id} {self.day}"
