"""The counter page, the result page and the live picture, through the real services."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from gerbang.accounts.models import Role
from gerbang.accounts.tests.factories import sign_in_with_2fa, staff
from gerbang.biometrics.models import FaceCheck, Outcome
from gerbang.biometrics.tests import factories as faces
from gerbang.core.models import Event

pytestmark = pytest.mark.django_db


def officer_client(user, language: str = "en") -> Client:
    client = Client()
    client.cookies["django_language"] = language
    sign_in_with_2fa(client, user)
    return client


def counter_url(application) -> str:
    return reverse("backoffice:biometrics_face", args=[application.pk])


def post_picture(client: Client, application, data: bytes, name: str = "counter.jpg", source: str = "camera"):
    return client.post(
        counter_url(application), {"picture": SimpleUploadedFile(name, data), "source": source}, follow=False
    )


def test_the_officer_takes_a_picture_and_sees_the_result(world) -> None:
    application = faces.renewal_with_face(world)
    client = officer_client(world.officer)
    case_page = client.get(reverse("backoffice:case_detail", args=[application.pk]))
    assert counter_url(application) in case_page.content.decode()
    page = client.get(counter_url(application))
    assert page.status_code == 200
    assert "camera=(self)" in page["Permissions-Policy"]
    assert "camera=()" in case_page["Permissions-Policy"]
    html = page.content.decode()
    assert 'id="face-form"' in html and 'name="picture"' in html and "biometrics/face-capture.js" in html
    assert Event.objects.filter(code="biometric.counter_viewed", actor_id=world.officer.pk).exists()

    response = post_picture(client, application, faces.same_face_at_counter())
    check = FaceCheck.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(
        reverse("backoffice:biometrics_face_check", args=[application.pk, check.pk]) + "#top"
    )
    result = client.get(response["Location"].split("#")[0])
    assert result.status_code == 200
    assert 'id="face-outcome">Match<' in result.content.decode()
    assert check.source == "camera" and check.outcome == Outcome.MATCH
    picture = client.get(reverse("backoffice:biometrics_face_capture", args=[application.pk, check.pk]))
    assert picture["Content-Type"] == "image/jpeg" and picture.content.startswith(b"\xff\xd8")
    assert "no-store" in picture["Cache-Control"] and "private" in picture["Cache-Control"]
    viewed = set(Event.objects.filter(subject_id=str(check.pk)).values_list("code", flat=True))
    assert {"biometric.face_checked", "biometric.face_check_viewed", "biometric.capture_viewed"} <= viewed

    decided = client.post(
        reverse("backoffice:biometrics_face_decide", args=[application.pk, check.pk]),
        {"decision": "confirmed", "note": ""},
    )
    assert decided.status_code == 302
    check.refresh_from_db()
    assert check.decision == "confirmed" and check.decided_by == world.officer


def test_no_picture_or_not_a_picture_is_refused_with_a_message(world) -> None:
    application = faces.renewal_with_face(world)
    client = officer_client(world.officer)
    empty = client.post(counter_url(application), {"source": "file"})
    assert empty.status_code == 400
    assert "Take a picture with the camera, or choose a picture file." in empty.content.decode()
    not_a_picture = post_picture(client, application, b"hello, not a picture", name="note.txt", source="file")
    assert not_a_picture.status_code == 400
    assert "This file is not a picture we can read." in not_a_picture.content.decode()
    assert not FaceCheck.objects.exists()


def test_a_decision_not_confirmed_needs_the_officers_words(world) -> None:
    application = faces.renewal_with_face(world)
    client = officer_client(world.officer)
    post_picture(client, application, faces.other_face())
    check = FaceCheck.objects.get()
    assert check.outcome == Outcome.NO_MATCH
    refused = client.post(
        reverse("backoffice:biometrics_face_decide", args=[application.pk, check.pk]),
        {"decision": "not_confirmed", "note": ""},
    )
    assert refused.status_code == 400
    assert "Say what you saw" in refused.content.decode()
    check.refresh_from_db()
    assert check.decision == ""


def test_the_page_says_when_the_check_is_unavailable(world, without_dlib) -> None:
    application = faces.renewal_with_face(world)
    client = officer_client(world.officer)
    page = client.get(counter_url(application))
    html = page.content.decode()
    assert 'id="face-unavailable"' in html and "not available on this server" in html
    assert 'id="face-form"' not in html
    posted = post_picture(client, application, faces.same_face_at_counter())
    assert posted.status_code == 503
    assert "not available on this server" in posted.content.decode()
    assert not FaceCheck.objects.exists()


def test_indonesian_by_default(world) -> None:
    application = faces.renewal_with_face(world)
    world.officer.language = "id"
    world.officer.save(update_fields=["language"])
    client = officer_client(world.officer, language="id")
    page = client.get(counter_url(application))
    assert page.status_code == 200
    assert "Periksa wajah di loket" in page.content.decode()


def test_other_offices_and_huge_ids_are_not_found(world) -> None:
    application = faces.renewal_with_face(world)
    stranger = officer_client(staff(Role.OFFICER, [world.other_office]))
    assert stranger.get(counter_url(application)).status_code == 404
    client = officer_client(world.officer)
    huge = 2**63
    for url in (
        reverse("backoffice:biometrics_face", args=[huge]),
        reverse("backoffice:biometrics_face_check", args=[application.pk, huge]),
        reverse("backoffice:biometrics_face_capture", args=[application.pk, huge]),
        reverse("backoffice:biometrics_face_decide", args=[application.pk, huge]),
    ):
        assert client.get(url).status_code in {404, 405}
        assert client.post(url).status_code == 404
    auditor = officer_client(staff(Role.AUDITOR))
    assert auditor.get(counter_url(application)).status_code in {403, 404}
