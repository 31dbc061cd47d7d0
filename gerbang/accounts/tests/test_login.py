"""Sign-in: wrong passwords, the per-address limit, second factor, recovery codes, CSRF (the
per-account limit: test_lockout.py)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from gerbang.accounts import services
from gerbang.accounts.models import Role
from gerbang.accounts.tests.factories import PASSWORD, UserFactory, current_code, staff

pytestmark = pytest.mark.django_db
LOGIN = reverse("accounts:login")
CODE = reverse("accounts:login_code")


def post_login(client: Client, email: str, password: str, **extra: str) -> Any:
    return client.post(LOGIN, {"email": email, "password": password, **extra})


def test_wrong_password_and_unknown_email_get_the_same_answer(client: Client) -> None:
    user = UserFactory.create()
    wrong = post_login(client, user.email, "not-the-password")
    unknown = post_login(client, "nobody@example.test", "not-the-password")
    assert wrong.status_code == unknown.status_code == 400
    message = "The email address or password is not right."
    assert message in wrong.content.decode()
    assert message in unknown.content.decode()
    assert "_auth_user_id" not in client.session


def test_failed_sign_in_keeps_the_typed_email(client: Client) -> None:
    response = post_login(client, "siti@example.test", "wrong")
    assert 'value="siti@example.test"' in response.content.decode()


def test_too_many_failures_from_one_address_are_throttled(client: Client, settings) -> None:
    settings.LOGIN_FAILURES_PER_IP = 3
    for n in range(3):
        assert post_login(client, f"user{n}@example.test", "wrong").status_code == 400
    user = UserFactory.create()
    response = post_login(client, user.email, PASSWORD)
    assert response.status_code == 429
    assert "Too many failed sign-ins from your network" in response.content.decode()


def test_unverified_email_cannot_sign_in_and_is_offered_a_new_link(client: Client) -> None:
    user = UserFactory.create(email_verified_at=None)
    response = post_login(client, user.email, PASSWORD)
    assert response.status_code == 400
    assert "Confirm your email address first" in response.content.decode()
    assert reverse("accounts:resend_verification") in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_without_csrf_token_is_refused() -> None:
    client = Client(enforce_csrf_checks=True)
    user = UserFactory.create()
    response = client.post(LOGIN, {"email": user.email, "password": PASSWORD})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_applicant_without_2fa_signs_in_with_password(client: Client) -> None:
    user = UserFactory.create()
    response = post_login(client, user.email, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:dashboard")


def test_a_language_chosen_before_signing_in_is_kept_and_remembered_on_the_account() -> None:
    user = UserFactory.create(language="id")
    browser = Client()
    browser.get(reverse("set_language"), {"language": "en", "next": LOGIN})
    response = post_login(browser, user.email, PASSWORD)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.language == "en"
    assert response.cookies["django_language"].value == "en"
    assert 'lang="en"' in browser.get(response["Location"]).content.decode()


def test_a_language_left_by_someone_elses_sign_in_does_not_change_an_account() -> None:
    browser = Client()
    first = UserFactory.create(language="en")
    post_login(browser, first.email, PASSWORD)  # leaves the language cookie at "en"
    browser.post(reverse("accounts:logout"))
    second = UserFactory.create(language="id")
    response = post_login(browser, second.email, PASSWORD)
    second.refresh_from_db()
    assert second.language == "id" and response.cookies["django_language"].value == "id"


def test_next_parameter_is_followed_only_within_the_site(client: Client) -> None:
    user = UserFactory.create()
    response = post_login(client, user.email, PASSWORD, next="https://evil.example/")
    assert response["Location"] == reverse("accounts:dashboard")
    client.logout()
    response = post_login(client, user.email, PASSWORD, next=reverse("accounts:profile"))
    assert response["Location"] == reverse("accounts:profile")


class TestSecondFactor:
    def _start(self, client: Client, user) -> None:
        response = post_login(client, user.email, PASSWORD)
        assert response.status_code == 302
        assert response["Location"].startswith(CODE)
        assert "_auth_user_id" not in client.session  # not signed in before the code

    def test_bad_totp_code_is_refused(self, client: Client) -> None:
        user = staff(Role.OFFICER)
        self._start(client, user)
        response = client.post(CODE, {"otp_token": "000000"})
        assert response.status_code == 400
        assert "not right or was already used" in response.content.decode()
        assert "_auth_user_id" not in client.session

    def test_good_totp_code_signs_in_and_verifies_the_session(self, client: Client) -> None:
        user = staff(Role.OFFICER)
        device = TOTPDevice.objects.get(user=user)
        self._start(client, user)
        response = client.post(CODE, {"otp_token": current_code(device)})
        assert response.status_code == 302
        assert response["Location"] == reverse("backoffice:dashboard")
        assert client.session["otp_device_id"] == device.persistent_id

    def test_a_totp_code_cannot_be_used_twice(self, client: Client) -> None:
        user = staff(Role.OFFICER)
        device = TOTPDevice.objects.get(user=user)
        code = current_code(device)
        self._start(client, user)
        assert client.post(CODE, {"otp_token": code}).status_code == 302
        other = Client()
        self._start(other, user)
        reused = other.post(CODE, {"otp_token": code})
        assert reused.status_code == 400
        assert "_auth_user_id" not in other.session

    def test_recovery_code_works_once(self, client: Client) -> None:
        user = staff(Role.SUPERVISOR)
        codes = services.recovery_codes_regenerate(user=user)
        self._start(client, user)
        assert client.post(CODE, {"otp_token": codes[0]}).status_code == 302
        second = Client()
        self._start(second, user)
        response = second.post(CODE, {"otp_token": codes[0]})
        assert response.status_code == 400
        assert "_auth_user_id" not in second.session

    def test_code_step_expires(self, client: Client) -> None:
        user = staff(Role.OFFICER)
        device = TOTPDevice.objects.get(user=user)
        self._start(client, user)
        with time_machine.travel(timezone.now() + timedelta(minutes=6)):
            response = client.post(CODE, {"otp_token": current_code(device)})
        assert response.status_code == 302
        assert response["Location"] == LOGIN
        assert "_auth_user_id" not in client.session

    def test_code_page_without_password_step_sends_back_to_sign_in(self, client: Client) -> None:
        response = client.post(CODE, {"otp_token": "123456"})
        assert response.status_code == 302
        assert response["Location"] == LOGIN


def test_logout_requires_post(client: Client) -> None:
    user = UserFactory.create()
    client.force_login(user)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert "_auth_user_id" not in client.session
