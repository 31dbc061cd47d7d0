"""Background tasks of accounts: the emails that registration and staff creation send."""

from __future__ import annotations

from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from huey.contrib.djhuey import db_task

from gerbang.core.emails import send_email


def _absolute(path: str) -> str:
    from django.conf import settings

    return f"{settings.SITE_URL}{path}"


@db_task(retries=5, retry_delay=60)
def send_verification_email(user_id: int) -> None:
    from gerbang.accounts.models import User
    from gerbang.accounts.services import email_verification_token

    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or user.email_verified:
        return
    link = _absolute(reverse("accounts:verify_email", args=[email_verification_token(user)]))
    send_email(
        to=user.email,
        template="accounts/email/verify",
        context={"user": user, "link": link},
        language=user.language,
    )


@db_task(retries=5, retry_delay=60)
def send_registration_notice(email: str, language: str) -> None:
    """Tell the owner of an address that someone tried to register it again."""
    send_email(
        to=email,
        template="accounts/email/already_registered",
        context={
            "sign_in": _absolute(reverse("accounts:login")),
            "reset": _absolute(reverse("accounts:password_reset")),
        },
        language=language,
    )


def password_setup_link(user_id: int, token: str) -> str:
    uid = urlsafe_base64_encode(force_bytes(user_id))
    return _absolute(reverse("accounts:password_reset_confirm", args=[uid, token]))


def _send_password_link(user_id: int, template: str) -> None:
    """E-mail a link to choose a password (an invitation or a reset), in the user's language."""
    from gerbang.accounts.models import User

    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return
    link = password_setup_link(user.pk, default_token_generator.make_token(user))
    send_email(to=user.email, template=template, context={"user": user, "link": link}, language=user.language)


@db_task(retries=5, retry_delay=60)
def send_staff_invitation(user_id: int) -> None:
    _send_password_link(user_id, "accounts/email/staff_invitation")


@db_task(retries=5, retry_delay=60)
def send_password_reset(user_id: int) -> None:
    _send_password_link(user_id, "accounts/email/password_reset")
