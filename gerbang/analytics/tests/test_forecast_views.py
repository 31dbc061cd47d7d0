"""The back office's forecast page: who sees which office, the chart and its table, the
suggested quotas applied with one form, and wrong input answered with a message."""

from __future__ import annotations

import pytest
from django.test import Client

from gerbang.analytics.forecast import selectors, services, synthetic
from gerbang.analytics.forecast.forms import field_name
from gerbang.analytics.tests.forecast_factories import TESTS, place, weekly_figures
from gerbang.appointments.models import ServiceQuota
from gerbang.core.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = place()
    weekly_figures(world.office, world.passport, synthetic.series(60, seed=9, per_day=4).counts)
    world.run = services.forecast_compute(office=world.office, actor=TESTS)
    return world


def speaking(staff_client, user, language: str) -> Client:
    user.language = language
    user.save(update_fields=["language"])
    client = staff_client(user)
    client.cookies["django_language"] = language
    return client


def english(staff_client, user) -> Client:
    return speaking(staff_client, user, "en")


def test_an_office_admin_reads_the_forecast_and_the_suggestion(world, staff_client) -> None:
    client = english(staff_client, world.admin)
    # The menu's entry, and the only office the admin belongs to opened at once.
    assert b"Demand forecast" in client.get("/backoffice/").content
    response = client.get("/backoffice/forecast/")
    assert response.status_code == 302 and response["Location"] == "/backoffice/forecast/mesuji/"
    page = client.get("/backoffice/forecast/mesuji/", {"service": world.passport.code}).content.decode()
    assert "Applications per week" in page and "How well the forecast did" in page
    assert "A regression of the weekly applications on the calendar" in page
    assert "Tested on the last 12 weeks" in page
    assert "Suggested daily quotas" in page and "Apply these daily quotas" in page
    assert 'name="quota_paspor-biasa"' in page
    chart = client.get(
        "/backoffice/forecast/mesuji/chart.svg", {"service": world.passport.code, "size": "narrow"}
    )
    assert chart.status_code == 200 and chart["Content-Type"] == "image/svg+xml"
    assert b"<script" not in chart.content and b"Forecast" in chart.content


def test_the_page_in_indonesian(world, staff_client) -> None:
    page = speaking(staff_client, world.supervisor, "id").get("/backoffice/forecast/mesuji/").content.decode()
    assert "Perkiraan permintaan" in page and "Kuota harian yang disarankan" in page
    # A supervisor reads the suggestion but has no form to apply it.
    assert 'name="quota_paspor-biasa"' not in page


def test_another_office_s_staff_and_wrong_addresses_are_refused(world, staff_client) -> None:
    other = staff_client(world.other_admin)
    assert other.get("/backoffice/forecast/mesuji/").status_code == 403
    assert other.get("/backoffice/forecast/mesuji/chart.svg").status_code == 403
    assert other.post("/backoffice/forecast/mesuji/recompute/").status_code == 403
    posted = other.post("/backoffice/forecast/mesuji/quotas/", {"run": world.run.pk, "quota_paspor-biasa": 3})
    assert posted.status_code == 403 and not ServiceQuota.objects.exists()
    assert staff_client(world.officer).get("/backoffice/forecast/mesuji/").status_code == 403
    admin = staff_client(world.admin)
    assert admin.get("/backoffice/forecast/nowhere/").status_code == 404
    assert admin.get("/backoffice/forecast/mesuji/", {"service": "9" * 30}).status_code == 404
    assert admin.get("/backoffice/forecast/mesuji/chart.svg", {"service": "affidavit"}).status_code == 404
    huge = admin.post("/backoffice/forecast/mesuji/quotas/", {"run": "9" * 30, field_name("paspor-biasa"): 3})
    assert huge.status_code == 400 and not ServiceQuota.objects.exists()
    # A supervisor may read but not recompute or apply.
    supervisor = staff_client(world.supervisor)
    assert supervisor.post("/backoffice/forecast/mesuji/recompute/").status_code == 403
    assert supervisor.post("/backoffice/forecast/mesuji/quotas/", {"run": world.run.pk}).status_code == 403


def test_applying_the_suggestion_with_one_action(world, staff_client) -> None:
    client = english(staff_client, world.admin)
    suggested = {
        row.service.code: row.suggested for row in selectors.suggestion(world.office, world.run).applicable
    }
    response = client.post(
        "/backoffice/forecast/mesuji/quotas/",
        {"run": world.run.pk, field_name("paspor-biasa"): suggested["paspor-biasa"]},
        follow=True,
    )
    # To the top of the page, where the message is seen.
    assert response.redirect_chain[-1][0] == "/backoffice/forecast/mesuji/"
    assert "1 daily quota applied" in response.content.decode()
    assert ServiceQuota.objects.get(service=world.passport).daily_limit == suggested["paspor-biasa"]
    assert Event.objects.filter(code="forecast.quotas_applied").count() == 1
    settings_page = client.get("/backoffice/offices/mesuji/appointments/").content.decode()
    assert f"{suggested['paspor-biasa']} bookings a day" in settings_page


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("lots", "Enter a whole number of bookings a day"),
        ("0", "A daily quota is at least 1 booking"),
        ("999999", "A daily quota is at most 5000 bookings"),
        ("", "Give at least one daily quota to apply."),
    ],
)
def test_bad_input_is_named_and_kept(world, staff_client, value: str, message: str) -> None:
    client = english(staff_client, world.admin)
    response = client.post(
        "/backoffice/forecast/mesuji/quotas/", {"run": world.run.pk, field_name("paspor-biasa"): value}
    )
    page = response.content.decode()
    assert response.status_code == 400 and message in page
    assert f'value="{value}"' in page or value == ""
    assert not ServiceQuota.objects.exists()
    assert "This was not done" in page  # the summary where the page opens (#quotas)


def test_quotas_above_what_the_office_can_receive_are_refused(world, staff_client) -> None:
    client = english(staff_client, world.admin)
    groups = selectors.suggestion(world.office, world.run).groups
    group = next(g for g in groups if any(row.service.code == "paspor-biasa" for row in g.rows))
    capacity = group.capacity.per_day
    response = client.post(
        "/backoffice/forecast/mesuji/quotas/",
        {"run": world.run.pk, field_name("paspor-biasa"): capacity + 1},
    )
    page = response.content.decode()
    assert response.status_code == 400 and not ServiceQuota.objects.exists()
    assert f"add up to {capacity + 1} bookings a day, more than the office can receive" in page
    assert f'value="{capacity + 1}"' in page
    # Within it, applied.
    ok = client.post(
        "/backoffice/forecast/mesuji/quotas/", {"run": world.run.pk, field_name("paspor-biasa"): capacity}
    )
    assert ok.status_code == 302 and ServiceQuota.objects.get(service=world.passport).daily_limit == capacity


def test_a_suggestion_from_an_older_forecast_is_refused(world, staff_client) -> None:
    client = english(staff_client, world.admin)
    old = world.run.pk
    assert client.post("/backoffice/forecast/mesuji/recompute/").status_code == 302
    response = client.post("/backoffice/forecast/mesuji/quotas/", {"run": old, field_name("paspor-biasa"): 4})
    assert response.status_code == 400
    assert "The forecast was computed again since this page was opened" in response.content.decode()
    assert not ServiceQuota.objects.exists()
