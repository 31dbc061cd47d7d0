"""Every page in Indonesian (the default language), crawled as the public, an applicant, an
officer and an administrator would reach it over the demo data:

- nothing machine-readable passes through localisation: no address (``href``, ``src``,
  ``action``), ``datetime``, ``data-*`` or other attribute, JSON kept in a page, calendar file
  or CSV holds a number written the Indonesian way ("-2,533" for -2.533, "1.000" for 1000);
- no English is left on a page."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from gerbang.accounts.models import User
from gerbang.accounts.tests.factories import sign_in_with_2fa
from gerbang.core.tests.crawl import Page, crawl

pytestmark = pytest.mark.django_db

# A decimal comma ("2,5") or thousands dots ("1.000.000"; "1.000" alone could be a decimal).
LOCALISED_NUMBER = re.compile(r"\d,\d|(?<![\d.])\d{1,3}(?:\.\d{3}){2,}(?![\d.])")
# RFC 5870: the comma separates latitude, longitude (and altitude); decimals take a dot.
GEO_URI = re.compile(r"geo:-?\d+(\.\d+)?,-?\d+(\.\d+)?(,-?\d+(\.\d+)?)?(;.*)?")
# Attributes that hold text for people, which is written in the page's language.
HUMAN_ATTRIBUTES = {"alt", "title", "aria-label", "aria-description", "placeholder", "content", "label"}


@pytest.fixture(scope="module")
def pages(demo_data: None, django_db_blocker: Any) -> Iterator[dict[str, list[Page]]]:
    with django_db_blocker.unblock():
        applicant = Client()
        applicant.force_login(User.objects.get(email="pemohon@gerbang.test"))
        staff = {}
        for who, email in (("officer", "petugas.mesuji"), ("administrator", "admin.nasional")):
            staff[who] = Client()
            sign_in_with_2fa(staff[who], User.objects.get(email=f"{email}@gerbang.test"))
        yield {
            "public": crawl(Client()),
            "applicant": crawl(applicant),
            **{who: crawl(client) for who, client in staff.items()},
        }


def test_the_crawl_reaches_the_pages_of_real_records(pages: dict[str, list[Page]]) -> None:
    def addresses(who: str) -> set[str]:
        return {page.address for page in pages[who] if page.status == 200}

    assert any(re.fullmatch(r"/offices/[\w-]+/", a) for a in addresses("public"))
    assert any(re.fullmatch(r"/applications/\d+/", a) for a in addresses("applicant"))
    assert any(re.fullmatch(r"/backoffice/cases/\d+/", a) for a in addresses("officer"))
    assert any(re.fullmatch(r"/backoffice/offices/[\w-]+/manage/", a) for a in addresses("administrator"))
    assert all(len(found) > 30 for found in pages.values())


def _machine_values(page: Page) -> Iterator[tuple[str, str]]:
    """(where, value) of everything in ``page`` that a program, not a person, reads."""
    for element in page.elements:
        for name, value in element.attrs.items():
            if name in HUMAN_ATTRIBUTES or (name == "value" and element.tag == "button"):
                continue
            yield f"<{element.tag} {name}>", value
    for kind, script in page.scripts:
        if "json" in kind:
            json.loads(script)
            yield f"<script type={kind}>", script
    if page.content_type.startswith("text/csv"):
        for row in csv.reader(io.StringIO(page.body)):
            for cell in row:
                if re.fullmatch(r"[-+\d.,]+", cell):
                    yield "CSV cell", cell
    if page.content_type.startswith("text/calendar"):
        for line in page.body.splitlines():
            if not line.startswith(("SUMMARY", "DESCRIPTION", "LOCATION", " ")):
                yield "calendar line", line


def localised(value: str) -> bool:
    if value.startswith("geo:"):
        return not GEO_URI.fullmatch(value)
    return bool(LOCALISED_NUMBER.search(value))


def test_the_check_tells_localised_numbers() -> None:
    assert localised("geo:-2,533000,140,717000") and not localised("geo:-2.533,140.717")
    assert localised("?lat=-2,53") and localised('{"amount": "1.000.000"}')
    assert not localised("/offices/?lat=-2.5330&lng=140.7170") and not localised("2026-12-03T23:29:00+07:00")


def test_nothing_machine_readable_is_localised(pages: dict[str, list[Page]]) -> None:
    found = {
        f"{who} {page.address} {where}: {value}"
        for who, crawled in pages.items()
        for page in crawled
        for where, value in _machine_values(page)
        if localised(value)
    }
    assert not found, "\n".join(sorted(found))
