"""Liveness by challenge and response: the measures on landmarks, a blink seen in real frames,
and the counter page's challenge, asked at random and answered once."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gerbang.biometrics import engine, liveness, services
from gerbang.biometrics.liveness import Challenge, Result
from gerbang.biometrics.models import LivenessCheck
from gerbang.biometrics.tests import factories as faces
from gerbang.biometrics.tests.test_views import officer_client
from gerbang.biometrics.thresholds import FACE_THRESHOLD
from gerbang.core.exceptions import ValidationError
from gerbang.core.models import Event


@pytest.fixture(scope="module")
def frontal() -> engine.FaceReading:
    return engine.read_face(faces.sample_face())


def turned(reading: engine.FaceReading, shift: float) -> engine.FaceReading:
    """The same reading with the nose tip moved sideways by ``shift`` of the eyes' span."""
    points = list(reading.landmarks)
    span = points[45][0] - points[36][0]
    x, y = points[30]
    points[30] = (round(x + shift * span), y)
    return engine.FaceReading(
        reading.finding,
        1,
        reading.box,
        reading.embedding,
        tuple(points),
        reading.brightness,
        reading.sharpness,
    )


def judge(challenge: Challenge, readings: list[engine.FaceReading]) -> liveness.Judgement:
    return liveness.judge(challenge, readings, same_face_within=FACE_THRESHOLD)


def test_a_head_turn_to_the_asked_side(frontal) -> None:
    assert 0.45 < liveness.yaw_ratio(frontal.landmarks) < 0.55
    # The person's left is the picture's right: the nose moves towards the picture's right.
    to_their_left = [frontal, turned(frontal, 0.1), turned(frontal, 0.22), frontal]
    assert judge(Challenge.TURN_LEFT, to_their_left).result == Result.PASSED
    assert judge(Challenge.TURN_RIGHT, to_their_left).result == Result.FAILED
    to_their_right = [frontal, turned(frontal, -0.2), turned(frontal, -0.05)]
    assert judge(Challenge.TURN_RIGHT, to_their_right).result == Result.PASSED
    a_little = [frontal, turned(frontal, 0.05), turned(frontal, 0.12)]
    assert judge(Challenge.TURN_LEFT, a_little).result == Result.BORDERLINE
    assert judge(Challenge.TURN_LEFT, [frontal, frontal, frontal]).result == Result.FAILED


def test_too_few_frames_or_another_face_are_not_a_pass(frontal) -> None:
    assert judge(Challenge.TURN_LEFT, [frontal, turned(frontal, 0.3)]).result == Result.NOT_JUDGED
    stranger = engine.read_face(engine.prepared_image(faces.other_face()))
    swapped = judge(Challenge.TURN_LEFT, [frontal, turned(frontal, 0.3), stranger])
    assert swapped.result == Result.FAILED and "face_changed" in swapped.measures


def test_a_blink_in_real_frames(frontal) -> None:
    readings = [engine.read_face(engine.prepared_image(frame)) for frame in faces.blinking_frames()]
    assert liveness.eye_aspect_ratio(frontal.landmarks) > liveness.EYES_OPEN
    judgement = judge(Challenge.BLINK, readings)
    assert judgement.result == Result.PASSED, judgement.measures
    open_only = [frontal, frontal, frontal]
    assert judge(Challenge.BLINK, open_only).result == Result.FAILED


@pytest.mark.django_db
def test_the_service_records_the_result_and_keeps_no_frame(world) -> None:
    application = faces.renewal_with_face(world)
    frames = [io.BytesIO(frame) for frame in faces.blinking_frames()]
    check = services.liveness_check_run(
        application=application, challenge="blink", frames=frames, actor=world.officer
    )
    assert (check.result, check.frames, check.usable) == ("passed", 4, 4)
    event = Event.objects.get(code="biometric.liveness_checked")
    assert event.details["result"] == "passed" and event.details["challenge"] == "blink"
    assert not any(field.name in {"frames_data", "capture"} for field in LivenessCheck._meta.fields)
    with pytest.raises(ValidationError):
        services.liveness_check_run(
            application=application, challenge="blink", frames=[], actor=world.officer
        )


@pytest.mark.django_db
def test_the_page_asks_a_challenge_and_takes_one_answer(world, monkeypatch) -> None:
    application = faces.renewal_with_face(world)
    client = officer_client(world.officer)
    answer = reverse("backoffice:biometrics_liveness", args=[application.pk])
    frames = [SimpleUploadedFile(f"f{i}.jpg", data) for i, data in enumerate(faces.blinking_frames())]
    unasked = client.post(answer, {"frames": frames})
    assert unasked.status_code == 400
    assert "Start a new challenge" in unasked.content.decode()
    monkeypatch.setattr(liveness, "new_challenge", lambda: Challenge.BLINK)
    asked = client.post(reverse("backoffice:biometrics_liveness_challenge", args=[application.pk]))
    assert asked.status_code == 302
    page = client.get(asked["Location"].split("#")[0])
    assert "blink once, slowly" in page.content.decode()
    frames = [SimpleUploadedFile(f"f{i}.jpg", data) for i, data in enumerate(faces.blinking_frames())]
    answered = client.post(answer, {"frames": frames})
    assert answered.status_code == 302
    assert LivenessCheck.objects.get().result == "passed"
    again = client.post(answer, {"frames": [SimpleUploadedFile("f.jpg", faces.same_face_at_counter())]})
    assert again.status_code == 400  # one answer per challenge
