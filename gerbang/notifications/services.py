"""Writing notifications (always inside the caller's transaction, never sending from it) and
delivering them afterwards, channel by channel, with retries and dead letters."""

from __future__ import annotations

import hashlib
import logging
import smtplib
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gerbang.accounts.permissions import Perm, require_permission
from gerbang.core import events
from gerbang.core.exceptions import Conflict, ValidationError
from gerbang.notifications import push, sms
from gerbang.notifications.failures import PermanentFailure, TemporaryFailure
from gerbang.notifications.kinds import CHOOSABLE_CHANNELS, GROUPS, LEGAL_CHANNELS, kind_of
from gerbang.notifications.models import (
    Channel,
    ChannelPreference,
    Delivery,
    DeliveryStatus,
    InboxItem,
    OutboxMessage,
    PushSubscription,
)
from gerbang.notifications.rendering import Rendered, render

logger = logging.getLogger(__name__)

# A delivery left "sending" this long was cut off (the worker died): it is tried again.
STUCK_AFTER = timedelta(minutes=5)


def outbox_add(*, recipient: Any, kind: str, dedup_key: str, context: dict[str, Any]) -> OutboxMessage:
    """Queue one message in the caller's transaction. The same dedup key twice keeps the first."""
    message, created = OutboxMessage.objects.get_or_create(
        dedup_key=dedup_key, defaults={"recipient": recipient, "kind": kind, "context": context}
    )
    if created:
        transaction.on_commit(lambda: _fan_out_soon(message.pk))
    return message


def _fan_out_soon(message_id: int) -> None:
    from gerbang.notifications.tasks import fan_out

    try:
        fan_out(message_id)
    except Exception:
        # Only when tasks run in-line (tests, or a queue that is down): the sweeper retries.
        logger.exception("fan-out of message %s postponed", message_id)


# --- Choosing channels ------------------------------------------------------------------------


def chosen_channels(user: Any, group: str) -> set[str]:
    preference = ChannelPreference.objects.filter(user=user, group=group).first()
    if preference is not None:
        return set(preference.channels)
    return set(GROUPS[group].default_channels) if group in GROUPS else {Channel.EMAIL}


def channels_for(message: OutboxMessage) -> set[str]:
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
    if not push.available() or not message.recipient.push_subscriptions.exists():
        wanted.discard(Channel.PUSH)
    return wanted


@transaction.atomic
def preferences_set(*, user: Any, choices: dict[str, list[str]]) -> None:
    for group, channels in choices.items():
        if group not in GROUPS:
            raise ValidationError(_("Unknown kind of message."), field=group)
        unknown = set(channels) - set(CHOOSABLE_CHANNELS)
        if unknown:
            raise ValidationError(_("Unknown channel."), field=group)
        ChannelPreference.objects.update_or_create(
            user=user, group=group, defaults={"channels": sorted(channels)}
        )
    events.record(
        "notifications.preferences_saved", actor=user, subject=user, details={"groups": sorted(choices)}
    )


# --- Delivering -------------------------------------------------------------------------------


@transaction.atomic
def fan_out(message_id: int) -> list[int]:
    """Create the message's deliveries (once) and return the ids of those to attempt."""
    message = OutboxMessage.objects.select_for_update().select_related("recipient").get(pk=message_id)
    if message.fanned_out_at is None:
        for channel in sorted(channels_for(message)):
            Delivery.objects.get_or_create(message=message, channel=channel)
        message.fanned_out_at = timezone.now()
        message.save(update_fields=["fanned_out_at"])
    return list(
        message.deliveries.filter(
            status__in=[DeliveryStatus.CREATED, DeliveryStatus.TEMPORARY_FAILURE]
        ).values_list("pk", flat=True)
    )


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min … up to 6 hours between attempts."""
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 6 * 3600))


def _claim(delivery_id: int, now: datetime) -> Delivery | None:
    """Mark a due delivery as being sent (committed before anything leaves), or None."""
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update().select_related("message__recipient").get(pk=delivery_id)
        )
        due = (
            delivery.status in (DeliveryStatus.CREATED, DeliveryStatus.TEMPORARY_FAILURE)
            and delivery.next_attempt_at <= now
        )
        stuck = (
            delivery.status == DeliveryStatus.SENDING
            and delivery.sending_started_at is not None
            and delivery.sending_started_at <= now - STUCK_AFTER
        )
        if not (due or stuck):
            return None
        delivery.status = DeliveryStatus.SENDING
        delivery.attempts += 1
        delivery.sending_started_at = now
        delivery.save(update_fields=["status", "attempts", "sending_started_at"])
        return delivery


def _finish(delivery: Delivery, **changes: Any) -> None:
    Delivery.objects.filter(pk=delivery.pk).update(**changes)


def delivery_attempt(delivery_id: int, *, now: datetime | None = None) -> str:
    """Try one delivery once. Returns its new status."""
    moment = now or timezone.now()
    delivery = _claim(delivery_id, moment)
    if delivery is None:
        return Delivery.objects.get(pk=delivery_id).status
    try:
        rendered = render(delivery.message)
        provider, provider_id = _send(delivery, rendered)
    except TemporaryFailure as error:
        if delivery.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
            status = DeliveryStatus.PERMANENT_FAILURE
            reason = f"gave up after {delivery.attempts} attempts: {error}"
        else:
            status, reason = DeliveryStatus.TEMPORARY_FAILURE, str(error)
        _finish(
            delivery,
            status=status,
            last_error=reason[:300],
            next_attempt_at=moment + backoff(delivery.attempts),
        )
        return status
    except PermanentFailure as error:
        _finish(delivery, status=DeliveryStatus.PERMANENT_FAILURE, last_error=str(error)[:300])
        return DeliveryStatus.PERMANENT_FAILURE
    except Exception as error:
        logger.exception("delivery %s failed on our side", delivery_id)
        _finish(
            delivery,
            status=DeliveryStatus.TECHNICAL_FAILURE,
            last_error=f"{type(error).__name__}: {error}"[:300],
        )
        return DeliveryStatus.TECHNICAL_FAILURE
    _finish(
        delivery,
        status=DeliveryStatus.DELIVERED,
        delivered_at=timezone.now(),
        provider=provider,
        provider_message_id=provider_id[:100],
        last_error="",
    )
    return DeliveryStatus.DELIVERED


def _send(delivery: Delivery, rendered: Rendered) -> tuple[str, str]:
    message = delivery.message
    if delivery.channel == Channel.INBOX:
        item, _created = InboxItem.objects.get_or_create(
            message=message,
            defaults={
                "recipient": message.recipient,
                "subject": rendered.subject[:200],
                "body": rendered.text,
                "link": rendered.link,
            },
        )
        return "inbox", str(item.pk)
    if delivery.channel == Channel.EMAIL:
        return "smtp", _send_email(message, rendered)
    if delivery.channel == Channel.SMS:
        return sms.send(to=message.recipient.phone, text=rendered.sms, reference=message.dedup_key)
    if delivery.channel == Channel.PUSH:
        count = push.send(
            message.recipient, title=rendered.subject, body=rendered.sms or rendered.text, url=rendered.link
        )
        return "webpush", str(count)
    raise ValueError(f"channel {delivery.channel} cannot deliver")


def _send_email(message: OutboxMessage, rendered: Rendered) -> str:
    # A stable Message-ID: a message re-sent after a crash is recognisably the same one.
    digest = hashlib.sha256(message.dedup_key.encode()).hexdigest()[:32]
    message_id = f"<{digest}@gerbang>"
    email = EmailMultiAlternatives(
        subject=rendered.subject,
        body=rendered.text,
        to=[message.recipient.email],
        headers={"Message-ID": message_id},
    )
    email.attach_alternative(rendered.html, "text/html")
    try:
        email.send()
    except smtplib.SMTPResponseException as error:
        if 500 <= error.smtp_code < 600:
            raise PermanentFailure(f"SMTP {error.smtp_code}") from error
        raise TemporaryFailure(f"SMTP {error.smtp_code}") from error
    except smtplib.SMTPRecipientsRefused as error:
        codes = [code for code, _text in error.recipients.values()]
        if codes and all(500 <= code < 600 for code in codes):
            raise PermanentFailure(f"recipient refused: {codes}") from error
        raise TemporaryFailure(f"recipient refused: {codes}") from error
    except (TimeoutError, smtplib.SMTPException, OSError) as error:
        raise TemporaryFailure(f"{type(error).__name__}: {error}") from error
    return message_id


def due_deliveries(*, now: datetime | None = None) -> list[int]:
    """Deliveries to attempt now: new ones, temporary failures whose wait is over, and those
    left "sending" by a worker that died."""
    moment = now or timezone.now()
    due = Delivery.objects.filter(
        Q(status__in=[DeliveryStatus.CREATED, DeliveryStatus.TEMPORARY_FAILURE], next_attempt_at__lte=moment)
        | Q(status=DeliveryStatus.SENDING, sending_started_at__lte=moment - STUCK_AFTER)
    )
    return list(due.values_list("pk", flat=True)[:500])


def sweep(*, now: datetime | None = None) -> dict[str, int]:
    """The safety net: fan out messages whose fan-out never ran, and attempt every due delivery."""
    moment = now or timezone.now()
    counts = {"fanned_out": 0, "attempted": 0, "delivered": 0}
    for message_id in OutboxMessage.objects.filter(fanned_out_at__isnull=True).values_list("pk", flat=True)[
        :500
    ]:
        fan_out(message_id)
        counts["fanned_out"] += 1
    for delivery_id in due_deliveries(now=moment):
        counts["attempted"] += 1
        if delivery_attempt(delivery_id, now=moment) == DeliveryStatus.DELIVERED:
            counts["delivered"] += 1
    return counts


@transaction.atomic
def delivery_retry(*, delivery: Delivery, actor: Any) -> Delivery:
    """An administrator sends a dead letter again."""
    require_permission(actor, Perm.NOTIFICATIONS_MANAGE)
    delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
    if delivery.status not in (DeliveryStatus.PERMANENT_FAILURE, DeliveryStatus.TECHNICAL_FAILURE):
        raise Conflict(_("Only failed deliveries can be retried."))
    delivery.status = DeliveryStatus.CREATED
    delivery.attempts = 0
    delivery.next_attempt_at = timezone.now()
    delivery.save(update_fields=["status", "attempts", "next_attempt_at"])
    events.record(
        "notifications.delivery_retried", actor=actor, subject=delivery, details={"channel": delivery.channel}
    )
    transaction.on_commit(lambda: _attempt_soon(delivery.pk))
    return delivery


def _attempt_soon(delivery_id: int) -> None:
    from gerbang.notifications.tasks import deliver

    try:
        deliver(delivery_id)
    except Exception:
        logger.exception("delivery %s postponed", delivery_id)


@transaction.atomic
def inbox_mark_read(*, user: Any, item_ids: list[int] | None = None) -> int:
    items = InboxItem.objects.filter(recipient=user, read_at__isnull=True)
    if item_ids is not None:
        items = items.filter(pk__in=item_ids)
    return int(items.update(read_at=timezone.now()))


@transaction.atomic
def push_subscribe(*, user: Any, endpoint: str, p256dh: str, auth: str) -> PushSubscription:
    if not endpoint.startswith("https://") and not (settings.SIMULATORS and endpoint.startswith("http")):
        raise ValidationError(_("This browser's push address is not valid."), field="endpoint")
    if not p256dh or not auth:
        raise ValidationError(_("This browser did not give its encryption keys."), field="keys")
    subscription, _created = PushSubscription.objects.update_or_create(
        endpoint=endpoint[:600], defaults={"user": user, "p256dh": p256dh[:200], "auth": auth[:100]}
    )
    events.record("notifications.push_subscribed", actor=user, subject=user, details={})
    return subscription


@transaction.atomic
def push_unsubscribe(*, user: Any, endpoint: str) -> int:
    deleted, _detail = PushSubscription.objects.filter(user=user, endpoint=endpoint).delete()
    return int(deleted)
