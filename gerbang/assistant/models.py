"""What the assistant keeps: synonyms that content staff add to the built-in table of the field.

The built-in table (``assistant/synonyms.py``) holds the variants every Indonesian immigration
office meets (paspor/passport, ilang/hilang, brp/berapa, ...); staff add their own here, from the
questions the assistant could not answer, and the retriever folds them the same way.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Synonym(models.Model):
    # A word or phrase as people write it ("pasport ilang"), folded to lower case.
    variant = models.CharField(_("as people write it"), max_length=80, unique=True)
    # What it means in the knowledge base's words ("paspor hilang").
    meaning = models.CharField(_("means"), max_length=80)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["variant"]
        verbose_name = _("synonym")
        verbose_name_plural = _("synonyms")

    def __str__(self) -> str:
        return f"{self.variant} → {self.meaning}"


class Channel(models.TextChoices):
    WEB = "web", _("Web page")
    API = "api", _("API")


class Conversation(models.Model):
    """One browser session's (or one API client session's) questions.

    Tied to no account on purpose: the questions are kept to learn what people ask, and a row
    that pointed at a person would make every stored question part of their file. The session
    holds the key; the key is random and says nothing of the session itself.
    """

    key = models.CharField(max_length=32, unique=True)
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.WEB)
    started_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")

    def __str__(self) -> str:
        return f"{self.channel} {self.started_at:%Y-%m-%d %H:%M}"


class Turn(models.Model):
    """One question and what the assistant made of it. The question is masked before it is
    written (``assistant.masking``): never the text as typed."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="turns")
    asked_at = models.DateTimeField(default=timezone.now, db_index=True)
    question = models.CharField(_("question (masked)"), max_length=600)
    kind = models.CharField(_("reply"), max_length=16)
    language = models.CharField(max_length=8)
    # The entry answered with ("faq:<slug>", "service:<code>"), or the closest suggestion.
    entry_key = models.CharField(max_length=120, blank=True)
    personal_topic = models.CharField(max_length=16, blank=True)
    score = models.FloatField(default=0.0)
    retriever = models.CharField(max_length=32, blank=True)
    answer_ms = models.PositiveIntegerField(default=0)
    # Content staff dealt with this question (made an FAQ entry or a synonym from its group, or
    # decided nothing was needed).
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["asked_at", "id"]
        verbose_name = _("question asked")
        verbose_name_plural = _("questions asked")
        indexes = [models.Index(fields=["kind", "asked_at"])]

    def __str__(self) -> str:
        return self.question
