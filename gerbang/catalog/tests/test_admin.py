"""The Django admin saves offices only through ``office_upsert``: every change leaves an event,
what the service refuses is shown on the form with nothing entered lost, and an office is never
deleted or switched off there."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from gerbang.accounts.models import Role, User
from gerbang.accounts.tests.factories import staff
from gerbang.catalog.models import Office
from gerbang.catalog.tests.factories import OfficeFactory
from gerbang.core.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser() -> User:
    return staff(Role.NATIONAL_ADMIN, is_superuser=True)


@pytest.fixture
def admin(superuser: User, staff_client: Any) -> Client:
    client: Client = staff_client(superuser)
    return client


def form(office: Office, **changes: Any) -> dict[str, Any]:
    data = {
        "code": office.code,
        "name_id": office.name_id,
        "name_en": office.name_en,
        "office_class": office.office_class,
        "province": office.province,
        "regency": office.regency,
        "address": office.address,
        "phone": office.phone,
        "email": office.email,
        "latitude": office.latitude or "",
        "longitude": office.longitude or "",
        "time_zone": office.time_zone,
    }
    return {**data, **changes}


def test_an_office_change_in_the_admin_goes_through_the_service(admin: Client, superuser: User) -> None:
    office = OfficeFactory.create(phone="0726 100")
    url = reverse("admin:catalog_office_change", args=[office.pk])
    response = admin.post(url, form(office, phone="0726 200", is_active=""))
    assert response.status_code == 302, response.content.decode()
    office.refresh_from_db()
    assert office.phone == "0726 200"
    assert office.is_active  # not the admin's to switch off
    event = Event.objects.get(code="office.saved", subject_id=str(office.pk))
    assert event.actor == superuser
    assert event.details == {"created": False, "fields": ["phone"]}


def test_an_office_added_in_the_admin_leaves_an_event(admin: Client, superuser: User) -> None:
    template = OfficeFactory.build(code="baru")
    response = admin.post(reverse("admin:catalog_office_add"), form(template))
    assert response.status_code == 302, response.content.decode()
    office = Office.objects.get(code="baru")
    event = Event.objects.get(code="office.saved", subject_id=str(office.pk))
    assert event.actor == superuser and event.details["created"] is True


def test_offices_are_not_deleted_in_the_admin(admin: Client) -> None:
    office = OfficeFactory.create()
    response = admin.post(reverse("admin:catalog_office_delete", args=[office.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert Office.objects.filter(pk=office.pk).exists()


def test_the_admin_shows_the_services_refusal_on_the_form_and_saves_nothing(admin: Client) -> None:
    office = OfficeFactory.create(phone="0726 100", latitude=None, longitude=None)
    url = reverse("admin:catalog_office_change", args=[office.pk])
    response = admin.post(url, form(office, phone="0726 200", latitude="999", longitude="-999"))
    assert response.status_code == 200
    page = response.content.decode()
    # Both problems at once, each at its field, and what was typed is still there.
    errors = response.context["adminform"].form.errors
    assert errors["latitude"] == ["Latitude lies between -90 and 90."]
    assert errors["longitude"] == ["Longitude lies between -180 and 180."]
    assert 'value="0726 200"' in page and 'value="999"' in page
    office.refresh_from_db()
    assert office.phone == "0726 100" and office.latitude is None
    assert not Event.objects.filter(code="office.saved").exists()


def test_a_new_office_out_of_range_is_refused_on_the_form(admin: Client) -> None:
    template = OfficeFactory.build(code="baru")
    response = admin.post(reverse("admin:catalog_office_add"), form(template, latitude="-91"))
    assert response.status_code == 200
    assert "Latitude lies between -90 and 90." in response.content.decode()
    assert not Office.objects.filter(code="baru").exists()
    assert not Event.objects.filter(code="office.saved").exists()


def test_the_working_area_is_set_in_the_admin_and_a_bad_code_is_named_on_its_field(admin: Client) -> None:
    office = OfficeFactory.create()
    url = reverse("admin:catalog_office_change", args=[office.pk])
    bad = admin.post(url, form(office, area_codes="1811, 181"))
    assert bad.status_code == 200
    errors = bad.context["adminform"].form.errors["area_codes"]
    assert len(errors) == 1 and "“181”" in errors[0]
    assert 'value="1811, 181"' in bad.content.decode()
    office.refresh_from_db()
    assert office.area_codes == ""
    response = admin.post(url, form(office, area_codes="18.11, 1805"))
    assert response.status_code == 302, response.content.decode()
    office.refresh_from_db()
    assert office.area_codes == "1811,1805"
    event = Event.objects.get(code="office.saved", subject_id=str(office.pk))
    assert event.details == {"created": False, "fields": ["area_codes"]}
