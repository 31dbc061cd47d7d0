"""Public participation: surveys on policy and services, debates with moderation by reports,
proposals with supports, and what came of each (a published statement and a timeline of status).

A survey belongs to an office (its staff run it) or to nobody (a national survey, run by the
national administrators); so do debates and proposals (the office is the unit that answers).
One answer per account and one support per account are unique constraints in the database.
Free-text answers and public posts were written by people and are encrypted at rest; posts are
masked (NIK, phone numbers, email addresses) before they are stored, since they are public.

What staff write (a survey's title, description and questions, a debate's subject, the unit's
answer to a proposal, what came of it) is kept in Indonesian and, optionally, English
(``<name>_id`` / ``<name>_en``, read through ``core.bilingual.Bilingual``); what people write
stays in the one language they wrote it in.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from gerbang.core import formatting
from gerbang.core.bilingual import Bilingual, BilingualText, active_language, pick
from gerbang.core.fields import EncryptedTextField


class QuestionKind(models.TextChoices):
    # Not "single/multiple choice": Indonesian "pilihan ganda" reads as pick-one.
    SINGLE = "single", _("One choice")
    MULTIPLE = "multiple", _("Several choices (tick all that apply)")
    SCALE = "scale", _("Scale (1 to 5)")
    RANKING = "ranking", _("Ranking")
    TEXT = "text", _("Free text")


class Survey(models.Model):
    title_id = models.CharField(_("title (Indonesian)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description_id = models.TextField(_("description (Indonesian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    # None: a national survey (run by the national administrators).
    office = models.ForeignKey(
        "catalog.Office", null=True, blank=True, on_delete=models.PROTECT, related_name="surveys"
    )
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    # Only people with a submitted application at ``office`` may answer (``office`` required).
    served_only = models.BooleanField(_("only people served by the office"), default=False)
    # Only residents of ``office``'s working area may answer: the regency of their NIK is in
    # the office's area codes (``office`` required, with its area set).
    residents_only = models.BooleanField(_("only residents of the office's area"), default=False)
    # A draft until staff publish it (with at least one question): only then is it public.
    published_at = models.DateTimeField(null=True, blank=True)
    # Closed early by staff (otherwise closed at ``closes_at``).
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    title = Bilingual("title")
    description = Bilingual("description")

    class Meta:
        ordering = ["-opens_at", "-id"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")

    def __str__(self) -> str:
        return str(self.title)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def ends_at(self) -> datetime:
        return self.closed_at or self.closes_at

    def is_open(self, now: datetime | None = None) -> bool:
        moment = now or timezone.now()
        return self.opens_at <= moment < self.ends_at

    def is_closed(self, now: datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.ends_at

    @property
    def results_visible(self) -> bool:
        """Results are published when the survey closes."""
        return self.is_closed()


class Question(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices)
    text_id = models.CharField(_("question (Indonesian)"), max_length=300)
    text_en = models.CharField(_("question (English)"), max_length=300, blank=True)
    # The choices of a single, multiple or ranking question, in order; answers store their
    # indices. The English list is empty or as long as the Indonesian one, in the same order.
    choices_id = models.JSONField(default=list, blank=True)
    choices_en = models.JSONField(default=list, blank=True)
    required = models.BooleanField(_("required"), default=True)

    text = Bilingual("text")

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return str(self.text)

    @property
    def choices(self) -> list[BilingualText]:
        """The choices in the reader's language: English when it is asked for and given, else the
        Indonesian ones (marked as such)."""
        english = list(self.choices_en or [])
        indonesian = list(self.choices_id or [])
        if active_language() == "en":
            if english and len(english) == len(indonesian):
                return [BilingualText(c, "en", False) for c in english]
            return [BilingualText(c, "id", True) for c in indonesian]
        return [BilingualText(c, "id", False) for c in indonesian]

    @property
    def kind_label(self) -> str:
        return str(QuestionKind(self.kind).label)


class Response(models.Model):
    """One account's answers to one survey (one per account: a unique constraint)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    respondent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "respondent"], name="one_response_per_account")
        ]

    def __str__(self) -> str:
        return f"{self.survey_id}:{self.pk}"


class TextStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for moderation")
    APPROVED = "approved", _("Shown")
    REJECTED = "rejected", _("Not shown")


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    # Indices into the question's choices: the one chosen, the ones chosen, or the ranking (first
    # is best).
    choices = models.JSONField(default=list, blank=True)
    scale = models.PositiveSmallIntegerField(null=True, blank=True)
    text = EncryptedTextField(blank=True, default="")
    text_status = models.CharField(max_length=10, choices=TextStatus.choices, blank=True, default="")
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["question__position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="one_answer_per_question")
        ]

    def __str__(self) -> str:
        return f"{self.response_id}:{self.question_id}"

    @property
    def flag_labels(self) -> list[str]:
        """What the automatic check found in a written answer (personal data), for moderators."""
        from gerbang.participation.masking import flag_labels

        return flag_labels(self.text or "")


class Debate(models.Model):
    title_id = models.CharField(_("title (Indonesian)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description_id = models.TextField(_("description (Indonesian)"))
    description_en = models.TextField(_("description (English)"), blank=True)
    office = models.ForeignKey(
        "catalog.Office", null=True, blank=True, on_delete=models.PROTECT, related_name="debates"
    )
    # The survey it discusses, if any.
    survey = models.ForeignKey(
        Survey, null=True, blank=True, on_delete=models.SET_NULL, related_name="debates"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    title = Bilingual("title")
    description = Bilingual("description")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("debate")
        verbose_name_plural = _("debates")

    def __str__(self) -> str:
        return str(self.title)


class PostStatus(models.TextChoices):
    VISIBLE = "visible", _("Visible")
    # Reported by enough readers: hidden until a moderator decides.
    HIDDEN = "hidden", _("Hidden, waiting for a moderator")
    REMOVED = "removed", _("Removed by a moderator")


class Post(models.Model):
    debate = models.ForeignKey(Debate, on_delete=models.CASCADE, related_name="posts")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # What readers see of the author: never the email.
    display_name = models.CharField(max_length=80)
    # Masked before it is stored (no NIK, phone number or email address).
    body = EncryptedTextField(_("post"))
    # An official answer's optional English version (staff write in both languages; ``body`` is
    # then the Indonesian one), masked like ``body``. Empty for what people write.
    body_en = EncryptedTextField(_("post (English)"), blank=True, default="")
    status = models.CharField(max_length=10, choices=PostStatus.choices, default=PostStatus.VISIBLE)
    # Written by staff on behalf of the debate's unit (its office, or the directorate for a
    # national debate): shown as the unit's answer, never with the staff member's name, and
    # never hidden by readers' reports (they go to the moderators).
    official = models.BooleanField(_("official answer"), default=False)
    hidden_at = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderation_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["debate", "status"])]

    def __str__(self) -> str:
        return f"{self.debate_id}:{self.pk}"

    @property
    def status_label(self) -> str:
        return str(PostStatus(self.status).label)

    @property
    def shown_body(self) -> BilingualText:
        """The text readers see: an official answer's English version to readers in English when
        there is one, else ``body`` (in Indonesian for an official answer, marked as such for
        readers in English); a person's post as they wrote it."""
        if not self.official:
            return BilingualText(self.body, active_language(), False)
        if active_language() == "en":
            if self.body_en:
                return BilingualText(self.body_en, "en", False)
            return BilingualText(self.body, "id", True)
        return BilingualText(self.body, "id", False)

    @property
    def shown_as(self) -> str:
        """The name readers see: the unit's for an official answer (in the reader's language),
        else the writer's display name."""
        if not self.official:
            return self.author_name
        return unit_name(self.debate.office)

    @property
    def author_name(self) -> str:
        """The writer's display name, or, once they had their data erased, what readers see instead."""
        return author_name(self.display_name)


def author_name(display_name: str) -> str:
    """What readers see of a person who wrote: their display name, or, once they had their data
    erased (UU PDP) and the name emptied, "Former participant", so the debate stays readable."""
    return display_name or str(_("Former participant"))


def unit_name(office: Any) -> str:
    """The name of the unit that answers for ``office``'s items (the directorate for national ones)."""
    if office is None:
        return str(_("Directorate General of Immigration"))
    return str(office.name)


class PostSupport(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="one_post_support_per_account")]

    def __str__(self) -> str:
        return f"{self.post_id}:{self.user_id}"


class ReportReason(models.TextChoices):
    PERSONAL_DATA = "personal", _("Personal data")
    ABUSE = "abuse", _("Abusive or offensive")
    SPAM = "spam", _("Spam or advertising")
    OFF_TOPIC = "off_topic", _("Off topic")


class PostReport(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=10, choices=ReportReason.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["post", "reporter"], name="one_report_per_reader")]

    def __str__(self) -> str:
        return f"{self.post_id}:{self.reporter_id}"

    @property
    def reason_label(self) -> str:
        return str(ReportReason(self.reason).label)


class ProposalStatus(models.TextChoices):
    COLLECTING = "collecting", _("Collecting supports")
    # Passed its threshold: the responsible unit owes an answer.
    AWAITING = "awaiting", _("Waiting for the unit's answer")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Not accepted")


class Proposal(models.Model):
    title = models.CharField(_("title"), max_length=200)
    body = EncryptedTextField(_("proposal"))
    # The unit responsible for the answer (None: the national directorate).
    office = models.ForeignKey(
        "catalog.Office", null=True, blank=True, on_delete=models.PROTECT, related_name="proposals"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    display_name = models.CharField(max_length=80)
    # Supports needed (the setting when it was made).
    threshold = models.PositiveIntegerField()
    status = models.CharField(
        max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.COLLECTING
    )
    supports_count = models.PositiveIntegerField(default=0)
    threshold_reached_at = models.DateTimeField(null=True, blank=True)
    answer_due = models.DateField(null=True, blank=True)
    # The unit's answer (staff-written: both languages).
    answer_id = models.TextField(_("answer (Indonesian)"), blank=True)
    answer_en = models.TextField(_("answer (English)"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    answer = Bilingual("answer")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "answer_due"])]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")

    def __str__(self) -> str:
        return self.title

    @property
    def author_name(self) -> str:
        return author_name(self.display_name)

    @property
    def status_label(self) -> str:
        return str(ProposalStatus(self.status).label)

    @property
    def supporters_text(self) -> str:
        """How many support it, against the number needed: '2 of 3 supporters needed' while
        collecting, '4 supporters; the threshold of 3 was reached on 3 December 2026' once past."""
        count, threshold = self.supports_count, self.threshold
        if self.threshold_reached_at is not None:
            return ngettext(
                "%(count)d supporter; the threshold of %(threshold)d was reached on %(day)s",
                "%(count)d supporters; the threshold of %(threshold)d was reached on %(day)s",
                count,
            ) % {
                "count": count,
                "threshold": threshold,
                "day": formatting.day(self.threshold_reached_at, self.office),
            }
        if count < threshold:
            return ngettext(
                "%(count)d of %(threshold)d supporter needed",
                "%(count)d of %(threshold)d supporters needed",
                threshold,
            ) % {"count": count, "threshold": threshold}
        return ngettext(
            "%(count)d supporter (%(threshold)d needed)",
            "%(count)d supporters (%(threshold)d needed)",
            count,
        ) % {"count": count, "threshold": threshold}


class ProposalSupport(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["proposal", "user"], name="one_proposal_support_per_account")
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id}:{self.user_id}"


class SubjectKind(models.TextChoices):
    SURVEY = "survey", _("Survey")
    DEBATE = "debate", _("Debate")
    PROPOSAL = "proposal", _("Proposal")


class Outcome(models.Model):
    """Accountability: what was decided about a survey, debate or proposal, and what changed."""

    kind = models.CharField(max_length=10, choices=SubjectKind.choices)
    subject_id = models.PositiveIntegerField()
    decided_id = models.TextField(_("what was decided (Indonesian)"))
    decided_en = models.TextField(_("what was decided (English)"), blank=True)
    # Empty while what was decided is still being carried out.
    changed_id = models.TextField(_("what changed because of it (Indonesian)"), blank=True)
    changed_en = models.TextField(_("what changed because of it (English)"), blank=True)
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    decided = Bilingual("decided")
    changed = Bilingual("changed")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "subject_id"], name="one_outcome_per_subject")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.subject_id}"


class Stage(models.TextChoices):
    OPENED = "opened", _("Opened")
    CLOSED = "closed", _("Closed")
    RESULTS = "results", _("Results published")
    THRESHOLD = "threshold", _("Support threshold reached; sent to the unit")
    ANSWERED = "answered", _("Answered by the unit")
    IN_PROGRESS = "in_progress", _("Being carried out")
    DONE = "done", _("Done: what was decided is in place")


class StatusChange(models.Model):
    """The timeline of a survey, debate or proposal, as Decidim's accountability shows it."""

    kind = models.CharField(max_length=10, choices=SubjectKind.choices)
    subject_id = models.PositiveIntegerField()
    stage = models.CharField(max_length=12, choices=Stage.choices)
    # A code (the answer to a proposal: ``accepted`` or ``rejected``, in ``note_id``) or a free
    # note written by staff in both languages.
    note_id = models.CharField(max_length=300, blank=True)
    note_en = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(default=timezone.now)

    note = Bilingual("note")

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["kind", "subject_id"])]

    def __str__(self) -> str:
        return f"{self.kind}:{self.subject_id}:{self.stage}"

    @property
    def stage_label(self) -> str:
        return str(Stage(self.stage).label)

    @property
    def note_label(self) -> str:
        """The note in the reader's language: a code's label (the answer to a proposal:
        ``accepted`` or ``rejected``), or a free note in the reader's language when it was written
        in it (else in the other, a ``BilingualText`` that says so)."""
        if self.note_id in ProposalStatus.values:
            return str(ProposalStatus(self.note_id).label)
        return pick(self, "note")
