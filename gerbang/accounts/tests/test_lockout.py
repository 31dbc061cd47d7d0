"""Failed sign-ins per account: strangers' browsers wait, longer after each failure; the owner
is never locked out (a known browser, a second factor given with the password, the emailed
link, a new password); the owner is told."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from gerbang.accounts import lockout, services
from gerbang.accounts.models import Role
from gerbang.accounts.tests.factories import PASSWORD, UserFactory, current_code, staff

pytestmark = pytest.mark.django_db
LOGIN = reverse("accounts:login")


def post_login(client: Client, email: str, password: str, **extra: str) -> Any:
    return client.post(LOGIN, {"email": email, "password": password, **extra})


def fail_until_waiting(client: Client, email: str, settings: Any) -> Any:
    for _attempt in range(settings.LOGIN_FAILURES_PER_ACCOUNT - 1):
        assert post_login(client, email, "wrong").status_code == 400
    return post_login(client, email, "wrong")


def test_a_new_browser_waits_after_the_limit_and_the_wait_grows(client: Client, settings: Any) -> None:
    user = UserFactory.create()
    waiting = fail_until_waiting(client, user.email, settings)
    assert waiting.status_code == 429 and waiting["Retry-After"] == "30"
    assert "can try again in 1 minute" in waiting.content.decode()
    assert f'value="{user.email}"' in waiting.content.decode()  # what was typed is kept
    # While it waits, not even the right password is checked: nothing can be guessed.
    assert post_login(client, user.email, PASSWORD).status_code == 429
    start = timezone.now()
    with time_machine.travel(start + timedelta(seconds=31)):
        again = post_login(client, user.email, "wrong")  # one more try, then a longer wait
        assert again.status_code == 429 and again["Retry-After"] == "60"
    with time_machine.travel(start + timedelta(seconds=31 + 61)):
        assert post_login(client, user.email, PASSWORD).status_code == 302
    assert lockout.wait_seconds(user.email) == 0  # signed in: the count starts again


def test_the_wait_is_capped(settings: Any) -> None:
    for _ in range(settings.LOGIN_FAILURES_PER_ACCOUNT + 20):
        lockout.failed("someone@example.test", address="198.51.100.7", now=1_000_000.0)
    assert lockout.wait_seconds("someone@example.test", now=1_000_000.0) == 15 * 60


def test_the_owners_browser_is_never_made_to_wait(client: Client, settings: Any) -> None:
    user = UserFactory.create()
    owner = Client()
    assert post_login(owner, user.email, PASSWORD).status_code == 302  # the browser is now known
    owner.post(
        reverse("accounts:logout")
    )  # as a person signs out (the test client's logout drops every cookie)
    stranger = Client()
    assert fail_until_waiting(stranger, user.email, settings).status_code == 429
    assert post_login(stranger, user.email, PASSWORD).status_code == 429
    assert post_login(owner, user.email, PASSWORD).status_code == 302
    # A known browser's cookie names an account, not every account.
    other = UserFactory.create()
    fail_until_waiting(Client(), other.email, settings)
    owner.post(reverse("accounts:logout"))
    assert post_login(owner, other.email, PASSWORD).status_code == 429


def test_an_officer_gets_in_with_password_and_code_together(client: Client, settings: Any) -> None:
    officer = staff(Role.OFFICER)
    device = TOTPDevice.objects.get(user=officer)
    assert fail_until_waiting(Client(), officer.email, settings).status_code == 429
    page = post_login(client, officer.email, PASSWORD).content.decode()
    assert 'name="otp_token"' in page  # asked for the code
    # A wrong code, or a wrong password with the right code: the same answer, a failure counted.
    wrong_code = post_login(client, officer.email, PASSWORD, otp_token="000000")
    wrong_password = post_login(client, officer.email, "wrong", otp_token=current_code(device))
    assert wrong_code.status_code == wrong_password.status_code == 429
    assert "_auth_user_id" not in client.session
    with time_machine.travel(timezone.now() + timedelta(seconds=30)):
        fresh = TOTPDevice.objects.get(pk=device.pk)
        response = post_login(client, officer.email, PASSWORD, otp_token=current_code(fresh))
    assert response.status_code == 302 and response["Location"] == reverse("backoffice:dashboard")
    assert client.session["otp_device_id"] == device.persistent_id


def test_an_applicant_without_a_second_factor_cannot_use_a_code(client: Client, settings: Any) -> None:
    user = UserFactory.create()
    fail_until_waiting(Client(), user.email, settings)
    assert post_login(client, user.email, PASSWORD, otp_token="123456").status_code == 429


def test_the_owner_is_told_once_and_the_link_lets_a_new_browser_in(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    user = UserFactory.create(full_name="Siti Rahmawati")
    attacker = Client(REMOTE_ADDR="198.51.100.23")
    with django_capture_on_commit_callbacks(execute=True):
        fail_until_waiting(attacker, user.email, settings)
        post_login(attacker, user.email, "wrong")  # more failures: no second email
    sent = [m for m in mail.outbox if m.to == [user.email]]
    assert len(sent) == 1
    body = str(sent[0].body)
    assert "failed to sign in to your Gerbang account 5 times" in body
    assert "198.51.100.23" in body and "WIB" in body
    link = re.search(r"http\S+/account/login/unlock/\S+/", body)
    assert link is not None
    owner = Client()
    path = "/" + link.group(0).split("://", 1)[1].split("/", 1)[1]
    opened = owner.get(path)
    assert opened.status_code == 302 and opened["Location"] == LOGIN
    # The link works once: a second browser opening it is not let in.
    again = Client()
    again.cookies["django_language"] = "en"
    assert "cannot be used" in again.get(path, follow=True).content.decode()
    assert post_login(again, user.email, PASSWORD).status_code == 429
    assert post_login(owner, user.email, PASSWORD).status_code == 302


def test_the_owners_link_lasts_an_hour_and_only_for_its_run_of_failures(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    user = UserFactory.create()
    with django_capture_on_commit_callbacks(execute=True):
        fail_until_waiting(Client(), user.email, settings)
    link = re.search(r"/account/login/unlock/\S+/", str(mail.outbox[-1].body))
    assert link is not None
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        assert Client().get(link.group(0))["Location"] == LOGIN
        assert lockout.use_unlock_token(link.group(0).split("/")[-2]) is None
    # A sign-in ends the run: its link is spent with it, and a later run has a link of its own.
    post_login(Client(), user.email, "wrong")
    services.sign_in_succeeded(email=user.email)
    token = link.group(0).split("/")[-2]
    assert lockout.use_unlock_token(token) is None
    assert lockout.use_unlock_token(token + "x") is None


def test_an_unknown_address_waits_like_a_real_one(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    real, ghost = UserFactory.create(), "ghost@example.test"
    with django_capture_on_commit_callbacks(execute=True):
        answer_real = fail_until_waiting(Client(), real.email, settings)
        answer_ghost = fail_until_waiting(Client(), ghost, settings)
    assert answer_real.status_code == answer_ghost.status_code == 429
    assert answer_real["Retry-After"] == answer_ghost["Retry-After"]
    assert [m.to for m in mail.outbox] == [[real.email]]  # only a real owner is written to


def test_one_account_waiting_does_not_hold_up_another(client: Client, settings: Any) -> None:
    victim, other = UserFactory.create(), UserFactory.create()
    fail_until_waiting(client, victim.email, settings)
    assert post_login(client, other.email, PASSWORD).status_code == 302


def test_a_new_password_ends_the_wait(client: Client, settings: Any) -> None:
    user = UserFactory.create()
    fail_until_waiting(client, user.email, settings)
    services.password_change(user=user, new_password="es-teler-segar", actor=user, by_reset_link=True)
    assert post_login(client, user.email, "es-teler-segar").status_code == 302
