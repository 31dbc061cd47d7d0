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

from gerbang.ikm.periods import PeriodKind

ALL = 0  # "all offices" or "all services" in MonthlyFigure

# The measures whose counts are published as counts (and so are withheld when small), by
# bucket: the others are durations, published only as percentiles of enough cases.
COUNTED = frozenset(
    {
        ("submitted", 0),
        ("approved", 0),
        ("rejected", 0),
        ("withdrawn", 0),
        ("expired", 0),
        ("decision_within", 0),
        ("decision_within", 1),
        ("bill_paid_within", 0),
        ("bill_paid_within", 1),
        ("complaints", 0),
        ("complaint_within", 0),
        ("complaint_within", 1),
    }
)


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
        indexes = [
            models.Index(fields=["month", "measure"]),
            # Every office's figures of one service over some months (the offices compared).
            models.Index(fields=["service_id", "month"]),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.office_id}/{self.service_id} {self.measure}[{self.bucket}]={self.count}"


class PeriodFigure(models.Model):
    """The months from ``first`` to ``last`` (first days of months) added up: the last 6, 12 and
    24 complete months the pages offer, every calendar quarter and year. Withheld on its own
    table (offices by services) and so that no withheld month can be found from it: a period's
    count is shown only when the months withheld in it are none, or several with at least
    ``STATISTICS_MIN_CELL`` people together (docs/transparency.md)."""

    first = models.DateField()
    last = models.DateField()
    office_id = models.BigIntegerField()  # ALL for every office
    service_id = models.BigIntegerField()  # ALL for every service
    measure = models.CharField(max_length=32)
    bucket = models.IntegerField(default=0)
    count = models.PositiveIntegerField()
    suppressed = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["first", "last", "office_id", "service_id", "measure", "bucket"],
                name="one_period_figure",
            )
        ]
        indexes = [models.Index(fields=["last", "first", "service_id"])]

    def __str__(self) -> str:
        return f"{self.first:%Y-%m}..{self.last:%Y-%m} {self.office_id}/{self.service_id} {self.measure}[{self.bucket}]={self.count}"


class StaleDay(models.Model):
    office_id = models.BigIntegerField()
    day = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["office_id", "day"], name="one_stale_day")]

    def __str__(self) -> str:
        return f"{self.office_id} {self.day}"


class Release(models.Model):
    """A published version of one closed period's figures, frozen: every office's and
    service's row as the files had it then (``releases``). A later version of the same period
    says which rows changed (late events, a correction), so nobody's earlier download silently
    differs from the record. The digest is the SHA-256 of the release's CSV, as downloaded."""

    kind = models.CharField(max_length=8, choices=PeriodKind.choices)
    first = models.DateField()  # first day of the period's first month
    last = models.DateField()  # first day of its last month
    version = models.PositiveIntegerField()
    published_at = models.DateTimeField()
    columns = models.JSONField()  # the column names, in order (the dataset's at the time)
    rows = models.JSONField()  # one list of values per office and service, in ``columns`` order
    digest = models.CharField(max_length=64)
    # Rows that differ from the version before: [{"office", "service", "columns": [...]}, ...].
    revised = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "first", "version"], name="one_release_version")
        ]
        ordering = ["-last", "kind", "-version"]

    def __str__(self) -> str:
        return f"{self.kind} {self.first:%Y-%m}..{self.last:%Y-%m} v{self.version}"
