"""The officer's side: the flags panel on the case page (reasons, links to the other cases the
reader may open), the decision form, the list of flags; who may see and decide what."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from gerbang.accounts.models import Role
from gerbang.accounts.tests.factories import sign_in_with_2fa, staff
from gerbang.analytics.models import FlagStatus, RiskFlag, RiskKind
from gerbang.analytics.tests.risk_factories import answers_for, scan, written_case
from gerbang.core.models import Event

pytestmark = pytest.mark.django_db

BORN = date(1990, 8, 15)
HUGE = 2**63


def browser(user: Any, language: str = "en") -> Client:
    client = Client()
    client.cookies["django_language"] = language
    sign_in_with_2fa(client, user)
    return client


@pytest.fixture
def flagged(world):
    """Dedi's case at Mesuji under Budi's NIK (Budi's case too), and Rudi's at Makassar."""
    budi = written_case(world, answers=answers_for("Budi Santoso", BORN))
    rudi = written_case(world, answers=answers_for("Rudi Hartono", BORN), office=world.other_office)
    scan(budi)
    scan(rudi)
    dedi = written_case(world, answers=answers_for("Dedi Kurniawan", BORN))
    flag = scan(dedi)[RiskKind.SAME_NIK]
    scan(budi)
    return dedi, budi, rudi, flag


def test_the_panel_shows_the_reasons_and_links_only_the_cases_one_may_open(world, flagged) -> None:
    dedi, budi, rudi, flag = flagged
    page = browser(world.officer).get(reverse("backoffice:case_detail", args=[dedi.pk])).content.decode()
    assert 'id="risk"' in page and f'id="risk-{flag.pk}"' in page
    assert "Same NIK under another identity" in page
    assert "The same NIK is in 2 other applications under another name." in page
    assert reverse("backoffice:case_detail", args=[budi.pk]) in page and budi.number in page
    assert rudi.number not in page
    assert "(and 1 application at an office you cannot open)" in page
    assert "Record the decision" in page
    # The page's read is logged once, as every case page's (the panel reads nothing more).
    assert Event.objects.filter(code="application.case_viewed", subject_id=str(dedi.pk)).count() == 1


def test_the_decision_is_recorded_from_the_page(world, flagged) -> None:
    dedi, _budi, _rudi, flag = flagged
    url = reverse("backoffice:risk_flag_decide", args=[dedi.pk, flag.pk])
    officer = browser(world.officer)
    prefix = f"flag{flag.pk}"
    response = officer.post(url, {f"{prefix}-decision": "confirmed", f"{prefix}-reason": "ok"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "at least 10 characters" in page
    assert re.search(rf'name="{prefix}-reason"[^>]*>\s*ok</textarea>', page), "what was typed stays"
    assert f'action="{url}#risk-{flag.pk}"' in page
    reason = "KTP checked at the counter: the NIK is Budi's. Referred to the intelligence section."
    response = officer.post(url, {f"{prefix}-decision": "confirmed", f"{prefix}-reason": reason}, follow=True)
    assert response.redirect_chain[-1][0].endswith("#top")
    # What happens next is said: nothing is sent, the officer acts on the case.
    assert "Nothing is sent to anyone" in response.content.decode()
    flag.refresh_from_db()
    assert flag.status == FlagStatus.CONFIRMED and flag.decided_by == world.officer
    page = officer.get(reverse("backoffice:case_detail", args=[dedi.pk])).content.decode()
    assert "Concern confirmed, referred, recorded by Petugas Satu" in page
    assert reason.replace("'", "&#x27;") in page
    # Deciding again is refused plainly, the page shown as it is now.
    again = officer.post(
        url, {f"{prefix}-decision": "cleared", f"{prefix}-reason": "Actually nothing wrong."}
    )
    assert again.status_code == 409 and "already decided" in again.content.decode()


def test_who_may_see_and_decide(world, flagged) -> None:
    dedi, _budi, _rudi, flag = flagged
    url = reverse("backoffice:risk_flag_decide", args=[dedi.pk, flag.pk])
    data = {f"flag{flag.pk}-decision": "cleared", f"flag{flag.pk}-reason": "Checked, nothing wrong."}
    stranger = browser(staff(Role.OFFICER, [world.other_office]))
    assert stranger.post(url, data).status_code == 404
    assert stranger.get(reverse("backoffice:case_detail", args=[dedi.pk])).status_code == 404
    # An auditor reads the case but neither sees flags nor decides them.
    auditor = browser(staff(Role.AUDITOR, []))
    page = auditor.get(reverse("backoffice:case_detail", args=[dedi.pk])).content.decode()
    assert 'id="risk"' not in page
    assert auditor.post(url, data).status_code == 403
    assert auditor.get(reverse("backoffice:risk_flags")).status_code == 403
    # Another case's flag through this case's address: not found.
    other = written_case(world, answers=answers_for("Joko Susilo", BORN, serial=5))
    assert (
        browser(world.officer)
        .post(reverse("backoffice:risk_flag_decide", args=[other.pk, flag.pk]), data)
        .status_code
        == 404
    )
    assert RiskFlag.objects.get(pk=flag.pk).status == FlagStatus.OPEN
    assert browser(world.officer).get(url).status_code == 405


def test_huge_ids_are_not_found(world, flagged) -> None:
    dedi, _budi, _rudi, flag = flagged
    officer = browser(world.officer)
    for address in (
        reverse("backoffice:risk_flag_decide", args=[HUGE, flag.pk]),
        reverse("backoffice:risk_flag_decide", args=[dedi.pk, HUGE]),
    ):
        assert officer.post(address).status_code == 404
    assert officer.get(reverse("backoffice:risk_flags") + f"?office={HUGE}").status_code == 200


def test_the_list_of_flags_by_kind_and_status(world, flagged) -> None:
    dedi, budi, rudi, flag = flagged
    officer = browser(world.officer)
    url = reverse("backoffice:risk_flags")
    page = officer.get(url).content.decode()
    assert dedi.number in page and budi.number in page and rudi.number not in page
    assert f"#risk-{flag.pk}" in page
    assert dedi.number not in officer.get(url + "?kind=shared_contact").content.decode()
    assert dedi.number in officer.get(url + "?kind=same_nik&status=all").content.decode()
    RiskFlag.objects.filter(pk=flag.pk).update(status=FlagStatus.CLEARED)
    assert dedi.number not in officer.get(url).content.decode()
    assert dedi.number in officer.get(url + "?status=decided").content.decode()
    assert officer.get(url + "?kind=nonsense&status=nonsense&page=nonsense").status_code == 200
    # The menu and the staff home lead there.
    home = officer.get(reverse("backoffice:dashboard")).content.decode()
    assert f'href="{url}"' in home and "risk flag to check" in home


def test_the_pages_in_indonesian(world, flagged) -> None:
    dedi, _budi, _rudi, _flag = flagged
    world.officer.language = "id"
    world.officer.save()
    officer = browser(world.officer, "id")
    page = officer.get(reverse("backoffice:case_detail", args=[dedi.pk])).content.decode()
    assert "Tanda risiko" in page and "NIK yang sama" in page
    assert "Same NIK" not in page
    listing = officer.get(reverse("backoffice:risk_flags")).content.decode()
    assert "Tanda risiko" in listing
