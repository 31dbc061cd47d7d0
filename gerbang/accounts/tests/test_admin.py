"""The Django admin changes accounts only through the services: every change leaves an event,
the services' rules hold, and what the admin must not do (create or delete accounts) it refuses."""

from __future__ import annotations

from typing import Any

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from gerbang.accounts.events import AccountEvent
from gerbang.accounts.models import OfficeMembership, Role, User
from gerbang.accounts.tests.factories import UserFactory, staff
from gerbang.catalog.tests.factories import OfficeFactory
from gerbang.core.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser() -> User:
    return staff(Role.NATIONAL_ADMIN, is_superuser=True)


@pytest.fixture
def admin(superuser: User, staff_client: Any) -> Client:
    client: Client = staff_client(superuser)
    return client


def change_url(user: User) -> str:
    return reverse("admin:accounts_user_change", args=[user.pk])


def test_a_role_change_in_the_admin_goes_through_the_service(admin: Client, superuser: User) -> None:
    office, other = OfficeFactory.create(), OfficeFactory.create()
    officer = staff(Role.OFFICER, [office])
    response = admin.post(
        change_url(officer), {"role": Role.SUPERVISOR, "is_active": "on", "offices": [office.pk, other.pk]}
    )
    assert response.status_code == 302, response.content.decode()
    officer.refresh_from_db()
    assert officer.role == Role.SUPERVISOR
    assert set(OfficeMembership.objects.filter(user=officer).values_list("office_id", flat=True)) == {
        office.pk,
        other.pk,
    }
    access = Event.objects.get(code=AccountEvent.ACCESS_CHANGED, subject_id=str(officer.pk))
    assert access.actor == superuser
    assert access.details == {"role": [Role.OFFICER, Role.SUPERVISOR]}
    offices = Event.objects.get(code=AccountEvent.STAFF_OFFICES_CHANGED, subject_id=str(officer.pk))
    assert offices.actor == superuser and offices.details["added"] == [other.pk]


def test_deactivating_an_account_in_the_admin_leaves_an_event(admin: Client) -> None:
    applicant = UserFactory.create()
    response = admin.post(change_url(applicant), {"role": Role.APPLICANT})  # "is_active" unticked
    assert response.status_code == 302
    applicant.refresh_from_db()
    assert not applicant.is_active
    event = Event.objects.get(code=AccountEvent.ACCESS_CHANGED, subject_id=str(applicant.pk))
    assert event.details == {"is_active": [True, False]}


def test_the_admin_shows_the_services_refusal_and_changes_nothing(admin: Client, superuser: User) -> None:
    officer = staff(Role.OFFICER, [OfficeFactory.create()])
    # An office-bound role without an office, and an administrator taking away their own role.
    no_office = admin.post(change_url(officer), {"role": Role.OFFICER, "is_active": "on"})
    demoted = admin.post(change_url(superuser), {"role": Role.AUDITOR, "is_active": "on"})
    assert no_office.status_code == demoted.status_code == 200
    assert "Choose at least one office for this role." in no_office.content.decode()
    assert "You cannot change your own role" in demoted.content.decode()
    superuser.refresh_from_db()
    assert superuser.role == Role.NATIONAL_ADMIN
    assert OfficeMembership.objects.filter(user=officer).count() == 1
    assert not Event.objects.filter(
        code__in=[AccountEvent.ACCESS_CHANGED, AccountEvent.STAFF_OFFICES_CHANGED]
    )


def test_the_admin_neither_creates_nor_deletes_accounts_nor_edits_their_data(admin: Client) -> None:
    applicant = UserFactory.create(full_name="Siti Aminah")
    assert admin.get(reverse("admin:accounts_user_add")).status_code == 403
    assert (
        admin.post(reverse("admin:accounts_user_delete", args=[applicant.pk]), {"post": "yes"}).status_code
        == 403
    )
    admin.post(
        change_url(applicant),
        {"role": Role.APPLICANT, "is_active": "on", "full_name": "Someone Else", "email": "x@example.test"},
    )
    applicant.refresh_from_db()
    assert (applicant.full_name, applicant.email) != ("Someone Else", "x@example.test")
    assert User.objects.filter(pk=applicant.pk).exists()


def test_two_factor_devices_are_listed_read_only_without_their_secrets(admin: Client) -> None:
    officer = staff(Role.OFFICER, [OfficeFactory.create()])
    device = TOTPDevice.objects.get(user=officer)
    codes = StaticDevice.objects.create(user=officer, name="recovery", confirmed=True)
    codes.token_set.create(token="abcde12345")
    listing = admin.get(reverse("admin:otp_totp_totpdevice_changelist"))
    device_url = reverse("admin:otp_totp_totpdevice_change", args=[device.pk])
    assert listing.status_code == 200 and device_url in listing.content.decode()
    page = admin.get(device_url).content.decode()
    assert device.key not in page
    assert admin.get(reverse("admin:otp_totp_totpdevice_config", args=[device.pk])).status_code == 403
    assert (
        "abcde12345"
        not in admin.get(reverse("admin:otp_static_staticdevice_change", args=[codes.pk])).content.decode()
    )
    # Neither added, changed (say, unconfirmed) nor deleted here: the owner's services do that.
    assert admin.get(reverse("admin:otp_totp_totpdevice_add")).status_code == 403
    admin.post(device_url, {"name": "x", "confirmed": ""})
    deleted = admin.post(reverse("admin:otp_totp_totpdevice_delete", args=[device.pk]), {"post": "yes"})
    static_deleted = admin.post(
        reverse("admin:otp_static_staticdevice_delete", args=[codes.pk]), {"post": "yes"}
    )
    assert deleted.status_code == static_deleted.status_code == 403
    device.refresh_from_db()
    assert device.confirmed and device.name == "authenticator"
    assert StaticDevice.objects.filter(pk=codes.pk).exists()


def test_records_of_sign_in_attempts_are_not_deleted_in_the_admin(admin: Client) -> None:
    attempt = AccessAttempt.objects.create(
        username="someone@example.test", ip_address="198.51.100.7", user_agent="test", failures_since_start=3
    )
    assert admin.get(reverse("admin:axes_accessattempt_changelist")).status_code == 200
    response = admin.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()
