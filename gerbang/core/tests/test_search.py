"""Site search on the configured engine (SQLite FTS5 locally, PostgreSQL in CI)."""

from __future__ import annotations

import pytest
from django.test import Client

from gerbang.core import search

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def demo(demo_data: None, db: None) -> None:
    """The demo, loaded once for this module."""


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Paspor Elektronik", "epaspor"),
        ("e-Passport", "epaspor"),
        ("E-paspor", "epaspor"),
        ("KITAS", "itas"),
        ("limited stay permit", "itas"),
        ("lost passport", "hilang paspor"),
        ("Visa on Arrival", "voa"),
        ("Pérpanjangan", "perpanjang"),
    ],
)
def test_folding(text: str, folded: str) -> None:
    assert search.fold(text) == folded


def first(query: str, language: str = "id") -> tuple[str, str]:
    hits = search.search(query, language=language)
    assert hits, query
    return hits[0].kind, hits[0].key


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("paspor hilang", ("service", "paspor-hilang")),
        ("lost passport", ("service", "paspor-hilang")),
        ("damaged passport", ("service", "paspor-rusak")),
        ("paspor rusak", ("service", "paspor-rusak")),
        ("e-paspor", ("service", "e-paspor")),
        ("paspor elektronik", ("service", "e-paspor")),
        ("electronic passport", ("service", "e-paspor")),
        ("perpanjang KITAS", ("service", "itas-perpanjangan")),
        ("ITAS extension", ("service", "itas-perpanjangan")),
        ("visa on arrival", ("service", "e-voa")),
        ("Mesuji", ("office", "mesuji")),
        ("kantor imigrasi Makassar", ("office", "makassar")),
        ("affidavit", ("service", "affidavit")),
    ],
)
def test_ranking_in_both_languages(query: str, expected: tuple[str, str]) -> None:
    assert first(query) == expected
    assert first(query, "en") == expected


def test_results_come_in_the_asked_language() -> None:
    hit = search.search("paspor hilang", language="en")[0]
    assert hit.title == "Replacement of a lost passport"
    assert search.search("paspor hilang", language="id")[0].title == "Penggantian paspor hilang"


def test_one_hit_per_object() -> None:
    hits = search.search("paspor", language="id")
    keys = [(h.kind, h.key) for h in hits]
    assert len(keys) == len(set(keys))


def test_nothing_for_gibberish_or_symbols() -> None:
    assert search.search("xyzzy plugh", language="id") == []
    assert search.search('"*) OR (', language="id") == []


def test_notice_search_and_reindex_after_change() -> None:
    assert first("banjir")[0] == "notice"
    assert first("banjir Jayapura") == ("office", "jayapura")  # the office, then its notice
    from gerbang.catalog.models import Service
    from gerbang.catalog.services import service_upsert

    service = Service.objects.get(code="affidavit")
    fields = {
        f: getattr(service, f)
        for f in ("category", "audience", "name_id", "summary_id", "eligibility_id", "steps_id")
    }
    service_upsert(
        code="affidavit", fields={**fields, "name_en": "Dual citizenship facility zebra"}, requirements=[]
    )
    assert first("zebra", "en") == ("service", "affidavit")


def test_search_page(client: Client) -> None:
    body = client.get("/search/", {"q": "lost passport"}).content.decode()
    assert "Replacement of a lost passport" in body
    assert 'value="lost passport"' in body
    empty = client.get("/search/", {"q": "xyzzy"}).content.decode()
    assert "Nothing found" in empty
