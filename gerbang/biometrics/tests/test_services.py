"""The face check's services, with dlib's real models on real pictures of faces."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from gerbang.accounts.models import Role
from gerbang.accounts.tests.factories import staff
from gerbang.applications.tests.factories import awaiting_appointment, pdf_bytes
from gerbang.applications.workflow import State
from gerbang.biometrics import engine, services
from gerbang.biometrics.models import Decision, FaceCheck, FaceReference, Outcome, Source
from gerbang.biometrics.tests import factories as faces
from gerbang.biometrics.thresholds import FACE_THRESHOLD
from gerbang.core.actors import SystemActor
from gerbang.core.exceptions import ApplicationError, Conflict, PermissionDenied, ValidationError
from gerbang.core.models import Event
from gerbang.core.staff_reads import is_staff_read
from gerbang.ledger import registry

pytestmark = pytest.mark.django_db


def run(world, application, picture: bytes, **kwargs) -> FaceCheck:
    return services.face_check_run(
        application=application,
        picture=io.BytesIO(picture),
        source=kwargs.pop("source", Source.CAMERA),
        actor=kwargs.pop("actor", world.officer),
    )


def test_the_same_person_matches_and_the_check_is_recorded(world) -> None:
    application = faces.renewal_with_face(world)
    check = run(world, application, faces.same_face_at_counter())
    assert check.outcome == Outcome.MATCH
    assert check.distance is not None and check.distance <= check.threshold == FACE_THRESHOLD
    assert check.finding == engine.Finding.FACE
    assert [row["role"] for row in check.comparisons] == ["previous_passport"]
    assert check.comparisons[0]["match"] is True
    event = Event.objects.get(code="biometric.face_checked", subject_id=str(check.pk))
    assert event.actor_id == world.officer.pk
    assert event.office_id == application.office_id
    assert event.details["outcome"] == "match"
    assert event.details["distance"] == check.distance
    assert event.details["threshold"] == FACE_THRESHOLD
    # No picture and no embedding in the event.
    assert "capture" not in event.details and "embedding" not in str(event.details)
    assert registry.is_logged("biometric.face_checked")


def test_another_person_does_not_match(world) -> None:
    application = faces.renewal_with_face(world)
    check = run(world, application, faces.other_face())
    assert check.outcome == Outcome.NO_MATCH
    assert check.distance is not None and check.distance > check.threshold
    assert check.comparisons[0]["match"] is False


@pytest.mark.parametrize(
    ("picture", "outcome", "finding"),
    [
        (faces.no_face, Outcome.NO_FACE, engine.Finding.NO_FACE),
        (faces.two_faces, Outcome.SEVERAL_FACES, engine.Finding.SEVERAL_FACES),
        (faces.dark_face, Outcome.POOR, engine.Finding.TOO_DARK),
        (faces.blurred_face, Outcome.POOR, engine.Finding.BLURRED),
    ],
)
def test_pictures_that_cannot_be_judged_say_why(world, picture, outcome, finding) -> None:
    application = faces.renewal_with_face(world)
    check = run(world, application, picture())
    assert (check.outcome, check.finding, check.distance) == (outcome, finding, None)
    assert check.comparisons == []


def test_the_application_photo_is_a_reference_too(world) -> None:
    from gerbang.applications.tests.factories import foreigner_answers

    photo = faces.jpeg(faces.sample_face())
    application = faces.case_at_counter(world, code="itas-baru", answers=foreigner_answers(), photo=photo)
    check = run(world, application, faces.same_face_at_counter())
    assert [row["role"] for row in check.comparisons] == ["photo"]
    assert check.outcome == Outcome.MATCH


def test_a_reference_without_a_face_makes_the_check_too_poor(world) -> None:
    # The previous passport uploaded as a PDF with no picture in it.
    application = faces.case_at_counter(world, previous_passport=pdf_bytes())
    check = run(world, application, faces.same_face_at_counter())
    assert check.outcome == Outcome.POOR
    assert check.comparisons[0]["finding"] == engine.Finding.NO_FACE
    assert "distance" not in check.comparisons[0]


def test_a_reference_is_read_once(world, monkeypatch) -> None:
    application = faces.renewal_with_face(world)
    run(world, application, faces.same_face_at_counter())
    read = []
    original = engine.read_face

    def counted(image):
        read.append(image)
        return original(image)

    monkeypatch.setattr(engine, "read_face", counted)
    second = run(world, application, faces.same_face_at_counter())
    assert len(read) == 1  # the live picture only
    assert FaceReference.objects.filter(application=application).count() == 1
    assert second.outcome == Outcome.MATCH


def test_pictures_and_embeddings_are_encrypted_at_rest(world) -> None:
    application = faces.renewal_with_face(world)
    check = run(world, application, faces.same_face_at_counter())
    with connection.cursor() as cursor:
        cursor.execute("SELECT capture, embedding_text FROM biometrics_facecheck WHERE id = %s", [check.pk])
        capture, embedding = cursor.fetchone()
        cursor.execute("SELECT embedding_text FROM biometrics_facereference")
        (reference,) = cursor.fetchone()
    assert capture and embedding and reference
    assert "/9j/" not in capture  # a JPEG's base64 would start so
    assert "[" not in embedding and "[" not in reference
    check.refresh_from_db()
    assert check.capture.startswith("/9j/")
    assert check.embedding is not None and len(check.embedding) == 128


def test_not_an_image_is_refused_and_nothing_recorded(world) -> None:
    application = faces.renewal_with_face(world)
    with pytest.raises(ValidationError) as refused:
        run(world, application, b"%PDF-1.4 not a picture")
    assert refused.value.field == "picture"
    assert not FaceCheck.objects.exists()
    assert not Event.objects.filter(code="biometric.face_checked").exists()


def test_without_the_extra_the_check_is_unavailable(world, without_dlib) -> None:
    application = faces.renewal_with_face(world)
    assert engine.available() is False
    with pytest.raises(services.FaceCheckUnavailable):
        run(world, application, faces.same_face_at_counter())
    with pytest.raises(engine.EngineUnavailable):
        engine.read_face(faces.sample_face())
    assert not FaceCheck.objects.exists()


def test_a_case_without_a_picture_of_the_face_cannot_be_checked(world) -> None:
    application = awaiting_appointment(world)  # a first passport: no photo, no previous passport
    with pytest.raises(services.NoReference):
        run(world, application, faces.same_face_at_counter())


def test_only_at_the_counter_by_an_officer_of_the_office(world) -> None:
    application = faces.renewal_with_face(world)
    stranger = staff(Role.OFFICER, [world.other_office])
    with pytest.raises(PermissionDenied):
        run(world, application, faces.same_face_at_counter(), actor=stranger)
    with pytest.raises(PermissionDenied):
        run(world, application, faces.same_face_at_counter(), actor=application.applicant)
    auditor = staff(Role.AUDITOR)
    with pytest.raises(PermissionDenied):
        run(world, application, faces.same_face_at_counter(), actor=auditor)
    from gerbang.applications import services as case_services

    moved = case_services.application_transition(
        application=application,
        action="complete_interview",
        actor=world.officer,
        expected_version=application.version,
    )
    assert moved.state == State.IN_REVIEW
    with pytest.raises(ApplicationError) as refused:
        run(world, moved, faces.same_face_at_counter())
    assert refused.value.code == "wrong_state"


def test_the_officer_decides_once(world) -> None:
    application = faces.renewal_with_face(world)
    check = run(world, application, faces.other_face())
    with pytest.raises(ValidationError) as refused:
        services.face_check_decide(
            check=check, decision=Decision.NOT_CONFIRMED, note=" ", actor=world.officer
        )
    assert refused.value.field == "note"
    decided = services.face_check_decide(
        check=check,
        decision=Decision.NOT_CONFIRMED,
        note="Wajah berbeda; KTP-el diminta.",
        actor=world.officer,
    )
    assert (decided.decision, decided.decided_by) == (Decision.NOT_CONFIRMED, world.officer)
    event = Event.objects.get(code="biometric.face_check_decided")
    assert event.details["decision"] == "not_confirmed" and "note_sha256" in event.details
    with pytest.raises(Conflict):
        services.face_check_decide(check=check, decision=Decision.CONFIRMED, actor=world.supervisor)


def test_reads_of_biometric_data_are_staff_reads(world) -> None:
    application = faces.renewal_with_face(world)
    check = run(world, application, faces.same_face_at_counter())
    for what, subject in (("counter", application), ("face_check", check), ("capture", check)):
        services.biometrics_read_record(
            application=application, subject=subject, what=what, actor=world.officer
        )
    codes = set(
        Event.objects.filter(code__endswith="_viewed", code__startswith="biometric.").values_list(
            "code", flat=True
        )
    )
    assert codes == {"biometric.counter_viewed", "biometric.face_check_viewed", "biometric.capture_viewed"}
    assert all(is_staff_read(code) and registry.is_logged(code) for code in codes)


@override_settings(BIOMETRIC_RETENTION_DAYS=30)
def test_live_pictures_are_erased_when_their_retention_ends(world) -> None:
    application = faces.renewal_with_face(world)
    old = run(world, application, faces.same_face_at_counter())
    recent = run(world, application, faces.same_face_at_counter())
    FaceCheck.objects.filter(pk=old.pk).update(checked_at=timezone.now() - timedelta(days=31))
    assert services.captures_expire(now=timezone.now(), actor=SystemActor("retention")) == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.capture, old.embedding_text) == ("", "") and old.capture_erased_at is not None
    assert old.outcome == Outcome.MATCH and old.distance is not None  # the result stays
    assert recent.capture
    assert Event.objects.filter(code="biometric.capture_erased", subject_id=str(old.pk)).exists()
    assert services.captures_expire(now=timezone.now(), actor=SystemActor("retention")) == 0


def test_erased_cases_lose_their_face_data(world) -> None:
    application = faces.renewal_with_face(world)
    check = run(world, application, faces.same_face_at_counter())
    type(application).objects.filter(pk=application.pk).update(personal_data_erased_at=timezone.now())
    assert services.references_due(application.applicant) == 1
    assert (
        services.face_data_forget_erased(actor=SystemActor("privacy"), applicant=application.applicant) == 2
    )
    check.refresh_from_db()
    assert check.capture == "" and not FaceReference.objects.exists()
