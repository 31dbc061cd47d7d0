"""Panels (``core.panels``): apps put what they show on pages they do not own; the page shows
whatever is registered for its slots, in a stable order, and nothing a panel declines."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse

from gerbang.accounts.models import Role
from gerbang.accounts.tests.factories import UserFactory, staff
from gerbang.catalog.models import Office
from gerbang.core import panels

pytestmark = pytest.mark.django_db


@pytest.fixture
def panel_templates(settings: Any, tmp_path: Path) -> Path:
    """A folder the templates are also looked up in (changing TEMPLATES resets the engines)."""
    html, text = settings.TEMPLATES
    settings.TEMPLATES = [{**html, "DIRS": [tmp_path, *html["DIRS"]]}, text]
    return tmp_path


def _add(monkeypatch: pytest.MonkeyPatch, panel: panels.Panel) -> None:
    monkeypatch.setitem(panels._PANELS, panel.slot, [*panels.registered(panel.slot), panel])


def test_each_page_knows_its_panels_in_a_stable_order() -> None:
    assert [p.template for p in panels.registered(panels.APPLICANT_HOME)] == [
        "content/panels/campaigns.html",
        "applications/panels/my_applications.html",
        "satisfaction/panels/to_rate.html",
        "feedback/panels/my_questions.html",
        "ikm/panels/applicant_home.html",
        "participation/panels/my_surveys.html",
        "privacy/panels/applicant_home.html",
    ]
    assert [p.template for p in panels.registered(panels.STAFF_HOME)] == [
        "training/panels/tour_offer.html",
        "catalog/panels/staff_offices.html",
    ]
    assert [p.template for p in panels.registered(panels.STAFF_WORK)] == [
        "applications/panels/case_numbers.html",
        "feedback/panels/waiting_questions.html",
        "feedback/panels/open_reports.html",
        "analytics/risk/work_card.html",
        "satisfaction/panels/waiting_reviews.html",
        "integrations/work_card.html",
        "participation/panels/waiting_work.html",
        "assistant/panels/questions_to_improve.html",
        "privacy/panels/waiting_requests.html",
        "training/panels/training_card.html",
    ]
    assert [p.template for p in panels.registered(panels.OFFICE_PAGE)] == [
        "content/panels/office_notices.html",
        "ikm/panels/office_page.html",
        "satisfaction/panels/ratings.html",
        "feedback/panels/office_report.html",
        "participation/panels/office_surveys.html",
    ]
    assert [p.template for p in panels.registered(panels.SERVICE_PAGE)] == [
        "content/panels/tutorial.html",
        "satisfaction/panels/ratings.html",
    ]
    assert [p.template for p in panels.registered(panels.ASSISTED_SUMMARY)] == [
        "payments/panels/summary_bill.html"
    ]


def test_registering_twice_shows_once(monkeypatch: pytest.MonkeyPatch) -> None:
    before = panels.registered(panels.STAFF_HOME)
    monkeypatch.setitem(panels._PANELS, panels.STAFF_HOME, list(before))
    panels.register(before[0])
    assert panels.registered(panels.STAFF_HOME) == before


def test_a_registered_panel_appears_on_the_applicants_dashboard(
    client: Client, monkeypatch: pytest.MonkeyPatch, panel_templates: Path
) -> None:
    (panel_templates / "test_panel.html").write_text(
        "<section><h2>Visas for {{ user.full_name }}</h2><p>{{ visa_count }} waiting</p></section>"
    )

    def visas(request: HttpRequest) -> dict[str, Any]:
        return {"visa_count": 3}

    # Between the applications (10) and the questions (20).
    _add(monkeypatch, panels.Panel(panels.APPLICANT_HOME, "test_panel.html", visas, order=15))
    person = UserFactory.create(full_name="Siti")
    client.force_login(person)
    page = client.get(reverse("accounts:dashboard")).content.decode()
    assert "<h2>Visas for Siti</h2><p>3 waiting</p>" in page
    assert (
        page.index("My applications</h2>")
        < page.index("Visas for Siti")
        < page.index("Questions to an office")
    )


def test_a_panel_with_nothing_for_this_person_is_left_out(
    staff_client: Any, monkeypatch: pytest.MonkeyPatch, panel_templates: Path, office_a: Office
) -> None:
    (panel_templates / "test_panel.html").write_text("<p>Counter figures for supervisors</p>")

    def supervisors_only(request: HttpRequest) -> dict[str, Any] | None:
        return {} if getattr(request.user, "role", None) == Role.SUPERVISOR else None

    _add(monkeypatch, panels.Panel(panels.STAFF_WORK, "test_panel.html", supervisors_only))
    home = reverse("backoffice:dashboard")
    supervisor_page = staff_client(staff(Role.SUPERVISOR, [office_a])).get(home).content.decode()
    officer_page = staff_client(staff(Role.OFFICER, [office_a])).get(home).content.decode()
    assert "Counter figures for supervisors" in supervisor_page
    assert "Counter figures for supervisors" not in officer_page
    # The apps' own panels are there for both.
    for page in (supervisor_page, officer_page):
        assert office_a.name in page and "open application" in page


def test_a_registered_panel_appears_on_a_services_page_given_the_service(
    client: Client, monkeypatch: pytest.MonkeyPatch, panel_templates: Path
) -> None:
    from gerbang.catalog.demo import load_services

    load_services()
    (panel_templates / "test_panel.html").write_text("<section><h2>About {{ code }}</h2></section>")

    def about(request: HttpRequest, *, service: Any) -> dict[str, Any]:
        return {"code": service.code}

    monkeypatch.setitem(panels._PANELS, panels.SERVICE_PAGE, [])
    _add(monkeypatch, panels.Panel(panels.SERVICE_PAGE, "test_panel.html", about))
    page = client.get(reverse("catalog:service_detail", args=["paspor-biasa"])).content.decode()
    assert "<h2>About paspor-biasa</h2>" in page
    assert page.index('id="steps-heading"') < page.index("About paspor-biasa")
