"""The notifications' answer to the data-protection rights (UU PDP): messages, deliveries, the
inbox, choices and push sign-ups exported; the inbox, choices and push erased at once; messages
kept, emptied, for their retention period, then swept."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.utils import translation

from gerbang.accounts.models import User
from gerbang.accounts.tests.factories import UserFactory
from gerbang.applications.tests import factories as f
from gerbang.core import data_subjects
from gerbang.core.models import Event
from gerbang.notifications import data_subject
from gerbang.notifications.models import (
    ChannelPreference,
    Delivery,
    DeliveryStatus,
    InboxItem,
    OutboxMessage,
    PushSubscription,
)

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2027, 3, 1, 3, 0, tzinfo=dt.UTC)


def message(
    person: User, key: str, *, written: dt.datetime, context: dict[str, Any], status: str
) -> OutboxMessage:
    made = OutboxMessage.objects.create(
        recipient=person,
        kind="account.failed_sign_ins",
        dedup_key=key,
        context=context,
        created_at=written,
        fanned_out_at=written,
    )
    Delivery.objects.create(
        message=made, channel="email", status=status, provider="smtp", last_error=f"550 no {person.email}"
    )
    Delivery.objects.create(message=made, channel="inbox", status=DeliveryStatus.DELIVERED)
    InboxItem.objects.create(
        recipient=person,
        message=made,
        subject=f"Sign-ins to {person.full_name}",
        body=f"From {context['ip']}",
    )
    return made


@pytest.fixture
def two() -> tuple[User, User]:
    siti = UserFactory.create(full_name="Siti Rahmawati", email="siti@example.test")
    agus = UserFactory.create(full_name="Agus Setiawan", email="agus@example.test")
    for person, ip in ((siti, "10.1.1.1"), (agus, "10.2.2.2")):
        message(
            person,
            f"old-{person.pk}",
            written=NOW - dt.timedelta(days=365 * 3),
            context={"ip": ip},
            status="delivered",
        )
        message(
            person,
            f"new-{person.pk}",
            written=NOW - dt.timedelta(days=30),
            context={"ip": ip},
            status="temporary_failure",
        )
        ChannelPreference.objects.create(user=person, group="case", channels=["email", "sms"])
        PushSubscription.objects.create(
            user=person, endpoint=f"https://push.example/{person.email}", p256dh="k", auth="a"
        )
    return siti, agus


def test_the_export_holds_the_person_s_messages_and_nobody_else_s(two: tuple[User, User]) -> None:
    siti, _agus = two
    sections = {s.key: s for s in data_subject.export(siti)}
    assert set(sections) == {"messages", "inbox", "notification_choices", "push"}
    text = json.dumps([s.rows for s in sections.values()])
    assert (
        "10.1.1.1" in text and "Siti Rahmawati" in text and "https://push.example/siti@example.test" in text
    )
    assert "10.2.2.2" not in text and "Agus" not in text and "agus@example.test" not in text
    assert len(sections["messages"].rows) == 2
    # The message as the inbox showed it, not its stored facts; each channel's delivery in words.
    first = sections["messages"].rows[0]
    assert first["subject"] == "Sign-ins to Siti Rahmawati" and first["text"] == "From 10.1.1.1"
    assert "facts" not in first and "ip" not in json.dumps(first)
    with translation.override("en"):
        lines = data_subject.export(siti)[0].rows
    assert (
        lines[0]["deliveries"].startswith("Email: Delivered")
        and "In-app inbox: Delivered" in lines[0]["deliveries"]
    )
    assert lines[1]["deliveries"].startswith("Email: Temporary failure")
    # The browser's keys are not given back (they are the browser's, not the person's).
    assert '"k"' not in text


def test_a_dry_run_says_what_would_happen_and_writes_nothing(two: tuple[User, User]) -> None:
    siti, _agus = two
    events = Event.objects.count()
    outcomes = {o.key: o for o in data_subject.erase(siti, NOW, True)}
    assert outcomes["notifications.inbox"].erased == 2
    assert outcomes["notifications.choices"].erased == 2
    assert (outcomes["notifications.messages"].erased, outcomes["notifications.messages"].kept) == (1, 1)
    assert OutboxMessage.objects.filter(recipient=siti).count() == 2
    assert InboxItem.objects.filter(recipient=siti).count() == 2
    assert Event.objects.count() == events


def test_erasure_empties_what_is_kept_and_stops_what_was_not_sent(two: tuple[User, User]) -> None:
    siti, agus = two
    outcomes = {o.key: o for o in data_subject.erase(siti, NOW, False)}
    kept = outcomes["notifications.messages"]
    assert (kept.erased, kept.kept) == (1, 1)
    # Written 30 days before NOW, kept for two years after: 2029-01-30 in Jakarta.
    assert kept.kept_until == dt.date(2029, 1, 30)
    assert not InboxItem.objects.filter(recipient=siti).exists()
    assert not ChannelPreference.objects.filter(user=siti).exists()
    assert not PushSubscription.objects.filter(user=siti).exists()
    left = OutboxMessage.objects.get(recipient=siti)
    assert left.dedup_key == f"new-{siti.pk}" and left.context == {}
    # The delivery not made yet is gone (nothing more is sent); the one made stays, without errors.
    assert list(left.deliveries.values_list("channel", "status", "last_error")) == [
        ("inbox", "delivered", "")
    ]
    # The other person keeps everything.
    assert OutboxMessage.objects.filter(recipient=agus).count() == 2
    assert InboxItem.objects.filter(recipient=agus).count() == 2
    assert Delivery.objects.filter(message__recipient=agus).exclude(last_error="").count() == 2
    assert Event.objects.get(code="notifications.person_erased").subject_id == str(siti.pk)


def test_the_sweep_removes_only_messages_past_their_period(two: tuple[User, User]) -> None:
    siti, agus = two
    planned = data_subject.expire(NOW, True)
    assert planned[0].erased == 2 and OutboxMessage.objects.count() == 4
    done = data_subject.expire(NOW, False)
    assert done[0].erased == 2
    assert sorted(OutboxMessage.objects.values_list("dedup_key", flat=True)) == sorted(
        [f"new-{siti.pk}", f"new-{agus.pk}"]
    )
    assert InboxItem.objects.count() == 2 and Delivery.objects.count() == 4
    assert Event.objects.filter(code="notifications.messages_expired").count() == 2
    # A day before the period ends for the newer ones: nothing more goes.
    assert data_subject.expire(NOW + dt.timedelta(days=365 * 2 - 31), False)[0].erased == 0
    assert data_subject.expire(NOW + dt.timedelta(days=365 * 2), False)[0].erased == 2


def test_deliveries_trace_back_to_their_recipient(two: tuple[User, User]) -> None:
    siti, agus = two
    ids = [str(d.pk) for d in Delivery.objects.filter(message__recipient__in=[siti, agus])]
    owners = data_subjects.owners_of("notifications.delivery", [*ids, str(2**63), "-1", "abc"])
    assert set(owners) == set(ids)
    assert {owners[str(d.pk)] for d in Delivery.objects.filter(message__recipient=siti)} == {siti.pk}


def test_an_email_without_inbox_copy_is_rendered_as_the_person_received_it() -> None:
    world = f.make_world()
    f.submitted(world)
    message = OutboxMessage.objects.get(kind="application.submit")
    InboxItem.objects.filter(message=message).delete()
    Delivery.objects.create(
        message=message, channel="email", status=DeliveryStatus.PERMANENT_FAILURE, attempts=3
    )
    message.recipient.language = "en"
    message.recipient.save(update_fields=["language"])
    with translation.override("en"):
        (row,) = [
            r
            for r in data_subject.export(message.recipient)[0].rows
            if r["written_at"] == message.created_at.isoformat()
        ]
    assert "We received your application" in row["text"] and row["subject"]
    assert "Email: Permanent failure (3 attempts)" in row["deliveries"]


def test_an_email_whose_links_were_secret_is_not_made_again() -> None:
    person = UserFactory.create(language="en")
    OutboxMessage.objects.create(
        recipient=person, kind="account.password_reset", dedup_key="reset-1", context={}
    )
    with translation.override("en"):
        (row,) = data_subject.export(person)[0].rows
        assert row["text"] == str(data_subject.SECRET_LINKS)  # in the person's language
    assert row["subject"]  # what it was about
    assert "/account/" not in json.dumps(row)
