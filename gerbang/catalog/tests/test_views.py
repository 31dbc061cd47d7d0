"""Public pages of services and offices."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from gerbang.catalog import services
from gerbang.catalog.models import Office, Service
from gerbang.catalog.tests.test_infographic import parse
from gerbang.core.actors import SystemActor

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _catalogue(demo_data: None, db: None) -> None:
    """The demo, loaded once for this module."""


def test_service_list_groups_every_service_with_its_fee(client: Client) -> None:
    body = client.get("/services/").content.decode()
    for heading in ("Passports", "Visas", "Stay permits"):
        assert heading in body
    assert "Rp 350,000" in body and "Rp 650,000" in body
    assert body.count('class="card"') == Service.objects.count()


def test_service_page_shows_fee_standard_documents_steps_and_offices(client: Client) -> None:
    body = client.get("/services/paspor-hilang/").content.decode()
    assert "<title>Replacement of a lost passport · Gerbang</title>" in body
    assert '<meta name="description" content="A replacement when your passport was lost.' in body
    assert "Rp 1,350,000" in body and "Surcharge for a lost passport" in body
    assert "4 working days" in body
    assert "Loss report letter from the police" in body
    assert "Report the loss to the police" in body
    assert "Mesuji Class III Immigration Office" in body


def test_service_page_in_indonesian() -> None:
    body = Client().get("/services/paspor-hilang/").content.decode()
    assert "Penggantian paspor hilang" in body
    assert "Rp 1.350.000" in body
    assert "4 hari kerja" in body


def test_coming_fee_change_is_announced(client: Client) -> None:
    service = Service.objects.get(code="e-paspor")
    services.service_terms_set(
        actor=SystemActor("tests"),
        service=service,
        effective_from=date(2099, 1, 1),
        fee=700_000,
        standard_working_days=3,
    )
    body = client.get("/services/e-paspor/").content.decode()
    assert "Rp 650,000" in body  # still in force today
    assert "From 1 January 2099 the fee will be Rp 700,000" in body


def test_unavailable_service_says_why_on_service_and_office_pages(client: Client) -> None:
    reason = "The office has run out of e-passport blanks."
    assert reason in client.get("/services/e-paspor/").content.decode()
    assert reason in client.get("/offices/sijunjung/").content.decode()
    assert reason not in client.get("/offices/mesuji/").content.decode()


def test_unknown_service_or_office_is_404(client: Client) -> None:
    assert client.get("/services/no-such-thing/").status_code == 404
    assert client.get("/offices/atlantis/").status_code == 404


def test_office_page_shows_hours_in_its_zone_and_closures(client: Client) -> None:
    office = Office.objects.get(code="jayapura")
    services.office_closure_add(
        actor=SystemActor("tests"),
        office=office,
        start_date=date(2099, 3, 2),
        end_date=date(2099, 3, 3),
        reason_id="Pindah gedung",
        reason_en="Moving building",
    )
    body = client.get("/offices/jayapura/").content.decode()
    assert "(WIT)" in body
    assert "08:00–16:00" in body and "08:00–11:30, 13:00–16:00" in body  # noqa: RUF001 - en dash as shown
    assert "Closed" in body  # weekend
    assert "Moving building" in body
    # In Indonesian the time takes a dot, as Indonesian writes it.
    assert "08.00–11.30, 13.00–16.00" in Client().get("/offices/jayapura/").content.decode()  # noqa: RUF001


def test_office_list_without_a_query_lists_every_office(client: Client) -> None:
    response = client.get("/offices/")
    assert response.status_code == 200
    # Every office but the training office (docs/training.md), which the public never sees.
    assert response.content.decode().count('class="card"') == Office.objects.public().count()


def test_office_search_and_nearest_first(client: Client) -> None:
    assert "Makassar" not in client.get("/offices/", {"q": "Lampung"}).content.decode().split("<main")[1]
    near_makassar = client.get("/offices/", {"lat": "-5.14", "lng": "119.42"}).content.decode()
    assert near_makassar.index("Makassar Class I") < near_makassar.index("Jayapura Class I")
    assert "km away" in near_makassar
    near_jayapura = client.get("/offices/", {"lat": "-2.6", "lng": "140.6"}).content.decode()
    assert near_jayapura.index("Jayapura Class I") < near_jayapura.index("Makassar Class I")


def test_bad_position_keeps_the_search(client: Client) -> None:
    body = client.get("/offices/", {"q": "Lampung", "lat": "999", "lng": "abc"}).content.decode()
    assert "Mesuji Class III" in body and "Makassar Class I" not in body


def test_no_match_says_what_to_try(client: Client) -> None:
    body = client.get("/offices/", {"q": "Atlantis"}).content.decode()
    assert "No office matches" in body


def test_public_pages_are_cacheable_and_answer_304_when_unchanged(client: Client) -> None:
    first = client.get("/services/paspor-biasa/")
    assert "max-age=300" in first["Cache-Control"] and "public" in first["Cache-Control"]
    assert first.has_header("ETag")
    again = client.get("/services/paspor-biasa/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""


def test_signed_in_visitors_get_private_pages(client: Client) -> None:
    from gerbang.accounts.tests.factories import UserFactory

    client.force_login(UserFactory.create())
    assert "private" in client.get("/services/").get("Cache-Control", "")


def test_anonymous_pages_are_cached_and_invalidated_by_any_change() -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    visitor = Client()
    assert "Rp 650.000" in visitor.get("/services/e-paspor/").content.decode()
    with CaptureQueriesContext(connection) as queries:
        assert visitor.get("/services/e-paspor/").status_code == 200
    assert len(queries) == 0  # served from the page cache
    service = Service.objects.get(code="e-paspor")
    services.service_upsert(
        code="e-paspor",
        fields={
            "name_id": "Paspor elektronik BARU",
            "category": service.category,
            "audience": service.audience,
            "summary_id": service.summary_id,
            "eligibility_id": service.eligibility_id,
            "steps_id": service.steps_id,
        },
        requirements=[],
    )
    assert "Paspor elektronik BARU" in visitor.get("/services/e-paspor/").content.decode()


def test_visitors_with_a_session_or_message_are_never_served_a_shared_page(client: Client) -> None:
    from gerbang.accounts.tests.factories import UserFactory

    Client().get("/services/")  # fills the cache for anonymous visitors
    client.force_login(UserFactory.create(full_name="Dewi Signed-In"))
    assert (
        "Dewi Signed-In" not in client.get("/services/").content.decode()
    )  # name is in the profile link? not shown
    assert "Sign out" in client.get("/services/").content.decode()
    with_message = Client()
    with_message.cookies["messages"] = "anything"
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        with_message.get("/services/")
    assert len(queries) > 0  # rendered afresh, not from the shared cache


class TestInfographic:
    """The service page's infographic, as an SVG picture and an A4 PDF (docs/education.md)."""

    def test_the_service_page_links_to_both(self, client: Client) -> None:
        body = client.get("/services/paspor-hilang/").content.decode()
        assert "Infographic: how to apply and what it costs" in body
        assert 'href="/services/paspor-hilang/infographic.svg?bahasa=en" type="image/svg+xml"' in body
        assert 'href="/services/paspor-hilang/infographic.pdf?bahasa=en" type="application/pdf"' in body
        indonesian = Client().get("/services/paspor-hilang/").content.decode()
        assert "Infografis: cara mengajukan dan biayanya" in indonesian
        assert "/services/paspor-hilang/infographic.pdf?bahasa=id" in indonesian

    def test_the_svg_is_a_picture_of_the_catalogue_in_english(self, client: Client) -> None:
        response = client.get("/services/paspor-hilang/infographic.svg")
        assert response.status_code == 200
        assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
        assert 'filename="infografis-paspor-hilang-en.svg"' in response["Content-Disposition"]
        root = parse(response.content)
        assert root.tag == "{http://www.w3.org/2000/svg}svg" and root.get("role") == "img"
        words = " ".join(root.itertext())
        for text in (
            "Replacement of a lost passport",
            "Rp 1,350,000",
            "Surcharge for a lost passport",
            "4 working days",
            "Report the loss to the police and ask for a loss report letter.",
            "Loss report letter from the police",
            "There are no fees other than those shown here.",
        ):
            assert text in words, text

    def test_a_shared_link_opens_in_the_language_it_names(self) -> None:
        """Someone with no language chosen opens a link shared from the English page."""
        stranger = Client()
        svg = stranger.get("/services/paspor-hilang/infographic.svg?bahasa=en")
        assert parse(svg.content).get("lang") == "en"
        assert "Replacement of a lost passport" in " ".join(parse(svg.content).itertext())
        pdf = stranger.get("/services/paspor-hilang/infographic.pdf?bahasa=en")
        assert 'filename="infografis-paspor-hilang-en.pdf"' in pdf["Content-Disposition"]
        assert parse(stranger.get("/services/paspor-hilang/infographic.svg").content).get("lang") == "id"
        assert (
            parse(stranger.get("/services/paspor-hilang/infographic.svg?bahasa=xx").content).get("lang")
            == "id"
        )

    def test_the_svg_in_indonesian(self) -> None:
        response = Client().get("/services/paspor-hilang/infographic.svg")
        words = " ".join(parse(response.content).itertext())
        assert "Penggantian paspor hilang" in words and "Rp 1.350.000" in words and "4 hari kerja" in words
        assert parse(response.content).get("lang") == "id"

    def test_the_pdf_is_an_a4_page_in_the_readers_language(self, client: Client) -> None:
        response = client.get("/services/visa-kunjungan/infographic.pdf")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == 'inline; filename="infografis-visa-kunjungan-en.pdf"'
        assert response.content.startswith(b"%PDF-")
        indonesian = Client().get("/services/visa-kunjungan/infographic.pdf")
        assert indonesian["Content-Disposition"] == 'inline; filename="infografis-visa-kunjungan-id.pdf"'

    @pytest.mark.parametrize("code", ["paspor-hilang", "paspor-percepatan", "e-paspor"])
    @pytest.mark.parametrize("language", ["id", "en"])
    def test_the_longest_demo_services_fit_one_page(self, code: str, language: str) -> None:
        from django.template.loader import render_to_string
        from django.utils import timezone, translation
        from weasyprint import HTML

        from gerbang.catalog import infographic

        with translation.override(language):
            sheet = infographic.sheet_for(code, timezone.localdate())
            assert sheet is not None
            context = {"sheet": sheet, "scale": infographic.print_scale(sheet)}
            html = render_to_string("catalog/infographic_pdf.html", context)
        pages = HTML(string=html).render().pages
        assert len(pages) == 1
        assert (round(pages[0].width * 25.4 / 96), round(pages[0].height * 25.4 / 96)) == (210, 297)  # A4, mm

    def test_public_and_cacheable_like_the_pages(self, client: Client) -> None:
        for suffix in ("svg", "pdf"):
            first = client.get(f"/services/e-paspor/infographic.{suffix}")
            assert "public" in first["Cache-Control"] and "max-age=300" in first["Cache-Control"]
            again = client.get(f"/services/e-paspor/infographic.{suffix}", HTTP_IF_NONE_MATCH=first["ETag"])
            assert again.status_code == 304

    def test_unknown_or_inactive_service_is_404(self, client: Client) -> None:
        assert client.get("/services/no-such-thing/infographic.svg").status_code == 404
        assert client.get("/services/no-such-thing/infographic.pdf").status_code == 404
        Service.objects.filter(code="e-voa").update(is_active=False)
        assert client.get("/services/e-voa/infographic.svg").status_code == 404
        assert client.get("/services/e-voa/infographic.pdf").status_code == 404

    def test_the_training_office_is_not_on_it(self, client: Client) -> None:
        training = Office.objects.get(is_training=True)
        assert training.office_services.filter(service__code="paspor-biasa").exists()
        for suffix in ("svg", "pdf"):
            body = client.get(f"/services/paspor-biasa/infographic.{suffix}").content
            assert training.name_en.encode() not in body and training.code.encode() not in body
        from django.template.loader import render_to_string
        from django.utils import timezone, translation

        from gerbang.catalog import infographic

        with translation.override("en"):
            sheet = infographic.sheet_for("paspor-biasa", timezone.localdate())
            html = render_to_string("catalog/infographic_pdf.html", {"sheet": sheet, "scale": ""})
        assert training.name_en not in html and training.name_id not in html

    def test_names_are_escaped_and_the_svg_still_parses(self, client: Client) -> None:
        service = Service.objects.get(code="e-paspor")
        hostile = '<script>alert("x")</script> & "Paspor" <b>'
        services.service_upsert(
            code="e-paspor",
            fields={
                "name_en": hostile,
                "category": service.category,
                "audience": service.audience,
                "summary_id": service.summary_id,
                "eligibility_id": service.eligibility_id,
                "steps_en": "Fill in <img src=x onerror=alert(1)>\nPay & go",
            },
            requirements=[{"name_id": "KTP", "name_en": "ID card </text><script>x</script>"}],
        )
        body = client.get("/services/e-paspor/infographic.svg").content
        assert b"<script" not in body and b"<img" not in body and b"<b>" not in body
        assert b"&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;Paspor&quot; &lt;b&gt;" in body
        root = parse(body)
        assert not [element for element in root.iter() if element.tag.endswith("script")]
        assert hostile in " ".join(root.itertext())
        title = root.find("{http://www.w3.org/2000/svg}title")
        assert title is not None and (title.text or "").startswith(hostile)
        assert "Pay & go" in " ".join(root.itertext())
        assert client.get("/services/e-paspor/infographic.pdf").status_code == 200
