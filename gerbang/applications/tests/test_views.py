"""The applicant's pages: start, steps that keep every answer, documents, review, the case
page, corrections, the file view and public tracking."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from gerbang.applications import selectors, services
from gerbang.applications.models import Application
from gerbang.applications.slots import document_slots
from gerbang.applications.tests import factories as f
from gerbang.applications.workflow import State
from gerbang.payments import services as payments

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> f.World:
    return f.make_world()


def signed_in(user: Any) -> Client:
    browser = Client()
    browser.cookies["django_language"] = "en"
    browser.force_login(user)
    return browser


def test_guided_application_through_the_pages(world: f.World) -> None:
    browser = signed_in(world.applicant)
    response = browser.post(
        reverse("applications:start", args=["paspor-biasa"]), {"office": world.office.pk, "for_child": "0"}
    )
    application = Application.objects.get(applicant=world.applicant)
    assert response.status_code == 302
    assert response["Location"] == reverse("applications:step", args=[application.pk, "identity"])

    answers = f.passport_answers()
    identity = {
        k: answers[k] for k in ("full_name", "sex", "date_of_birth", "place_of_birth", "nik", "mother_name")
    }
    # A wrong NIK: the page says what to fix, and everything typed is kept.
    response = browser.post(response["Location"], {**identity, "nik": "3171011508900"})
    assert response.status_code == 200
    assert "A NIK has exactly 16 digits." in response.content.decode()
    application.refresh_from_db()
    assert application.answers["nik"] == "3171011508900"
    assert application.answers["mother_name"] == "Siti Aminah"

    response = browser.post(reverse("applications:step", args=[application.pk, "identity"]), identity)
    assert response["Location"] == reverse("applications:step", args=[application.pk, "contact"])
    contact = {k: answers[k] for k in ("address", "postal_code", "phone")}
    response = browser.post(response["Location"], contact)
    travel = {"purpose": "tourism", "previous_passport": "none"}
    response = browser.post(response["Location"], travel)
    assert response["Location"] == reverse("applications:documents", args=[application.pk])

    application.refresh_from_db()
    for slot in document_slots(application):
        response = browser.post(
            reverse("applications:documents", args=[application.pk]),
            {"slot": slot.key, "file": f.upload(f.pdf_bytes(), "scan.pdf")},
        )
        assert response.status_code == 302, response.content.decode()[:500]

    review = browser.get(reverse("applications:review", args=[application.pk]))
    assert "Before you can submit" not in review.content.decode()
    response = browser.post(reverse("applications:review", args=[application.pk]), {})
    assert response.status_code == 400
    assert "Confirm the declaration" in response.content.decode()
    response = browser.post(reverse("applications:review", args=[application.pk]), {"declaration": "on"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == State.AWAITING_PAYMENT

    page = browser.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert "Pay the fee of Rp 350,000" in page
    assert reverse("payments:pay", args=[application.pk]) in page
    assert "Application submitted." in page
    assert str(application.number) in page


def test_session_timeout_keeps_the_posted_answers(world: f.World) -> None:
    application = f.draft(world, answers={})
    browser = Client()
    browser.cookies["django_language"] = "en"
    step_url = reverse("applications:step", args=[application.pk, "contact"])
    response = browser.post(
        step_url, {"address": "Jl. Baru 5", "postal_code": "34681", "phone": "081234567890"}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    browser.force_login(world.applicant)
    page = browser.get(step_url)
    assert "We kept what you typed" in page.content.decode()
    application.refresh_from_db()
    assert application.answers["address"] == "Jl. Baru 5"


def test_inline_validation_returns_the_field(world: f.World) -> None:
    application = f.draft(world, answers={})
    browser = signed_in(world.applicant)
    url = reverse("applications:step", args=[application.pk, "contact"]) + "?field=postal_code"
    response = browser.post(url, {"postal_code": "0123"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert 'class="field has-error"' in body
    assert "5 digits" in body
    assert "<html" not in body


def test_a_late_inline_check_does_not_put_back_older_answers(world: f.World) -> None:
    """The check of one field carries the whole form as it was when it left; arriving after the
    step was saved with corrected answers, it saves only the field it checks."""
    application = f.draft(world, answers={})
    browser = signed_in(world.applicant)
    step = reverse("applications:step", args=[application.pk, "contact"])
    browser.post(step, {"address": "Jl. Baru 5", "postal_code": "34567", "phone": "0812 3456 7890"})
    stale = {"address": "Jl. Lama", "postal_code": "0123", "phone": "0812 3456 7890"}
    browser.post(step + "?field=postal_code", stale, HTTP_HX_REQUEST="true")
    application.refresh_from_db()
    assert application.answers["address"] == "Jl. Baru 5"
    assert application.answers["postal_code"] == "0123"  # the field checked is saved as typed


def test_other_people_cannot_see_an_application_or_its_files(world: f.World) -> None:
    application = f.submitted(world)
    document = application.documents.first()
    assert document is not None
    stranger = signed_in(f.UserFactory.create())
    assert stranger.get(reverse("applications:detail", args=[application.pk])).status_code == 404
    url = reverse("applications:document_file", args=[application.pk, document.pk])
    assert stranger.get(url).status_code == 404
    owner = signed_in(world.applicant)
    response = owner.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    assert str(document.file.name).startswith("documents/")
    assert "scan" not in str(document.file.name)


def test_public_tracking_same_answer_for_wrong_number_or_date(world: f.World) -> None:
    application = f.submitted(world)
    assert application.number
    browser = Client()
    browser.cookies["django_language"] = "en"
    url = reverse("applications:track")
    good = browser.post(
        url, {"number": application.number.lower(), "date_of_birth": "15/08/1990"}
    ).content.decode()
    assert "Awaiting payment" in good
    assert "Budi" not in good and f.NIK_MAN not in good
    wrong_date = browser.post(
        url, {"number": application.number, "date_of_birth": "16/08/1990"}
    ).content.decode()
    wrong_number = browser.post(
        url, {"number": "MESUJI-2026-00000-00000", "date_of_birth": "15/08/1990"}
    ).content.decode()

    def verdict(page: str) -> str:
        found = re.search(r'<div class="notice" role="status">(.*?)</div>', page, re.S)
        return found.group(1) if found else ""

    assert verdict(wrong_date) and verdict(wrong_date) == verdict(wrong_number)


def test_tracking_is_rate_limited(world: f.World) -> None:
    browser = Client()
    url = reverse("applications:track")
    statuses = [
        browser.post(url, {"number": "MESUJI-2026-00000-00000", "date_of_birth": "15/08/1990"}).status_code
        for _ in range(12)
    ]
    assert statuses[-1] == 429


def test_corrections_page_changes_only_what_was_asked(world: f.World) -> None:
    application = f.in_verification(world)
    slot = document_slots(application)[0].key
    services.corrections_request(
        application=application,
        items=[
            services.CorrectionItem("field", "address", "Write the full address with RT/RW."),
            services.CorrectionItem("document", slot, "The scan is blurred."),
        ],
        actor=world.officer,
        expected_version=application.version,
    )
    browser = signed_in(world.applicant)
    page = browser.get(reverse("applications:corrections", args=[application.pk])).content.decode()
    assert "The scan is blurred." in page
    # Another field cannot be changed now.
    with pytest.raises(Exception, match="Only the answers"):
        services.application_save_answers(
            application=application, values={"full_name": "Other Name"}, actor=world.applicant
        )
    response = browser.post(
        reverse("applications:corrections", args=[application.pk]),
        {"address": "Jl. Merdeka 1 RT 01/RW 02", "resubmit": "1"},
    )
    assert response.status_code == 200  # the document is still to be replaced
    assert "Fix every item" in response.content.decode()
    browser.post(
        reverse("applications:documents", args=[application.pk]),
        {"slot": slot, "file": f.upload(f.pdf_bytes(pages=2))},
    )
    response = browser.post(
        reverse("applications:corrections", args=[application.pk]),
        {"address": "Jl. Merdeka 1 RT 01/RW 02", "resubmit": "1"},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == State.IN_VERIFICATION
    assert application.answers["address"] == "Jl. Merdeka 1 RT 01/RW 02"
    assert application.documents.filter(slot=slot).count() == 2  # the old upload is kept as history


def test_upload_refusal_keeps_the_page_and_says_why(world: f.World) -> None:
    application = f.draft(world)
    browser = signed_in(world.applicant)
    slot = document_slots(application)[0].key
    response = browser.post(
        reverse("applications:documents", args=[application.pk]),
        {"slot": slot, "file": f.upload(b"MZ\x90\x00" + b"\x00" * 200, "setup.pdf")},
    )
    assert response.status_code == 400
    assert "not a PDF, JPEG or PNG" in response.content.decode()
    assert io is not None


def test_signing_in_again_through_the_login_page_lands_on_the_step_with_the_answers(world: f.World) -> None:
    application = f.draft(world, answers={})
    browser = Client()
    browser.cookies["django_language"] = "en"
    step_url = reverse("applications:step", args=[application.pk, "contact"])
    to_login = browser.post(step_url, {"address": "Jl. Kenanga 7", "postal_code": "34681", "phone": "0812"})
    signed_in_now = browser.post(
        to_login["Location"],
        {
            "username": world.applicant.email,
            "email": world.applicant.email,
            "password": f.PASSWORD,
        },
    )
    assert signed_in_now.status_code == 302
    assert signed_in_now["Location"] == step_url
    page = browser.get(step_url).content.decode()
    assert "Jl. Kenanga 7" in page
    application.refresh_from_db()
    assert application.answers["phone"] == "0812"


def test_a_parent_applies_for_a_child_with_the_childs_documents(world: f.World) -> None:
    child = f.passport_answers(full_name="Rizky Santoso", date_of_birth="14/03/2015", nik="3171011403150004")
    application = f.draft(world, answers=child, for_child=True)
    labels = [str(s.label) for s in document_slots(application)]
    assert "The child's birth certificate" in labels
    assert "Both parents' KTP-el" in labels
    assert "Electronic identity card (KTP-el)" not in labels
    submitted = f.submitted(world, answers=child, for_child=True)
    assert submitted.applicant == world.applicant and submitted.for_child
    browser = signed_in(world.applicant)
    page = browser.get(reverse("applications:list")).content.decode()
    assert "Rizky Santoso" in page


def test_a_refused_upload_is_said_at_the_top_of_the_page_with_a_link_to_its_slot(world: f.World) -> None:
    application = f.draft(world)
    browser = signed_in(world.applicant)
    slot = document_slots(application)[0]
    page = browser.post(
        f"/applications/{application.pk}/documents/",
        {"slot": slot.key, "file": f.upload(b"", "scan.pdf")},
    )
    assert page.status_code == 400
    body = page.content.decode()
    top = body.index('id="upload-errors"')
    assert top < body.index(f'id="slot-{slot.key}"')  # before the slots, where the page opens
    assert f'href="#slot-{slot.key}"' in body[top:]
    assert "The file is empty" in body[top:]  # what is wrong, not "choose a file"


def test_the_photo_slot_asks_for_a_picture_only(world: f.World) -> None:
    foreigner = f.UserFactory.create(full_name="Anna Maria Eriksson")
    application = f.draft(world, "visa-kunjungan", answers=f.foreigner_answers(), applicant=foreigner)
    body = signed_in(foreigner).get(f"/applications/{application.pk}/documents/").content.decode()
    photo = body[body.index('id="slot-photo"') :]
    assert 'accept="image/jpeg,image/png"' in photo and "A JPEG or PNG picture" in photo


def test_the_review_page_shows_the_fee_a_submission_gets_and_the_declaration_as_a_checkbox(
    world: f.World,
) -> None:
    from gerbang.core.formatting import rupiah

    application = f.draft(world)
    f.upload_all(application)
    terms = selectors.submission_terms(application)
    assert terms is not None and terms.fee > 0
    page = (
        signed_in(world.applicant).get(reverse("applications:review", args=[application.pk])).content.decode()
    )
    fee_section = page[
        page.index('id="fee-heading"') : page.index("</section>", page.index('id="fee-heading"'))
    ]
    assert rupiah(terms.fee) in fee_section
    # The checkbox comes first and its text is its label.
    box = page.index('type="checkbox" name="declaration"')
    label = page.index('<label for="id_declaration">I declare that')
    assert box < label
    # The fee shown is the one the submission takes.
    submitted = services.application_submit(application=application, declaration=True, actor=world.applicant)
    assert submitted.fee == terms.fee


def test_cards_say_which_case_needs_the_persons_action_in_both_languages(world: f.World) -> None:
    from django.utils import translation

    waiting_to_pay = f.submitted(world)
    at_the_office = f.submitted(world, answers=f.passport_answers(nik="3171011508900002"))
    payments.payment_record_counter(
        application=at_the_office,
        receipt_number="BRI-1",
        amount=at_the_office.fee or 0,
        paid_on=selectors.office_today(at_the_office),
        actor=world.officer,
        expected_version=at_the_office.version,
    )
    for url in (reverse("accounts:dashboard"), reverse("applications:list")):
        page = signed_in(world.applicant).get(url).content.decode()
        cards = page.split('<li class="card">')[1:]
        assert len(cards) == 2
        pay_card = next(c for c in cards if f"/applications/{waiting_to_pay.pk}/" in c)
        office_card = next(c for c in cards if f"/applications/{at_the_office.pk}/" in c)
        assert "Your turn" in pay_card and "Payment due" in pay_card
        assert "Your turn" not in office_card
    world.applicant.language = "id"
    world.applicant.save(update_fields=["language"])
    page = signed_in(world.applicant).get(reverse("accounts:dashboard")).content.decode()
    with translation.override("id"):
        assert str(translation.gettext("Payment due")) in page
        assert translation.gettext("Payment due") != "Payment due"


def test_a_drafts_expected_completion_is_the_service_standard_in_force(world: f.World) -> None:
    draft = f.draft(world)
    browser = signed_in(world.applicant)
    browser.cookies["django_language"] = "en"
    page = browser.get(reverse("applications:detail", args=[draft.pk])).content.decode()
    standard = selectors.submission_terms(draft).standard_working_days  # type: ignore[union-attr]
    assert standard > 0
    assert f"{standard} working days after payment" in page
