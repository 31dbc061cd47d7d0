"""What payment events mean, in words (see ``gerbang.core.event_text``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gerbang.core.event_text import register
from gerbang.core.formatting import rupiah
from gerbang.payments.models import AnomalyKind


def _amount(name: Any) -> Any:
    def sentence(details: Mapping[str, Any]) -> str:
        amount = details.get("amount")
        if isinstance(amount, int):
            return _("%(what)s: %(amount)s.") % {"what": name, "amount": rupiah(amount)}
        return f"{name}."

    return sentence


def _anomaly(details: Mapping[str, Any]) -> str:
    return _("Payment anomaly recorded.")


register("payment.bill_issued", gettext_lazy("Bill issued"), _amount(gettext_lazy("Bill issued")))
register("payment.failed", gettext_lazy("Payment failed"), _amount(gettext_lazy("Payment failed")))
register("payment.refunded", gettext_lazy("Payment refunded"), _amount(gettext_lazy("Payment refunded")))
register("payment.anomaly_resolved", gettext_lazy("Payment anomaly resolved"))
register(
    "payment.personal_data_erased",
    gettext_lazy("Personal data of a payment record erased"),
    lambda details: _(
        "The free texts of a payment record (a refund's reason, a failure's or an anomaly's note) "
        "were erased: its retention period ended."
    ),
)
register("payment.anomaly.", gettext_lazy("Payment anomaly"), _anomaly)
for kind in AnomalyKind:
    register(
        f"payment.anomaly.{kind.value}",
        kind.label,
        (lambda label: lambda details: _("Payment anomaly: %(kind)s.") % {"kind": label})(kind.label),
    )
