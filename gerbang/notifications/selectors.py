"""Reading notifications: the inbox, and delivery statistics for administrators."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from gerbang.core import messages as message_kinds
from gerbang.core.calendar import years_later
from gerbang.core.training import is_synthetic_address
from gerbang.notifications import push, sms
from gerbang.notifications.kinds import LEGAL_CHANNELS, kind_of
from gerbang.notifications.models import (
    Channel,
    ChannelPreference,
    Delivery,
    DeliveryStatus,
    InboxItem,
    OutboxMessage,
    PushSubscription,
)

FAST_ENOUGH = timedelta(seconds=10)


def inbox_of(user: Any) -> QuerySet[InboxItem]:
    return InboxItem.objects.filter(recipient=user)


def unread_count(user: Any) -> int:
    return InboxItem.objects.filter(recipient=user, read_at__isnull=True).count()


@dataclass
class ChannelStats:
    channel: str
    label: str
    total: int
    delivered: int
    within_10s: int
    waiting: int
    failed: int
    # Deliveries whose 10 seconds are up (delivered, failed for our part, or still waiting
    # after 10 s): what the share within 10 seconds is taken of.
    timed: int = 0

    @property
    def share_within_10s(self) -> float:
        return round(100 * self.within_10s / self.timed, 1) if self.timed else 0.0


def delivery_stats(
    *, since: datetime | None = None, now: datetime | None = None
) -> tuple[list[ChannelStats], list[tuple[str, str, int]]]:
    """Per channel: delivered, the share delivered within 10 seconds of the message's creation,
    waiting and failed; and failures grouped by channel and cause.

    The share is taken of every delivery whose 10 seconds are up: one still waiting after
    10 seconds, or failed on our side, counts as late (leaving it out would flatter a slow
    queue); one created less than 10 seconds ago and still on its way is not counted yet; one
    that can never be delivered (a permanent failure: a number that does not exist, say) is
    counted among the failures, not the times."""
    moment = now or timezone.now()
    start = since or moment - timedelta(days=7)
    rows = Delivery.objects.filter(message__created_at__gte=start).values_list(
        "channel", "status", "delivered_at", "message__created_at", "last_error"
    )
    stats = {c.value: ChannelStats(c.value, str(c.label), 0, 0, 0, 0, 0) for c in Channel}
    causes: Counter[tuple[str, str]] = Counter()
    failed_states = {DeliveryStatus.PERMANENT_FAILURE, DeliveryStatus.TECHNICAL_FAILURE}
    for channel, status, delivered_at, created_at, error in rows:
        entry = stats[channel]
        entry.total += 1
        if status == DeliveryStatus.DELIVERED:
            entry.delivered += 1
            entry.timed += 1
            if delivered_at is not None and delivered_at - created_at <= FAST_ENOUGH:
                entry.within_10s += 1
        elif status in failed_states:
            entry.failed += 1
            entry.timed += int(status == DeliveryStatus.TECHNICAL_FAILURE)
        else:
            entry.waiting += 1
            entry.timed += int(moment - created_at > FAST_ENOUGH)
        if status in failed_states or status == DeliveryStatus.TEMPORARY_FAILURE:
            causes[(channel, _cause(error))] += 1
    return [s for s in stats.values() if s.total], [(c, cause, n) for (c, cause), n in causes.most_common()]


def _cause(error: str) -> str:
    """The kind of an error without its details (addresses, ids), for grouping."""
    head = error.split(":")[0].strip() if error else "unknown"
    return head[:60]


def dead_letters() -> QuerySet[Delivery]:
    return (
        Delivery.objects.filter(
            status__in=[DeliveryStatus.PERMANENT_FAILURE, DeliveryStatus.TECHNICAL_FAILURE]
        )
        .select_related("message__recipient")
        .order_by("-message__created_at")
    )


# A delivery left "sending" this long was cut off (the worker died): it is tried again.
STUCK_AFTER = timedelta(minutes=5)


def chosen_channels(user: Any, group: str) -> set[str]:
    preference = ChannelPreference.objects.filter(user=user, group=group).first()
    if preference is not None:
        return set(preference.channels)
    groups = message_kinds.groups()
    chosen: set[str] = set(groups[group].default_channels) if group in groups else {Channel.EMAIL}
    if not user.email:
        # A person without an email address (registered at the office) is told by SMS
        # whatever the group's default, until they choose for themselves.
        chosen.add(Channel.SMS)
    return chosen


def channels_for(message: OutboxMessage) -> set[str]:
    # A synthetic person (the training office's, docs/training.md) gets the in-app inbox only:
    # nothing about a training case leaves the system, whatever the kind or its preferences.
    if is_synthetic_address(message.recipient.email or ""):
        return {Channel.INBOX}
    kind = kind_of(message.kind)
    if kind.fixed_channels is not None:
        return {c for c in kind.fixed_channels if c != Channel.EMAIL or message.recipient.email}
    wanted = chosen_channels(message.recipient, kind.group) | {Channel.INBOX}
    if kind.legal:
        wanted |= LEGAL_CHANNELS
    if not message.recipient.phone or not sms.available():
        wanted.discard(Channel.SMS)
    if not message.recipient.email:
        wanted.discard(Channel.EMAIL)
    if not push.available() or not push_devices_taking(message.recipient, kind.group):
        wanted.discard(Channel.PUSH)
    return wanted


def push_devices(user: Any) -> list[PushSubscription]:
    """The person's devices signed up for browser notifications, the newest first."""
    return list(PushSubscription.objects.filter(user=user).order_by("-created_at", "-pk"))


def push_devices_taking(user: Any, group: str) -> list[PushSubscription]:
    """The person's devices that show messages of ``group`` (each device keeps its own choice;
    a few per person, so the choice is read here rather than by a JSON query SQLite lacks)."""
    return [device for device in PushSubscription.objects.filter(user=user) if device.takes(group)]


def attemptable(now: datetime) -> Q:
    """Due (new, or a temporary failure whose wait is over), or left "sending" by a worker
    that died."""
    return Q(
        status__in=[DeliveryStatus.CREATED, DeliveryStatus.TEMPORARY_FAILURE], next_attempt_at__lte=now
    ) | Q(status=DeliveryStatus.SENDING, sending_started_at__lte=now - STUCK_AFTER)


SWEEP_AT_MOST = 500


def due_deliveries(*, now: datetime | None = None) -> list[int]:
    """Deliveries to attempt now: new ones, temporary failures whose wait is over, and those
    left "sending" by a worker that died."""
    moment = now or timezone.now()
    return list(Delivery.objects.filter(attemptable(moment)).values_list("pk", flat=True)[:SWEEP_AT_MOST])


def backlog(*, now: datetime | None = None) -> list[int]:
    """Messages the sweeper dispatches, oldest first: those never fanned out (their commit's
    dispatch was lost, e.g. the queue was down) and those with a delivery due again."""
    moment = now or timezone.now()
    missed = OutboxMessage.objects.filter(fanned_out_at__isnull=True).values_list("pk", flat=True)[
        :SWEEP_AT_MOST
    ]
    due = (
        Delivery.objects.filter(attemptable(moment))
        .values_list("message_id", flat=True)
        .distinct()[:SWEEP_AT_MOST]
    )
    return sorted(set(missed) | set(due))


# --- Retention (UU PDP Pasal 44) --------------------------------------------------------------------


def retention_years() -> int:
    return int(settings.DATA_RETENTION_YEARS["messages"])


def retention_cutoff(now: datetime) -> datetime:
    """Messages written before this moment are past their retention period."""
    return years_later(now, -retention_years())


def messages_past_retention(now: datetime) -> QuerySet[OutboxMessage]:
    return OutboxMessage.objects.filter(created_at__lt=retention_cutoff(now))


def messages_to(person: Any) -> QuerySet[OutboxMessage]:
    return OutboxMessage.objects.filter(recipient=person)


# Deliveries that may still be attempted: after erasure nothing more may leave.
UNFINISHED = (DeliveryStatus.CREATED, DeliveryStatus.SENDING, DeliveryStatus.TEMPORARY_FAILURE)
