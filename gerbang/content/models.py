"""Public information besides the catalogue: FAQ, guides, announcements and official channels."""

from __future__ import annotations

from typing import Self, TypeVar

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gerbang.core.bilingual import Bilingual

_M = TypeVar("_M", bound=models.Model)


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class PublishedQuerySet(models.QuerySet[_M]):
    def published(self) -> Self:
        return self.filter(status=Status.PUBLISHED)


class FaqCategory(models.Model):
    slug = models.SlugField(unique=True)
    name_id = models.CharField(_("name (Indonesian)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    name = Bilingual("name")

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = _("FAQ category")
        verbose_name_plural = _("FAQ categories")

    def __str__(self) -> str:
        return str(self.name)


class Faq(models.Model):
    category = models.ForeignKey(
        FaqCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="entries"
    )
    slug = models.SlugField(unique=True, max_length=80)
    question_id = models.CharField(_("question (Indonesian)"), max_length=250)
    question_en = models.CharField(_("question (English)"), max_length=250, blank=True)
    answer_id = models.TextField(_("answer (Indonesian)"))
    answer_en = models.TextField(_("answer (English)"), blank=True)
    services = models.ManyToManyField(
        "catalog.Service", verbose_name=_("services"), blank=True, related_name="faqs"
    )
    order = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    updated_at = models.DateTimeField(auto_now=True)

    question = Bilingual("question")
    answer = Bilingual("answer")
    objects = PublishedQuerySet.as_manager()

    class Meta:
        ordering = ["category__order", "order", "id"]
        verbose_name = _("FAQ entry")
        verbose_name_plural = _("FAQ entries")

    def __str__(self) -> str:
        return str(self.question)


class Guide(models.Model):
    slug = models.SlugField(unique=True, max_length=80)
    title_id = models.CharField(_("title (Indonesian)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    summary_id = models.TextField(_("summary (Indonesian)"))
    summary_en = models.TextField(_("summary (English)"), blank=True)
    services = models.ManyToManyField("catalog.Service", blank=True, related_name="guides")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    # A service's step-by-step tutorial with pictures of the real pages (content.tutorials).
    is_tutorial = models.BooleanField(_("tutorial"), default=False, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    title = Bilingual("title")
    summary = Bilingual("summary")
    objects = PublishedQuerySet.as_manager()

    class Meta:
        ordering = ["title_id"]
        verbose_name = _("guide")
        verbose_name_plural = _("guides")

    def __str__(self) -> str:
        return str(self.title)


class GuideStep(models.Model):
    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(default=0)
    text_id = models.TextField(_("text (Indonesian)"))
    text_en = models.TextField(_("text (English)"), blank=True)
    # A picture of the step, re-encoded on upload (core.images) and stored under a random name.
    image = models.FileField(_("image"), upload_to="guides/", blank=True)
    image_alt_id = models.CharField(_("image description (Indonesian)"), max_length=200, blank=True)
    image_alt_en = models.CharField(_("image description (English)"), max_length=200, blank=True)
    # A tutorial's step: the picture of the real page that scripts/tutorial_shots.py takes, in
    # each language (content.tutorials); shown instead of an uploaded image.
    shot = models.CharField(_("picture of the page"), max_length=100, blank=True, editable=False)

    text = Bilingual("text")
    image_alt = Bilingual("image_alt")

    class Meta:
        ordering = ["guide", "order"]

    def __str__(self) -> str:
        return f"{self.guide.slug} #{self.order}"


class Level(models.TextChoices):
    INFO = "info", _("Information")
    WARNING = "warning", _("Warning")
    EMERGENCY = "emergency", _("Emergency")


class AnnouncementQuerySet(PublishedQuerySet["Announcement"]):
    def active(self, now: object = None) -> Self:
        moment = now or timezone.now()
        return (
            self.published()
            .filter(starts_at__lte=moment)
            .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=moment))
        )


class Announcement(models.Model):
    """A notice, national (no office) or for one office, shown between its start and end."""

    office = models.ForeignKey(
        "catalog.Office",
        verbose_name=_("office"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="announcements",
    )
    level = models.CharField(_("level"), max_length=16, choices=Level.choices, default=Level.INFO)
    title_id = models.CharField(_("title (Indonesian)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    body_id = models.TextField(_("text (Indonesian)"))
    body_en = models.TextField(_("text (English)"), blank=True)
    starts_at = models.DateTimeField(_("shown from"), default=timezone.now)
    ends_at = models.DateTimeField(_("shown until"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    # Service groups (catalog categories) the notice stops at its office while it is shown.
    suspends = models.JSONField(_("services stopped"), default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    title = Bilingual("title")
    body = Bilingual("body")
    objects = AnnouncementQuerySet.as_manager()
    # Set by ``services.announcement_save``: how many people with an appointment were told.
    notified_bookings = 0

    class Meta:
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="announcement_ends_after_start",
                violation_error_message=_("The notice must end after it starts."),
            )
        ]
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")

    def __str__(self) -> str:
        return str(self.title)


class ChannelKind(models.TextChoices):
    WEBSITE = "website", _("Website")
    SOCIAL = "social", _("Social media account")
    PHONE = "phone", _("Phone or WhatsApp number")
    EMAIL = "email", _("Email address")
    APP = "app", _("Mobile app")


class OfficialChannel(models.Model):
    """An official website, account, number or address; the scam checker matches against these."""

    kind = models.CharField(_("kind"), max_length=16, choices=ChannelKind.choices)
    value = models.CharField(_("as shown"), max_length=200)
    # The normalised form the checker compares with (see content.channels.normalize).
    normalized = models.CharField(max_length=200, unique=True, editable=False)
    label_id = models.CharField(_("what it is (Indonesian)"), max_length=200)
    label_en = models.CharField(_("what it is (English)"), max_length=200, blank=True)
    office = models.ForeignKey(
        "catalog.Office",
        verbose_name=_("office"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="channels",
    )

    label = Bilingual("label")

    class Meta:
        ordering = ["kind", "value"]
        verbose_name = _("official channel")
        verbose_name_plural = _("official channels")

    def __str__(self) -> str:
        return self.value


class Audience(models.TextChoices):
    APPLICANT = "applicant", _("Everyone who applies")
    FOREIGNER = "foreigner", _("Foreigners in Indonesia")


class RightKind(models.TextChoices):
    RIGHT = "right", _("Right")
    DUTY = "duty", _("Duty")


class RightsEntry(models.Model):
    """One right or duty on the public "rights and duties" page, with the law it comes from."""

    audience = models.CharField(_("for whom"), max_length=16, choices=Audience.choices)
    kind = models.CharField(_("right or duty"), max_length=8, choices=RightKind.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title_id = models.CharField(_("title (Indonesian)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    body_id = models.TextField(_("text (Indonesian)"), blank=True)
    body_en = models.TextField(_("text (English)"), blank=True)
    # The law it comes from: an article only where it is certain, otherwise the law's name.
    basis_id = models.CharField(_("legal basis (Indonesian)"), max_length=300, blank=True)
    basis_en = models.CharField(_("legal basis (English)"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    updated_at = models.DateTimeField(auto_now=True)

    title = Bilingual("title")
    body = Bilingual("body")
    basis = Bilingual("basis")
    objects = PublishedQuerySet.as_manager()

    class Meta:
        ordering = ["audience", "kind", "order", "id"]
        verbose_name = _("right or duty")
        verbose_name_plural = _("rights and duties")

    def __str__(self) -> str:
        return str(self.title)


class CampaignQuerySet(PublishedQuerySet["ScamCampaign"]):
    def running(self, now: object = None) -> Self:
        moment = now or timezone.now()
        return (
            self.published()
            .filter(starts_at__lte=moment)
            .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=moment))
        )

    def started(self, now: object = None) -> Self:
        return self.published().filter(starts_at__lte=now or timezone.now())


class ScamCampaign(models.Model):
    """A scam-awareness campaign: a warning about one scam, its tell-tale signs and what to do,
    shown for a period nationally (no offices) or on the pages of the offices it targets."""

    title_id = models.CharField(_("title (Indonesian)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    message_id = models.TextField(_("message (Indonesian)"), blank=True)
    message_en = models.TextField(_("message (English)"), blank=True)
    # One sign, and one action, per line.
    signs_id = models.TextField(_("tell-tale signs (Indonesian)"), blank=True)
    signs_en = models.TextField(_("tell-tale signs (English)"), blank=True)
    actions_id = models.TextField(_("what to do (Indonesian)"), blank=True)
    actions_en = models.TextField(_("what to do (English)"), blank=True)
    starts_at = models.DateTimeField(_("runs from"), default=timezone.now)
    ends_at = models.DateTimeField(_("runs until"), null=True, blank=True)
    offices = models.ManyToManyField(
        "catalog.Office", verbose_name=_("offices"), blank=True, related_name="scam_campaigns"
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    updated_at = models.DateTimeField(auto_now=True)

    title = Bilingual("title")
    message = Bilingual("message")
    signs = Bilingual("signs")
    actions = Bilingual("actions")
    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="campaign_ends_after_start",
                violation_error_message=_("The campaign must end after it starts."),
            )
        ]
        verbose_name = _("scam-awareness campaign")
        verbose_name_plural = _("scam-awareness campaigns")

    def __str__(self) -> str:
        return str(self.title)

    @property
    def sign_lines(self) -> list[str]:
        return [line.strip() for line in str(self.signs).splitlines() if line.strip()]

    @property
    def action_lines(self) -> list[str]:
        return [line.strip() for line in str(self.actions).splitlines() if line.strip()]

    def is_running(self, now: object = None) -> bool:
        moment = now or timezone.now()
        return (
            self.status == Status.PUBLISHED
            and self.starts_at <= moment  # type: ignore[operator]
            and (self.ends_at is None or self.ends_at > moment)  # type: ignore[operator]
        )
