"""The account in /api/v1: register (the same answer for a taken address), confirm the
address, the profile, and turning two-factor sign-in on with an authenticator app."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from gerbang.accounts.models import User
from gerbang.accounts.tests.factories import UserFactory, current_code
from gerbang.notifications.models import OutboxMessage
from gerbang.notifications.services import delivery_attempt, fan_out

pytestmark = pytest.mark.django_db

STRONG = "kopi-tubruk-di-mesuji-2026"


def _send_mail() -> None:
    for message in OutboxMessage.objects.all():
        for delivery_id in fan_out(message.pk):
            delivery_attempt(delivery_id)


def test_register_confirm_and_turn_on_two_factor() -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    weak = client.post(
        "/api/v1/accounts/register",
        {"full_name": "Siti Rahayu", "email": "siti@surel.test", "password": "short"},
        content_type="application/json",
    )
    assert weak.status_code == 400 and weak.json()["field"] == "password"
    bad_address = client.post(
        "/api/v1/accounts/register",
        {"full_name": "Siti Rahayu", "email": "siti-at-example", "password": STRONG},
        content_type="application/json",
    )
    assert bad_address.status_code == 400 and bad_address.json()["field"] == "email"
    made = client.post(
        "/api/v1/accounts/register",
        {"full_name": "Siti Rahayu", "email": "siti@surel.test", "password": STRONG},
        content_type="application/json",
    )
    assert made.status_code == 202
    # An address already registered gets the same answer (its owner is told by email instead).
    again = client.post(
        "/api/v1/accounts/register",
        {"full_name": "Someone Else", "email": "SITI@surel.test", "password": STRONG},
        content_type="application/json",
    )
    assert again.status_code == 202 and again.json() == made.json()
    assert User.objects.filter(email="siti@surel.test").count() == 1
    _send_mail()
    link = next(m for m in mail.outbox if "siti@surel.test" in m.to and "/verify/" in m.body)
    token = re.search(r"/verify/([^/\s]+)/", str(link.body)).group(1)  # type: ignore[union-attr]
    assert (
        client.post(
            "/api/v1/accounts/verify", {"token": token + "x"}, content_type="application/json"
        ).status_code
        == 400
    )
    confirmed = client.post("/api/v1/accounts/verify", {"token": token}, content_type="application/json")
    assert confirmed.status_code == 200 and confirmed.json()["email_verified"] is True
    assert (
        client.post(
            "/api/v1/accounts/verify/resend", {"email": "siti@surel.test"}, content_type="application/json"
        ).status_code
        == 202
    )

    siti = User.objects.get(email="siti@surel.test")
    client.force_login(siti)
    assert client.get("/api/v1/me").json()["two_factor"] is False
    started = client.post("/api/v1/me/two-factor")
    assert started.status_code == 201
    setup = started.json()
    assert setup["otpauth_uri"].startswith("otpauth://totp/")
    device = TOTPDevice.objects.get(pk=setup["device_id"])
    wrong = client.post(
        "/api/v1/me/two-factor/confirm",
        {"device_id": device.pk, "code": "000000"},
        content_type="application/json",
    )
    assert wrong.status_code == 400 and "not right" in wrong.json()["detail"]
    done = client.post(
        "/api/v1/me/two-factor/confirm",
        {"device_id": device.pk, "code": current_code(device)},
        content_type="application/json",
    )
    assert done.status_code == 200 and len(done.json()["recovery_codes"]) >= 8
    assert client.get("/api/v1/me").json()["two_factor"] is True
    # Replacing the authenticator is not done through the API.
    assert client.post("/api/v1/me/two-factor").status_code == 409


def test_the_profile_is_ones_own_and_needs_a_session() -> None:
    assert Client().get("/api/v1/me").status_code == 401
    person = UserFactory.create(full_name="Budi Santoso")
    client = Client()
    client.force_login(person)
    assert client.get("/api/v1/me").json()["full_name"] == "Budi Santoso"
