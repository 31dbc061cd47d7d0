"""National administrators announce new fee versions; versions in force never change."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from gerbang.accounts.models import Role
from gerbang.accounts.tests.factories import staff
from gerbang.catalog.models import Office, ServiceTerms
from gerbang.core.models import Event

pytestmark = pytest.mark.django_db
URL = "/backoffice/services/e-paspor/terms/"


@pytest.fixture(autouse=True)
def demo(demo_data: None, db: None) -> None:
    """The demo, loaded once for this module."""


def terms(day: object, fee: str = "700000") -> dict[str, object]:
    return {
        "effective_from": str(day),
        "fee": fee,
        "standard_working_days": "3",
        "payment_deadline_hours": "2",
        "legal_basis": "PP baru",
    }


def test_only_national_admins_manage_fees(staff_client) -> None:
    mesuji = Office.objects.get(code="mesuji")
    assert staff_client(staff(Role.OFFICE_ADMIN, [mesuji])).get(URL).status_code == 403
    assert staff_client(staff(Role.AUDITOR)).get("/backoffice/services/").status_code == 403
    assert staff_client(staff(Role.NATIONAL_ADMIN)).get("/backoffice/services/").status_code == 200


def test_a_new_version_is_announced_and_recorded(staff_client, client: Client) -> None:
    admin = staff(Role.NATIONAL_ADMIN)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = staff_client(admin).post(URL, terms(tomorrow))
    assert response.status_code == 302
    assert ServiceTerms.objects.filter(
        service__code="e-paspor", effective_from=tomorrow, fee=700_000
    ).exists()
    assert "the fee will be Rp 700,000" in client.get("/services/e-paspor/").content.decode()
    assert "Rp 650,000" in client.get("/services/e-paspor/").content.decode()  # still in force today
    event = Event.objects.filter(code="service.terms_set", actor=admin).get()
    assert event.details["fee"] == 700_000


def test_a_version_in_force_cannot_be_changed(staff_client) -> None:
    editor = staff_client(staff(Role.NATIONAL_ADMIN))
    today = timezone.localdate()
    response = editor.post(URL, terms(today))
    assert response.status_code == 400
    assert "A fee already in force cannot be changed" in response.content.decode()
    assert 'value="700000"' in response.content.decode()  # the input is kept
    assert not ServiceTerms.objects.filter(service__code="e-paspor", fee=700_000).exists()


def test_amounts_are_read_as_people_write_them(staff_client) -> None:
    editor = staff_client(staff(Role.NATIONAL_ADMIN))
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert editor.post(URL, terms(tomorrow, fee="Rp 1.000.000")).status_code == 302
    assert ServiceTerms.objects.get(service__code="e-paspor", effective_from=tomorrow).fee == 1_000_000
    response = editor.post(URL, terms(tomorrow + timedelta(days=1), fee="satu juta"))
    assert response.status_code == 400
    assert "Write the amount in whole rupiah" in response.content.decode()


@pytest.mark.parametrize(
    ("written", "amount"),
    [
        ("350000", 350_000),
        ("350.000", 350_000),
        ("Rp 350.000", 350_000),
        ("Rp1.000.000", 1_000_000),
        ("350,000", 350_000),
    ],
)
def test_rupiah_field(written: str, amount: int) -> None:
    from gerbang.core.forms import RupiahField

    assert RupiahField().clean(written) == amount


@pytest.mark.parametrize("written", ["350.00", "35.0000", "3,50", "-5", "1e6", "Rp"])
def test_rupiah_field_refuses_ambiguous_amounts(written: str) -> None:
    from django.core.exceptions import ValidationError

    from gerbang.core.forms import RupiahField

    with pytest.raises(ValidationError):
        RupiahField(min_value=0).clean(written)
