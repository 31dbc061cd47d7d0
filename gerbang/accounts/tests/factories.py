from __future__ import annotations

from typing import Any

import factory
from django.test import Client
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from gerbang.accounts.models import OfficeMembership, Role, User

PASSWORD = "a-long-test-passphrase"


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.test")
    full_name = factory.Faker("name", locale="id_ID")
    role = Role.APPLICANT
    # English, so that assertions read in the source language (the site default is Indonesian).
    language = "en"
    email_verified_at = factory.LazyFunction(timezone.now)
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def offices(obj: User, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            for office in extracted:
                OfficeMembership.objects.create(user=obj, office=office)


def staff(role: Role, offices: list[Any] | None = None, *, with_2fa: bool = True, **kwargs: Any) -> User:
    user: User = UserFactory.create(role=role, offices=offices or [], **kwargs)
    if with_2fa:
        TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    return user


def current_code(device: TOTPDevice, *, offset_steps: int = 0) -> str:
    """The code an authenticator app would show now (or ``offset_steps`` steps later)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = timezone.now().timestamp() + offset_steps * device.step
    return f"{totp.token():0{device.digits}d}"


def sign_in_with_2fa(client: Client, user: User) -> None:
    """Sign in as if the password and a TOTP code had been entered."""
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
