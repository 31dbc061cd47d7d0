"""``createsuperuser`` and ``changepassword`` keep Django's interface but create and change
accounts through the services: the password rules hold, and each leaves an event."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from gerbang.accounts import lockout
from gerbang.accounts.events import AccountEvent
from gerbang.accounts.models import Role, User
from gerbang.accounts.tests.factories import UserFactory
from gerbang.core.models import Event

pytestmark = pytest.mark.django_db

GOOD = "a long console passphrase"


class TTY(StringIO):
    """Standard input as a terminal, so the command asks its questions."""

    def isatty(self) -> bool:
        return True


@pytest.fixture
def typed(monkeypatch: pytest.MonkeyPatch) -> Callable[..., list[str]]:
    """Stub the console: ``typed(passwords=[...], lines=[...])`` answers the password prompts
    and the other prompts in turn; returns the prompts asked."""

    def answer(*, passwords: Sequence[str], lines: Sequence[str] = ()) -> list[str]:
        asked: list[str] = []
        secret: Iterator[str] = iter(passwords)
        line: Iterator[str] = iter(lines)

        def getpass(prompt: str = "Password: ") -> str:
            asked.append(prompt)
            return next(secret)

        def ask(prompt: str = "") -> str:
            asked.append(prompt)
            return next(line)

        monkeypatch.setattr("getpass.getpass", getpass)
        monkeypatch.setattr("builtins.input", ask)
        return asked

    return answer


def run(name: str, *args: Any, **options: Any) -> tuple[str, str]:
    """Run a command in English (the console speaks the site's default language, Indonesian),
    so that assertions read in the source language."""
    out, err = StringIO(), StringIO()
    with translation.override("en"):
        call_command(name, *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def test_createsuperuser_without_input_creates_through_the_service(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", GOOD)
    out, _err = run("createsuperuser", "--noinput", email="Root@Example.test", full_name="Rina  Wulandari")
    user = User.objects.get(email="root@example.test")
    assert "Superuser created successfully" in out
    assert user.is_superuser and user.is_staff and user.role == Role.NATIONAL_ADMIN
    assert user.full_name == "Rina Wulandari" and user.email_verified
    assert user.check_password(GOOD)
    event = Event.objects.get(code=AccountEvent.PROVISIONED, subject_id=str(user.pk))
    assert event.actor is None
    assert event.details == {"role": Role.NATIONAL_ADMIN, "superuser": True, "system": "command"}


def test_createsuperuser_reads_everything_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DJANGO_SUPERUSER_EMAIL", "ops@example.test")
    monkeypatch.setenv("DJANGO_SUPERUSER_FULL_NAME", "Operator")
    run("createsuperuser", "--noinput")
    user = User.objects.get(email="ops@example.test")
    assert user.is_superuser and not user.has_usable_password()  # changepassword gives it one
    assert Event.objects.filter(code=AccountEvent.PROVISIONED, subject_id=str(user.pk)).exists()


def test_createsuperuser_without_input_refuses_a_weak_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "short")
    with pytest.raises(CommandError, match="too short"):
        run("createsuperuser", "--noinput", email="root@example.test", full_name="Root")
    assert not User.objects.filter(email="root@example.test").exists()
    assert not Event.objects.exists()


def test_createsuperuser_refuses_a_taken_address() -> None:
    UserFactory.create(email="taken@example.test")
    with pytest.raises(CommandError, match="already taken"):
        run("createsuperuser", "--noinput", email="TAKEN@example.test", full_name="Root")
    with pytest.raises(CommandError, match="--full_name"):
        run("createsuperuser", "--noinput", email="free@example.test")
    assert User.objects.filter(is_superuser=True).count() == 0


def test_createsuperuser_asks_again_until_the_password_meets_the_rules(
    typed: Callable[..., list[str]],
) -> None:
    asked = typed(
        passwords=["one", "two", "short", "short", GOOD, GOOD],
        lines=["not an address", "root@example.test", "Rina Wulandari"],
    )
    out, err = run("createsuperuser", stdin=TTY())
    assert "Enter a valid email address." in err
    assert "didn't match" in err and "too short" in err
    assert asked[:2] == ["Email address: ", "Email address: "]
    user = User.objects.get(email="root@example.test")
    assert user.is_superuser and user.full_name == "Rina Wulandari" and user.check_password(GOOD)
    assert Event.objects.filter(code=AccountEvent.PROVISIONED, subject_id=str(user.pk)).count() == 1
    assert "Superuser created successfully" in out


def test_changepassword_goes_through_the_service(typed: Callable[..., list[str]]) -> None:
    user = UserFactory.create(email="owner@example.test")
    lockout.failed(user.email, address="198.51.100.7")
    typed(passwords=[GOOD, GOOD])
    out, _err = run("changepassword", "Owner@example.test")
    user.refresh_from_db()
    assert user.check_password(GOOD)
    assert "Password changed successfully" in out
    event = Event.objects.get(code=AccountEvent.PASSWORD_CHANGED, subject_id=str(user.pk))
    assert event.actor is None  # the operator at the console acts as the system
    assert lockout._read(user.email).failures == 0  # the count of failed sign-ins starts again


def test_changepassword_refuses_a_weak_password_and_gives_up_after_three_tries(
    typed: Callable[..., list[str]],
) -> None:
    user = UserFactory.create()
    typed(passwords=["password", "password", "a", "b", "12345678", "12345678"])
    with pytest.raises(CommandError, match="after 3 attempts"):
        run("changepassword", user.email)
    user.refresh_from_db()
    assert not user.check_password("password")
    assert not Event.objects.filter(code=AccountEvent.PASSWORD_CHANGED).exists()
