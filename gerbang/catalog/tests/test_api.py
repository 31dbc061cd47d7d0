"""The public read API: offices, services, FAQ, guides, notices, search; both languages."""

from __future__ import annotations

import pytest
from django.test import Client

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
