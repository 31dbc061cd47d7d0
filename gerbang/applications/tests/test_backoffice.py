"""The officers' side: queue, case page, actions, optimistic locking, scoping and read audit."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gerbang.accounts.models import Role
from gerbang.accounts.tests.factories import sign_in_with_2fa, staff
from gerbang.applications import selectors, services
from gerbang.applications.models import Application
from gerbang.applications.tests import factories as f
from gerbang.applications.workflow import State
from gerbang.core.exceptions import ValidationError
from gerbang.core.models import Event
from gerbang.payments import services as payments

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> f.World:
    return f.make_world()


def browser(user: Any) -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    sign_in_with_2fa(client, user)
    return client


def test_queue_lists_only_my_offices_with_due_highlights(world: f.World) -> None:
    mine = f.paid(world)
    Application.objects.filter(pk=mine.pk).update(due_date=timezone.localdate() - timedelta(days=1))
    elsewhere = services.application_start(
        applicant=f.UserFactory.create(),
        service=world.service("paspor-biasa"),
        office=world.other_office,
        for_child=False,
    )
    page = browser(world.officer).get(reverse("backoffice:case_queue")).content.decode()
    assert str(mine.number) in page
    assert "overdue" in page
    assert str(elsewhere.pk) not in page or elsewhere.number is None
    overdue = browser(world.officer).get(reverse("backoffice:case_queue") + "?due=overdue").content.decode()
    assert str(mine.number) in overdue


def test_case_page_read_is_audited_and_other_offices_get_404(world: f.World) -> None:
    application = f.submitted(world)
    response = browser(world.officer).get(reverse("backoffice:case_detail", args=[application.pk]))
    assert response.status_code == 200
    assert "Budi Santoso" in response.content.decode()
    assert Event.objects.filter(code="application.case_viewed", actor=world.officer).count() == 1
    document = application.documents.first()
    assert document is not None
    file_response = browser(world.officer).get(
        reverse("backoffice:case_document", args=[application.pk, document.pk])
    )
    assert file_response.status_code == 200
    assert Event.objects.filter(code="application.document_viewed", details__slot=document.slot).exists()
    # The reads are the audit log's, not the case's history on its page.
    again = browser(world.officer).get(reverse("backoffice:case_detail", args=[application.pk]))
    assert "Case opened (read logged)" not in again.content.decode()
    assert "Document opened (read logged)" not in again.content.decode()
    stranger = staff(Role.OFFICER, [world.other_office])
    assert browser(stranger).get(reverse("backoffice:case_detail", args=[application.pk])).status_code == 404


def test_payment_at_bank_counter_through_the_page(world: f.World) -> None:
    application = f.submitted(world)
    url = reverse("backoffice:case_payment", args=[application.pk])
    officer = browser(world.officer)
    wrong = officer.post(
        url,
        {
            "version": application.version,
            "receipt_number": "BRI-001",
            "amount": "300.000",
            "paid_on": timezone.localdate().strftime("%d/%m/%Y"),
        },
    )
    assert wrong.status_code == 400
    assert "The amount must be the fee" in wrong.content.decode()
    right = officer.post(
        url,
        {
            "version": application.version,
            "receipt_number": "BRI-001",
            "amount": "350.000",
            "paid_on": timezone.localdate().strftime("%d/%m/%Y"),
        },
    )
    assert right.status_code == 302
    application.refresh_from_db()
    assert application.state == State.PAID
    assert application.due_date is not None and application.due_date > timezone.localdate()
    again = f.submitted(
        world, applicant=f.UserFactory.create(), answers=f.passport_answers(nik="3171011508900002")
    )
    with pytest.raises(ValidationError, match="already recorded"):
        payments.payment_record_counter(
            application=again,
            receipt_number="bri-001",
            amount=350_000,
            paid_on=timezone.localdate(),
            actor=world.officer,
            expected_version=again.version,
        )


def test_two_officers_at_once_one_wins_the_other_sees_fresh_state(world: f.World) -> None:
    application = f.paid(world)
    seen_version = application.version
    other = staff(Role.OFFICER, [world.office])
    first = browser(world.officer).post(
        reverse("backoffice:case_action", args=[application.pk]),
        {"action": "start_verification", "version": seen_version},
    )
    assert first.status_code == 302
    second = browser(other).post(
        reverse("backoffice:case_action", args=[application.pk]),
        {"action": "start_verification", "version": seen_version},
    )
    assert second.status_code == 409
    body = second.content.decode()
    assert "Somebody else changed this application" in body
    assert "Documents being verified" in body


def test_correction_request_and_decisions_with_reasons(world: f.World) -> None:
    application = f.in_verification(world)
    officer = browser(world.officer)
    slot = application.documents.first().slot  # type: ignore[union-attr]
    empty = officer.post(
        reverse("backoffice:case_corrections", args=[application.pk]),
        {
            "version": application.version,
            "target": [f"document:{slot}", "field:address"],
            "message_field:address": "Add RT/RW",
        },
    )
    assert empty.status_code == 400
    # Refused (the document has no note): both ticks and the typed note are kept.
    kept = empty.content.decode()
    assert f'value="document:{slot}" id="t-d-{slot}" checked' in kept
    assert 'value="field:address" id="t-f-address" checked' in kept
    assert 'value="Add RT/RW"' in kept
    response = officer.post(
        reverse("backoffice:case_corrections", args=[application.pk]),
        {
            "version": application.version,
            "target": [f"document:{slot}", "field:address"],
            f"message_document:{slot}": "Blurred",
            "message_field:address": "Add RT/RW",
        },
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == State.CORRECTION_REQUESTED
    assert selectors.next_step(application).where == "corrections"  # type: ignore[union-attr]


def test_office_numbers(world: f.World) -> None:
    application = f.in_verification(world)
    numbers = selectors.office_numbers(world.officer)
    assert dict(numbers.by_state)["Documents being verified"] == 1
    stages = {label for label, _days, _n in numbers.median_hours_by_state}
    assert {"Submitted", "Awaiting payment", "Paid"} <= stages
    page = browser(world.supervisor).get(reverse("backoffice:case_numbers")).content.decode()
    assert "Median time spent in each stage" in page
    assert str(application.number) not in page


def test_dashboard_shows_open_and_overdue_counts(world: f.World) -> None:
    f.submitted(world)
    page = browser(world.officer).get(reverse("backoffice:dashboard")).content.decode()
    assert "1 open application" in page
    assert "0 overdue" in page


def test_the_dashboards_open_count_is_what_its_link_lists(world: f.World) -> None:
    people = iter(f.UserFactory.create() for _ in range(10))
    niks = iter(f"31710115089000{n:02d}" for n in range(10, 20))

    def another(make: Any) -> Application:
        return make(world, applicant=next(people), answers=f.passport_answers(nik=next(niks)))

    another(f.submitted)
    another(f.paid)
    interview = another(f.awaiting_appointment)
    approved = another(f.awaiting_appointment)
    for action in ("complete_interview", "approve"):
        current = Application.objects.get(pk=approved.pk)
        services.application_transition(
            application=current, action=action, actor=world.supervisor, expected_version=current.version
        )
    cancelled = another(f.submitted)
    services.application_cancel(application=cancelled, actor=cancelled.applicant)
    officer = browser(world.officer)
    page = officer.get(reverse("backoffice:dashboard")).content.decode()
    listed = re.findall(
        r'href="/backoffice/cases/(\d+)/"', officer.get(reverse("backoffice:case_queue")).content.decode()
    )
    assert len(set(listed)) == 4 and str(interview.pk) in listed and str(approved.pk) in listed
    assert "4 open applications" in page


def test_find_a_case_by_its_number(world: f.World) -> None:
    application = f.submitted(world)
    f.submitted(world, applicant=f.UserFactory.create(), answers=f.passport_answers(nik="3171011508900003"))
    typed = str(application.number).lower().replace("-", " ", 1)
    assert [c.pk for c in selectors.work_queue(world.officer, number=typed)] == [application.pk]
    page = (
        browser(world.officer)
        .get(reverse("backoffice:case_queue"), {"number": str(application.number)})
        .content.decode()
    )
    assert re.findall(r'href="/backoffice/cases/(\d+)/"', page) == [str(application.pk)]


def _form_with_id(page: str, anchor: str) -> str:
    """The HTML of the form whose id is ``anchor``."""
    match = re.search(rf'<form[^>]*id="{re.escape(anchor)}"[^>]*>.*?</form>', page, re.S)
    assert match, f"no form {anchor}"
    return match.group(0)


def test_a_refused_action_is_said_at_its_button_and_at_the_top_and_the_page_opens_there(
    world: f.World,
) -> None:
    application = f.in_verification(world)  # its documents are not verified yet
    url = reverse("backoffice:case_detail", args=[application.pk])
    case_page = browser(world.officer).get(url).content.decode()
    # Each action posts to the case page's anchor of its own form: the answer opens there.
    assert (
        f'action="{reverse("backoffice:case_action", args=[application.pk])}#act-send_to_interview"'
        in case_page
    )
    response = browser(world.officer).post(
        reverse("backoffice:case_action", args=[application.pk]),
        {"action": "send_to_interview", "version": application.version},
    )
    assert response.status_code == 400
    page = response.content.decode()
    form = _form_with_id(page, "act-send_to_interview")
    assert "Every document must be verified first." in form
    assert form.index("Every document must be verified first.") < form.index("<button")
    summary = page[page.index('id="error-summary"') : page.index("</div>", page.index('id="error-summary"'))]
    assert 'href="#act-send_to_interview"' in summary and "Every document must be verified first." in summary
    # Said once per place: not also in the decision forms or the general messages.
    assert page.count("Every document must be verified first.") == 2


def test_a_refused_document_check_is_said_at_the_document(world: f.World) -> None:
    application = f.in_verification(world)
    document = application.documents.filter(is_current=True).first()
    assert document is not None
    response = browser(world.officer).post(
        reverse("backoffice:case_document_verify", args=[application.pk, document.pk]),
        {"version": application.version - 1},
    )
    assert response.status_code == 409
    page = response.content.decode()
    card = page[page.index(f'id="doc-{document.slot}"') :]
    card = card[: card.index("</div>\n  </div>") if "</div>\n  </div>" in card else 3000]
    assert "Somebody else changed this application" in card
    assert f'href="#doc-{document.slot}"' in page


def test_decision_forms_ask_for_what_the_workflow_requires(world: f.World) -> None:
    """Reason and explanation are "required" exactly when the table's flags say the service
    demands them; nothing the service demands is called optional."""
    from gerbang.applications.forms import DecisionForm
    from gerbang.applications.workflow import TRANSITIONS

    for transition in TRANSITIONS:
        form = DecisionForm(transition=transition)
        assert form.fields["reason"].required is transition.needs_reason
        assert ("reason_code" in form.fields) is transition.needs_reason_code
        if transition.needs_reason_code:
            assert form.fields["reason_code"].required
    application = f.in_verification(world)
    page = (
        browser(world.officer).get(reverse("backoffice:case_detail", args=[application.pk])).content.decode()
    )
    reject = _form_with_id(page, "act-reject")
    assert "Reason" in reject and "Explanation for the applicant" in reject
    assert "optional" not in reject


def test_a_rejection_without_its_reason_keeps_what_was_typed_and_says_what_is_missing(
    world: f.World,
) -> None:
    application = f.in_verification(world)
    response = browser(world.officer).post(
        reverse("backoffice:case_action", args=[application.pk]),
        {
            "action": "reject",
            "version": application.version,
            "reason_code": "",
            "reason": "Photo is not you.",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    reject = _form_with_id(page, "act-reject")
    assert "Choose the reason for the refusal." in reject
    assert "Photo is not you." in reject
    assert "This field is required" not in page
    assert 'href="#id_reject_reason_code"' in page
    application.refresh_from_db()
    assert application.state == State.IN_VERIFICATION
    done = browser(world.officer).post(
        reverse("backoffice:case_action", args=[application.pk]),
        {"action": "reject", "version": application.version, "reason_code": "data_mismatch", "reason": "x"},
    )
    assert done.status_code == 302 and done["Location"].endswith("#top")
