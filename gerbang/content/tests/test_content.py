"""Public content: the scam checker, notices and the emergency banner, FAQ and guides."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from gerbang.catalog.models import Office
from gerbang.content import channels, selectors, services
from gerbang.content.demo_faq import FAQ
from gerbang.content.models import Announcement, Faq, Level, Status
from gerbang.core.actors import SystemActor
from gerbang.core.exceptions import ValidationError

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_data: None, db: None) -> None:
    """The demo, put in once for the tests of this module that use it (from the first of them
    to the end of the module: the tests without it come first)."""


class TestNormalize:
    @pytest.mark.parametrize(
        ("raw", "expected"),
        [
            ("https://www.imigrasi.go.id/id/paspor?x=1", "site:imigrasi.go.id"),
            ("IMIGRASI.GO.ID", "site:imigrasi.go.id"),
            ("imigrasi.go.id.", "site:imigrasi.go.id"),
            ("@Ditjen_Imigrasi", "handle:ditjen_imigrasi"),
            ("https://instagram.com/ditjen_imigrasi/", "handle:ditjen_imigrasi"),
            ("https://www.tiktok.com/@ditjen_imigrasi", "handle:ditjen_imigrasi"),
            ("0812-3456-7890", "phone:+6281234567890"),
            ("https://wa.me/6281234567890?text=halo", "phone:+6281234567890"),
            ("Kanim.Makassar@Gerbang.Test", "email:kanim.makassar@gerbang.test"),
        ],
    )
    def test_forms(self, raw: str, expected: str) -> None:
        assert channels.normalize(raw).value == expected

    def test_lookalike_letters_stay_different(self) -> None:
        cyrillic_i = "im\u0456grasi.go.id"
        assert channels.normalize(cyrillic_i).value != "site:imigrasi.go.id"
        assert channels.normalize(cyrillic_i).value.startswith("site:xn--")

    def test_subdomains_match_but_suffix_tricks_do_not(self) -> None:
        assert channels.site_matches("evisa.imigrasi.go.id", "imigrasi.go.id")
        assert not channels.site_matches("imigrasi.go.id.bayar-cepat.com", "imigrasi.go.id")
        assert not channels.site_matches("fakeimigrasi.go.id", "imigrasi.go.id")

    def test_empty_input_is_refused(self) -> None:
        with pytest.raises(ValidationError):
            channels.normalize("   ")


def test_announcements_in_force_use_the_office_scope() -> None:
    assert list(Announcement.objects.active()) == []


@pytest.mark.usefixtures("demo")
class TestScamChecker:
    @pytest.mark.parametrize(
        ("value", "official"),
        [
            ("https://www.imigrasi.go.id/id/layanan", True),
            ("evisa.imigrasi.go.id", True),
            ("@ditjen_imigrasi", True),
            ("0411 7000 400", True),  # the Makassar office's phone
            ("kanim.jayapura@gerbang.test", True),
            ("imigrasi.go.id.bayar-sekarang.com", False),
            ("rnigrasi.go.id", False),
            ("@ditjen_imigrasii", False),
            ("0812 9999 0000", False),
            ("im\u0456grasi.go.id", False),
        ],
    )
    def test_verdicts(self, value: str, official: bool) -> None:
        assert selectors.channel_check(value).official is official

    def test_page_shows_the_verdict_and_keeps_the_input(self, client: Client) -> None:
        bad = client.get("/official-channels/", {"value": "https://imigrasi-go-id.pay.example/billing"})
        body = bad.content.decode()
        assert "This is NOT on the official list." in body
        assert 'value="https://imigrasi-go-id.pay.example/billing"' in body
        good = client.get("/official-channels/", {"value": "https://imigrasi.go.id"}).content.decode()
        assert "Yes, this is an official channel." in good

    def test_empty_check_says_what_to_do(self, client: Client) -> None:
        response = client.get("/official-channels/", {"value": ""})
        assert response.status_code == 400
        assert "This field is required." in response.content.decode()


@pytest.mark.usefixtures("demo")
class TestNotices:
    def test_emergency_banner_on_the_office_page_and_a_line_on_the_home_page(self, client: Client) -> None:
        banner = 'class="emergency"'
        assert banner in client.get("/offices/jayapura/").content.decode()
        assert banner not in client.get("/offices/mesuji/").content.decode()
        assert banner not in client.get("/services/").content.decode()
        home = client.get("/").content.decode()
        assert 'aria-label="Emergency notices at offices"' in home or "Pemberitahuan darurat" in home
        assert 'href="/offices/jayapura/"' in home

    def test_a_notice_in_one_language_says_so_on_the_other_languages_pages(self, client: Client) -> None:
        services.announcement_create(
            actor=SystemActor("tests"),
            level=Level.WARNING,
            title_id="Antrean panjang",
            body_id="Datang lebih awal.",
        )
        client.cookies["django_language"] = "en"
        page = client.get("/notices/").content.decode()
        assert '<span lang="id">Antrean panjang</span>' in page
        assert "This notice is not available in your language" in page

    def test_national_emergency_shows_on_every_page(self, client: Client) -> None:
        services.announcement_create(
            actor=SystemActor("tests"),
            level=Level.EMERGENCY,
            title_id="Gangguan sistem",
            title_en="System outage",
            body_id="x",
            body_en="Payments are delayed.",
        )
        for url in ("/", "/services/", "/offices/mesuji/", "/account/login/"):
            assert "System outage" in client.get(url).content.decode()

    def test_staff_see_their_offices_emergencies_everywhere(self, staff_client) -> None:
        from gerbang.accounts.models import Role
        from gerbang.accounts.tests.factories import staff

        jayapura = Office.objects.get(code="jayapura")
        body = staff_client(staff(Role.OFFICER, [jayapura])).get("/backoffice/").content.decode()
        assert "Passport services stopped after flooding" in body

    def test_notices_outside_their_dates_or_unpublished_are_not_shown(self) -> None:
        now = timezone.now()
        services.announcement_create(
            actor=SystemActor("tests"),
            level=Level.INFO,
            title_id="Lama",
            body_id="x",
            starts_at=now - timedelta(days=3),
            ends_at=now - timedelta(days=1),
        )
        services.announcement_create(
            actor=SystemActor("tests"),
            level=Level.INFO,
            title_id="Nanti",
            body_id="x",
            starts_at=now + timedelta(days=1),
        )
        services.announcement_create(
            actor=SystemActor("tests"), level=Level.INFO, title_id="Draf", body_id="x", status=Status.DRAFT
        )
        titles = {str(n.title_id) for n in selectors.active_announcements()}
        assert not titles & {"Lama", "Nanti", "Draf"}

    def test_notice_must_end_after_it_starts(self) -> None:
        now = timezone.now()
        with pytest.raises(ValidationError):
            services.announcement_create(
                actor=SystemActor("tests"),
                level=Level.INFO,
                title_id="x",
                body_id="x",
                starts_at=now,
                ends_at=now,
            )

    def test_emergency_notices_are_in_the_notices_page(self, client: Client) -> None:
        body = client.get("/notices/").content.decode()
        assert "Passport services stopped after flooding" in body
        assert "Collective leave at the end of the year" in body


@pytest.mark.usefixtures("demo")
class TestFaqAndGuides:
    def test_at_least_sixty_questions_in_both_languages_covering_every_service(self) -> None:
        from gerbang.catalog.models import Service

        entries = Faq.objects.published()
        assert entries.count() >= 60
        assert all(e.question_id and e.question_en and e.answer_id and e.answer_en for e in entries)
        covered = set(Service.objects.filter(faqs__isnull=False).values_list("code", flat=True))
        assert covered == set(Service.objects.values_list("code", flat=True))
        assert len(FAQ) == entries.count()

    def test_faq_page_lists_categories_and_answers(self, client: Client) -> None:
        body = client.get("/faq/").content.decode()
        assert "How much does an e-passport cost?" in body
        assert 'id="pembayaran"' in body

    def test_missing_language_is_said_and_the_other_shown(self, client: Client) -> None:
        category = Faq.objects.first().category  # type: ignore[union-attr]
        services.faq_upsert(
            actor=SystemActor("tests"),
            slug="hanya-indonesia",
            category=category,
            question_id="Pertanyaan khusus?",
            question_en="",
            answer_id="Jawaban dalam bahasa Indonesia.",
            answer_en="",
        )
        body = client.get("/faq/").content.decode()
        assert '<summary lang="id">Pertanyaan khusus?</summary>' in body
        assert "not available in your language yet" in body

    def test_guide_page(self, client: Client) -> None:
        body = client.get("/guides/paspor-hilang/").content.decode()
        assert "Report the loss at a police station" in body
        assert client.get("/guides/nope/").status_code == 404

    def test_draft_content_is_not_public(self, client: Client) -> None:
        category = Faq.objects.first().category  # type: ignore[union-attr]
        services.faq_upsert(
            actor=SystemActor("tests"),
            slug="draf",
            category=category,
            question_id="Rahasia?",
            question_en="Secret?",
            answer_id="x",
            answer_en="x",
            status=Status.DRAFT,
        )
        assert "Secret?" not in client.get("/faq/").content.decode()


def test_an_office_page_lists_that_office_s_notices_in_force(demo: None, client: Client) -> None:
    mesuji, sijunjung = Office.objects.get(code="mesuji"), Office.objects.get(code="sijunjung")
    services.announcement_create(
        actor=SystemActor("tests"),
        level=Level.WARNING,
        title_id="Antrean panjang di Mesuji",
        body_id="x",
        office=mesuji,
    )
    services.announcement_create(
        actor=SystemActor("tests"),
        level=Level.INFO,
        title_id="Parkir baru di Sijunjung",
        body_id="x",
        office=sijunjung,
    )
    services.announcement_create(
        actor=SystemActor("tests"),
        level=Level.INFO,
        title_id="Belum tayang",
        body_id="x",
        office=mesuji,
        status=Status.DRAFT,
    )
    page = client.get("/offices/mesuji/").content.decode()
    assert "Antrean panjang di Mesuji" in page
    assert "Parkir baru di Sijunjung" not in page and "Belum tayang" not in page
