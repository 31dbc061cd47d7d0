"""An officer on a 360 px phone opens the risk flags, then a flagged case, reads why it was
flagged, and records what they found; once in English (signed in with password and code), once in
Indonesian (a refused decision first: the reason was missing). Both pages pass axe."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from gerbang.accounts.tests.factories import current_code
from gerbang.analytics.models import FlagStatus, RiskFlag, RiskKind
from gerbang.analytics.tests.risk_factories import answers_for, scan, written_case
from gerbang.applications.tests import factories as f
from gerbang.core.models import Event, EventNote
from tests.e2e.test_accessibility import audit
from tests.e2e.test_accessibility import sign_in as reuse_session
from tests.e2e.test_application_journey import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BORN = date(1990, 8, 15)


def _fits(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_an_officer_reads_a_flag_and_records_a_decision_in_both_languages(
    browser_context: Any, live_server: Any, artifacts: Path, axe_source: str
) -> None:
    world = f.make_world()
    budi = written_case(world, answers=answers_for("Budi Santoso", BORN))
    scan(budi)
    dedi = written_case(world, answers=answers_for("Dedi Kurniawan", BORN))
    dedi_flag = scan(dedi)[RiskKind.SAME_NIK]
    budi_flag = scan(budi)[RiskKind.SAME_NIK]
    base = live_server.url

    # English: signed in with password and code, from the list of flags to the case.
    browser_context.add_cookies([{"name": "django_language", "value": "en", "url": base}])
    page = browser_context.new_page()
    sign_in(page, base, world.officer.email, current_code(TOTPDevice.objects.get(user=world.officer)))
    page.get_by_role("link", name="Risk flags").first.click()
    page.get_by_role("heading", name="Risk flags").wait_for()
    _fits(page)
    assert audit(page, axe_source, f"{base}/backoffice/risk/") == []
    page.get_by_role("link", name=dedi.number).click()
    card = page.locator(f"#risk-{dedi_flag.pk}")
    card.get_by_role("heading", name="Same NIK under another identity").wait_for()
    assert "The same NIK is in 1 other application under another name." in card.inner_text()
    assert card.get_by_role("link", name=budi.number).is_visible()
    _fits(page)
    page.screenshot(path=str(artifacts / "e2e-risk-flag-en.png"), full_page=True)
    page.locator("#risk").screenshot(path=str(artifacts / "e2e-risk-panel-en.png"))
    card.get_by_label("Concern confirmed, referred").check()
    card.get_by_label("Reason").fill("KTP checked at the counter: the NIK is Budi Santoso's. Referred.")
    card.get_by_role("button", name="Record the decision").click()
    page.get_by_text("Your decision on the flag is recorded: the concern is confirmed.").wait_for()
    card = page.locator(f"#risk-{dedi_flag.pk}")
    assert "Concern confirmed, referred, recorded by Petugas Satu" in card.inner_text()
    assert "the NIK is Budi Santoso's" in card.inner_text()
    assert audit(page, axe_source, f"{base}/backoffice/cases/{dedi.pk}/") == []
    dedi_flag.refresh_from_db()
    assert dedi_flag.status == FlagStatus.CONFIRMED

    # Indonesian, another browser: the other case's flag; a decision without its reason is
    # refused in Indonesian, the choice kept; then recorded.
    world.officer.language = "id"
    world.officer.save()
    phone = browser_context.browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID")
    phone.add_cookies([{"name": "django_language", "value": "id", "url": base}])
    reuse_session(phone, world.officer)
    page = phone.new_page()
    page.goto(f"{base}/backoffice/risk/")
    page.get_by_role("heading", name="Tanda risiko").wait_for()
    assert audit(page, axe_source, f"{base}/backoffice/risk/") == []
    page.goto(f"{base}/backoffice/risk/")
    page.get_by_role("link", name=budi.number).click()
    card = page.locator(f"#risk-{budi_flag.pk}")
    card.get_by_role("heading", name="NIK yang sama dengan identitas lain").wait_for()
    assert "NIK yang sama ada di 1 permohonan lain dengan nama lain." in card.inner_text()
    card.get_by_label("Sudah diperiksa, tidak ada masalah").check()
    card.get_by_role("button", name="Catat keputusan").click()
    card = page.locator(f"#risk-{budi_flag.pk}")
    card.get_by_text("Tuliskan secara singkat apa yang Anda periksa dan temukan.").first.wait_for()
    assert card.get_by_label("Sudah diperiksa, tidak ada masalah").is_checked()
    _fits(page)
    page.locator("#risk").screenshot(path=str(artifacts / "e2e-risk-refused-id.png"))
    card.get_by_label("Alasan").fill(
        "Budi datang sendiri dengan KTP asli; NIK miliknya. Tidak ada masalah di kasus ini."
    )
    card.get_by_role("button", name="Catat keputusan").click()
    page.get_by_text("Keputusan Anda atas tanda ini telah dicatat.").wait_for()
    card = page.locator(f"#risk-{budi_flag.pk}")
    assert "Sudah diperiksa, tidak ada masalah, dicatat oleh Petugas Satu" in card.inner_text()
    _fits(page)
    page.screenshot(path=str(artifacts / "e2e-risk-flag-id.png"), full_page=True)
    page.locator("#risk").screenshot(path=str(artifacts / "e2e-risk-panel-id.png"))
    assert audit(page, axe_source, f"{base}/backoffice/cases/{budi.pk}/") == []
    budi_flag.refresh_from_db()
    assert budi_flag.status == FlagStatus.CLEARED
    decided = Event.objects.filter(code="risk.flag_decided").order_by("id")
    assert [e.details["decision"] for e in decided] == ["confirmed", "cleared"]
    assert EventNote.objects.filter(event__in=decided).count() == 2
    assert RiskFlag.objects.filter(status=FlagStatus.OPEN).count() == 0
