"""The exchange's pages: the officer's panel on a waiting case and its two actions, the log of
exchanges and who may read it, and the simulators' page."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from gerbang.accounts.models import Role
from gerbang.accounts.tests.factories import staff
from gerbang.applications.models import Application
from gerbang.applications.tests.factories import NIK_MAN, make_world, paid
from gerbang.applications.workflow import State
from gerbang.integrations import checks
from gerbang.integrations.models import CheckStatus, Exchange, ExternalCheck
from gerbang.integrations.tests.conftest import Simulator
from gerbang.integrations.tests.test_checks import PERSON


@pytest.fixture
def waiting(partners: Simulator) -> Any:
    partners.control("people", {NIK_MAN: PERSON})
    partners.mode("dukcapil", "down")
    world = make_world()
    case = paid(world)
    checks.checks_run_for(case.pk)
    return (
        world,
        Application.objects.get(pk=case.pk),
        ExternalCheck.objects.get(application_id=case.pk, kind="identity"),
    )


def _case_page(staff_client: Any, user: Any, case: Application) -> Any:
    return staff_client(user).get(reverse("backoffice:case_detail", args=[case.pk]))


def test_the_officer_sees_why_the_case_waits_and_what_to_do(waiting: Any, staff_client: Any) -> None:
    world, case, check = waiting
    response = _case_page(staff_client, world.officer, case)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="check-{check.pk}"' in html
    assert 'href="#checks"' in html and 'id="checks"' in html  # the case bar links to the panel
    assert "data-waiting-checks" in html
    assert 'data-status="waiting"' in html
    assert escape(str(checks.FAILURES["unavailable"])) in html
    assert reverse("backoffice:check_verify", args=[case.pk, check.pk]) in html
    assert reverse("backoffice:check_ask", args=[case.pk, check.pk]) in html


def test_asking_again_when_the_registry_is_back_moves_the_case_on(
    waiting: Any, staff_client: Any, partners: Simulator
) -> None:
    world, case, check = waiting
    partners.mode("dukcapil", "up")
    from gerbang.integrations import breaker

    breaker.reset("dukcapil")
    response = staff_client(world.officer).post(reverse("backoffice:check_ask", args=[case.pk, check.pk]))
    assert response.status_code == 302
    check.refresh_from_db()
    assert check.status == CheckStatus.ANSWERED
    assert Application.objects.get(pk=case.pk).state == State.PAID


def test_a_manual_verification_without_a_reason_is_refused_with_the_form_kept(
    waiting: Any, staff_client: Any
) -> None:
    world, case, check = waiting
    client = staff_client(world.officer)
    url = reverse("backoffice:check_verify", args=[case.pk, check.pk])
    response = client.post(url, {f"check{check.pk}-reason": ""})
    assert response.status_code == 400
    assert f'name="check{check.pk}-reason"' in response.content.decode()
    response = client.post(url, {f"check{check.pk}-reason": "KTP-el dan KK diperiksa di loket."})
    assert response.status_code == 302
    check.refresh_from_db()
    assert check.status == CheckStatus.VERIFIED_MANUALLY
    assert Application.objects.get(pk=case.pk).state == State.PAID
    assert 'data-status="manual"' in _case_page(staff_client, world.officer, case).content.decode()


def test_an_officer_of_another_office_cannot_touch_the_checks(waiting: Any, staff_client: Any) -> None:
    world, case, check = waiting
    stranger = staff(Role.OFFICER, [world.other_office])
    response = staff_client(stranger).post(reverse("backoffice:check_ask", args=[case.pk, check.pk]))
    assert response.status_code == 404
    assert (
        staff_client(world.officer).post(reverse("backoffice:check_ask", args=[case.pk, 2**62])).status_code
        == 404
    )


def test_the_log_is_for_the_national_administrator_and_the_auditor(waiting: Any, staff_client: Any) -> None:
    world, _case, _check = waiting
    url = reverse("backoffice:exchange_log")
    assert staff_client(world.officer).get(url).status_code == 403
    for role in (Role.NATIONAL_ADMIN, Role.AUDITOR):
        response = staff_client(staff(role, [])).get(url, {"outcome": "failed", "agency": "dukcapil"})
        assert response.status_code == 200
        html = response.content.decode()
        assert html.count('data-outcome="failed"') == Exchange.objects.filter(outcome="failed").count()
        assert "DUKCAPIL" in html
    # Filters that do not exist are ignored, not errors.
    assert (
        staff_client(staff(Role.AUDITOR, []))
        .get(url, {"outcome": "x", "agency": "y", "page": "z"})
        .status_code
        == 200
    )


def test_the_simulators_page_switches_an_agency_and_says_when_they_are_away(
    partners: Simulator, client: Client, settings: Any
) -> None:
    url = reverse("simulators:partners")
    response = client.post(url, {"agency": "dukcapil", "mode": "slow"})
    assert response.status_code == 302
    assert partners.control("state")["modes"]["dukcapil"] == "slow"
    assert 'data-mode="dukcapil"' in client.get(url).content.decode()
    settings.PARTNER_SIMULATOR_URL = "http://127.0.0.1:9"
    assert client.get(url).status_code == 502


def test_an_officer_records_a_finding_on_a_possible_hit(partners: Simulator, staff_client: Any) -> None:
    partners.control("people", {NIK_MAN: PERSON})
    partners.control(
        "watchlist", [{"full_name": "Budi Santoso", "date_of_birth": "1971-02-03", "reference": "DPO/1"}]
    )
    world = make_world()
    case = paid(world)
    checks.checks_run_for(case.pk)
    check = ExternalCheck.objects.get(application_id=case.pk, kind="watchlist")
    client = staff_client(world.officer)
    assert (
        f'name="resolve{check.pk}-resolution"'
        in _case_page(staff_client, world.officer, case).content.decode()
    )
    url = reverse("backoffice:check_resolve", args=[case.pk, check.pk])
    refused = client.post(url, {f"resolve{check.pk}-reason": "Compared the birth dates."})
    assert refused.status_code == 400
    assert "Compared the birth dates." in refused.content.decode()  # what was typed stays
    done = client.post(
        url, {f"resolve{check.pk}-resolution": "cleared", f"resolve{check.pk}-reason": "Other birth date."}
    )
    assert done.status_code == 302
    check.refresh_from_db()
    assert check.resolution == "cleared"
    assert 'data-resolution="cleared"' in _case_page(staff_client, world.officer, case).content.decode()


def test_the_history_tells_the_checks_in_words_and_offers_no_checks_done_button(
    waiting: Any, staff_client: Any, partners: Simulator
) -> None:
    world, case, check = waiting
    checks.check_verify_manually(check=check, reason="KTP-el seen", actor=world.officer)
    html = _case_page(staff_client, world.officer, case).content.decode()
    assert "application.check_verified_manually" not in html
    assert "application.check_answered" not in html
    assert 'value="checks_done"' not in html


def test_the_log_names_reasons_and_services_in_words(waiting: Any, staff_client: Any) -> None:
    from gerbang.integrations.selectors import REASONS

    response = staff_client(staff(Role.AUDITOR, [])).get(reverse("backoffice:exchange_log"))
    html = response.content.decode()
    assert escape(str(REASONS["unavailable"])) in html
    assert '<nav class="subnav"' in html  # the back office's own menu


def test_the_answer_is_listed_as_the_form_asks_and_the_ministrys_status_in_words(
    partners: Simulator, staff_client: Any
) -> None:
    from django.utils import translation

    from gerbang.applications.tests.factories import passport_answers
    from gerbang.integrations.panels import FIELD_LABELS, VERDICTS

    partners.control("people", {NIK_MAN: PERSON})
    partners.control("official-passports", {"PD-9": {"nik": NIK_MAN, "type": "service", "status": "refused"}})
    world = make_world()
    case = paid(
        world, answers=passport_answers(official_passport="service", official_passport_request="PD-9")
    )
    checks.checks_run_for(case.pk)
    response = _case_page(staff_client, world.officer, case)
    html = response.content.decode()
    # In the page's language: the NIK, then the fields as the form asks them.
    with translation.override(response["Content-Language"]):
        labels = [
            str(FIELD_LABELS[name]) for name in ("nik", "full_name", "sex", "date_of_birth", "place_of_birth")
        ]
        refused = escape(str(VERDICTS["official_refused"]))
    identity = html[html.index('data-status="match"') :]
    places = [identity.index(f"{escape(label)}:") for label in labels]
    assert places == sorted(places)
    assert refused in html


def test_the_officers_home_counts_the_cases_waiting_on_agencies(waiting: Any, staff_client: Any) -> None:
    world, case, _check = waiting
    html = staff_client(world.officer).get(reverse("backoffice:dashboard")).content.decode()
    assert "?state=awaiting_external_check" in html
    listed = staff_client(world.officer).get(
        reverse("backoffice:case_queue") + "?state=awaiting_external_check"
    )
    assert case.number in listed.content.decode()
    # Another office's officer counts none of them.
    stranger = staff(Role.OFFICER, [world.other_office])
    assert (
        "?state=awaiting_external_check"
        not in staff_client(stranger).get(reverse("backoffice:dashboard")).content.decode()
    )


def test_every_verdict_a_check_can_give_is_told_in_words() -> None:
    from gerbang.integrations import event_texts, panels

    verdicts = {"match", "mismatch", "partial", "not_found", "no_hit", "hit", "possible_hit"}
    verdicts |= {f"sponsor_{standing}" for standing in ("good", "suspended", "unknown")}
    verdicts |= {f"official_{status}" for status in checks.OFFICIAL_STATUSES}
    assert verdicts <= set(event_texts.VERDICTS)
    assert verdicts <= set(panels.VERDICTS)
