"""The administrators' figure "delivered within 10 seconds" measures what it says: from the
message's creation to its delivery, of every delivery whose 10 seconds are up."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from gerbang.accounts.tests.factories import UserFactory
from gerbang.notifications.models import Delivery, DeliveryStatus, OutboxMessage
from gerbang.notifications.selectors import delivery_stats

pytestmark = pytest.mark.django_db


def email_delivery(key: str, created: datetime, status: str, delivered_after: float | None = None) -> None:
    user = UserFactory.create()
    message = OutboxMessage.objects.create(
        recipient=user, kind="application.submit", dedup_key=key, created_at=created, fanned_out_at=created
    )
    Delivery.objects.create(
        message=message,
        channel="email",
        status=status,
        delivered_at=created + timedelta(seconds=delivered_after) if delivered_after is not None else None,
    )


def test_late_and_waiting_deliveries_count_against_the_share() -> None:
    now = timezone.now()
    long_ago = now - timedelta(minutes=5)
    email_delivery("fast", long_ago, DeliveryStatus.DELIVERED, 2)
    email_delivery("slow", long_ago, DeliveryStatus.DELIVERED, 27)
    email_delivery("still-waiting", long_ago, DeliveryStatus.CREATED)
    email_delivery("retrying", long_ago, DeliveryStatus.TEMPORARY_FAILURE)
    email_delivery("our-error", long_ago, DeliveryStatus.TECHNICAL_FAILURE)
    # Not counted: created a moment ago and still on its way; and one that can never arrive.
    email_delivery("just-now", now - timedelta(seconds=3), DeliveryStatus.SENDING)
    email_delivery("no-such-address", long_ago, DeliveryStatus.PERMANENT_FAILURE)
    [email], _causes = delivery_stats(now=now)
    assert (email.total, email.delivered, email.waiting, email.failed) == (7, 2, 3, 2)
    assert (email.within_10s, email.timed) == (1, 5)
    assert email.share_within_10s == 20.0


def test_the_time_runs_from_the_messages_creation() -> None:
    now = timezone.now()
    email_delivery("nine-seconds", now - timedelta(minutes=1), DeliveryStatus.DELIVERED, 9.9)
    email_delivery("eleven-seconds", now - timedelta(minutes=1), DeliveryStatus.DELIVERED, 11)
    [email], _causes = delivery_stats(now=now)
    assert (email.within_10s, email.timed, email.share_within_10s) == (1, 2, 50.0)
