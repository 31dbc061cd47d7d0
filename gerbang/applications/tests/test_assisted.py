"""Assisted applications: an officer opens, enters and submits an application for a walk-in
person without an email address; the person takes it over online with the one-time code."""

from __future__ import annotations

import base64
import contextlib
import io
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image, ImageDraw

from gerbang.accounts.models import User
from gerbang.applications import assisted_codes, selectors, services
from gerbang.applications.models import Application, AssistedIntake, ConsentMethod, TakeoverCode
from gerbang.applications.tests import factories as f
from gerbang.applications.workflow import State
from gerbang.core.exceptions import ApplicationError, PermissionDenied, RateLimited, ValidationError
from gerbang.core.models import Event
from gerbang.notifications.models import OutboxMessage
from gerbang.notifications.selectors import channels_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> f.World:
    return f.make_world()


def signature_data_url(*, blank: bool = False) -> str:
    picture = Image.new("RGBA", (300, 100), (0, 0, 0, 0))
    if not blank:
        ImageDraw.Draw(picture).line([(10, 80), (120, 20), (280, 70)], fill=(0, 0, 0, 255), width=4)
    out = io.BytesIO()
    picture.save(out, "PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def start(world: f.World, **overrides: object) -> Application:
    arguments: dict[str, object] = {
        "officer": world.officer,
        "office": world.office,
        "service": world.service("paspor-biasa"),
        "full_name": "Wayan Sudarma",
        "phone": "0812 1111 2222",
        "email": "",
        "language": "id",
        "consent": services.consent_evidence(method="signature", signature=signature_data_url()),
    }
    arguments.update(overrides)
    return services.assisted_application_start(**arguments)  # type: ignore[arg-type]


def entered(world: f.World) -> Application:
    application = start(world)
    services.application_save_answers(
        application=application,
        values=f.passport_answers(full_name="Wayan Sudarma"),
        actor=world.officer,
    )
    for slot in f.document_slots(application):
        data, name = (f.photo_bytes(), "photo.jpg") if slot.key == "photo" else (f.pdf_bytes(), "scan.pdf")
        services.document_upload(
            application=application,
            slot=slot.key,
            upload=io.BytesIO(data),
            file_name=name,
            actor=world.officer,
        )
    application.refresh_from_db()
    return application


def submitted(world: f.World) -> Application:
    application = entered(world)
    return services.assisted_application_submit(
        application=application, declaration=True, actor=world.officer
    )


class TestStart:
    def test_the_person_gets_an_account_without_email_or_password_and_the_case_is_theirs(
        self, world: f.World
    ) -> None:
        application = start(world)
        person = application.applicant
        assert person.email == "" and not person.has_usable_password()
        assert person.phone == "+6281211112222" and person.created_by == world.officer
        intake = AssistedIntake.objects.get(application=application)
        assert intake.consent_method == ConsentMethod.SIGNATURE and intake.officer == world.officer
        assert intake.consent_file.name and intake.consent_content_type == "image/png"
        created = Event.objects.get(code="application.created", subject_id=str(application.pk))
        assert created.actor == world.officer and created.details["on_behalf"] is True
        consent = Event.objects.get(code="application.assisted_consent_recorded")
        assert consent.actor == world.officer and consent.details["method"] == "signature"
        assert Event.objects.filter(code="privacy.consent_given").exists()

    def test_a_blank_signature_pad_is_refused_and_nothing_is_kept(self, world: f.World) -> None:
        with pytest.raises(ValidationError) as refused:
            services.consent_evidence(method="signature", signature=signature_data_url(blank=True))
        assert refused.value.field == "signature"
        with pytest.raises(ValidationError):
            services.consent_evidence(method="", signature="")
        assert not User.objects.filter(full_name="Wayan Sudarma").exists()

    def test_a_scanned_consent_form_is_checked_like_a_document(self, world: f.World) -> None:
        with pytest.raises(ValidationError):
            services.consent_evidence(method="scan", scan=io.BytesIO(b"not a pdf"))
        application = start(
            world, consent=services.consent_evidence(method="scan", scan=io.BytesIO(f.pdf_bytes()))
        )
        assert application.assisted.consent_method == ConsentMethod.SCAN

    def test_only_officers_of_the_office_may_assist(self, world: f.World) -> None:
        from gerbang.accounts.models import Role
        from gerbang.accounts.tests.factories import staff

        stranger = staff(Role.OFFICER, [world.other_office])
        with pytest.raises(PermissionDenied):
            start(world, officer=stranger)
        with pytest.raises(PermissionDenied):
            start(world, officer=world.applicant)

    def test_a_bad_phone_number_is_said(self, world: f.World) -> None:
        with pytest.raises(ValidationError) as refused:
            start(world, phone="12")
        assert refused.value.field == "phone"


class TestEnteringAndSubmitting:
    def test_each_step_records_the_officer_and_the_submission_is_the_persons(self, world: f.World) -> None:
        application = submitted(world)
        assert application.state == State.AWAITING_PAYMENT and application.applicant.email == ""
        steps = Event.objects.filter(code="application.assisted_step_saved", subject_id=str(application.pk))
        assert steps and all(e.actor == world.officer and e.details["on_behalf"] for e in steps)
        uploads = Event.objects.filter(code="application.document_uploaded", subject_id=str(application.pk))
        assert uploads and all(e.actor == world.officer and e.details["on_behalf"] for e in uploads)
        submit = Event.objects.get(code="application.submit", subject_id=str(application.pk))
        assert submit.actor == world.officer and submit.details["on_behalf"] is True
        texts = [e.text for e in selectors.timeline(application, for_staff=True)]
        assert any("Petugas Satu" in t for t in texts)

    def test_messages_go_by_sms_and_the_code_by_sms_only(self, world: f.World) -> None:
        application = submitted(world)
        person = application.applicant
        kinds = set(OutboxMessage.objects.filter(recipient=person).values_list("kind", flat=True))
        assert {"application.submit", "application.takeover_code"} <= kinds
        submit = OutboxMessage.objects.get(recipient=person, kind="application.submit")
        assert channels_for(submit) == {"sms", "inbox"}
        code_message = OutboxMessage.objects.get(recipient=person, kind="application.takeover_code")
        assert channels_for(code_message) == {"sms"}
        assert "code" not in code_message.context  # only its id: the code is made when rendered

    def test_the_officer_no_longer_acts_for_the_person_after_submission(self, world: f.World) -> None:
        application = submitted(world)
        assert not selectors.assisting(application, world.officer)
        with pytest.raises(ApplicationError):
            services.application_cancel(application=application, actor=world.officer)

    def test_public_tracking_works_as_for_self_service(self, world: f.World) -> None:
        application = submitted(world)
        assert selectors.track(str(application.number), f.BORN) is not None


class TestTakeOver:
    def code_of(self, application) -> str:
        shown = selectors.takeover_code_shown(application)
        assert shown is not None
        return shown[0]

    def test_only_a_hash_is_stored_and_the_code_works_once(self, world: f.World) -> None:
        application = submitted(world)
        code = self.code_of(application)
        stored = TakeoverCode.objects.get(application=application)
        assert code.replace("-", "") not in {stored.code_hash, stored.nonce}
        taken = services.application_take_over(
            number=str(application.number).lower(),
            code=code.lower().replace("-", " "),
            email="wayan@contoh.id",
            password="kebun kopi di bali",
            language="id",
            client="198.51.100.7",
        )
        person = User.objects.get(pk=taken.applicant_id)
        assert person.email == "wayan@contoh.id" and person.check_password("kebun kopi di bali")
        assert AssistedIntake.objects.get(application=application).taken_over_at is not None
        assert Event.objects.filter(code="application.taken_over", actor=person).exists()
        assert OutboxMessage.objects.filter(recipient=person, kind="account.verify_email").exists()
        with pytest.raises(ValidationError):
            services.application_take_over(
                number=str(application.number),
                code=code,
                email="lain@contoh.id",
                password="kebun kopi di bali",
                language="id",
                client="198.51.100.7",
            )

    def test_a_new_code_voids_the_old_one(self, world: f.World) -> None:
        application = submitted(world)
        old = self.code_of(application)
        services.takeover_code_issue(application=application, actor=world.officer)
        new = self.code_of(application)
        assert new != old
        with pytest.raises(ValidationError):
            services.application_take_over(
                number=str(application.number),
                code=old,
                email="w@contoh.id",
                password="kebun kopi di bali",
                language="id",
                client="198.51.100.8",
            )
        assert services.application_take_over(
            number=str(application.number),
            code=new,
            email="w@contoh.id",
            password="kebun kopi di bali",
            language="id",
            client="198.51.100.8",
        )

    def test_the_code_expires(self, world: f.World) -> None:
        application = submitted(world)
        code = self.code_of(application)
        with (
            time_machine.travel(timezone.now() + timedelta(days=services.TAKEOVER_DAYS, minutes=1)),
            pytest.raises(ValidationError),
        ):
            services.application_take_over(
                number=str(application.number),
                code=code,
                email="w@contoh.id",
                password="kebun kopi di bali",
                language="id",
                client="198.51.100.9",
            )

    def test_a_weak_password_keeps_the_code(self, world: f.World) -> None:
        application = submitted(world)
        code = self.code_of(application)
        with pytest.raises(ValidationError) as refused:
            services.application_take_over(
                number=str(application.number),
                code=code,
                email="w@contoh.id",
                password="123",
                language="id",
                client="198.51.100.10",
            )
        assert refused.value.field == "password"
        assert selectors.takeover_code_shown(application) is not None

    def test_guessing_is_rate_limited(self, world: f.World) -> None:
        application = submitted(world)
        with pytest.raises(RateLimited):
            for _attempt in range(10):
                with contextlib.suppress(ValidationError):
                    services.application_take_over(
                        number=str(application.number),
                        code="AAAA-AAAA",
                        email="w@contoh.id",
                        password="kebun kopi di bali",
                        language="id",
                        client="198.51.100.11",
                    )

    def test_codes_read_forgivingly(self) -> None:
        assert assisted_codes.normalise("7k3q h9tx") == "7K3QH9TX"
        assert assisted_codes.normalise("O1IL-0000") == "01110000"
        assert assisted_codes.normalise("short") == ""


class TestPages:
    def test_the_officer_goes_through_the_pages(self, client: Client, world: f.World) -> None:
        from gerbang.accounts.tests.factories import sign_in_with_2fa

        sign_in_with_2fa(client, world.officer)
        page = client.get(reverse("backoffice:assisted_start"))
        assert page.status_code == 200 and b"data-signature-pad" in page.content
        response = client.post(
            reverse("backoffice:assisted_start"),
            {
                "consent_method": "signature",
                "signature": signature_data_url(),
                "full_name": "Wayan Sudarma",
                "phone": "0812 1111 2222",
                "email": "",
                "language": "id",
                "service": world.service("paspor-biasa").pk,
                "office": world.office.pk,
            },
        )
        assert response.status_code == 302
        application = AssistedIntake.objects.get().application
        step = client.get(response["Location"])
        assert step.status_code == 200 and b"assisted-banner" in step.content
        documents = client.get(reverse("backoffice:assisted_documents", args=[application.pk]))
        assert b'capture="environment"' in documents.content
        assert client.get(reverse("backoffice:assisted_consent_form")).status_code == 200

    def test_missing_consent_is_said_and_the_input_kept(self, client: Client, world: f.World) -> None:
        from gerbang.accounts.tests.factories import sign_in_with_2fa

        sign_in_with_2fa(client, world.officer)
        response = client.post(
            reverse("backoffice:assisted_start"),
            {
                "consent_method": "scan",
                "full_name": "Wayan Sudarma",
                "phone": "0812 1111 2222",
                "language": "id",
                "service": world.service("paspor-biasa").pk,
                "office": world.office.pk,
            },
        )
        assert response.status_code == 400
        assert "Wayan Sudarma" in response.content.decode()
        assert not AssistedIntake.objects.exists()

    def test_summary_and_pdf_show_the_code(self, client: Client, world: f.World) -> None:
        from gerbang.accounts.tests.factories import sign_in_with_2fa

        application = submitted(world)
        code = selectors.takeover_code_shown(application)[0]  # type: ignore[index]
        sign_in_with_2fa(client, world.officer)
        page = client.get(reverse("backoffice:assisted_summary", args=[application.pk]))
        assert code in page.content.decode() and str(application.number) in page.content.decode()
        pdf = client.get(reverse("backoffice:assisted_summary_pdf", args=[application.pk]) + "?lang=en")
        assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"

    def test_the_person_takes_over_and_sees_their_case(self, client: Client, world: f.World) -> None:
        application = submitted(world)
        code = selectors.takeover_code_shown(application)[0]  # type: ignore[index]
        assert client.get(reverse("applications:take_over")).status_code == 200
        wrong = client.post(
            reverse("applications:take_over"),
            {
                "number": application.number,
                "code": "AAAA-AAAA",
                "email": "w@contoh.id",
                "password": "kebun kopi di bali",
            },
        )
        assert wrong.status_code == 400
        # A password too short is said in the same round as a missing address, before the code
        # is tried (it is typed again each round).
        weak = client.post(
            reverse("applications:take_over"),
            {"number": application.number, "code": code, "email": "", "password": "kopi"},
        )
        assert weak.status_code == 400
        assert set(weak.context["form"].errors) == {"email", "password"}
        response = client.post(
            reverse("applications:take_over"),
            {
                "number": application.number,
                "code": code,
                "email": "w@contoh.id",
                "password": "kebun kopi di bali",
            },
        )
        assert response["Location"] == reverse("applications:detail", args=[application.pk])
        case = client.get(response["Location"])
        assert case.status_code == 200 and str(application.number) in case.content.decode()


class TestErasure:
    def test_the_consent_evidence_is_erased_with_the_cases_personal_data(self, world: f.World) -> None:
        from gerbang.core.actors import SystemActor

        application = submitted(world)
        services.application_cancel(application=application, actor=application.applicant)
        later = timezone.now() + timedelta(days=365 * 30)
        erased, _documents = services.cases_personal_data_erase(
            application_ids=[application.pk], now=later, why="retention", actor=SystemActor("tests")
        )
        assert erased == 1
        intake = AssistedIntake.objects.get(application=application)
        assert not intake.consent_file and intake.consent_method == ConsentMethod.SIGNATURE


def test_the_demo_command_prints_the_code_only_in_development(world: f.World, settings: object) -> None:
    from django.core.management import call_command
    from django.core.management.base import CommandError

    application = submitted(world)
    settings.DEBUG = True  # type: ignore[attr-defined]
    out = io.StringIO()
    call_command("demo_takeover_code", stdout=out)
    number, code = out.getvalue().split()
    assert number == application.number
    assert assisted_codes.hash_of(code) == TakeoverCode.objects.get(application=application).code_hash
    settings.DEBUG = False  # type: ignore[attr-defined]
    with pytest.raises(CommandError):
        call_command("demo_takeover_code")
