"""Scam-awareness campaigns: written by content staff in both languages, shown while they run
on the public pages of their scope and on the applicant's dashboard, hidden per browser."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from gerbang.accounts.models import Role
from gerbang.accounts.tests.factories import UserFactory, staff
from gerbang.applications.tests import factories as f
from gerbang.content import selectors, services
from gerbang.content.campaigns import HIDDEN_COOKIE
from gerbang.content.models import ScamCampaign, Status
from gerbang.core import search
from gerbang.core.actors import DEMO
from gerbang.core.exceptions import PermissionDenied, ValidationError
from gerbang.core.models import Event
from gerbang.core.tests import demo_snapshot

pytestmark = pytest.mark.django_db


def campaign_data(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title_id": "Calo paspor di WhatsApp",
        "title_en": "Passport brokers on WhatsApp",
        "message_id": "Jangan bayar ke rekening pribadi.",
        "message_en": "Do not pay into a personal account.",
        "signs_id": "Janji paspor hari ini\nRekening pribadi",
        "signs_en": "A passport promised today\nA personal account",
        "actions_id": "Periksa nomornya\nLaporkan",
        "actions_en": "Check the number\nReport it",
        "starts_at": timezone.now() - timedelta(hours=1),
        "ends_at": timezone.now() + timedelta(days=7),
        "offices": [],
    }
    return {**data, **changes}


def make(offices: list[Any] | None = None, **changes: Any) -> ScamCampaign:
    data = campaign_data(**changes)
    data.pop("offices")
    return services.campaign_create(actor=DEMO, data=data, offices=offices or [])


class TestServices:
    def test_national_needs_a_national_admin_and_records_what_changed(self, office_a: Any) -> None:
        with pytest.raises(PermissionDenied):
            services.campaign_save(
                actor=staff(Role.OFFICE_ADMIN, [office_a]), campaign=None, data=campaign_data(), publish=True
            )
        admin = staff(Role.NATIONAL_ADMIN)
        saved = services.campaign_save(actor=admin, campaign=None, data=campaign_data(), publish=False)
        assert saved.status == Status.DRAFT and not saved.is_running()
        saved = services.campaign_save(
            actor=admin, campaign=saved, data=campaign_data(message_en="Never pay a person."), publish=True
        )
        assert saved.is_running()
        event = Event.objects.get(code="content.campaign_published")
        assert event.details["changed"]["message_en"][1] == "Never pay a person."
        assert event.details["offices"] == []

    def test_an_office_admin_runs_one_for_their_office_only(self, office_a: Any, office_b: Any) -> None:
        office_admin = staff(Role.OFFICE_ADMIN, [office_a])
        mine = services.campaign_save(
            actor=office_admin, campaign=None, data=campaign_data(offices=[office_a]), publish=True
        )
        assert list(mine.offices.all()) == [office_a]
        with pytest.raises(PermissionDenied):
            services.campaign_save(
                actor=office_admin, campaign=None, data=campaign_data(offices=[office_b]), publish=True
            )
        with pytest.raises(PermissionDenied):  # moving it to an office that is not theirs
            services.campaign_save(
                actor=office_admin, campaign=mine, data=campaign_data(offices=[office_b]), publish=True
            )
        with pytest.raises(PermissionDenied):
            services.campaign_save(
                actor=UserFactory.create(), campaign=None, data=campaign_data(), publish=True
            )

    def test_bad_input_is_refused_with_the_field(self) -> None:
        admin = staff(Role.NATIONAL_ADMIN)
        now = timezone.now()
        with pytest.raises(ValidationError) as error:
            services.campaign_save(
                actor=admin, campaign=None, data=campaign_data(starts_at=now, ends_at=now), publish=True
            )
        assert error.value.field == "ends_at"
        with pytest.raises(ValidationError) as error:
            services.campaign_save(
                actor=admin, campaign=None, data=campaign_data(signs_id="", signs_en=""), publish=True
            )
        assert error.value.field == "signs_id"
        assert not ScamCampaign.objects.exists()

    def test_published_campaigns_are_found_by_search(self) -> None:
        make()
        assert any(hit.kind == "campaign" for hit in search.search("calo", language="id"))


class TestSelectors:
    def test_running_by_scope_period_and_hidden(self, office_a: Any, office_b: Any) -> None:
        national = make(title_en="national")
        of_a = make([office_a], title_en="a")
        make([office_b], title_en="b")
        make(
            title_en="ended",
            starts_at=timezone.now() - timedelta(days=9),
            ends_at=timezone.now() - timedelta(days=1),
        )
        make(
            title_en="later",
            starts_at=timezone.now() + timedelta(days=1),
            ends_at=timezone.now() + timedelta(days=3),
        )
        services.campaign_save(
            actor=staff(Role.NATIONAL_ADMIN),
            campaign=None,
            data=campaign_data(title_en="draft"),
            publish=False,
        )
        assert selectors.running_campaigns() == [national]
        assert set(selectors.running_campaigns(office_ids=[office_a.pk])) == {national, of_a}
        assert selectors.running_campaigns(office_ids=[office_a.pk], hidden=[national.pk]) == [of_a]
        running, past = selectors.campaigns_listing()
        assert {c.title_en for c in running} == {"national", "a", "b"}
        assert [c.title_en for c in past] == ["ended"]


class TestPublicPages:
    def test_a_national_warning_on_every_public_page_an_office_one_on_its_page(
        self, client: Client, office_a: Any, office_b: Any
    ) -> None:
        make(title_en="Passport brokers on WhatsApp")
        make([office_a], title_en="Fake queue numbers")
        home = client.get("/").content.decode()
        assert "Passport brokers on WhatsApp" in home and "Fake queue numbers" not in home
        assert 'href="/official-channels/"' in home
        office_page = client.get(f"/offices/{office_a.code}/").content.decode()
        assert "Fake queue numbers" in office_page and "Passport brokers on WhatsApp" in office_page
        assert "Fake queue numbers" not in client.get(f"/offices/{office_b.code}/").content.decode()

    def test_hiding_a_warning_keeps_it_hidden_in_this_browser(self, client: Client) -> None:
        campaign = make(title_en="Passport brokers on WhatsApp")
        assert "Passport brokers on WhatsApp" in client.get("/faq/").content.decode()  # now cached
        response = client.post(f"/scam-warnings/{campaign.pk}/hide", {"next": "/faq/"})
        assert response.status_code == 302 and response["Location"] == "/faq/"
        assert client.cookies[HIDDEN_COOKIE].value == str(campaign.pk)
        page = client.get("/faq/").content.decode()
        assert "Hide this warning" not in page and "Beware:" not in page
        # Another visitor still sees it (the cached page varies on the cookie).
        other = Client()
        other.cookies["django_language"] = "en"
        assert "Passport brokers on WhatsApp" in other.get("/faq/").content.decode()
        # The campaigns page still lists it.
        assert "Passport brokers on WhatsApp" in client.get("/scam-warnings/").content.decode()

    def test_another_site_cannot_hide_warnings(self, client: Client) -> None:
        campaign = make()
        refused = client.post(
            f"/scam-warnings/{campaign.pk}/hide", {"next": "/"}, headers={"Origin": "https://scam.example"}
        )
        assert refused.status_code == 403 and HIDDEN_COOKIE not in refused.cookies
        assert (
            client.post(f"/scam-warnings/{campaign.pk}/hide", {"next": "https://scam.example/"})["Location"]
            == "/scam-warnings/"
        )
        assert client.post("/scam-warnings/999999/hide").status_code == 404

    def test_campaigns_page_lists_current_and_past_in_both_languages(self, client: Client) -> None:
        make(title_en="Passport brokers on WhatsApp")
        make(
            title_en="Fake e-VoA websites",
            title_id="Situs e-VoA palsu",
            starts_at=timezone.now() - timedelta(days=60),
            ends_at=timezone.now() - timedelta(days=30),
        )
        page = client.get("/scam-warnings/").content.decode()
        assert (
            page.index("Passport brokers on WhatsApp")
            < page.index("Earlier warnings")
            < page.index("Fake e-VoA websites")
        )
        assert "<li>A passport promised today</li>" in page and "<li>Check the number</li>" in page
        indonesian = Client().get("/scam-warnings/").content.decode()
        assert "Calo paspor di WhatsApp" in indonesian and "<li>Janji paspor hari ini</li>" in indonesian
        assert "/scam-warnings/" in client.get("/sitemap.xml").content.decode()


class TestApplicantDashboard:
    def test_shows_national_and_the_offices_applied_to(self) -> None:
        world = f.make_world()
        f.draft(world)
        make(title_en="National warning")
        make([world.office], title_en="Warning at my office")
        make([world.other_office], title_en="Warning elsewhere")
        client = Client()
        client.cookies["django_language"] = "en"
        client.force_login(world.applicant)
        page = client.get("/account/").content.decode()
        assert "National warning" in page and "Warning at my office" in page
        assert "Warning elsewhere" not in page
        assert page.count("National warning") == 2  # the card's heading and its hide button, no banner


class TestBackOffice:
    def test_editor_side_by_side_preview_publish(self, staff_client: Any, office_a: Any) -> None:
        admin = staff_client(staff(Role.NATIONAL_ADMIN))
        admin.cookies["django_language"] = "en"
        form = admin.get("/backoffice/scam-campaigns/new/").content.decode()
        assert 'name="signs_id"' in form and 'name="signs_en"' in form and 'name="offices"' in form
        post = {k: v for k, v in campaign_data().items() if k not in {"starts_at", "ends_at", "offices"}}
        post["starts_at"] = (timezone.now() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
        preview = admin.post("/backoffice/scam-campaigns/new/", {**post, "action": "preview"})
        assert "Preview (not saved)" in preview.content.decode() and not ScamCampaign.objects.exists()
        bad = admin.post(
            "/backoffice/scam-campaigns/new/", {**post, "title_id": "", "title_en": "", "action": "publish"}
        )
        assert bad.status_code == 400 and "A personal account" in bad.content.decode()
        response = admin.post("/backoffice/scam-campaigns/new/", {**post, "action": "publish"})
        campaign = ScamCampaign.objects.get()
        assert response["Location"] == f"/backoffice/scam-campaigns/{campaign.pk}/"
        assert campaign.is_running() and not campaign.offices.exists()
        assert "Passport brokers on WhatsApp" in admin.get("/backoffice/scam-campaigns/").content.decode()

    def test_office_admin_sees_and_targets_only_their_offices(
        self, staff_client: Any, office_a: Any, office_b: Any
    ) -> None:
        make([office_b], title_en="Not mine")
        make([office_a], title_en="Mine")
        editor = staff_client(staff(Role.OFFICE_ADMIN, [office_a]))
        listing = editor.get("/backoffice/scam-campaigns/").content.decode()
        assert "Mine" in listing and "Not mine" not in listing
        form = editor.get("/backoffice/scam-campaigns/new/").content.decode()
        assert office_a.name_id in form and office_b.name_id not in form


def test_demo_campaigns_load(client: Client) -> None:
    demo_snapshot.load_demo()
    running, past = selectors.campaigns_listing()
    assert any(not c.offices.exists() for c in running) and any(c.offices.exists() for c in running)
    assert past
    assert all(c.title_id and c.title_en and c.signs_id and c.signs_en for c in ScamCampaign.objects.all())
    assert "Passport brokers on WhatsApp" in client.get("/").content.decode()
