"""The analytics' own tables (risk flags and forecasts); see the modules that write them."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# --- Demand forecasts (analytics/forecast/, docs/analytics.md "Demand forecasts") ----------------


class ForecastMethod(models.TextChoices):
    REGRESSION = "regression_ar1", _("Regression on the calendar with AR(1) errors (SARIMAX)")
    SMOOTHING = "smoothing", _("Exponential smoothing of the daily rate (ETS)")
    NONE = "none", _("No forecast: not enough history")


class ForecastBaseline(models.TextChoices):
    SAME_WEEK_LAST_YEAR = "same_week_last_year", _("the same week a year before")
    LAST_WEEK = "last_week", _("the last week known")


class ForecastRun(models.Model):
    """One computation of an office's forecasts; only the latest is kept."""

    office = models.ForeignKey("catalog.Office", on_delete=models.CASCADE, related_name="+")
    computed_at = models.DateTimeField(default=timezone.now)
    # The weeks of history counted (Mondays), none when the office has no figures yet.
    history_from = models.DateField(null=True, blank=True)
    history_until = models.DateField(null=True, blank=True)
    first_week = models.DateField()  # the first week forecast (Monday)
    # The last day the catalogue knows national holidays of, and whether the seasons table
    # covers every week forecast.
    holidays_known_until = models.DateField(null=True, blank=True)
    seasons_known = models.BooleanField(default=True)

    class Meta:
        indexes = [models.Index(fields=["office", "-computed_at"])]

    def __str__(self) -> str:
        return f"{self.office_id} forecast {self.computed_at:%Y-%m-%d %H:%M}"


class ForecastSeries(models.Model):
    """The forecast of one service at the office (``service`` None: all its services), with
    the error of its method on the last weeks against the naive baseline (backtest)."""

    run = models.ForeignKey(ForecastRun, on_delete=models.CASCADE, related_name="series")
    service = models.ForeignKey(
        "catalog.Service", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    method = models.CharField(max_length=16, choices=ForecastMethod.choices)
    history_weeks = models.PositiveIntegerField()
    # The weekly counts of the last weeks of history, oldest first (the chart's past).
    recent = models.JSONField(default=list)
    seasons_used = models.JSONField(default=list)
    seasons_unseen = models.JSONField(default=list)
    # Backtest: None when the history is too short to test the method on one week.
    baseline = models.CharField(max_length=24, choices=ForecastBaseline.choices, blank=True)
    backtest_weeks = models.PositiveSmallIntegerField(default=0)
    backtest_pairs = models.PositiveSmallIntegerField(default=0)
    model_mae = models.FloatField(null=True, blank=True)
    baseline_mae = models.FloatField(null=True, blank=True)
    actual_mean = models.FloatField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "service"], name="one_forecast_per_service"),
            models.UniqueConstraint(
                fields=["run"], condition=models.Q(service__isnull=True), name="one_office_forecast"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.run_id}/{self.service_id or 'all'} {self.method}"

    @property
    def ratio(self) -> float | None:
        if self.model_mae is None or not self.baseline_mae:
            return None
        return self.model_mae / self.baseline_mae


class ForecastWeek(models.Model):
    """A week forecast: the expected applications and the interval that should hold eight
    outcomes in ten."""

    series = models.ForeignKey(ForecastSeries, on_delete=models.CASCADE, related_name="weeks")
    week = models.DateField()  # Monday
    working_days = models.PositiveSmallIntegerField()
    expected = models.FloatField()
    lower = models.FloatField()
    upper = models.FloatField()

    class Meta:
        ordering = ["week"]
        constraints = [models.UniqueConstraint(fields=["series", "week"], name="one_forecast_week")]

    def __str__(self) -> str:
        return f"{self.series_id} {self.week} {self.expected:.1f}"


# --- End of demand forecasts ------------------------------------------------------------------------
