"""The training office's page, its reset button, the banner and the guided tour."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from gerbang.accounts.models import User
from gerbang.applications.models import Application
from gerbang.core.models import Event
from gerbang.training import selectors, tour

pytestmark = pytest.mark.django_db
BANNER = "Kantor latihan: tidak ada yang nyata di sini."


@pytest.fixture(autouse=True)
def demo(demo_data: None, db: None) -> None:
    """The demo, loaded once for this module."""


def _as(staff_client: Any, email: str) -> Any:
    return staff_client(User.objects.get(email=email))


def test_the_training_page_shows_the_banner_and_the_stages(staff_client: Any) -> None:
    page = (
        _as(staff_client, "petugas.mesuji@gerbang.test").get(reverse("backoffice:training")).content.decode()
    )
    assert BANNER in page
    assert "Kantor Latihan (bukan kantor nyata)" in page
    assert 'name="confirm"' not in page  # an officer cannot reset it


def test_every_page_working_in_the_training_office_is_marked(staff_client: Any) -> None:
    office = selectors.training_office()
    assert office is not None
    client = _as(staff_client, "petugas.mesuji@gerbang.test")
    case = Application.objects.filter(office=office).first()
    assert case is not None
    for url in (
        reverse("backoffice:case_detail", args=[case.pk]),
        f"{reverse('backoffice:case_queue')}?office={office.pk}",
        reverse("backoffice:queue_today", args=[office.code]),
        reverse("backoffice:queue_counter", args=[office.code, 1]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert BANNER in response.content.decode(), url
    real = Application.objects.filter(office__code="mesuji").first()
    assert real is not None
    assert BANNER not in client.get(reverse("backoffice:case_detail", args=[real.pk])).content.decode()
    assert BANNER not in client.get(reverse("backoffice:dashboard")).content.decode()


def test_an_administrator_resets_it_with_the_button(staff_client: Any) -> None:
    client = _as(staff_client, "admin.mesuji@gerbang.test")
    page = client.get(reverse("backoffice:training")).content.decode()
    assert 'name="confirm"' in page
    before = set(Application.objects.filter(office=selectors.training_office()).values_list("pk", flat=True))
    # Without the box ticked nothing is reset, and the page says why.
    refused = client.post(reverse("backoffice:training_reset"), follow=True).content.decode()
    assert "Tidak ada yang diatur ulang" in refused
    assert not Event.objects.filter(code="training.reset").exists()
    done = client.post(reverse("backoffice:training_reset"), {"confirm": "yes"}, follow=True).content.decode()
    assert "Kantor latihan telah diatur ulang" in done
    after = set(Application.objects.filter(office=selectors.training_office()).values_list("pk", flat=True))
    assert after and before.isdisjoint(after)
    assert Event.objects.get(code="training.reset").actor == User.objects.get(
        email="admin.mesuji@gerbang.test"
    )
    assert "Budi Santoso" in client.get(reverse("backoffice:training")).content.decode()


def test_an_officer_cannot_reset_it(staff_client: Any) -> None:
    client = _as(staff_client, "petugas.mesuji@gerbang.test")
    assert client.post(reverse("backoffice:training_reset"), {"confirm": "yes"}).status_code == 403
    assert not Event.objects.filter(code="training.reset").exists()


def test_the_training_office_is_not_public(client: Any) -> None:
    assert client.get("/offices/latihan/").status_code == 404
    assert "Latihan" not in client.get("/offices/").content.decode()


class TestTour:
    def test_the_home_offers_the_tour_until_it_is_done(self, staff_client: Any) -> None:
        client = _as(staff_client, "petugas.mesuji@gerbang.test")
        home = client.get(reverse("backoffice:dashboard")).content.decode()
        assert "Baru di back office?" in home and reverse("backoffice:tour") in home
        response = client.post(reverse("backoffice:tour_done"))
        assert response.cookies[tour.TOUR_COOKIE].value == tour.TOUR_DONE
        assert "Baru di back office?" not in client.get(reverse("backoffice:dashboard")).content.decode()

    def test_the_tour_page_lists_every_step_with_links(self, staff_client: Any) -> None:
        officer = User.objects.get(email="petugas.mesuji@gerbang.test")
        page = staff_client(officer).get(reverse("backoffice:tour")).content.decode()
        steps = tour.steps_for(officer)
        assert [step.key for step in steps] == [
            "home",
            "work",
            "queue",
            "case",
            "actions",
            "counter",
            "training",
        ]
        for step in steps:
            assert f'id="tour-step-{step.key}"' in page
            assert f'href="{step.url}"'.replace("&", "&amp;") in page
        # The script's data: the same steps, on every back-office page.
        assert 'id="tour-steps" type="application/json"' in page
        assert "/static/training/tour.js" in page

    def test_in_english_too(self, staff_client: Any) -> None:
        officer = User.objects.get(email="petugas.mesuji@gerbang.test")
        with translation.override("en"):
            titles = [str(step.title) for step in tour.steps_for(officer)]
        assert titles[0] == "Your home" and "The case queue" in titles
        with translation.override("id"):
            assert str(tour.steps_for(officer)[0].title) != "Your home"

    def test_an_auditor_is_offered_only_what_they_may_open(self, staff_client: Any) -> None:
        auditor = User.objects.get(email="auditor@gerbang.test")
        keys = [step.key for step in tour.steps_for(auditor)]
        assert "actions" not in keys and "counter" not in keys

    def test_the_tour_case_is_a_training_case(self, staff_client: Any) -> None:
        response = _as(staff_client, "petugas.mesuji@gerbang.test").get(reverse("backoffice:tour_case"))
        case = Application.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))
        assert case.office.is_training

    def test_finishing_goes_back_only_to_this_site(self, staff_client: Any) -> None:
        client = _as(staff_client, "petugas.mesuji@gerbang.test")
        response = client.post(reverse("backoffice:tour_done"), {"next": "https://evil.example/"})
        assert response["Location"] == reverse("backoffice:dashboard")
