"""Writing notifications (always inside the caller's transaction, never sending from it) and
delivering them afterwards, channel by channel, with retries and dead letters."""

from __future__ import annotations

import hashlib
import logging
import smtplib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from gerbang.core import events
from gerbang.core import messages as message_kinds
from gerbang.core.actors import Actor, SystemActor
from gerbang.core.consents import ConsentGiven
from gerbang.core.events import DomainEvent
from gerbang.core.exceptions import Conflict, PermissionDenied, ValidationError
from gerbang.core.permissions import Perm, require_permission
from gerbang.notifications import push, sms
from gerbang.notifications.consents import PUSH_PURPOSE
from gerbang.notifications.failures import PermanentFailure, TemporaryFailure
from gerbang.notifications.kinds import kind_of, offered_channels
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
from gerbang.notifications.selectors import (
    UNFINISHED,
    attemptable,
    backlog,
    channels_for,
    messages_past_retention,
    messages_to,
    push_devices_taking,
    retention_cutoff,
)

logger = logging.getLogger(__name__)


def outbox_add(*, recipient: Any, kind: str, dedup_key: str, context: dict[str, Any]) -> OutboxMessage:
    """Queue one message in the caller's transaction. The same dedup key twice keeps the first.
    When the transaction commits, the worker is handed its messages at once (no polling)."""
    bulk = kind_of(kind).bulk  # an unregistered kind is refused here, before anything is written
    message, created = OutboxMessage.objects.get_or_create(
        dedup_key=dedup_key, defaults={"recipient": recipient, "kind": kind, "context": context}
    )
    if created:
        _dispatch_on_commit(message.pk, bulk=bulk)
    return message


# A transaction that writes more messages than this is a broadcast (an office closure, a notice
# to every booking): its messages go to the backlog lane, behind the messages people wait for.
FRESH_AT_MOST = 10


@dataclass
class Lanes:
    """Which messages a worker takes first: ``fresh`` ones (what one person's action just
    caused, e.g. a password reset or a decision) before the ``backlog`` (broadcasts, scheduled
    reminders, retries and whatever the sweeper finds)."""

    fresh: list[int] = field(default_factory=list)
    backlog: list[int] = field(default_factory=list)


def lanes_for(message_ids: list[int], *, bulk: bool) -> Lanes:
    if bulk or len(message_ids) > FRESH_AT_MOST:
        return Lanes(backlog=list(message_ids))
    return Lanes(fresh=list(message_ids))


class _CommitDispatch:
    """The messages one transaction wrote, handed to the worker when it commits: one callback
    per transaction (not one per message), so the lane can depend on how many there are."""

    def __init__(self) -> None:
        self.message_ids: list[int] = []
        self.bulk = True

    def add(self, message_id: int, *, bulk: bool) -> None:
        self.message_ids.append(message_id)
        self.bulk = self.bulk and bulk

    def __call__(self) -> None:
        from gerbang.notifications.tasks import enqueue

        try:
            enqueue(lanes_for(self.message_ids, bulk=self.bulk))
        except Exception:
            # The queue is down (or, in tests, a task failed in-line): the sweeper retries.
            logger.exception("dispatch of messages %s postponed", self.message_ids[:20])


def _dispatch_on_commit(message_id: int, *, bulk: bool) -> None:
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        # Django keeps the callbacks of the open transaction (and drops those of a savepoint
        # rolled back); a message of a savepoint rolled back later is skipped by the worker.
        for _savepoints, callback, _robust in connection.run_on_commit:
            if isinstance(callback, _CommitDispatch):
                callback.add(message_id, bulk=bulk)
                return
    dispatch = _CommitDispatch()
    dispatch.add(message_id, bulk=bulk)
    transaction.on_commit(dispatch)


# --- Choosing channels ------------------------------------------------------------------------


@transaction.atomic
def preferences_set(*, user: Any, choices: dict[str, list[str]]) -> None:
    groups = message_kinds.groups()
    for group, channels in choices.items():
        if group not in groups:
            raise ValidationError(_("Unknown kind of message."), field=group)
        unknown = set(channels) - set(offered_channels(group))
        if unknown:
            raise ValidationError(_("Unknown channel."), field=group)
        ChannelPreference.objects.update_or_create(
            user=user, group=group, defaults={"channels": sorted(channels)}
        )
    events.record(
        "notifications.preferences_saved", actor=user, subject=user, details={"groups": sorted(choices)}
    )


# --- Delivering -------------------------------------------------------------------------------


# The order a message's deliveries are attempted in: what costs least first.
CHANNEL_ORDER: dict[str, int] = {Channel.INBOX: 0, Channel.PUSH: 1, Channel.EMAIL: 2, Channel.SMS: 3}


@transaction.atomic
def fan_out(message_id: int) -> list[int]:
    """Create the message's deliveries (once) and return the ids of those to attempt: new
    ones, temporary failures and those left "sending" (each attempt checks it is due)."""
    message = OutboxMessage.objects.select_for_update().select_related("recipient").get(pk=message_id)
    if message.fanned_out_at is None:
        Delivery.objects.bulk_create(
            [Delivery(message=message, channel=channel) for channel in sorted(channels_for(message))],
            ignore_conflicts=True,
        )
        message.fanned_out_at = timezone.now()
        message.save(update_fields=["fanned_out_at"])
    return list(
        message.deliveries.filter(
            status__in=[DeliveryStatus.CREATED, DeliveryStatus.TEMPORARY_FAILURE, DeliveryStatus.SENDING]
        ).values_list("pk", flat=True)
    )


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min … up to 6 hours between attempts."""
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 6 * 3600))


def _claim(delivery_id: int, now: datetime) -> int | None:
    """Mark a due delivery as being sent, in one conditional UPDATE committed before anything
    leaves (two workers cannot both claim it); returns its attempt number, or None."""
    claimed = Delivery.objects.filter(attemptable(now), pk=delivery_id).update(
        status=DeliveryStatus.SENDING, attempts=F("attempts") + 1, sending_started_at=now
    )
    if not claimed:
        return None
    return int(Delivery.objects.filter(pk=delivery_id).values_list("attempts", flat=True).get())


def _finish(delivery: Delivery, **changes: Any) -> None:
    Delivery.objects.filter(pk=delivery.pk).update(**changes)


def delivery_attempt(delivery_id: int, *, now: datetime | None = None) -> str:
    """Try one delivery once. Returns its new status."""
    delivery = Delivery.objects.select_related("message__recipient").get(pk=delivery_id)
    status = _attempt(delivery, now or timezone.now(), lambda: render(delivery.message))
    return status or Delivery.objects.get(pk=delivery_id).status


def message_dispatch(message_id: int, *, now: datetime | None = None) -> dict[str, str]:
    """Fan a message out (once) and attempt each of its deliveries that is due, rendering the
    message once for all of them. Returns the status of each delivery attempted, by channel.
    A message that no longer exists (its transaction's savepoint was rolled back) is skipped."""
    try:
        candidates = fan_out(message_id)
    except OutboxMessage.DoesNotExist:
        return {}
    moment = now or timezone.now()  # after the fan-out: its new deliveries are due
    deliveries = sorted(
        Delivery.objects.filter(pk__in=candidates).select_related("message__recipient"),
        key=lambda d: CHANNEL_ORDER.get(d.channel, 9),
    )
    rendered: list[Rendered] = []

    def rendered_once() -> Rendered:
        if not rendered:
            rendered.append(render(deliveries[0].message))
        return rendered[0]

    outcome = {}
    for delivery in deliveries:
        status = _attempt(delivery, moment, rendered_once)
        if status is not None:
            outcome[delivery.channel] = status
    return outcome


def messages_dispatch(message_ids: list[int], *, now: datetime | None = None) -> dict[str, int]:
    """Dispatch several messages one after the other; counts attempts and deliveries."""
    counts = {"attempted": 0, "delivered": 0}
    for message_id in message_ids:
        outcome = message_dispatch(message_id, now=now)
        counts["attempted"] += len(outcome)
        counts["delivered"] += sum(1 for status in outcome.values() if status == DeliveryStatus.DELIVERED)
    return counts


def _attempt(delivery: Delivery, moment: datetime, rendered: Callable[[], Rendered]) -> str | None:
    """Claim the delivery and send it; its new status, or None when it was not due."""
    attempts = _claim(delivery.pk, moment)
    if attempts is None:
        return None
    delivery.attempts = attempts
    try:
        provider, provider_id = _send(delivery, rendered())
    except TemporaryFailure as error:
        if attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
            status = DeliveryStatus.PERMANENT_FAILURE
            reason = f"gave up after {attempts} attempts: {error}"
        else:
            status, reason = DeliveryStatus.TEMPORARY_FAILURE, str(error)
        _finish(
            delivery,
            status=status,
            last_error=reason[:300],
            next_attempt_at=moment + backoff(attempts),
        )
        return status
    except PermanentFailure as error:
        _finish(delivery, status=DeliveryStatus.PERMANENT_FAILURE, last_error=str(error)[:300])
        return DeliveryStatus.PERMANENT_FAILURE
    except Exception as error:
        logger.exception("delivery %s failed on our side", delivery.pk)
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
            push_devices_taking(message.recipient, kind_of(message.kind).group),
            title=rendered.subject,
            body=rendered.sms or rendered.text,
            url=rendered.link,
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


def sweep(*, now: datetime | None = None) -> dict[str, int]:
    """The safety net, in-line: dispatch every message of the backlog."""
    moment = now or timezone.now()
    return messages_dispatch(backlog(now=moment), now=moment)


@transaction.atomic
def delivery_retry(*, delivery: Delivery, actor: Actor) -> Delivery:
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
    from gerbang.notifications.tasks import FRESH, deliver

    try:
        deliver(delivery_id, priority=FRESH)
    except Exception:
        logger.exception("delivery %s postponed", delivery_id)


@transaction.atomic
def inbox_mark_read(*, user: Any, item_ids: list[int] | None = None) -> int:
    items = InboxItem.objects.filter(recipient=user, read_at__isnull=True)
    if item_ids is not None:
        items = items.filter(pk__in=item_ids)
    return int(items.update(read_at=timezone.now()))


@transaction.atomic
def push_subscribe(
    *, user: Any, endpoint: str, p256dh: str, auth: str, user_agent: str = ""
) -> PushSubscription:
    """Sign a browser up for push messages. A browser signing up again (new keys) keeps the
    name and the choice of messages the person gave it."""
    if not endpoint.startswith("https://") and not (settings.SIMULATORS and endpoint.startswith("http")):
        raise ValidationError(_("This browser's push address is not valid."), field="endpoint")
    if not p256dh or not auth:
        raise ValidationError(_("This browser did not give its encryption keys."), field="keys")
    subscription, created = PushSubscription.objects.update_or_create(
        endpoint=endpoint[:600],
        defaults={"user": user, "p256dh": p256dh[:200], "auth": auth[:100]},
        create_defaults={
            "user": user,
            "p256dh": p256dh[:200],
            "auth": auth[:100],
            "name": push.device_label(user_agent)[:80],
        },
    )
    events.record("notifications.push_subscribed", actor=user, subject=user, details={})
    if created:
        # The browser asked the person first; the record of that consent is kept (core.consents).
        events.publish(ConsentGiven(person=user, purpose=PUSH_PURPOSE))
    return subscription


def push_forget_all(user: Any) -> int:
    """Stop push notifications to every browser of ``user`` (the consent was withdrawn)."""
    deleted, _detail = PushSubscription.objects.filter(user=user).delete()
    return int(deleted)


@transaction.atomic
def push_device_update(*, user: Any, device_id: int, name: str, groups: list[str]) -> PushSubscription:
    """Rename one of the person's devices and choose which groups of messages it shows (of
    those the person chose browser notifications for; none stops it without forgetting it)."""
    device = PushSubscription.objects.select_for_update().filter(user=user, pk=device_id).first()
    if device is None:
        raise PermissionDenied(_("This device is not signed up on your account."))
    known = message_kinds.groups()
    unknown = sorted(set(groups) - set(known))
    if unknown:
        raise ValidationError(_("Choose messages from the list."), field="groups")
    name = " ".join(name.split())
    if len(name) > 80:
        raise ValidationError(_("A device name is at most 80 characters."), field="name")
    device.name = name or device.name
    device.groups = [key for key in known if key in groups]
    device.save(update_fields=["name", "groups"])
    events.record(
        "notifications.push_device_changed",
        actor=user,
        subject=user,
        details={"device": device.pk, "groups": device.groups},
    )
    return device


@transaction.atomic
def push_device_remove(*, user: Any, device_id: int) -> int:
    """Stop push messages to one of the person's devices (from any other device)."""
    deleted, _detail = PushSubscription.objects.filter(user=user, pk=device_id).delete()
    if deleted:
        events.record(
            "notifications.push_device_removed", actor=user, subject=user, details={"device": device_id}
        )
    return int(deleted)


@transaction.atomic
def push_unsubscribe(*, user: Any, endpoint: str) -> int:
    deleted, _detail = PushSubscription.objects.filter(user=user, endpoint=endpoint).delete()
    return int(deleted)


def event_messages_write(event: DomainEvent) -> None:
    """Every published event's messages, queued in its transaction (subscribed in ``apps.py``
    to all events): the app that publishes needs no notification code."""
    for message in event.messages():
        outbox_add(
            recipient=message.recipient,
            kind=message.kind,
            dedup_key=message.dedup_key,
            context=message.context,
        )


# --- Erasure and retention (UU PDP Pasal 43-44) ----------------------------------------------------


@dataclass(frozen=True)
class PersonMessages:
    """What erasure does, or would do, to a person's notifications."""

    inbox: int  # inbox items removed
    preferences: int  # channel choices removed
    push: int  # browsers signed up for push messages, removed
    expired: int  # messages past their retention period, removed with their deliveries
    kept: int  # messages within it: kept, emptied of their facts, nothing more sent
    latest_kept: datetime | None  # when the newest of those was written


def person_messages_plan(*, person: Any, now: datetime) -> PersonMessages:
    """What ``person_messages_erase`` would do now (nothing is written)."""
    messages = messages_to(person)
    cutoff = retention_cutoff(now)
    kept = messages.filter(created_at__gte=cutoff)
    return PersonMessages(
        inbox=InboxItem.objects.filter(recipient=person).count(),
        preferences=ChannelPreference.objects.filter(user=person).count(),
        push=PushSubscription.objects.filter(user=person).count(),
        expired=messages.filter(created_at__lt=cutoff).count(),
        kept=kept.count(),
        latest_kept=kept.order_by("-created_at").values_list("created_at", flat=True).first(),
    )


@transaction.atomic
def person_messages_erase(*, person: Any, now: datetime, actor: Actor) -> PersonMessages:
    """Erase what the notifications hold about ``person`` at their request.

    The inbox (the rendered texts), channel choices and push sign-ups go at once. A message of
    the outbox is the record that the authority told the person something (a decision, a request
    for a document, a cancelled visit) and when, on which channel, whether it arrived: it is kept
    for ``DATA_RETENTION_YEARS["messages"]``, but emptied of its facts (``context``: ids and
    codes, a sign-in alert's network addresses), of the gateways' error texts, and of every
    delivery not made yet, so nothing more is sent. Older messages go with their deliveries."""
    if not isinstance(actor, SystemActor) and getattr(actor, "pk", None) != person.pk:
        raise PermissionDenied()
    plan = person_messages_plan(person=person, now=now)
    InboxItem.objects.filter(recipient=person).delete()
    ChannelPreference.objects.filter(user=person).delete()
    PushSubscription.objects.filter(user=person).delete()
    messages = messages_to(person)
    messages.filter(created_at__lt=retention_cutoff(now)).delete()
    Delivery.objects.filter(message__recipient=person, status__in=UNFINISHED).delete()
    Delivery.objects.filter(message__recipient=person).exclude(last_error="").update(last_error="")
    messages.filter(fanned_out_at__isnull=True).update(fanned_out_at=now)
    messages.exclude(context={}).update(context={})
    events.record(
        "notifications.person_erased",
        actor=actor,
        subject=person,
        details={
            "inbox": plan.inbox,
            "preferences": plan.preferences,
            "push": plan.push,
            "expired": plan.expired,
            "kept": plan.kept,
        },
    )
    return plan


@transaction.atomic
def messages_expire(*, now: datetime, actor: SystemActor) -> int:
    """The retention sweep: every message written more than ``DATA_RETENTION_YEARS["messages"]``
    ago goes, with its deliveries and its inbox item, whoever it was for. Each person whose
    messages went gets one event saying so (ids only)."""
    if not isinstance(actor, SystemActor):
        raise PermissionDenied()
    expired = messages_past_retention(now)
    counts: dict[int, int] = {}
    for recipient_id in expired.values_list("recipient_id", flat=True):
        counts[recipient_id] = counts.get(recipient_id, 0) + 1
    if not counts:
        return 0
    cutoff = retention_cutoff(now)
    expired.delete()
    people = get_user_model().objects.filter(pk__in=counts).order_by("pk")
    events.record_many(
        "notifications.messages_expired",
        actor=actor,
        subjects=[(recipient, None) for recipient in people],
        details={"written_before": cutoff.isoformat()},
    )
    return sum(counts.values())
