"""One face in two people's applications: the photos' faces are indexed when the worker scans a
case for risks, and a flag names both cases (``analytics.risk.rules.same_face``)."""

from __future__ import annotations

import io

import pytest
from django.utils import translation

from gerbang.accounts.tests.factories import UserFactory
from gerbang.analytics.models import RiskKind
from gerbang.analytics.risk import texts
from gerbang.analytics.tests.risk_factories import codes, scan, unique_pdf
from gerbang.applications import services as cases
from gerbang.applications.slots import document_slots
from gerbang.applications.tests import factories as f
from gerbang.biometrics import index, selectors
from gerbang.biometrics.models import FaceReference
from gerbang.biometrics.tests import factories as faces

pytestmark = pytest.mark.django_db

MARIA = f.foreigner_answers(
    full_name="Maria Svensson",
    date_of_birth="01/02/1980",
    passport_number="X1234567",
    mrz=f.mrz_lines(
        surname="SVENSSON",
        given="MARIA",
        number="X1234567",
        nationality="SWE",
        born="800201",
        sex="F",
        expiry="300115",
    ),
)


def submitted_with_photo(world, answers, photo: bytes, *, variant: int):
    person = UserFactory.create()
    application = f.draft(world, "visa-kunjungan", answers=answers, applicant=person)
    for position, slot in enumerate(document_slots(application)):
        data = photo if slot.images_only else unique_pdf(variant * 10 + position)
        cases.document_upload(
            application=application, slot=slot.key, upload=io.BytesIO(data), file_name="scan", actor=person
        )
    return cases.application_submit(application=application, declaration=True, actor=person)


def test_another_picture_of_the_same_face_in_another_persons_application_is_flagged(world) -> None:
    first = submitted_with_photo(world, f.foreigner_answers(), faces.jpeg(faces.sample_face()), variant=1)
    assert scan(first) == {}
    # Another picture of the same face (turned, brighter): not the same picture, so only the
    # face can tell.
    second = submitted_with_photo(world, MARIA, faces.same_face_at_counter(), variant=2)
    flags = scan(second)
    assert RiskKind.SAME_IMAGE not in flags
    flag = flags[RiskKind.SAME_FACE]
    assert codes(flag) == ["face.same"]
    assert flag.reasons[0]["cases"] == [first.pk]
    with translation.override("en"):
        sentence = texts.describe(flag.reasons[0])
    assert "The face in the photo is the face in 1 application about another person" in sentence
    assert FaceReference.objects.filter(role="photo").count() == 2
    ((other, distance),) = selectors.same_face_cases(first)
    assert other == second.pk
    assert distance == pytest.approx(selectors.same_face_cases(second)[0][1], abs=1e-4)


def test_different_faces_and_the_same_person_again_are_not_flagged(world) -> None:
    first = submitted_with_photo(world, f.foreigner_answers(), faces.jpeg(faces.sample_face()), variant=1)
    scan(first)
    stranger = submitted_with_photo(world, MARIA, faces.other_face(), variant=2)
    assert RiskKind.SAME_FACE not in scan(stranger)
    again = submitted_with_photo(world, f.foreigner_answers(), faces.same_face_at_counter(), variant=3)
    assert RiskKind.SAME_FACE not in scan(again)  # the same identity applying again


def test_the_index_forgets_rows_it_no_longer_finds(world) -> None:
    first = submitted_with_photo(world, f.foreigner_answers(), faces.jpeg(faces.sample_face()), variant=1)
    scan(first)
    second = submitted_with_photo(world, MARIA, faces.same_face_at_counter(), variant=2)
    scan(second)
    assert [case for case, _gap in selectors.same_face_cases(second)] == [first.pk]
    FaceReference.objects.filter(application=first).delete()  # erased with the case's personal data
    assert selectors.same_face_cases(second) == []
    index.reset()
    assert selectors.same_face_cases(second) == []


def test_without_the_extra_no_face_is_compared(world, without_dlib) -> None:
    first = submitted_with_photo(world, f.foreigner_answers(), faces.jpeg(faces.sample_face()), variant=1)
    assert RiskKind.SAME_FACE not in scan(first)
    assert not FaceReference.objects.exists()
