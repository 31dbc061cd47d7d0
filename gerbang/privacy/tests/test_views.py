from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gerbang.accounts.models import Role, User
from gerbang.accounts.tests.factories import PASSWORD, UserFactory, staff
from gerbang.core.models import Event
from gerbang.privacy import services
from gerbang.privacy.models import Kind, Request, Status

pytestmark = pytest.mark.django_db

HOME = reverse("privacy:home")


def signed_in(user: User, language: str = "en") -> Client:
    client = Client()
    client.cookies["django_language"] = language
    client.force_login(user)
    return client


@pytest.mark.parametrize(("language", "heading"), [("en", "Your personal data"), ("id", "Data pribadi Anda")])
def test_the_page_shows_the_rights_in_both_languages(language: str, heading: str) -> None:
    page = signed_in(UserFactory.create(language=language), language).get(HOME)
    assert page.status_code == 200
    assert heading in page.content.decode()


def test_the_page_needs_a_signed_in_person() -> None:
    assert Client().get(HOME).status_code == 302


def test_the_copy_downloads_as_a_zip_with_json_and_pdf() -> None:
    person = UserFactory.create(full_name="Siti Rahmawati", phone="081234567890")
    response = signed_in(person).post(reverse("privacy:download"), {"format": "zip"})
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert response["Cache-Control"] == "no-store"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    assert "data.json" in names and "data.pdf" in names
    data = json.loads(archive.read("data.json"))
    assert data["format"] == "gerbang-personal-data/1" and data["person_id"] == person.pk
    assert archive.read("data.pdf").startswith(b"%PDF")
    assert Request.objects.get(person=person).kind == Kind.ACCESS


@pytest.mark.parametrize(("fmt", "content_type"), [("json", "application/json"), ("pdf", "application/pdf")])
def test_the_copy_downloads_in_one_format(fmt: str, content_type: str) -> None:
    response = signed_in(UserFactory.create()).post(reverse("privacy:download"), {"format": fmt})
    assert response.status_code == 200 and response["Content-Type"] == content_type
    assert f".{fmt}" in response["Content-Disposition"]


def test_a_refused_correction_keeps_what_was_written() -> None:
    person = UserFactory.create()
    response = signed_in(person).post(
        reverse("privacy:correction"), {"concerns": "", "details": "my words here"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "my words here" in body and "This field is required" in body
    assert not Request.objects.exists()


def test_a_correction_is_sent_and_listed_with_its_deadline() -> None:
    person = UserFactory.create()
    client = signed_in(person)
    response = client.post(
        reverse("privacy:correction"), {"concerns": "booking", "details": "wrong day"}, follow=True
    )
    request = Request.objects.get(person=person)
    body = response.content.decode()
    assert request.reference in body and "Answer due" in body


def test_withdrawing_from_the_page() -> None:
    from gerbang.notifications.services import push_subscribe

    person = UserFactory.create()
    push_subscribe(user=person, endpoint="https://push.example/1", p256dh="k", auth="a")
    client = signed_in(person)
    page = client.get(HOME).content.decode()
    assert "Notifications on this device" in page
    # The page offers the button (the form the person uses), not only the address behind it.
    assert f'action="{reverse("privacy:withdraw")}"' in page and 'value="notifications.push"' in page
    response = client.post(reverse("privacy:withdraw"), {"purpose": "notifications.push"}, follow=True)
    assert "The consent is withdrawn" in response.content.decode()
    again = client.post(reverse("privacy:withdraw"), {"purpose": "notifications.push"}, follow=True)
    assert "already withdrew it" in again.content.decode()


def test_guessing_the_password_to_erase_is_stopped_after_five_tries() -> None:
    person = UserFactory.create()
    client = signed_in(person)
    for _try in range(5):
        assert (
            "The password is not right"
            in client.post(reverse("privacy:erase"), {"password": "x"}).content.decode()
        )
    # The sixth, even the right one, waits: a session left open does not give the password away.
    blocked = client.post(reverse("privacy:erase"), {"password": PASSWORD})
    assert blocked.status_code == 400 and "Too many wrong passwords" in blocked.content.decode()
    person.refresh_from_db()
    assert person.is_active and not Request.objects.exists()


def test_erasure_shows_its_plan_then_asks_for_the_password() -> None:
    person = UserFactory.create(full_name="Siti Rahmawati")
    client = signed_in(person)
    page = client.get(reverse("privacy:erase"))
    assert page.status_code == 200 and "Nothing has changed yet" in page.content.decode()
    wrong = client.post(reverse("privacy:erase"), {"password": "not it"})
    assert wrong.status_code == 400 and "The password is not right" in wrong.content.decode()
    assert not Request.objects.exists()
    done = client.post(reverse("privacy:erase"), {"password": PASSWORD}, follow=True)
    assert done.redirect_chain, done.content.decode()[-3000:]
    assert done.redirect_chain[-1][0] == reverse("privacy:erased")
    assert done.status_code == 200 and "Your account is deleted" in done.content.decode()
    request = Request.objects.get(kind=Kind.ERASURE)
    assert request.reference in done.content.decode()
    # Signed out, and the account cannot be used again.
    assert client.get(HOME).status_code == 302
    person.refresh_from_db()
    assert not person.is_active and "Siti" not in person.full_name
    assert not person.check_password(PASSWORD) and person.email.endswith("@erased.invalid")


def test_the_public_notice_lists_the_register() -> None:
    page = Client().get(reverse("privacy:notice"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Pasal 46" in body


# --- The data-protection officer --------------------------------------------------------------------


def test_the_officer_sees_the_queue_with_overdue_requests_first_and_answers(staff_client: Any) -> None:
    person = UserFactory.create()
    old = services.correction_request(
        subject=person,
        concerns="other",
        details="old one",
        actor=person,
        now=timezone.now() - timedelta(days=4),
    )
    services.correction_request(subject=person, concerns="payment", details="new one", actor=person)
    officer = staff_client(staff(Role.NATIONAL_ADMIN, language="en"))
    page = officer.get(reverse("backoffice:privacy_requests")).content.decode()
    assert "1 overdue" in page and page.index(old.reference) < page.index(
        "PDP-", page.index(old.reference) + 4
    )
    detail = officer.get(reverse("backoffice:privacy_request", args=[old.pk]))
    assert "old one" in detail.content.decode()
    refused = officer.post(
        reverse("backoffice:privacy_request", args=[old.pk]), {"outcome": "done", "answer": ""}
    )
    assert refused.status_code == 400
    officer.post(
        reverse("backoffice:privacy_request", args=[old.pk]), {"outcome": "refused", "answer": "It is right."}
    )
    old.refresh_from_db()
    assert old.status == Status.REFUSED and old.answer == "It is right."
    assert officer.get(reverse("backoffice:privacy_register")).status_code == 200


def test_a_huge_or_missing_request_is_not_found(staff_client: Any) -> None:
    officer = staff_client(staff(Role.NATIONAL_ADMIN))
    assert officer.get(reverse("backoffice:privacy_request", args=[2**63])).status_code == 404
    assert officer.get(reverse("backoffice:privacy_request", args=[123])).status_code == 404


@pytest.mark.parametrize("role", [Role.OFFICER, Role.OFFICE_ADMIN, Role.AUDITOR])
def test_other_staff_may_not_see_the_requests(staff_client: Any, office_a: Any, role: Role) -> None:
    user = staff_client(staff(role, [office_a]))
    assert user.get(reverse("backoffice:privacy_requests")).status_code == 403
    assert user.get(reverse("backoffice:privacy_register")).status_code == 403


# --- The breach command ---------------------------------------------------------------------------


def test_the_breach_command_lists_the_people_affected(monkeypatch: pytest.MonkeyPatch) -> None:
    from gerbang.core import data_subjects

    person = UserFactory.create(full_name="Siti Rahmawati", email="siti@example.test")
    officer = staff(Role.NATIONAL_ADMIN, email="officer@example.test")
    data_subjects.providers()
    monkeypatch.setitem(
        data_subjects._PROVIDERS,
        "test",
        data_subjects.Provider("test", owners={"thing": lambda ids: dict.fromkeys(ids, person.pk)}),
    )
    Event.objects.create(code="thing.viewed", actor=officer, subject_type="thing", subject_id="5")
    out, err = io.StringIO(), io.StringIO()
    today = timezone.localdate().isoformat()
    call_command(
        "breach_affected",
        "--start",
        today,
        "--end",
        today,
        "--staff",
        "officer@example.test",
        stdout=out,
        stderr=err,
    )
    assert "siti@example.test" in out.getvalue() and "Siti Rahmawati" in out.getvalue()
    assert "1 people affected by 1 staff reads" in err.getvalue()
    out = io.StringIO()
    call_command(
        "breach_affected",
        "--start",
        today,
        "--end",
        today,
        "--format",
        "json",
        stdout=out,
        stderr=io.StringIO(),
    )
    assert json.loads(out.getvalue())["people"][0]["user_id"] == person.pk


def test_a_file_the_storage_lost_is_named_not_a_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    from gerbang.core import data_subjects

    def lost() -> Any:
        raise FileNotFoundError("gone")

    def export(subject: Any) -> list[data_subjects.Section]:
        return [
            data_subjects.Section(
                "things", "Things", [{"id": 1}], [data_subjects.ExportFile("things/a.pdf", lost)]
            )
        ]

    data_subjects.providers()
    monkeypatch.setitem(data_subjects._PROVIDERS, "test", data_subjects.Provider("test", export=export))
    response = signed_in(UserFactory.create()).post(reverse("privacy:download"), {"format": "zip"})
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert "things/a.pdf" in archive.read("files/MISSING.txt").decode()


def test_the_officers_work_card_counts_the_waiting_and_late_requests_in_one_query(
    django_assert_num_queries: Any,
) -> None:
    from django.test import RequestFactory

    from gerbang.privacy import panels

    person = UserFactory.create()
    for days in (5, 4, 0):
        services.correction_request(
            subject=person,
            concerns="other",
            details=f"{days} days",
            actor=person,
            now=timezone.now() - timedelta(days=days),
        )
    answered = Request.objects.order_by("pk").first()
    assert answered is not None
    Request.objects.filter(pk=answered.pk).update(status=Status.DONE)
    request = RequestFactory().get("/")
    request.user = staff(Role.NATIONAL_ADMIN)
    with django_assert_num_queries(1):
        facts = panels.waiting_requests(request)
    assert facts == {"waiting": 2, "overdue": 1}
    request.user = staff(Role.OFFICER)
    assert panels.waiting_requests(request) is None


def test_copies_are_counted_and_corrections_listed_with_what_the_person_wrote() -> None:
    person = UserFactory.create()
    client = signed_in(person)
    for _copy in range(3):
        client.post(reverse("privacy:download"), {"format": "json"})
    services.correction_request(
        subject=person, concerns="application", details="Tanggal lahir 12/03/1990", actor=person
    )
    page = client.get(HOME).content.decode()
    assert "You downloaded a copy of your data 3 times" in page
    assert page.count("PDP-") == 1  # the correction; the copies are not listed one by one
    assert "Tanggal lahir 12/03/1990" in page


@pytest.mark.parametrize("asked", [{}, {"format": "exe"}])
def test_a_download_without_a_format_of_the_page_makes_nothing_and_says_so(asked: dict[str, str]) -> None:
    person = UserFactory.create(language="en")
    response = signed_in(person).post(reverse("privacy:download"), asked)
    assert response.status_code == 400
    assert "Choose one of the download buttons" in response.content.decode()
    assert not Request.objects.filter(person=person).exists()  # no copy was given
