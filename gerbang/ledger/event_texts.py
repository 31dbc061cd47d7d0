"""What ledger events mean, in words (see ``gerbang.core.event_text``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gerbang.core.event_text import register


def _reconciled(details: Mapping[str, Any]) -> str:
    return _(
        "Events up to id %(through)s checked against the public ledger: %(examined)s read, %(found)s "
        "logged events missing, %(appended)s of them appended now."
    ) % {
        "through": details.get("through", "—"),
        "examined": details.get("examined", "—"),
        "found": details.get("found", "—"),
        "appended": details.get("appended", "—"),
    }


register("ledger.witness_registered", gettext_lazy("Ledger witness registered"))
register("ledger.witness_deactivated", gettext_lazy("Ledger witness retired"))
register("ledger.witness_reactivated", gettext_lazy("Ledger witness taken back"))
register("ledger.reconciled", gettext_lazy("Ledger reconciled"), _reconciled)
