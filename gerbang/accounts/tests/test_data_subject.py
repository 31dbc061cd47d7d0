"""The accounts app's answer to the data-protection rights (UU PDP): the profile exported,
pseudonymised on erasure (last of all apps), staff accounts left to administrators."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from axes.models import AccessAttempt, AccessLog
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from gerbang.accounts import data_subject, selectors, services
from gerbang.accounts.events import AccountEvent
from gerbang.accounts.models import Role, User
from gerbang.accounts.tests.factories import PASSWORD, UserFactory, staff
from gerbang.core import data_subjects
from gerbang.core.actors import WORKER
from gerbang.core.exceptions import PermissionDenied
from gerbang.core.models import Event

pytestmark = pytest.mark.django_db
NOW = timezone.now()


def person(**overrides: Any) -> User:
    values: dict[str, Any] = {
        "full_name": "Siti Rahmawati",
        "email": "siti.rahmawati@example.test",
        "phone": "+6281234567890",
        "nik": "3201014506900001",
        "date_of_birth": dt.date(1990, 6, 5),
        "sex": "F",
        "nationality": "ID",
        **overrides,
    }
    return UserFactory.create(**values)


@pytest.fixture
def two() -> tuple[User, User]:
    siti = person()
    agus = person(
        full_name="Agus Setiawan",
        email="agus.setiawan@example.test",
        phone="+6281398765432",
        nik="3201010101850002",
        date_of_birth=dt.date(1985, 1, 1),
        sex="M",
    )
    for user in (siti, agus):
        TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
        device = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
        StaticToken.objects.create(device=device, token=f"secret{user.pk:04d}")
        AccessAttempt.objects.create(
            username=user.email,
            ip_address=f"10.0.0.{user.pk % 250}",
            user_agent=f"Browser of {user.full_name}",
            failures_since_start=2,
            get_data="",
            post_data="",
            http_accept="*/*",
            path_info="/account/login/",
        )
    return siti, agus


def signed_in(user: User) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


def test_the_provider_is_registered_and_runs_last() -> None:
    providers = data_subjects.providers()
    assert providers[-1].key == "accounts"
    assert {"accounts.profile", "accounts.security", "accounts.staff"} <= {
        a.key for a in data_subjects.activities()
    }


def test_the_export_holds_the_profile_and_nothing_of_another_person(two: tuple[User, User]) -> None:
    siti, agus = two
    sections = {s.key: s for s in data_subject.export(siti)}
    text = json.dumps([{"key": s.key, "rows": s.rows} for s in sections.values()])
    for value in (
        "Siti Rahmawati",
        "siti.rahmawati@example.test",
        "+6281234567890",
        "3201014506900001",
        "1990-06-05",
    ):
        assert value in text
    for value in (
        "Agus Setiawan",
        "agus.setiawan@example.test",
        "+6281398765432",
        "3201010101850002",
        "1985-01-01",
    ):
        assert value not in text
    # Two-factor devices by kind and name, never their secrets.
    assert {row["kind"] for row in sections["two_factor"].rows} == {"authenticator", "recovery_codes"}
    assert f"secret{siti.pk:04d}" not in text and f"secret{agus.pk:04d}" not in text
    device = TOTPDevice.objects.get(user=siti)
    assert device.key not in text
    # Sign-in attempts to the person's address, with the network address and browser.
    assert sections["sign_ins"].rows[0]["browser"] == "Browser of Siti Rahmawati"
    assert "offices" not in sections


def test_a_staff_member_sees_their_offices_and_cannot_erase_their_account(office_a: Any) -> None:
    officer = staff(Role.OFFICER, [office_a], full_name="Petugas Satu")
    sections = {s.key: s for s in data_subject.export(officer)}
    assert sections["offices"].rows[0]["office"] == office_a.code
    assert data_subject.blockers(officer)
    outcome = data_subject.erase(officer, NOW, False)
    assert outcome[0].kept == 1 and not outcome[0].pseudonymised
    assert User.objects.get(pk=officer.pk).full_name == "Petugas Satu"
    with pytest.raises(PermissionDenied):
        services.account_erase(user=officer, actor=WORKER)


def test_a_dry_run_writes_nothing(two: tuple[User, User]) -> None:
    siti, _agus = two
    browser = signed_in(siti)
    events = Event.objects.count()
    before = User.objects.values().get(pk=siti.pk)
    outcomes = {o.key: o for o in data_subject.erase(siti, NOW, True)}
    assert outcomes["accounts.profile"].pseudonymised == 1
    # Two devices, one session, one record of sign-in attempts.
    assert outcomes["accounts.security"].erased == 4
    assert User.objects.values().get(pk=siti.pk) == before
    assert Event.objects.count() == events
    assert TOTPDevice.objects.filter(user=siti).exists()
    assert browser.get(reverse("accounts:profile")).status_code == 200


def test_erasure_pseudonymises_the_account_and_nobody_can_sign_in_with_it(two: tuple[User, User]) -> None:
    siti, agus = two
    browser = signed_in(siti)
    outcomes = {o.key: o for o in data_subject.erase(siti, NOW, False)}
    assert outcomes["accounts.profile"].pseudonymised == 1
    assert outcomes["accounts.security"].erased == 4
    stored = User.objects.get(pk=siti.pk)
    assert stored.email == f"erased-{siti.pk}@erased.invalid"
    assert stored.full_name == selectors.ERASED_NAME
    assert (stored.phone, stored.nik, stored.nik_index, stored.sex, str(stored.nationality)) == (
        "",
        "",
        "",
        "",
        "",
    )
    assert stored.date_of_birth is None and not stored.is_active and not stored.has_usable_password()
    assert (
        not TOTPDevice.objects.filter(user=siti).exists()
        and not StaticDevice.objects.filter(user=siti).exists()
    )
    assert not AccessAttempt.objects.filter(username="siti.rahmawati@example.test").exists()
    assert not selectors.users_with_nik("3201014506900001").exists()
    # The open session ended; the old address and password open nothing.
    assert browser.get(reverse("accounts:profile")).status_code == 302
    response = Client().post(
        reverse("accounts:login"), {"email": "siti.rahmawati@example.test", "password": PASSWORD}
    )
    assert response.status_code == 400
    assert "_auth_user_id" not in response.wsgi_request.session
    # The other person is untouched.
    assert User.objects.get(pk=agus.pk).email == "agus.setiawan@example.test"
    assert (
        TOTPDevice.objects.filter(user=agus).exists()
        and AccessAttempt.objects.filter(username=agus.email).exists()
    )
    event = Event.objects.get(code=AccountEvent.ERASED)
    assert event.subject_id == str(siti.pk) and event.details["system"] == "worker"
    assert "Siti" not in json.dumps(event.details)
    # Twice: nothing more to do.
    again = {o.key: o for o in data_subject.erase(stored, NOW, False)}
    assert again["accounts.profile"].pseudonymised == 0
    assert Event.objects.filter(code=AccountEvent.ERASED).count() == 1


def test_sessions_of_another_person_survive() -> None:
    siti, agus = person(), person(full_name="Agus", email="agus@example.test", nik="", nationality="")
    signed_in(siti)
    other = signed_in(agus)
    services.account_erase(user=siti, actor=WORKER)
    assert Session.objects.count() == 1
    assert other.get(reverse("accounts:profile")).status_code == 200


def test_only_the_person_or_the_system_erases(two: tuple[User, User]) -> None:
    siti, agus = two
    with pytest.raises(PermissionDenied):
        services.account_erase(user=siti, actor=agus)
    services.account_erase(user=siti, actor=siti)
    assert selectors.is_erased(User.objects.get(pk=siti.pk))


def test_successful_sign_ins_are_exported_and_erased() -> None:
    siti = person()
    AccessLog.objects.create(
        username=siti.email, ip_address="10.1.1.1", user_agent="Phone", http_accept="*/*", path_info="/"
    )
    rows = {s.key: s for s in data_subject.export(siti)}["sign_ins"].rows
    assert rows[0]["kind"] == "sign_ins" and rows[0]["network_address"] == "10.1.1.1"
    data_subject.erase(siti, NOW, False)
    assert not AccessLog.objects.exists()


def test_owners_are_the_accounts_themselves(two: tuple[User, User]) -> None:
    siti, agus = two
    owners = data_subjects.owners_of(
        "accounts.user", [str(siti.pk), str(agus.pk), str(2**63), "x", "99999999"]
    )
    assert owners == {str(siti.pk): siti.pk, str(agus.pk): agus.pk}
