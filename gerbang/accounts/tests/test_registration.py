"""Registration, email verification, password reset and change."""

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

from gerbang.accounts import services
from gerbang.accounts.events import AccountEvent
from gerbang.accounts.models import Role, User
from gerbang.accounts.tests.factories import PASSWORD, UserFactory
from gerbang.core.exceptions import ValidationError
from gerbang.core.models import Event

# Transactional: the emails are sent from on_commit hooks, as in production.
pytestmark = pytest.mark.django_db(transaction=True)
REGISTER = reverse("accounts:register")


def register(client: Client, email: str = "siti@example.test", password: str = "kopi-tubruk-pagi", **extra):  # noqa: S107
    data = {"full_name": "Siti Rahmawati", "email": email, "password": password, **extra}
    return client.post(REGISTER, data)


def same_page(html: str, email: str) -> str:
    """The page with the address and the per-request tokens taken out, for comparison."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return html.replace(email, "EMAIL")


def link_in(message: Any) -> str:
    match = re.search(r"http://[^\s\"<]+", str(message.body))
    assert match, message.body
    return match.group(0).replace("http://127.0.0.1:8000", "")


def test_short_password_is_refused_and_the_form_keeps_what_was_typed(client: Client) -> None:
    response = register(client, password="pendek")
    body = response.content.decode()
    assert response.status_code == 200
    assert "at least 8 characters" in body
    assert 'value="siti@example.test"' in body
    assert 'value="Siti Rahmawati"' in body
    assert not User.objects.exists()
    assert mail.outbox == []


def test_common_password_is_refused(client: Client) -> None:
    response = register(client, password="password123")
    assert "too common" in response.content.decode()
    assert not User.objects.exists()


def test_invalid_email_is_refused_with_a_message(client: Client) -> None:
    response = register(client, email="siti-at-example")
    assert "Enter a valid email address." in response.content.decode()


def test_a_wrong_address_and_a_short_password_are_said_together(client: Client) -> None:
    body = register(client, email="siti-at-example", password="123").content.decode()
    assert "Enter a valid email address." in body and "at least 8 characters" in body
    assert not User.objects.exists()


def test_registration_sends_a_verification_email_in_the_chosen_language(client: Client) -> None:
    client.cookies["django_language"] = "en"
    response = register(client)
    assert response.status_code == 200
    assert "Check your email" in response.content.decode()
    user = User.objects.get(email="siti@example.test")
    assert user.role == Role.APPLICANT
    assert user.language == "en"
    assert not user.email_verified
    assert len(mail.outbox) == 1
    message: Any = mail.outbox[0]
    assert message.to == ["siti@example.test"]
    assert message.subject == "Confirm your email address"
    assert message.alternatives and "text/html" in message.alternatives[0][1]


def test_registration_email_is_indonesian_by_default() -> None:
    register(Client())
    assert mail.outbox[0].subject == "Konfirmasi alamat email Anda"


def test_taken_email_shows_the_same_page_and_sends_a_notice(client: Client) -> None:
    existing = UserFactory.create(email="siti@example.test", full_name="Siti Asli")
    fresh = client.post(
        REGISTER, {"full_name": "X", "email": "new@example.test", "password": "kopi-tubruk-pagi"}
    )
    mail.outbox.clear()
    taken = register(client, email="SITI@example.test")
    assert taken.status_code == fresh.status_code == 200
    assert same_page(taken.content.decode(), "SITI@example.test") == same_page(
        fresh.content.decode(), "new@example.test"
    )
    assert "Check your email" in taken.content.decode()
    assert User.objects.filter(email__iexact="siti@example.test").count() == 1
    existing.refresh_from_db()
    assert existing.full_name == "Siti Asli"
    assert len(mail.outbox) == 1
    assert "already has an account" in mail.outbox[0].body


def test_verification_link_confirms_the_address(client: Client) -> None:
    register(client)
    response = client.get(link_in(mail.outbox[0]))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert User.objects.get(email="siti@example.test").email_verified
    # A second click is harmless.
    assert client.get(link_in(mail.outbox[0])).status_code == 302


def test_tampered_verification_link_is_refused(client: Client) -> None:
    register(client)
    link = link_in(mail.outbox[0])
    tampered = link[:-3] + ("a" if link[-3] != "a" else "b") + link[-2:]
    response = client.get(tampered)
    assert response.status_code == 400
    assert "not valid" in response.content.decode()
    assert not User.objects.get(email="siti@example.test").email_verified


def test_token_for_another_address_is_refused() -> None:
    user = UserFactory.create(email_verified_at=None)
    token = services.email_verification_token(user)
    user.email = "changed@example.test"
    user.save()
    with pytest.raises(ValidationError):
        services.email_verify(token=token)


def test_expired_verification_link_is_refused_and_a_new_one_can_be_sent(client: Client) -> None:
    register(client)
    link = link_in(mail.outbox[0])
    with time_machine.travel(timezone.now() + timedelta(days=4)):
        response = client.get(link)
    assert response.status_code == 400
    assert "expired" in response.content.decode()
    mail.outbox.clear()
    client.post(reverse("accounts:resend_verification"), {"email": "siti@example.test"})
    assert len(mail.outbox) == 1
    assert client.get(link_in(mail.outbox[0])).status_code == 302


def test_resend_for_unknown_address_sends_nothing_but_answers_the_same(client: Client) -> None:
    response = client.post(reverse("accounts:resend_verification"), {"email": "nobody@example.test"})
    assert response.status_code == 200
    assert "Check your email" in response.content.decode()
    assert mail.outbox == []


def test_password_reset_for_unknown_address_reveals_nothing(client: Client) -> None:
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.test"})
    assert response.status_code == 200
    assert mail.outbox == []


def test_password_reset_flow(client: Client) -> None:
    user = UserFactory.create(email="budi@example.test")
    client.post(reverse("accounts:password_reset"), {"email": "BUDI@example.test"})
    assert len(mail.outbox) == 1
    link = link_in(mail.outbox[0])
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    too_short = client.post(set_url, {"new_password1": "short", "new_password2": "short"})
    assert "too short" in too_short.content.decode()
    done = client.post(set_url, {"new_password1": "teh-manis-hangat", "new_password2": "teh-manis-hangat"})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("teh-manis-hangat")
    # The link works once.
    again = client.get(link, follow=True)
    assert "cannot be used" in again.content.decode()


def test_password_change_needs_the_old_password(client: Client) -> None:
    user = UserFactory.create()
    client.force_login(user)
    url = reverse("accounts:password_change")
    wrong = client.post(
        url,
        {"old_password": "nope", "new_password1": "sate-ayam-madura", "new_password2": "sate-ayam-madura"},
    )
    assert wrong.status_code == 200
    ok = client.post(
        url,
        {"old_password": PASSWORD, "new_password1": "sate-ayam-madura", "new_password2": "sate-ayam-madura"},
    )
    assert ok.status_code == 302
    user.refresh_from_db()
    assert user.check_password("sate-ayam-madura")


def test_staff_passwords_need_twelve_characters() -> None:
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    applicant = User(role=Role.APPLICANT, email="a@example.test")
    officer = User(role=Role.OFFICER, email="o@example.test")
    validate_password("gado-gado1", applicant)  # 10 characters: fine for applicants
    with pytest.raises(ValidationError, match="at least 12 characters"):
        validate_password("gado-gado1", officer)
    validate_password("gado-gado-enak", officer)


@pytest.mark.real_hashing
def test_passwords_are_hashed_with_argon2id() -> None:
    user = UserFactory.create()
    user.set_password("rendang-padang-asli")
    assert user.password.startswith("argon2$argon2id$")


def test_account_emails_to_one_address_are_capped(client: Client) -> None:
    """The forms cannot be used to flood an inbox: past the hourly budget nothing is sent,
    and the page still answers the same."""
    UserFactory.create(email="target@example.test")
    for _attempt in range(8):
        response = client.post(reverse("accounts:password_reset"), {"email": "target@example.test"})
        assert response.status_code == 200
    assert len(mail.outbox) == 5


def test_many_email_requests_from_one_address_get_a_clear_answer(client: Client) -> None:
    for n in range(30):
        client.post(reverse("accounts:password_reset"), {"email": f"someone{n}@example.test"})
    response = client.post(reverse("accounts:password_reset"), {"email": "late@example.test"})
    assert response.status_code == 429
    body = response.content.decode()
    assert "Too many attempts" in body
    assert 'value="late@example.test"' in body


def test_registration_racing_for_one_address_creates_one_account() -> None:
    first = services.applicant_register(
        email="race@example.test", password="kopi-tubruk-pagi", full_name="A", language="id"
    )
    second = services.applicant_register(
        email="RACE@example.test", password="kopi-tubruk-pagi", full_name="B", language="id"
    )
    assert first is not None and second is None
    assert User.objects.filter(email__iexact="race@example.test").count() == 1


def test_a_changed_password_is_recorded_and_ends_the_other_sessions(client: Client) -> None:
    user = UserFactory.create()
    elsewhere = Client()
    elsewhere.force_login(user)
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "soto-betawi-enak", "new_password2": "soto-betawi-enak"},
    )
    assert response.status_code == 302
    assert Event.objects.filter(
        code=AccountEvent.PASSWORD_CHANGED, actor=user, subject_id=str(user.pk)
    ).exists()
    security = reverse("accounts:security")
    assert client.get(security).status_code == 200  # this browser stays signed in
    assert elsewhere.get(security).status_code == 302  # the other session has ended


def test_a_password_set_by_reset_link_is_recorded(client: Client) -> None:
    user = UserFactory.create(email="rudi@example.test")
    client.post(reverse("accounts:password_reset"), {"email": user.email})
    form_page = client.get(link_in(mail.outbox[0]), follow=True)
    set_url = form_page.redirect_chain[-1][0]
    client.post(set_url, {"new_password1": "kopi-luwak-asli", "new_password2": "kopi-luwak-asli"})
    assert Event.objects.filter(code=AccountEvent.PASSWORD_RESET, subject_id=str(user.pk)).exists()
