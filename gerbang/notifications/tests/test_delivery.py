"""Delivery of notifications: fan-out per channel, email (also through a real SMTP server),
SMS with a fallback gateway, the inbox, retries, a worker killed mid-send, dead letters."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils import timezone, translation

from gerbang.accounts.models import Role
from gerbang.accounts.tests.factories import sign_in_with_2fa, staff
from gerbang.applications.tests import factories as f
from gerbang.notifications import selectors, services
from gerbang.notifications.models import Channel, Delivery, DeliveryStatus, InboxItem, OutboxMessage
from gerbang.payments.services import bills_expiring_remind
from gerbang.simulators.models import GatewayState, SimulatedSms

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def world() -> f.World:
    world = f.make_world()
    world.applicant.phone = "+6281234567890"
    world.applicant.save()
    return world


def deliver_all(message: OutboxMessage) -> dict[str, str]:
    for delivery_id in services.fan_out(message.pk):
        services.delivery_attempt(delivery_id)
    return dict(message.deliveries.values_list("channel", "status"))


def test_an_event_reaches_email_sms_and_the_inbox(world: f.World) -> None:
    application = f.submitted(world)
    message = OutboxMessage.objects.get(kind="application.issue_bill")
    statuses = deliver_all(message)
    assert statuses == {"email": "delivered", "sms": "delivered", "inbox": "delivered"}
    email = mail.outbox[-1]
    bill = application.bills.get()
    assert email.to == [world.applicant.email]
    assert "Pay Rp 350,000" in email.subject and bill.billing_code[:4] in email.body
    assert "Billing code" in str(email.alternatives[0][0])  # type: ignore[attr-defined]
    assert email.extra_headers["Message-ID"].endswith("@gerbang>")
    sms = SimulatedSms.objects.get()
    assert sms.gateway == "sms-a" and sms.to == "+6281234567890" and bill.billing_code in sms.text
    item = InboxItem.objects.get(recipient=world.applicant)
    assert item.subject == email.subject and item.link.endswith(f"/applications/{application.pk}/")


def test_message_in_the_recipients_language(world: f.World) -> None:
    world.applicant.language = "id"
    world.applicant.save()
    f.submitted(world)
    deliver_all(OutboxMessage.objects.get(kind="application.submit"))
    assert "diterima" in mail.outbox[-1].subject


def test_gateway_a_down_gateway_b_takes_over(world: f.World) -> None:
    GatewayState.objects.create(gateway="sms-a", down=True)
    f.submitted(world)
    message = OutboxMessage.objects.get(kind="application.submit")
    assert deliver_all(message)["sms"] == "delivered"
    assert SimulatedSms.objects.get().gateway == "sms-b"
    assert message.deliveries.get(channel="sms").provider == "sms-b"


def test_both_gateways_down_then_retried_later(world: f.World) -> None:
    GatewayState.objects.create(gateway="sms-a", down=True)
    GatewayState.objects.create(gateway="sms-b", down=True)
    f.submitted(world)
    message = OutboxMessage.objects.get(kind="application.submit")
    assert deliver_all(message)["sms"] == "temporary_failure"
    delivery = message.deliveries.get(channel="sms")
    assert "sms-a: HTTP 503" in delivery.last_error and delivery.next_attempt_at > timezone.now()
    GatewayState.objects.filter(gateway="sms-b").update(down=False)
    assert services.sweep()["attempted"] == 0  # not yet due
    with time_machine.travel(delivery.next_attempt_at + timedelta(seconds=1)):
        services.sweep()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.attempts == 2
    assert SimulatedSms.objects.filter(client_reference=message.dedup_key).count() == 1


def test_invalid_number_is_a_permanent_failure_and_a_dead_letter_admins_can_retry(world: f.World) -> None:
    world.applicant.phone = "+62"
    world.applicant.save()
    f.submitted(world)
    message = OutboxMessage.objects.get(kind="application.submit")
    assert deliver_all(message)["sms"] == "permanent_failure"
    delivery = message.deliveries.get(channel="sms")
    admin = staff(Role.NATIONAL_ADMIN, [])
    browser = Client()
    browser.cookies["django_language"] = "en"
    sign_in_with_2fa(browser, admin)
    page = browser.get("/backoffice/notifications/").content.decode()
    assert "invalid number" in page
    world.applicant.phone = "+6281234567890"
    world.applicant.save()
    with pytest.raises(Exception, match="Only failed"):
        services.delivery_retry(delivery=message.deliveries.get(channel="email"), actor=admin)
    browser.post(f"/backoffice/notifications/deliveries/{delivery.pk}/retry/")
    services.delivery_attempt(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED


def test_legal_messages_always_go_to_email_and_inbox(world: f.World) -> None:
    services.preferences_set(user=world.applicant, choices={"decision": [], "application": [], "payment": []})
    application = f.in_verification(world)
    for message in OutboxMessage.objects.filter(kind="application.start_verification"):
        assert set(deliver_all(message)) == {"inbox"}
    payment = OutboxMessage.objects.get(
        kind="application.record_payment", context__application_id=application.pk
    )
    assert set(deliver_all(payment)) == {"email", "inbox"}


def test_the_same_dedup_key_twice_is_one_message(world: f.World) -> None:
    first = services.outbox_add(
        recipient=world.applicant, kind="application.submit", dedup_key="k1", context={}
    )
    second = services.outbox_add(
        recipient=world.applicant, kind="application.cancel", dedup_key="k1", context={}
    )
    assert first.pk == second.pk and OutboxMessage.objects.filter(dedup_key="k1").count() == 1


def test_a_kind_no_app_registered_is_refused_before_anything_is_written(world: f.World) -> None:
    with pytest.raises(LookupError, match=r"messages\.py"):
        services.outbox_add(recipient=world.applicant, kind="nobody.registered", dedup_key="k2", context={})
    assert not OutboxMessage.objects.filter(dedup_key="k2").exists()


def test_a_worker_killed_between_sending_and_recording_loses_nothing(world: f.World) -> None:
    f.submitted(world)
    message = OutboxMessage.objects.get(kind="application.submit")
    services.fan_out(message.pk)
    email = message.deliveries.get(channel="email")
    # The worker marked it "sending", sent it, and died before recording the result.
    Delivery.objects.filter(pk=email.pk).update(
        status=DeliveryStatus.SENDING, attempts=1, sending_started_at=timezone.now()
    )
    assert services.sweep()["attempted"] == 2  # sms and inbox; the email waits: it may still be in flight
    with time_machine.travel(timezone.now() + selectors.STUCK_AFTER + timedelta(seconds=1)):
        services.sweep()
    email.refresh_from_db()
    assert email.status == DeliveryStatus.DELIVERED and email.attempts == 2
    assert Delivery.objects.filter(message=message, channel=Channel.EMAIL).count() == 1


def test_reminder_before_a_bill_expires_once(world: f.World) -> None:
    application = f.submitted(world)
    bill = application.bills.get()
    assert bills_expiring_remind() == 0
    with time_machine.travel(bill.expires_at - timedelta(minutes=30)):
        assert bills_expiring_remind() == 1
        assert bills_expiring_remind() == 0
    message = OutboxMessage.objects.get(kind="payment.bill_expiring")
    deliver_all(message)
    assert "expires soon" in mail.outbox[-1].subject


def test_inbox_page_unread_count_and_mark_read(world: f.World) -> None:
    f.submitted(world)
    for message in OutboxMessage.objects.all():
        deliver_all(message)
    browser = Client()
    browser.cookies["django_language"] = "en"
    browser.force_login(world.applicant)
    home = browser.get("/account/").content.decode()
    assert "2 unread messages" in home
    inbox = browser.get("/account/inbox/").content.decode()
    assert "received" in inbox
    # The link opens within the site, whatever address the message was written for.
    item = InboxItem.objects.filter(recipient=world.applicant).exclude(link="").first()
    assert item is not None and item.link.startswith(settings.SITE_URL)
    assert f'href="{item.href}"' in inbox and item.href.startswith("/")
    browser.post("/account/inbox/read/")
    assert "unread message" not in browser.get("/account/").content.decode()


def test_preferences_page(world: f.World) -> None:
    browser = Client()
    browser.cookies["django_language"] = "en"
    browser.force_login(world.applicant)
    page = browser.get("/account/notifications/").content.decode()
    assert "Progress of my applications" in page
    browser.post(
        "/account/notifications/", {"application": ["email"], "payment": ["email", "sms"], "decision": []}
    )
    assert selectors.chosen_channels(world.applicant, "application") == {"email"}
    assert selectors.chosen_channels(world.applicant, "payment") == {"email", "sms"}
    # Decisions always go by email: it is not offered as a box that could be unticked.
    page = browser.get("/account/notifications/").content.decode()
    assert 'name="decision" value="email"' not in page and 'name="decision" value="sms"' in page
    assert 'name="payment" value="email"' in page


class Recorder:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(envelope)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_real_smtp_server_down_then_up(world: f.World, settings: Any) -> None:
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 5
    f.submitted(world)
    message = OutboxMessage.objects.get(kind="application.submit")
    assert deliver_all(message)["email"] == "temporary_failure"  # nothing listens yet
    email = message.deliveries.get(channel="email")
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with time_machine.travel(email.next_attempt_at + timedelta(seconds=1)):
            services.sweep()
    finally:
        controller.stop()
    email.refresh_from_db()
    assert email.status == DeliveryStatus.DELIVERED
    assert len(recorder.messages) == 1
    received = recorder.messages[0]
    assert received.rcpt_tos == [world.applicant.email]
    body = received.content.decode()
    assert "Content-Type: multipart/alternative" in body and "text/html" in body


def test_every_template_previews_in_both_languages() -> None:
    from gerbang.notifications.previews import template_names

    TEMPLATE_NAMES = template_names()

    admin = staff(Role.NATIONAL_ADMIN, [])
    browser = Client()
    browser.cookies["django_language"] = "en"
    sign_in_with_2fa(browser, admin)
    assert "accounts/email/verify" in TEMPLATE_NAMES and "payments/messages/bill_issued" in TEMPLATE_NAMES
    for name in TEMPLATE_NAMES:
        response = browser.get(f"/backoffice/notifications/templates/{name}/")
        assert response.status_code == 200, name
        assert response.content.decode().count("<iframe") == 2
    assert browser.get("/backoffice/notifications/templates/nothing/").status_code == 404
    # The sample says what happened, and the email is whole inside its frame, in its language.
    decision = browser.get(
        "/backoffice/notifications/templates/applications/messages/decision/"
    ).content.decode()
    assert "Application approved" in decision and "Permohonan disetujui" in decision
    frames = re.findall(r'srcdoc="([^"]*)"', decision)
    assert len(frames) == 2 and all("&lt;/html&gt;" in frame for frame in frames)
    assert "lang=&quot;en&quot;" in frames[1] and "lang=&quot;id&quot;" in frames[0]
    assert Client().get("/backoffice/notifications/").status_code == 302
