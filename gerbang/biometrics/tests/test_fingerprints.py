"""Fingerprint captures: recorded from what the scanner's software reports, never a template."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from gerbang.accounts.models import Role
from gerbang.accounts.tests.factories import staff
from gerbang.applications.tests.factories import awaiting_appointment, in_verification
from gerbang.biometrics import services
from gerbang.biometrics.models import FingerprintCapture
from gerbang.biometrics.tests.test_views import officer_client
from gerbang.core.actors import SystemActor
from gerbang.core.exceptions import ApplicationError, PermissionDenied, ValidationError
from gerbang.core.models import Event
from gerbang.ledger import registry

pytestmark = pytest.mark.django_db


def record(world, application, **overrides):
    values: dict[str, Any] = {
        "system": "Loket 2 (AFIS kantor)",
        "reference": "AFIS-2026-000123",
        "fingers": {"2": 78, "7": 64},
    }
    values.update(overrides)
    return services.fingerprints_record(application=application, actor=world.officer, **values)


def test_a_capture_is_recorded_without_any_template(world) -> None:
    application = awaiting_appointment(world)
    capture = record(world, application)
    assert capture.fingers == {"2": 78, "7": 64}
    with translation.override("en"):
        assert capture.finger_rows() == [("Right index finger", 78), ("Left index finger", 64)]
    event = Event.objects.get(code="biometric.fingerprints_recorded")
    assert event.details["fingers"] == {"2": 78, "7": 64} and event.details["lowest_quality"] == 64
    assert "AFIS-2026-000123" not in str(event.details)  # the reference stays encrypted in its row
    assert registry.is_logged(event.code)
    assert not hasattr(capture, "template")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"fingers": {}}, "fingers"),
        ({"fingers": {"11": 50}}, "fingers"),
        ({"fingers": {"1": 101}}, "finger_1"),
        ({"reference": "  "}, "reference"),
        ({"system": ""}, "system"),
    ],
)
def test_what_the_software_did_not_report_is_refused(world, overrides, field) -> None:
    application = awaiting_appointment(world)
    with pytest.raises(ValidationError) as refused:
        record(world, application, **overrides)
    assert refused.value.field == field
    assert not FingerprintCapture.objects.exists()


def test_only_at_the_counter_by_an_officer_of_the_office(world) -> None:
    with pytest.raises(ApplicationError):
        record(world, in_verification(world))
    application = awaiting_appointment(world)
    with pytest.raises(PermissionDenied):
        services.fingerprints_record(
            application=application,
            system="x",
            reference="y",
            fingers={"1": 50},
            actor=staff(Role.OFFICER, [world.other_office]),
        )


def test_the_reference_goes_with_the_cases_personal_data(world) -> None:
    application = awaiting_appointment(world)
    capture = record(world, application)
    type(application).objects.filter(pk=application.pk).update(personal_data_erased_at=timezone.now())
    assert services.face_data_forget_erased(actor=SystemActor("privacy")) == 1
    capture.refresh_from_db()
    assert capture.reference == "" and capture.fingers == {"2": 78, "7": 64}


def test_the_counter_page_records_a_capture_and_refuses_a_bad_one(world) -> None:
    application = awaiting_appointment(world)
    client = officer_client(world.officer)
    url = reverse("backoffice:biometrics_fingerprints", args=[application.pk])
    refused = client.post(url, {"system": "Loket 2", "reference": "R-1", "finger_1": "150"})
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "A quality is a whole number from 0 to 100." in html and 'value="R-1"' in html
    none = client.post(url, {"system": "Loket 2", "reference": "R-1"})
    assert (
        none.status_code == 400
        and "Give the quality of at least one finger captured." in none.content.decode()
    )
    done = client.post(url, {"system": "Loket 2", "reference": "R-1", "finger_1": "80", "finger_6": "71"})
    assert done.status_code == 302 and done["Location"].endswith("#fingerprints")
    page = client.get(done["Location"].split("#")[0])
    assert "Right thumb: quality 80" in page.content.decode()
    assert FingerprintCapture.objects.get().fingers == {"1": 80, "6": 71}
