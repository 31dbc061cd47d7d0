"""The analytics' own tables (risk flags and forecasts); see the modules that write them."""

from __future__ import annotations

from django.conf import settings
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


# ---------------------------------------------------------------------------------------------
# Risk flags (issue 21; ``gerbang/analytics/risk/``, docs/analytics.md). A flag tells an officer
# what deserves a second look, and why; it never decides or blocks a case. The officer's
# decision on it is recorded (``risk.flag_decided``, the reason kept as an ``EventNote``).
# ---------------------------------------------------------------------------------------------


class CaseFingerprint(models.Model):
    """What the risk rules compare across cases, for one submitted case: keyed hashes (never the
    values) of who the case is about and how they can be reached, and the numbers the anomaly
    model reads (``risk.features``). Rebuilt from the case whenever it is scanned; deleted once the
    case's personal data is erased, so an erased case is compared with nothing."""

    application = models.OneToOneField(
        "applications.Application", on_delete=models.CASCADE, related_name="risk_fingerprint"
    )
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    submitted_at = models.DateTimeField(db_index=True)
    # Keyed hashes (``core.crypto.blind_index``), each under its own purpose: the subject's NIK (the
    # case's own ``subject_nik_index``), folded name and date of birth; the phone number answered;
    # the applicant account's mailbox (its address with aliases folded: dots and +tags of Gmail).
    nik_index = models.CharField(max_length=64, blank=True, db_index=True)
    name_index = models.CharField(max_length=64, blank=True)
    birth_index = models.CharField(max_length=64, blank=True)
    phone_index = models.CharField(max_length=64, blank=True, db_index=True)
    mailbox_index = models.CharField(max_length=64, blank=True, db_index=True)
    # The anomaly model's features, by name (``risk.features.FEATURES``): numbers only.
    features = models.JSONField(default=dict, blank=True)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["applicant", "submitted_at"])]

    def __str__(self) -> str:
        return f"fingerprint of {self.application_id}"

    def same_identity(self, other: CaseFingerprint) -> bool:
        """Whether two cases are about the same person as far as the hashes tell: same name and
        date of birth (the NIK is what is compared against them)."""
        return self.name_index == other.name_index and self.birth_index == other.birth_index


class RiskKind(models.TextChoices):
    SAME_NIK = "same_nik", _("Same NIK under another identity")
    SAME_IMAGE = "same_image", _("Same photo or document as another person's application")
    SHARED_CONTACT = "shared_contact", _("Many applications from one phone, mailbox or device")
    ID_MISMATCH = "id_mismatch", _("NIK or passport lines disagree with the answers")
    ANOMALY = "anomaly", _("Unusual combination (anomaly model)")
    SAME_FACE = "same_face", _("Same face as in another person's application")


class FlagStatus(models.TextChoices):
    OPEN = "open", _("To be checked")
    CLEARED = "cleared", _("Checked, no concern")
    CONFIRMED = "confirmed", _("Concern confirmed, referred")
    # What raised it is no longer found (the other case was corrected, the answers changed).
    WITHDRAWN = "withdrawn", _("No longer found")


# What an officer may decide on an open flag.
DECISIONS = (FlagStatus.CLEARED, FlagStatus.CONFIRMED)


class RiskFlag(models.Model):
    """One kind of risk found on one case, with its reasons (message codes and their numbers,
    rendered in the reader's language; never personal data) and the other cases involved."""

    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="risk_flags"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=RiskKind.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=FlagStatus.choices, default=FlagStatus.OPEN, db_index=True
    )
    # [{"code": ..., "params": {...}, "cases": [application ids]}]: see ``risk.texts``.
    reasons = models.JSONField(default=list, blank=True)
    # What the flag rests on, as sorted strings (reason codes, "code:case id"): a decided flag
    # opens again only when new evidence appears beyond what the officer decided on.
    evidence = models.JSONField(default=list, blank=True)
    decided_evidence = models.JSONField(default=list, blank=True)
    # The anomaly model's score (lower: more unusual), for the anomaly kind.
    score = models.FloatField(null=True, blank=True)
    raised_at = models.DateTimeField(_("raised"), default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "kind"], name="one_risk_flag_per_case_and_kind")
        ]
        indexes = [models.Index(fields=["status", "kind", "raised_at"])]
        verbose_name = _("risk flag")
        verbose_name_plural = _("risk flags")

    def __str__(self) -> str:
        return f"{self.application_id}:{self.kind}={self.status}"

    @property
    def is_open(self) -> bool:
        return self.status == FlagStatus.OPEN

    @property
    def related_case_ids(self) -> list[int]:
        seen: dict[int, None] = {}
        for reason in self.reasons:
            for case_id in reason.get("cases", ()):
                seen[int(case_id)] = None
        return list(seen)


class RiskModel(models.Model):
    """A fitted anomaly model, kept as what it was fitted on (numbers only, no identifiers), never
    as a pickle: every process builds the same forest again from these rows and the seed
    (``risk.model``). ``digest`` is the SHA-256 of everything else; a row whose digest does not
    match is never used."""

    fitted_at = models.DateTimeField(default=timezone.now)
    features = models.JSONField()  # feature names, in column order
    training = models.JSONField()  # rows of feature values (raw units), in no particular order
    typical = models.JSONField()  # each feature's median over the training rows (raw units)
    threshold = models.FloatField()  # a score below it is unusual
    training_scores = models.JSONField()  # the training rows' scores, sorted (for "more unusual than")
    seed = models.PositiveIntegerField()
    trees = models.PositiveSmallIntegerField()
    sklearn_version = models.CharField(max_length=20)
    digest = models.CharField(max_length=64)

    class Meta:
        ordering = ["-fitted_at", "-id"]

    def __str__(self) -> str:
        return f"risk model {self.pk} ({len(self.training)} cases)"


# --------------------------------------------------------------------------------- end of risk
