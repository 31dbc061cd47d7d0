"""Invitations to rate a service: one per occasion a person was served (a case collected, a
visit served at a counter, a question or a report closed), made when the app that served them
says so (``subscribers``). What people answer (a rating, a review, the IKM questionnaire)
hangs off the invitation, so "once per case or visit" is one unique row."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gerbang.core.fields import EncryptedTextField
from gerbang.core.personal_data import LABELS, kinds_in, masked


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


class ReviewStatus(models.TextChoices):
    # A rating without words: nothing to moderate or publish.
    NONE = "none", _("No review")
    PENDING = "pending", _("Waiting for moderation")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Not published")


class RejectReason(models.TextChoices):
    PERSONAL_DATA = "personal_data", _("It contains personal data")
    ABUSE = "abuse", _("It is abusive or insulting")
    OFF_TOPIC = "off_topic", _("It is not about the service")


class Rating(models.Model):
    """What the person served said: 1 to 5 stars, and optionally words for the public (the
    review, moderated before it is shown). Changeable for ``RATING_CHANGE_DAYS`` after it was
    first given. One per invitation, so one per case, visit, question or report."""

    invitation = models.OneToOneField(Invitation, on_delete=models.CASCADE, related_name="rating")
    stars = models.PositiveSmallIntegerField(_("rating"))
    # As written (may hold personal data until a moderator has seen it).
    review = EncryptedTextField(_("review"), blank=True, default="")
    review_status = models.CharField(
        _("review status"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.NONE
    )
    # What the automatic check found (``core.personal_data.Kind`` values), shown to the moderator.
    flags = models.JSONField(default=list, blank=True)
    # The review as shown to everyone: what was written with the flagged parts masked.
    published_review = EncryptedTextField(blank=True, default="")
    reject_reason = models.CharField(
        _("reason"), max_length=14, choices=RejectReason.choices, blank=True, default=""
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # The office's public reply under a published review: once.
    reply = models.TextField(_("reply"), blank=True, default="")
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    replied_at = models.DateTimeField(null=True, blank=True)
    given_at = models.DateTimeField(default=timezone.now)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(stars__gte=1) & models.Q(stars__lte=5), name="stars_one_to_five"
            )
        ]
        indexes = [models.Index(fields=["review_status", "changed_at"])]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")

    def __str__(self) -> str:
        return f"{self.invitation_id}: {self.stars}"

    @property
    def flag_labels(self) -> list[str]:
        return [str(LABELS[flag]) for flag in self.flags if flag in LABELS]


class SuggestionStatus(models.TextChoices):
    NEW = "new", _("New")
    CONSIDERING = "considering", _("Under consideration")
    DONE = "done", _("Done")
    DECLINED = "declined", _("Declined")


class Suggestion(models.Model):
    """ "What would make this better": an idea for the service, from the rating form or the
    suggestion box. Staff read them grouped by their words; what was done is told publicly."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Given with a rating (one per invitation), or none: the suggestion box.
    invitation = models.OneToOneField(
        Invitation, null=True, blank=True, on_delete=models.SET_NULL, related_name="suggestion"
    )
    office = models.ForeignKey(
        "catalog.Office", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    service = models.ForeignKey(
        "catalog.Service", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    text = EncryptedTextField(_("suggestion"))
    status = models.CharField(
        _("status"), max_length=12, choices=SuggestionStatus.choices, default=SuggestionStatus.NEW
    )
    # Public, once done: what changed because of it.
    note = models.TextField(_("what we changed"), blank=True, default="")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["office", "status"])]
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")

    def __str__(self) -> str:
        return f"suggestion {self.pk}"

    # Only staff read a suggestion, yet they need not see personal data to act on it: the same
    # check as reviews (``core.personal_data``) says what it seems to hold, and the text is shown
    # masked first.
    @property
    def flags(self) -> list[str]:
        return kinds_in(self.text)

    @property
    def flag_labels(self) -> list[str]:
        return [str(LABELS[flag]) for flag in self.flags if flag in LABELS]

    @property
    def masked_text(self) -> str:
        return masked(self.text)
