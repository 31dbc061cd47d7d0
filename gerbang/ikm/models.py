"""IKM answers and the published figures.

Anonymity: a response keeps no person and no link to the invitation it answers. Only a keyed
hash of the invitation (``key``, ``core.crypto.blind_index``) is kept, so the once-per-case
rule holds (a unique column) while nobody reading the table, an export or the API can tell
whose answer it is, nor go from an answer to the invitation (and its person) without the key.
Of the occasion it keeps only what the figures are grouped by: the office, the service and
the month it was served in (not the day or the time, which could single a visitor out).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gerbang.ikm import computation
from gerbang.ikm.periods import Period, PeriodKind
from gerbang.ikm.questionnaire import ELEMENTS, AgeBand, Education, Occupation, Sex


def _score() -> models.PositiveSmallIntegerField[Any, Any]:
    return models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(4)])


class Response(models.Model):
    key = models.CharField(max_length=64, unique=True)
    office = models.ForeignKey(
        "catalog.Office", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    service = models.ForeignKey(
        "catalog.Service", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The first day of the month the person was served in.
    served_month = models.DateField()
    u1 = _score()
    u2 = _score()
    u3 = _score()
    u4 = _score()
    u5 = _score()
    u6 = _score()
    u7 = _score()
    u8 = _score()
    u9 = _score()
    age_band = models.CharField(max_length=8, choices=AgeBand.choices)
    sex = models.CharField(max_length=1, choices=Sex.choices)
    education = models.CharField(max_length=8, choices=Education.choices)
    occupation = models.CharField(max_length=8, choices=Occupation.choices)

    class Meta:
        indexes = [models.Index(fields=["served_month", "office"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    **{f"{element.field}__gte": 1 for element in ELEMENTS},
                    **{f"{element.field}__lte": 4 for element in ELEMENTS},
                ),
                name="ikm_scores_1_to_4",
            )
        ]
        verbose_name = _("IKM response")
        verbose_name_plural = _("IKM responses")

    def __str__(self) -> str:
        return f"IKM response {self.pk}"

    @property
    def scores(self) -> tuple[int, ...]:
        return tuple(getattr(self, element.field) for element in ELEMENTS)


class Served(models.Model):
    """One occasion a person was served (a case collected, a visit served at a counter, a
    question or a report closed): the survey's population, counted per office, service and
    month. Kept by ``subscribers`` as the apps that serve people say so, whether or not the
    person has an account or was invited to rate it, and completed by ``served_reconcile``
    for what they missed. The occasion's key makes a repeated event count once; nothing here
    names the person, and a response keeps no link to it."""

    # ``satisfaction.models.Occasion``'s values, so an invitation and its occasion share a key.
    occasion = models.CharField(max_length=14)
    # The primary key of the case, ticket, consultation or report served.
    occasion_id = models.PositiveBigIntegerField()
    # None: the national unit (a report it handled itself).
    office = models.ForeignKey(
        "catalog.Office", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    service = models.ForeignKey(
        "catalog.Service", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The first day of the month it was served in (as a response keeps it).
    served_month = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["occasion", "occasion_id"], name="ikm_served_once_per_occasion")
        ]
        indexes = [models.Index(fields=["served_month", "office", "service"])]
        verbose_name = _("occasion served")
        verbose_name_plural = _("occasions served")

    def __str__(self) -> str:
        return f"{self.occasion}:{self.occasion_id}"


class Result(models.Model):
    """The figures of one office (or none: the national unit), one service (or none: all its
    services) and one period, as the aggregation task last computed them."""

    # "<office code or 'national'>/<service code or 'all'>/<period slug>": one row per scope.
    scope = models.CharField(max_length=128, unique=True)
    office = models.ForeignKey(
        "catalog.Office", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    service = models.ForeignKey(
        "catalog.Service", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    period_kind = models.CharField(max_length=8, choices=PeriodKind.choices)
    period_start = models.DateField()
    respondents = models.PositiveIntegerField()
    # The sums of the scores of U1…U9 (the NRR are these over the respondents, kept exact).
    sums = models.JSONField()
    # How many of the respondents gave each answer of the profile, counted with the sums:
    # {"sex": {"F": 64, "M": 53}, "age_band": {...}, ...} ({}: computed before it was kept).
    profile = models.JSONField(default=dict, blank=True)
    # NRR per element, rounded half up to 3 decimals, for reading the table directly.
    nrr = models.JSONField()
    ikm = models.DecimalField(max_digits=5, decimal_places=2)
    grade = models.CharField(max_length=1, blank=True)
    population = models.PositiveIntegerField()
    minimum_sample = models.PositiveIntegerField()
    # The weight rounding used (IKM_WEIGHT_DECIMALS at the time; None: exact 1/9).
    weight_decimals = models.PositiveSmallIntegerField(null=True, blank=True)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["office", "period_kind", "period_start"])]
        ordering = ["period_start"]
        verbose_name = _("IKM result")
        verbose_name_plural = _("IKM results")

    def __str__(self) -> str:
        return self.scope

    @property
    def period(self) -> Period:
        return Period(self.period_kind, self.period_start)

    @property
    def outcome(self) -> computation.Outcome:
        return computation.from_sums(
            self.sums,
            self.respondents,
            population=self.population,
            weight_decimals=self.weight_decimals,
        )

    @property
    def below_sample(self) -> bool:
        return self.respondents < self.minimum_sample

    @property
    def grade_label(self) -> str:
        return str(GRADE_LABELS.get(self.grade, ""))

    def nrr_exact(self) -> list[Fraction]:
        return [computation.nrr(total, self.respondents) for total in self.sums]


GRADE_LABELS: dict[str, Any] = {
    computation.Grade.A: _("Very good"),
    computation.Grade.B: _("Good"),
    computation.Grade.C: _("Less than good"),
    computation.Grade.D: _("Not good"),
}
