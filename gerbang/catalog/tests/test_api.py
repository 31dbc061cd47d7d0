"""The public read API: offices, services, FAQ, guides, notices, search; both languages."""

from __future__ import annotations

from datetime import time
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gerbang.catalog import services
from gerbang.catalog.models import Office, Service
from gerbang.catalog.tests.factories import OfficeFactory
from gerbang.content import services as content_services
from gerbang.content.services import announcement_create
from gerbang.core.actors import SystemActor

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def demo(demo_data: None, db: None) -> None:
    """The demo, loaded once for this module."""


def test_services_are_paginated_with_terms_in_force(client: Client) -> None:
    page = client.get("/api/v1/services", {"page_size": 5}).json()
    assert page["count"] == 15
    assert len(page["items"]) == 5
    second = client.get("/api/v1/services", {"page_size": 5, "page": 2}).json()
    assert {s["code"] for s in page["items"]}.isdisjoint({s["code"] for s in second["items"]})


def test_service_detail_in_the_asked_language(client: Client) -> None:
    english = client.get("/api/v1/services/paspor-hilang", HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["name"] == "Replacement of a lost passport"
    assert english["terms"]["fee"] == 1_350_000
    assert english["terms"]["fee_breakdown"][1] == {
        "label": "Surcharge for a lost passport",
        "amount": 1_000_000,
    }
    assert english["terms"]["standard_working_days"] == 4
    assert {
        "name": "Loss report letter from the police",
        "format": "Original, scanned (PDF/JPG/PNG, max. 5 MB); bring it to the interview",
        "applies_to": "lost",
    } in english["requirements"]
    assert "mesuji" in english["offices"]
    indonesian = client.get(
        "/api/v1/services/paspor-hilang", {"lang": "id"}, HTTP_ACCEPT_LANGUAGE="en"
    ).json()
    assert indonesian["name"] == "Penggantian paspor hilang"
    default = client.get("/api/v1/services/paspor-hilang").json()
    assert default["name"] == "Penggantian paspor hilang"


def test_unknown_items_are_404_with_json(client: Client) -> None:
    response = client.get("/api/v1/services/nope")
    assert response.status_code == 404
    assert response.json()["field"] == "code"
    assert client.get("/api/v1/offices/nope").status_code == 404
    assert client.get("/api/v1/guides/nope").status_code == 404


def test_bad_query_parameters_are_4xx(client: Client) -> None:
    assert client.get("/api/v1/services", {"page": "abc"}).status_code == 422
    assert client.get("/api/v1/search").status_code == 422


def test_office_detail_lists_availability(client: Client) -> None:
    office = client.get("/api/v1/offices/sijunjung", {"lang": "en"}).json()
    epaspor = next(s for s in office["services"] if s["service"] == "e-paspor")
    assert epaspor["available"] is False
    assert "e-passport blanks" in epaspor["unavailable_reason"]
    assert office["time_zone"] == "Asia/Jakarta"
    assert len(office["opening_hours"]) == 6


def test_office_search(client: Client) -> None:
    found = client.get("/api/v1/offices", {"q": "Papua"}).json()
    assert [o["code"] for o in found["items"]] == ["jayapura"]


def test_emergency_notices_for_an_office(client: Client) -> None:
    notices = client.get(
        "/api/v1/notices", {"office": "jayapura", "level": "emergency", "lang": "en"}
    ).json()["items"]
    assert [n["title"] for n in notices] == ["Passport services stopped after flooding"]
    assert client.get("/api/v1/notices", {"office": "mesuji", "level": "emergency"}).json()["items"] == []


def test_faq_guides_and_search(client: Client) -> None:
    faq = client.get("/api/v1/faq", {"category": "visa", "lang": "en"}).json()
    assert faq["count"] == 7 and all(item["category"] == "visa" for item in faq["items"])
    guides = client.get("/api/v1/guides").json()
    assert guides["count"] == 3
    assert client.get("/api/v1/guides/paspor-hilang").json()["steps"]
    hits = client.get("/api/v1/search", {"q": "paspor hilang", "lang": "en"}).json()
    assert hits[0]["key"] == "paspor-hilang" and hits[0]["title"] == "Replacement of a lost passport"


def test_openapi_document(client: Client) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["info"]["title"] == "Gerbang API"
    for path in (
        "/api/v1/offices",
        "/api/v1/services/{code}",
        "/api/v1/faq",
        "/api/v1/notices",
        "/api/v1/search",
    ):
        assert path in spec["paths"]


def test_sitemap_and_robots(client: Client) -> None:
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "/services/paspor-hilang/" in sitemap
    assert "/offices/jayapura/" in sitemap
    assert "/guides/paspor-hilang/" in sitemap
    assert "/account/" not in sitemap
    robots = client.get("/robots.txt")
    assert robots["Content-Type"].startswith("text/plain")
    assert "Sitemap:" in robots.content.decode()


# --- Cached public reads --------------------------------------------------------------------------

PUBLIC_READS = [
    "/api/v1/services",
    "/api/v1/services/paspor-hilang",
    "/api/v1/offices",
    "/api/v1/offices/jayapura",
    "/api/v1/faq",
    "/api/v1/guides",
    "/api/v1/guides/paspor-hilang",
    "/api/v1/notices",
    "/api/v1/search?q=paspor+hilang",
]


def _queries(client: Client, path: str) -> tuple[int, Any]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries), response


@pytest.mark.parametrize("path", PUBLIC_READS)
def test_public_reads_are_answered_from_the_cache_for_everyone(path: str, monkeypatch: Any) -> None:
    import time
    from types import SimpleNamespace

    from gerbang.accounts.tests.factories import UserFactory

    # Kept answers are keyed by the minute: one moment, so that the two reads never straddle two.
    now = time.time()
    monkeypatch.setattr("gerbang.core.http.time", SimpleNamespace(time=lambda: now))
    _count, first = _queries(Client(), path)
    count, again = _queries(Client(), path)
    assert count == 0 and again.content == first.content
    assert "public" in again["Cache-Control"] and "max-age=300" in again["Cache-Control"]
    assert "Accept-Language" in again["Vary"]  # the language asked without ?lang= changes it
    signed_in = Client()
    signed_in.force_login(UserFactory.create())
    assert signed_in.get(path).content == first.content  # nothing in it is anyone's own


def test_cached_reads_keep_each_language_apart() -> None:
    indonesian = Client().get("/api/v1/services/paspor-hilang").json()
    english = Client().get("/api/v1/services/paspor-hilang", HTTP_ACCEPT_LANGUAGE="en").json()
    assert indonesian["name"] == "Penggantian paspor hilang"
    assert english["name"] == "Replacement of a lost passport"
    assert Client().get("/api/v1/services/paspor-hilang").json()["name"] == "Penggantian paspor hilang"


def test_a_new_fee_shows_in_the_api_at_once() -> None:
    service = Service.objects.get(code="e-paspor")
    assert Client().get("/api/v1/services/e-paspor").json()["terms"]["fee"] == 650_000
    listed = Client().get("/api/v1/services", {"category": "passport"}).json()["items"]
    assert next(s for s in listed if s["code"] == "e-paspor")["terms"]["fee"] == 650_000
    services.service_terms_set(
        actor=SystemActor("tests"),
        service=service,
        effective_from=timezone.localdate(),
        fee=700_000,
        standard_working_days=3,
    )
    assert Client().get("/api/v1/services/e-paspor").json()["terms"]["fee"] == 700_000
    listed = Client().get("/api/v1/services", {"category": "passport"}).json()["items"]
    assert next(s for s in listed if s["code"] == "e-paspor")["terms"]["fee"] == 700_000


def test_an_edited_service_shows_in_the_api_at_once() -> None:
    service = Service.objects.get(code="e-paspor")
    assert Client().get("/api/v1/services/e-paspor").json()["name"].startswith("Paspor elektronik (")
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
    detail = Client().get("/api/v1/services/e-paspor").json()
    assert detail["name"] == "Paspor elektronik BARU" and detail["requirements"] == []


def test_an_office_given_its_first_hours_shows_them_at_once() -> None:
    """Hours are written with bulk_create, which sends no signal: the service says so itself."""
    office = OfficeFactory.create(code="baru", hours=False)
    assert Client().get("/api/v1/offices/baru").json()["opening_hours"] == []
    services.opening_hours_set(actor=SystemActor("tests"), office=office, periods=[(0, time(8), time(16))])
    assert Client().get("/api/v1/offices/baru").json()["opening_hours"] == [
        {"weekday": 0, "opens": "08:00", "closes": "16:00"}
    ]


def test_availability_and_notices_show_at_once() -> None:
    office = Office.objects.get(code="mesuji")
    link = next(
        s for s in Client().get("/api/v1/offices/mesuji").json()["services"] if s["service"] == "e-paspor"
    )
    assert link["available"] is True
    services.office_service_set(
        actor=SystemActor("tests"),
        office=office,
        service=Service.objects.get(code="e-paspor"),
        is_available=False,
        unavailable_reason_id="Blangko habis",
    )
    link = next(
        s for s in Client().get("/api/v1/offices/mesuji").json()["services"] if s["service"] == "e-paspor"
    )
    assert link["available"] is False and link["unavailable_reason"] == "Blangko habis"
    assert Client().get("/api/v1/notices", {"office": "mesuji", "level": "emergency"}).json()["items"] == []
    announcement_create(
        actor=SystemActor("tests"),
        title_id="Kantor tutup",
        body_id="Banjir.",
        level="emergency",
        office=office,
    )
    notices = Client().get("/api/v1/notices", {"office": "mesuji", "level": "emergency"}).json()["items"]
    assert [n["title"] for n in notices] == ["Kantor tutup"]


def test_answers_kept_before_the_cache_lost_its_version_are_never_served_again() -> None:
    """The version key may be pushed out of the cache (the database cache keeps 300 entries),
    while answers it marked stay: a new version must never match them."""
    assert Client().get("/api/v1/services/e-paspor").json()["terms"]["fee"] == 650_000
    assert "Rp 650.000" in Client().get("/services/e-paspor/").content.decode()
    services.service_terms_set(
        actor=SystemActor("tests"),
        service=Service.objects.get(code="e-paspor"),
        effective_from=timezone.localdate(),
        fee=700_000,
        standard_working_days=3,
    )
    cache.delete("public-pages:version")
    assert Client().get("/api/v1/services/e-paspor").json()["terms"]["fee"] == 700_000
    assert "Rp 700.000" in Client().get("/services/e-paspor/").content.decode()


# --- No per-row queries ----------------------------------------------------------------------------

# Each read asked for few rows and for many: the same number of queries, whatever the rows.
FEW_AND_MANY = [
    ("/api/v1/services?category=affidavit", "/api/v1/services"),
    ("/api/v1/offices?q=Papua", "/api/v1/offices"),
    ("/api/v1/faq?category=visa", "/api/v1/faq"),
    ("/api/v1/notices?level=emergency&office=mesuji", "/api/v1/notices?office=jayapura"),
]


@pytest.mark.parametrize(("few", "many"), FEW_AND_MANY)
def test_lists_make_no_query_per_row(few: str, many: str) -> None:
    few_count, few_answer = _queries(Client(), few)
    many_count, many_answer = _queries(Client(), many)
    assert len(few_answer.json()["items"]) < len(many_answer.json()["items"])
    assert few_count == many_count


def test_guides_make_no_query_per_guide() -> None:
    before, answer = _queries(Client(), "/api/v1/guides")
    for n in range(3):
        content_services.guide_upsert(
            slug=f"extra-{n}",
            title_id=f"Panduan {n}",
            title_en="",
            summary_id="Ringkas.",
            summary_en="",
            steps=[{"text_id": "Satu."}, {"text_id": "Dua."}],
            services=Service.objects.filter(code__in=["e-paspor", "paspor-biasa"]),
        )
    after, grown = _queries(Client(), "/api/v1/guides")
    assert grown.json()["count"] == answer.json()["count"] + 3
    assert after == before


def test_details_make_no_query_per_part() -> None:
    """An office's services and a service's offices and requirements come in a fixed number
    of queries, however many there are."""
    few, _answer = _queries(Client(), "/api/v1/offices/jayapura")
    office = Office.objects.get(code="jayapura")
    for service in Service.objects.exclude(office_services__office=office):
        services.office_service_set(actor=SystemActor("tests"), office=office, service=service)
    many, answer = _queries(Client(), "/api/v1/offices/jayapura")
    assert len(answer.json()["services"]) == Service.objects.count()
    assert many == few
