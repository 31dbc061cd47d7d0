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
from gerbang.core.exceptions import ValidationError
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
    with pytest.raises(ValidationError):
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
    assert "Account registered" in body and "account.registered" not in body.split("<tbody>")[1]
    filtered = auditor_client.get(AUDIT, {"code": "staff.created"}).content.decode()
    assert "Account registered" not in filtered.split("<tbody>")[1]


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


def test_the_audit_log_reads_as_sentences_and_exports_the_codes(staff_client) -> None:
    import csv
    import io
    import json

    from gerbang.applications.tests import factories as f

    world = f.make_world()
    application = f.in_verification(world)
    from gerbang.applications import services as applications

    applications.application_transition(
        application=application,
        action="reject",
        actor=world.officer,
        expected_version=application.version,
        reason_code="data_mismatch",
        reason="The birth date differs.",
    )
    reader = staff(Role.AUDITOR, language="en")
    auditor = staff_client(reader)
    rows = auditor.get(AUDIT).content.decode().split("<tbody>")[1]
    assert "Application refused." in rows
    assert "From “Documents being verified” to “Rejected”." in rows
    assert "Reason: The data in the application and the documents do not match." in rows
    assert "Note: The birth date differs." in rows
    assert "application.reject" not in rows and "reason_code" not in rows and "from:" not in rows
    assert "Application #" in rows
    reader.language = "id"
    reader.save(update_fields=["language"])
    rows_id = auditor.get(AUDIT).content.decode().split("<tbody>")[1]
    assert "Permohonan ditolak." in rows_id and "Dari “Dokumen sedang diverifikasi”" in rows_id
    assert "application.reject" not in rows_id
    exported = b"".join(auditor.get(AUDIT, {"format": "csv"}).streaming_content).decode()
    lines = list(csv.DictReader(io.StringIO(exported)))
    rejected = next(line for line in lines if line["code"] == "application.reject")
    assert json.loads(rejected["details"])["reason_code"] == "data_mismatch"
    assert rejected["note"] == "The birth date differs." and "birth date" not in rejected["details"]
    as_json = json.loads(b"".join(auditor.get(AUDIT, {"format": "json"}).streaming_content))
    assert {"application.reject", "application.start_verification"} <= {row["code"] for row in as_json}
    assert (
        next(row for row in as_json if row["code"] == "application.reject")["note"]
        == "The birth date differs."
    )


def test_every_recorded_event_code_has_words() -> None:
    """Every code the services record (read from their source) has a renderer."""
    import ast
    from pathlib import Path

    from gerbang.applications.workflow import Action
    from gerbang.core import event_text
    from gerbang.payments.models import AnomalyKind

    root = Path(__file__).resolve().parents[2]
    codes: set[str] = {event.value for event in AccountEvent}
    codes |= {f"application.{action.value}" for action in Action}
    codes |= {f"payment.anomaly.{kind.value}" for kind in AnomalyKind}
    codes |= {"application.case_viewed", "application.document_viewed"}
    for path in root.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            if name not in {"record", "_record"}:
                continue
            codes |= {
                value.value
                for value in ast.walk(node.args[0])
                if isinstance(value, ast.Constant)
                and isinstance(value.value, str)
                and "." in value.value[:-1]
            }
    assert len(codes) > 60
    missing = sorted(code for code in codes if event_text.kind_of(code) is None)
    assert missing == []


def test_a_sign_in_says_how_the_person_signed_in() -> None:
    from django.utils import translation

    from gerbang.core.event_text import describe

    with translation.override("en"):
        assert describe(AccountEvent.SIGNED_IN, {"second_factor": "none"}) == "Signed in."
        assert (
            describe(AccountEvent.SIGNED_IN, {"second_factor": "totp"})
            == "Signed in with an authenticator code."
        )
        assert (
            describe(AccountEvent.SIGNED_IN, {"second_factor": "recovery"})
            == "Signed in with a recovery code."
        )
        assert describe(AccountEvent.PASSWORD_CHANGED, {}) == "Password changed."
        assert describe("no.such_code", {}) == "Event “no.such_code”."
