"""Invitations to rate a service: one per occasion a person was served (a case collected, a
visit served at a counter, a question or a report closed), made when the app that served them
says so (``subscribers``). What people answer (a rating, a review, the IKM questionnaire)
hangs off the invitation, so "once per case or visit" is one unique row."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Occasion(models.TextChoices):
    CASE = "case", _("Application completed")
    VISIT = "visit", _("Visit to an office")
    CONSULTATION = "consultation", _("Question to an office")
    REPORT = "report", _("Report or complaint")


class Invitation(models.Model):
    # The address of the rating page: unguessable, and for a visitor without an account (a
    # walk-in at the counter) the only key to it.
    token = models.CharField(max_length=32, unique=True)
    occasion = models.CharField(_("occasion"), max_length=14, choices=Occasion.choices)
    # The primary key of the case, ticket, consultation or report served.
    occasion_id = models.PositiveBigIntegerField()
    # Who was served; none: a visitor without an account (asked on the ticket's phone page).
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="satisfaction_invitations",
    )
    # None: the national unit (a report handled there).
    office = models.ForeignKey(
        "catalog.Office", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    service = models.ForeignKey(
        "catalog.Service", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    served_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["occasion", "occasion_id"], name="one_invitation_per_occasion")
        ]
        indexes = [
            models.Index(fields=["person", "-created_at"]),
            models.Index(fields=["office", "served_at"]),
        ]
        verbose_name = _("invitation to rate")
        verbose_name_plural = _("invitations to rate")

    def __str__(self) -> str:
        return f"{self.occasion}:{self.occasion_id}"

    @property
    def occasion_label(self) -> str:
        return str(Occasion(self.occasion).label)
