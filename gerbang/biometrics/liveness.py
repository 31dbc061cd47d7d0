"""Liveness by challenge and response: the officer's camera takes a few frames while the person
turns their head to one side or blinks, as a random challenge asked; the landmarks of each frame
say whether the asked movement happened, by the same face throughout.

Advisory evidence only. It raises the cost of holding up a printed photo or a phone at the
counter; it is **not** a certified presentation-attack detector (ISO/IEC 30107-3): a replayed
video of the person doing the asked movement, a mask, or a good deepfake can pass it. Results
near the limits go to a human: the officer, who sees the person.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np

from gerbang.biometrics import engine

# Frames the page takes (about three seconds), and the fewest usable ones to judge.
FRAMES = 8
MIN_USABLE_FRAMES = 3
# Where the nose tip (landmark 30) lies between the outer eye corners (36 and 45), 0 to 1: about
# 0.5 facing the camera. Looking straight at the start: within 0.38-0.62. A turn counts past 0.66
# (or below 0.34); between 0.60 and 0.66 it is borderline.
FRONTAL = (0.38, 0.62)
TURNED = 0.16
TURN_BORDERLINE = 0.10
# The eye aspect ratio (Soukupová and Čech, 2016): about 0.3 open, below 0.2 closed.
EYES_OPEN = 0.25
EYES_CLOSED = 0.19
BLINK_BORDERLINE = 0.23


class Challenge(StrEnum):
    # The person's own left and right; the camera's picture is not mirrored, so their left is the
    # picture's right.
    TURN_LEFT = "turn_left"
    TURN_RIGHT = "turn_right"
    BLINK = "blink"


class Result(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    BORDERLINE = "borderline"  # to the officer
    NOT_JUDGED = "not_judged"  # too few frames with one usable face


@dataclass(frozen=True)
class Judgement:
    result: Result
    usable: int
    measures: dict[str, Any] = field(default_factory=dict)


def yaw_ratio(landmarks: Sequence[tuple[int, int]]) -> float:
    points = np.asarray(landmarks, dtype=np.float64)
    left, right, nose = points[36], points[45], points[30]
    span = right[0] - left[0]
    return float((nose[0] - left[0]) / span) if span else 0.5


def eye_aspect_ratio(landmarks: Sequence[tuple[int, int]]) -> float:
    points = np.asarray(landmarks, dtype=np.float64)

    def one(eye: np.ndarray[Any, Any]) -> float:
        width = np.linalg.norm(eye[0] - eye[3])
        if not width:
            return 0.0
        return float((np.linalg.norm(eye[1] - eye[5]) + np.linalg.norm(eye[2] - eye[4])) / (2 * width))

    return (one(points[36:42]) + one(points[42:48])) / 2


def _turn(challenge: Challenge, ratios: list[float]) -> tuple[Result, dict[str, Any]]:
    start = ratios[0]
    # Towards the picture's right for the person's left.
    moved = (
        [r - start for r in ratios[1:]]
        if challenge == Challenge.TURN_LEFT
        else [start - r for r in ratios[1:]]
    )
    furthest = max(moved, default=0.0)
    measures = {"start": round(start, 3), "furthest": round(furthest, 3)}
    if not FRONTAL[0] <= start <= FRONTAL[1]:
        return Result.BORDERLINE, measures  # not facing the camera at the start: look yourself
    if furthest >= TURNED:
        return Result.PASSED, measures
    if furthest >= TURN_BORDERLINE:
        return Result.BORDERLINE, measures
    return Result.FAILED, measures


def _blink(ratios: list[float]) -> tuple[Result, dict[str, Any]]:
    opened, closed = max(ratios), min(ratios)
    measures = {"open": round(opened, 3), "closed": round(closed, 3)}
    if opened < EYES_OPEN:
        return Result.BORDERLINE, measures  # eyes never clearly open: glasses, light; look yourself
    if closed <= EYES_CLOSED:
        return Result.PASSED, measures
    if closed <= BLINK_BORDERLINE:
        return Result.BORDERLINE, measures
    return Result.FAILED, measures


def judge(
    challenge: Challenge, readings: Sequence[engine.FaceReading], *, same_face_within: float
) -> Judgement:
    """Whether the frames show the asked movement, by one face throughout."""
    usable = [r for r in readings if r.usable and r.embedding is not None and len(r.landmarks) == 68]
    if len(usable) < MIN_USABLE_FRAMES:
        return Judgement(Result.NOT_JUDGED, len(usable))
    embeddings = [r.embedding for r in usable if r.embedding is not None]
    drift = max(engine.distance(embeddings[0], other) for other in embeddings[1:])
    if drift > same_face_within:
        return Judgement(Result.FAILED, len(usable), {"face_changed": round(drift, 3)})
    if challenge == Challenge.BLINK:
        result, measures = _blink([eye_aspect_ratio(r.landmarks) for r in usable])
    else:
        result, measures = _turn(challenge, [yaw_ratio(r.landmarks) for r in usable])
    return Judgement(result, len(usable), {**measures, "drift": round(drift, 3)})


def new_challenge() -> Challenge:
    """A challenge nobody can know before it is asked."""
    return secrets.choice(list(Challenge))
