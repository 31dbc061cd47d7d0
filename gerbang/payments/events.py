"""What the payments app tells the others."""

from __future__ import annotations

from dataclasses import dataclass

from gerbang.applications.models import Application
from gerbang.core.events import DomainEvent
from gerbang.payments.models import Payment


@dataclass(frozen=True, kw_only=True)
class PaymentSettled(DomainEvent):
    """``payment`` paid ``application``'s fee (through the provider, or at a bank counter as
    recorded by staff); published in the transaction that records it, before the case moves on."""

    payment: Payment
    application: Application
