"""What ledger events mean, in words (see ``gerbang.core.event_text``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from gerbang.core.event_text import register

register("ledger.witness_registered", gettext_lazy("Ledger witness registered"))
register("ledger.witness_deactivated", gettext_lazy("Ledger witness retired"))
register("ledger.witness_reactivated", gettext_lazy("Ledger witness taken back"))
