"""What the notifications hold about a person (UU PDP): the messages written to them and how each
was delivered, their in-app inbox, their choice of channels and the browsers signed up for push
messages.

Erasure: the inbox, the choices and the push sign-ups go at once. A message is the record that
the authority told the person something, when, and whether it arrived (what a dispute about a
missed deadline turns on), so it is kept for ``DATA_RETENTION_YEARS["messages"]`` after it was
written, emptied of its facts and with nothing more sent; then the retention sweep removes it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from gerbang.core import formatting, messages
from gerbang.core.actors import WORKER
from gerbang.core.calendar import local_date, years_later
from gerbang.core.data_subjects import Activity, Basis, Outcome, Provider, Section, int_ids, iso, register
from gerbang.notifications import rendering, selectors, services
from gerbang.notifications.models import (
    ChannelPreference,
    Delivery,
    InboxItem,
    OutboxMessage,
    PushSubscription,
)

if TYPE_CHECKING:
    from django.utils.functional import Promise


def _retention() -> str:
    years = selectors.retention_years()
    return ngettext(
        "The messages for %(years)d year after they were written; the inbox until the person asks "
        "for erasure, at the latest as long as its message",
        "The messages for %(years)d years after they were written; the inbox until the person asks "
        "for erasure, at the latest as long as its message",
        years,
    ) % {"years": years}


# Read when shown, in the reader's language and with the years the settings give.
RETENTION = cast("Promise", lazy(_retention, str)())

ACTIVITIES = (
    Activity(
        key="notifications.messages",
        name=_("Messages to the person"),
        data=_(
            "Which message was written to the person and when (about their application, payment, "
            "visit, question or report), the facts it showed, on which channels it was delivered "
            "and whether it arrived; the in-app inbox with the texts"
        ),
        purpose=_("Telling people about their dealings with the offices, as the service standards require"),
        basis=Basis.PUBLIC_TASK,
        law="UU No. 25/2009 (Pelayanan Publik)",
        retention=RETENTION,
        recipients=_(
            "The person; the email, SMS and push services that carry the messages; "
            "administrators of deliveries that failed"
        ),
    ),
    Activity(
        key="notifications.choices",
        name=_("Notification choices and devices"),
        data=_(
            "The channels the person chose for each kind of message; browsers signed up for push messages"
        ),
        purpose=_("Sending messages on the channels the person chose"),
        basis=Basis.CONSENT,
        law="UU No. 27/2022 Pasal 20(2)a",
        retention=_("Until the person changes them or asks for erasure"),
        recipients=_("The person; the browser's push service"),
    ),
)


logger = logging.getLogger(__name__)

NOT_REBUILT = _("The text of this message can no longer be shown.")
SECRET_LINKS = _(
    "The text of this email held a link for your account that worked only for a while; it is not "
    "made again here."
)


def _as_received(message: OutboxMessage) -> tuple[str, str]:
    """The subject and text the person was shown: the inbox's copy when there is one; otherwise
    rendered again, in the person's language, from the facts the message keeps (an email-only
    message). A message whose links carried a secret is not rendered again: its subject only."""
    try:
        item = message.inbox_item
    except ObjectDoesNotExist:
        item = None
    if item is not None:
        return item.subject, item.body
    kind = messages.kind_of(message.kind)
    if kind is None:
        return "", str(NOT_REBUILT)
    try:
        rendered = rendering.render(message)
    except Exception:
        # The facts it named may be gone (an erased case): the rest of the copy still comes.
        logger.exception("message %s could not be rendered for the person's copy", message.pk)
        return "", str(NOT_REBUILT)
    if kind.secret_links:
        return rendered.subject, str(SECRET_LINKS)
    return rendered.subject, rendered.text


def _delivery_line(delivery: Delivery) -> str:
    """ "Email: Delivered, 6 December 2026, 04:50 WIB" / "SMS: Permanent failure (3 attempts)"."""
    line = f"{delivery.get_channel_display()}: {delivery.get_status_display()}"
    if delivery.delivered_at is not None:
        return f"{line}, {formatting.moment(delivery.delivered_at)}"
    if delivery.attempts > 1:
        return (
            line
            + " "
            + ngettext("(%(n)d attempt)", "(%(n)d attempts)", delivery.attempts) % {"n": delivery.attempts}
        )
    return line


def export(person: Any) -> list[Section]:
    messages_rows = []
    for message in (
        selectors.messages_to(person)
        .select_related("recipient", "inbox_item")
        .prefetch_related("deliveries")
        .order_by("created_at", "pk")
    ):
        subject, text = _as_received(message)
        messages_rows.append(
            {
                "written_at": iso(message.created_at),
                "subject": subject,
                "text": text,
                "deliveries": "; ".join(_delivery_line(d) for d in message.deliveries.all()),
            }
        )
    inbox = [
        {
            "subject": item.subject,
            "body": item.body,
            "link": item.link,
            "at": iso(item.created_at),
            "read_at": iso(item.read_at),
        }
        for item in InboxItem.objects.filter(recipient=person).order_by("created_at", "pk")
    ]
    choices = [
        {"group": preference.group, "channels": list(preference.channels)}
        for preference in ChannelPreference.objects.filter(user=person).order_by("group")
    ]
    push = [
        {
            "name": subscription.name,
            "endpoint": subscription.endpoint,
            "since": iso(subscription.created_at),
            "groups": "all" if subscription.groups is None else ", ".join(subscription.groups),
        }
        for subscription in PushSubscription.objects.filter(user=person).order_by("pk")
    ]
    sections = [
        Section("messages", _("Messages sent to you"), messages_rows),
        Section("inbox", _("Your inbox"), inbox),
        Section("notification_choices", _("Your notification choices"), choices),
        Section("push", _("Browsers signed up for notifications"), push),
    ]
    return [section for section in sections if section.rows]


def _kept_until(written: datetime | None) -> date | None:
    if written is None:
        return None
    return local_date(years_later(written, selectors.retention_years()), settings.TIME_ZONE)


KEPT = _(
    "Kept as the record that you were told, when and on which channel, emptied of its facts; "
    "nothing more is sent"
)


def erase(person: Any, now: datetime, dry_run: bool) -> list[Outcome]:
    if dry_run:
        done = services.person_messages_plan(person=person, now=now)
    else:
        done = services.person_messages_erase(person=person, now=now, actor=WORKER)
    return [
        Outcome("notifications.inbox", _("Your inbox"), erased=done.inbox),
        Outcome(
            "notifications.choices",
            _("Notification choices and browsers"),
            erased=done.preferences + done.push,
        ),
        Outcome(
            "notifications.messages",
            _("Messages sent to you"),
            erased=done.expired,
            kept=done.kept,
            kept_until=_kept_until(done.latest_kept),
            reason=KEPT if done.kept else "",
        ),
    ]


def expire(now: datetime, dry_run: bool) -> list[Outcome]:
    if dry_run:
        count = selectors.messages_past_retention(now).count()
    else:
        count = services.messages_expire(now=now, actor=WORKER)
    return [Outcome("notifications.messages", _("Messages past their retention period"), erased=count)]


def _delivery_owners(subject_ids: Sequence[str]) -> dict[str, int]:
    rows = Delivery.objects.filter(pk__in=int_ids(subject_ids)).values_list("pk", "message__recipient_id")
    return {str(pk): recipient for pk, recipient in rows}


register(
    Provider(
        key="notifications",
        activities=ACTIVITIES,
        export=export,
        erase=erase,
        expire=expire,
        owners={"notifications.delivery": _delivery_owners},
    )
)
