"""Step-by-step tutorials: one per service, each step with a picture of the real page in the
reader's language (taken by scripts/tutorial_shots.py), linked from the service's page."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from gerbang.accounts.models import Role
from gerbang.accounts.tests.factories import staff
from gerbang.catalog.models import Service
from gerbang.content import tutorials
from gerbang.content.models import Guide, GuideStep
from gerbang.content.services import tutorials_refresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def english() -> Any:
    with translation.override("en"):
        yield


def _service(code: str = "paspor-biasa", *, visit: bool = True) -> Service:
    return Service.objects.create(
        code=code,
        category="passport",
        audience="citizen",
        name_id="Paspor biasa pertama",
        name_en="First ordinary passport",
        summary_id="Ringkas",
        eligibility_id="WNI",
        steps_id="Daftar",
        office_visit_required=visit,
    )


def _offer(service: Service) -> None:
    """An office takes the service (a service no office takes has no tutorial)."""
    from gerbang.catalog.models import OfficeService
    from gerbang.catalog.tests.factories import OfficeFactory

    office = OfficeFactory.create(code="mesuji")
    OfficeService.objects.get_or_create(office=office, service=service)


def _offered() -> Service:
    service = _service()
    _offer(service)
    return service


def test_each_service_gets_a_tutorial_whose_steps_name_their_pictures() -> None:
    visit, online = _service(), _service("e-voa", visit=False)
    _offer(visit)
    _offer(online)
    tutorials_refresh([visit, online])
    guide = Guide.objects.get(slug="tutorial-paspor-biasa")
    assert guide.is_tutorial and list(guide.services.all()) == [visit]
    shots = [step.shot for step in guide.steps.all()]
    assert shots == [
        "paspor-biasa-service",
        "signin",
        "paspor-biasa-start",
        "paspor-biasa-form",
        "paspor-biasa-documents",
        "",  # checking and submitting: said in words
        "pay",
        "book",
        "track",
    ]
    first = guide.steps.first()
    assert first is not None and "First ordinary passport" in first.text_en
    assert "Paspor biasa pertama" in first.text_id and first.image_alt_en
    # A service done wholly online has no visit to book.
    assert "book" not in Guide.objects.get(slug="tutorial-e-voa").steps.values_list("shot", flat=True)
    # A service no office of Gerbang's takes has no tutorial to show.
    elsewhere = _service("e-voa-perpanjangan")
    tutorials_refresh([elsewhere])
    assert Guide.objects.get(slug="tutorial-e-voa-perpanjangan").status == "draft"


def test_refreshing_again_changes_nothing_and_a_withdrawn_service_hides_its_tutorial() -> None:
    service = _service()
    _offer(service)
    tutorials_refresh([service])
    before = list(GuideStep.objects.values_list("pk", flat=True))
    tutorials_refresh([service])
    assert list(GuideStep.objects.values_list("pk", flat=True)) == before
    service.is_active = False
    tutorials_refresh([service])
    assert Guide.objects.get(slug="tutorial-paspor-biasa").status == "draft"


def test_every_picture_the_demo_tutorials_show_was_taken_in_both_languages() -> None:
    """Run `make tutorials` when this fails: a service or a step was added since they were taken."""
    from gerbang.catalog import demo

    demo.load()
    made = tutorials_refresh(Service.objects.all())
    shown = {step.shot for guide in made if guide.status == "published" for step in guide.steps.all()} - {""}
    assert "paspor-biasa-form" in shown and "e-voa-form" not in shown  # e-VoA: no office of ours
    missing = [
        tutorials.picture_name(name, language)
        for name in sorted(shown)
        for language in tutorials.LANGUAGES
        if not tutorials._exists(tutorials.picture_name(name, language))
    ]
    assert missing == []
    assert tutorials.taken_at() is not None


def test_the_tutorial_page_shows_each_step_with_its_picture_in_the_readers_language(
    client: Client, english: Any
) -> None:
    tutorials_refresh([_offered()])
    body = client.get("/guides/tutorial-paspor-biasa/").content.decode()
    assert "How to apply online: First ordinary passport" in body
    assert "/static/content/tutorials/en/paspor-biasa-form" in body
    assert 'alt="Screenshot of the application form for First ordinary passport"' in body
    assert "taken on" in body
    translation.activate("id")
    client.cookies["django_language"] = "id"
    body = client.get("/guides/tutorial-paspor-biasa/").content.decode()
    assert "/static/content/tutorials/id/paspor-biasa-form" in body
    assert "Tangkapan layar formulir permohonan Paspor biasa pertama" in body


def test_a_picture_not_taken_yet_is_left_out_and_one_taken_in_the_other_language_is_marked(
    client: Client, english: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    tutorials_refresh([_offered()])
    real = tutorials._exists
    monkeypatch.setattr(
        tutorials,
        "_exists",
        lambda name: False if "paspor-biasa-form" in name else (real(name) and "/en/signin" not in name),
    )
    body = client.get("/guides/tutorial-paspor-biasa/").content.decode()
    assert "paspor-biasa-form.webp" not in body
    assert "/static/content/tutorials/id/signin" in body
    assert "(picture in the other language)" in body


def test_the_service_page_links_to_its_tutorial_and_the_guides_list_gathers_them(
    client: Client, english: Any
) -> None:
    service = _offered()
    assert "Step by step, with pictures" not in client.get(f"/services/{service.code}/").content.decode()
    tutorials_refresh([service])
    assert tutorials.applies_to(service)
    body = client.get(f"/services/{service.code}/").content.decode()
    assert "Step by step, with pictures: how to apply online" in body
    assert "/guides/tutorial-paspor-biasa/" in body
    listed = client.get("/guides/").content.decode()
    assert "How to apply online, service by service" in listed


def test_rewording_a_tutorial_in_the_back_office_keeps_its_pictures(client: Client, english: Any) -> None:
    from gerbang.accounts.tests.factories import sign_in_with_2fa

    tutorials_refresh([_offered()])
    guide = Guide.objects.get(slug="tutorial-paspor-biasa")
    editor = staff(Role.NATIONAL_ADMIN, [], language="en")
    sign_in_with_2fa(client, editor)
    page = client.get(f"/backoffice/guides/{guide.pk}/")
    assert page.status_code == 200
    form = page.context["steps"]
    data: dict[str, Any] = {
        "title_id": guide.title_id,
        "title_en": guide.title_en,
        "summary_id": guide.summary_id,
        "summary_en": guide.summary_en,
        "action": "publish",
        "steps-TOTAL_FORMS": str(len(form.forms)),
        "steps-INITIAL_FORMS": str(len(form.initial)),
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "30",
    }
    for i, initial in enumerate(form.initial):
        for key, value in initial.items():
            data[f"steps-{i}-{key}"] = value
    data["steps-0-text_en"] = "Read the service's page first."
    response = client.post(f"/backoffice/guides/{guide.pk}/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    steps = list(guide.steps.all())
    assert steps[0].text_en == "Read the service's page first."
    assert [s.shot for s in steps][:2] == ["paspor-biasa-service", "signin"]
