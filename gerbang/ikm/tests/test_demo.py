"""The demo answers: figures for Mesuji and Sijunjung right after loading (Sijunjung below its
minimum sample), the demo applicant's visit left to answer, and nothing made twice."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from gerbang.accounts.tests.factories import UserFactory
from gerbang.catalog.models import OfficeService
from gerbang.catalog.tests.factories import OfficeFactory
from gerbang.ikm import demo, selectors
from gerbang.ikm.models import Response, Result
from gerbang.ikm.tests.conftest import make_service
from gerbang.satisfaction.models import Invitation

pytestmark = pytest.mark.django_db


def test_the_demo_shows_figures_and_loads_once(client: Client) -> None:
    services = [make_service(code) for code in ("paspor-baru", "e-paspor", "paspor-ganti")]
    for code in ("mesuji", "sijunjung"):
        office = OfficeFactory.create(code=code, name_id=f"Kantor Imigrasi {code.title()}")
        for service in services:
            OfficeService.objects.create(office=office, service=service)
    siti = UserFactory.create(email="pemohon@gerbang.test")

    stored = demo.load()
    assert stored == Result.objects.count() > 0
    assert Response.objects.count() == 220
    mesuji = Result.objects.filter(office__code="mesuji", service=None, period_kind="year").get()
    sijunjung = Result.objects.filter(office__code="sijunjung", service=None, period_kind="year").get()
    assert mesuji.respondents == 160 and not mesuji.below_sample
    assert sijunjung.respondents == 60 and sijunjung.below_sample
    assert [each.office.code for each in selectors.open_invitations_of(siti)] == ["mesuji"]  # type: ignore[union-attr]
    page = client.get("/ikm/mesuji/")
    assert page.status_code == 200 and 'id="ikm-value"' in page.content.decode()

    invitations = Invitation.objects.count()
    demo.load()
    assert Invitation.objects.count() == invitations and Response.objects.count() == 220


def test_the_command_computes_now(client: Client) -> None:
    out = StringIO()
    call_command("ikm_compute", stdout=out)
    assert out.getvalue().strip() == "0 IKM results stored."
