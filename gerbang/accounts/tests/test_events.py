"""Every change to an account writes an event in the same transaction; auditors read them."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from gerbang.accounts import services
from gerbang.accounts.events import AccountEvent
from gerbang.accounts.models import Role
from gerbang.accounts.tests.factories import PASSWORD, UserFactory, staff
from gerbang.core.models import Event

pytestmark = pytest.mark.django_db
AUDIT = reverse("backoffice:audit_log")


def codes_for(user) -> list[str]:
    return list(
        Event.objects.filter(subject_type="accounts.user", subject_id=str(user.pk))
        .order_by("id")
        .values_list("code", flat=True)
    )


def test_registration_and_verification_write_events() -> None:
    user = services.applicant_register(
        email="ani@example.test", password="kopi-tubruk-pagi", full_name="Ani", language="id"
    )
    assert user is not None
    services.email_verify(token=services.email_verification_token(user))
    services.email_verify(token=services.email_verification_token(user))  # no second event
    assert codes_for(user) == [AccountEvent.REGISTERED, AccountEvent.EMAIL_VERIFIED]


def test_profile_event_names_the_changed_fields_but_holds_no_personal_data() -> None:
    user = UserFactory.create()
    services.profile_update(
        user=user,
        full_name=user.full_name,
        date_of_birth=date(1990, 8, 17),
        sex="F",
        nationality="ID",
        phone="081234567890",
        nik="1811015708900001",
    )
    event = Event.objects.get(code=AccountEvent.PROFILE_UPDATED)
    assert event.details == {"fields": ["date_of_birth", "nationality", "nik", "phone", "sex"]}
    assert "1811015708900001" not in str(event.details)
    assert event.actor == user


def test_failed_change_leaves_no_event() -> None:
    user = UserFactory.create()
    with pytest.raises(services.ValidationError):
        services.profile_update(
            user=user, full_name="X", date_of_birth=None, sex="", nationality="ID", phone="", nik="123"
        )
    assert not Event.objects.exists()


def test_event_rolls_back_with_its_change() -> None:
    user = UserFactory.create()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.recovery_codes_regenerate(user=user)
        raise RuntimeError("the surrounding work failed")
    assert not Event.objects.exists()


def test_staff_creation_records_actor_role_and_office(office_a) -> None:
    admin = staff(Role.OFFICE_ADMIN, [office_a])
    created = services.staff_create(
        actor=admin, email="new@example.test", full_name="New", role=Role.OFFICER, office_ids=[office_a.pk]
    )
    event = Event.objects.get(code=AccountEvent.STAFF_CREATED)
    assert event.actor == admin
    assert event.subject_id == str(created.pk)
    assert event.office_id == office_a.pk
    assert event.details == {"role": "officer", "offices": [office_a.pk]}


def test_sign_in_records_the_second_factor(client: Client) -> None:
    user = UserFactory.create()
    client.post(reverse("accounts:login"), {"email": user.email, "password": PASSWORD})
    event = Event.objects.get(code=AccountEvent.SIGNED_IN)
    assert event.details == {"second_factor": "none"}
    assert len(event.request_id) == 32


def test_only_national_admins_and_auditors_read_the_audit_log(staff_client, office_a) -> None:
    UserFactory.create()
    services.applicant_register(
        email="b@example.test", password="kopi-tubruk-pagi", full_name="B", language="id"
    )
    assert staff_client(staff(Role.OFFICE_ADMIN, [office_a])).get(AUDIT).status_code == 403
    assert staff_client(staff(Role.OFFICER, [office_a])).get(AUDIT).status_code == 403
    auditor_client = staff_client(staff(Role.AUDITOR))
    body = auditor_client.get(AUDIT).content.decode()
    assert "account.registered" in body
    filtered = auditor_client.get(AUDIT, {"code": "staff.created"}).content.decode()
    assert "account.registered</code>" not in filtered


def test_audit_link_shows_only_to_those_who_may_read(staff_client, office_a) -> None:
    assert (
        AUDIT
        in staff_client(staff(Role.NATIONAL_ADMIN)).get(reverse("backoffice:staff_list")).content.decode()
    )
    assert (
        AUDIT
        not in staff_client(staff(Role.OFFICER, [office_a]))
        .get(reverse("backoffice:staff_list"))
        .content.decode()
    )
