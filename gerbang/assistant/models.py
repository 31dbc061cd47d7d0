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
