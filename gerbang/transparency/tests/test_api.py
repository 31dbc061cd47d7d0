"""``/api/v1/statistics/applications``: the numbers of the page and its files, and clear 4xx
answers for a wrong office, service or period."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gerbang.applications.tests import factories as f
from gerbang.core.actors import SystemActor
from gerbang.transparency import services

pytestmark = pytest.mark.django_db
URL = "/api/v1/statistics/applications"


@pytest.fixture
def world(settings: Any) -> f.World:
    settings.STATISTICS_MIN_CELL = 2
    made = f.make_world()
    for _n in range(3):
        f.submitted(made)
    services.figures_refresh(actor=SystemActor("tests"))
    return made


def test_the_api_gives_the_numbers_of_the_files(world: f.World) -> None:
    answer = Client().get(URL, {"office": "mesuji", "service": "paspor-biasa", "months": "6"})
    assert answer.status_code == 200
    body = answer.json()
    # Counting began this month (the world is new): none of the six complete months is listed.
    assert body["office"] == "mesuji" and len(body["months"]) == 1
    assert body["counted_from"] == f"{timezone.localdate():%Y-%m}"
    assert any(body["counted_from"] in note for note in body["notes"])
    assert body["months"][-1]["submitted"] == 3 and body["months"][-1]["month_complete"] is False
    filters = {"kantor": "mesuji", "layanan": "paspor-biasa", "periode": "6"}
    rows = list(
        csv.DictReader(io.StringIO(Client().get(reverse("transparency:data_csv"), filters).content.decode()))
    )
    assert [row["submitted"] for row in rows] == [str(m["submitted"]) for m in body["months"]]


@pytest.mark.parametrize(
    ("query", "field"),
    [({"office": "nowhere"}, "office"), ({"service": "nothing"}, "service"), ({"months": 7}, "months")],
)
def test_a_wrong_filter_is_a_4xx_naming_the_field(world: f.World, query: dict[str, Any], field: str) -> None:
    answer = Client().get(URL, query, HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 400
    assert field in answer.content.decode()


def test_a_period_that_is_not_a_number_is_refused_not_an_error(world: f.World) -> None:
    assert Client().get(URL, {"months": "twelve"}).status_code in (400, 422)
