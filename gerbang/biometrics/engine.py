"""Faces in pictures: found, judged good enough or not, and turned into 128 numbers (an
embedding) whose Euclidean distance says how alike two faces are.

dlib's models do the work: the HOG face detector, the 68-point landmark model and the ResNet
embedding model, whose weights ship inside the ``face_recognition_models`` package and are loaded
by path (nothing is downloaded). They are an optional extra (``requirements-biometrics.txt``):
dlib is imported only when a face is first read, so pages and processes that read none never
pay for it, and where it is missing ``available()`` says so and nothing pretends to compare.

The work is CPU-bound (about a tenth of a second per picture on these machines; loading the
models, once per process, about a second) and dlib's objects are not promised to be safe across
threads, so one process reads one face at a time.
"""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Any

import numpy as np
from PIL import Image

# Pictures are read at most this large (longer side): enough for a face filling a tenth of the
# width to be well above the detector's 80-pixel window, and fast.
READ_SIDE = 1024
# Below this (longer side) the detector looks at the picture twice as large, to find smaller faces.
UPSAMPLE_BELOW = 800
# A face narrower than this (pixels, in the picture as read) is too small to judge.
MIN_FACE_PIXELS = 80
# The face's mean grey level (0-255) outside these bounds: too dark or too bright to judge.
MIN_BRIGHTNESS = 40.0
MAX_BRIGHTNESS = 225.0
# Sharpness: the variance of the Laplacian of the face, averaged down to 64 x 64 grey pixels (which
# evens out sensor and JPEG noise), as a share of the variance of its grey levels, in per cent (so
# that light and contrast do not change it). A sharp face scores about 40, a Gaussian blur of 2
# pixels about 6, of 3 pixels about 2.6, of 4 about 1.4 (bench/face.py shows what it refuses).
JUDGED_SIDE = 64
MIN_SHARPNESS = 3.0
# A second face counts when the detector is this sure of it (its score; the applicant's own face
# needs only dlib's default, 0): faint shapes in a background (a badge, a pattern on a shirt)
# score below 0.2 and must not turn a good picture into "several faces".
SECOND_FACE_SCORE = 0.3


class EngineUnavailable(Exception):
    """dlib or the models' package is not installed (or cannot be loaded)."""


class Finding(StrEnum):
    """What reading a picture found."""

    FACE = "face"
    NO_FACE = "no_face"
    SEVERAL_FACES = "several_faces"
    TOO_SMALL = "too_small"
    TOO_DARK = "too_dark"
    TOO_BRIGHT = "too_bright"
    BLURRED = "blurred"


@dataclass(frozen=True)
class FaceReading:
    finding: Finding
    faces: int
    # The face's box in the picture as read (left, top, right, bottom), when one was judged.
    box: tuple[int, int, int, int] | None = None
    embedding: tuple[float, ...] | None = None
    # The 68 landmarks as (x, y) pairs, for the liveness checks.
    landmarks: tuple[tuple[int, int], ...] = ()
    brightness: float | None = None
    sharpness: float | None = None

    @property
    def usable(self) -> bool:
        return self.finding is Finding.FACE and self.embedding is not None


@dataclass(frozen=True)
class _Models:
    detector: Any
    landmarks: Any
    embedder: Any
    dlib: Any


_lock = threading.Lock()


def _import() -> tuple[Any, Any]:
    try:
        # An optional extra, imported when first needed.
        import dlib
        import face_recognition_models
    except ImportError as error:
        raise EngineUnavailable(str(error)) from error
    return dlib, face_recognition_models


@cache
def _models() -> _Models:
    dlib, weights = _import()
    try:
        return _Models(
            detector=dlib.get_frontal_face_detector(),
            landmarks=dlib.shape_predictor(weights.pose_predictor_model_location()),
            embedder=dlib.face_recognition_model_v1(weights.face_recognition_model_location()),
            dlib=dlib,
        )
    except RuntimeError as error:  # a weights file missing or damaged
        raise EngineUnavailable(str(error)) from error


def available() -> bool:
    """Whether faces can be read here (the extra is installed); loads nothing heavy."""
    try:
        _import()
    except EngineUnavailable:
        return False
    return True


def model_name() -> str:
    return "dlib-resnet-v1"


def prepared(image: Image.Image) -> np.ndarray[Any, Any]:
    """The picture as the models read it: RGB, at most ``READ_SIDE`` pixels on its longer side."""
    picture = image.convert("RGB")
    if max(picture.size) > READ_SIDE:
        picture = picture.copy()
        picture.thumbnail((READ_SIDE, READ_SIDE), Image.Resampling.LANCZOS)
    return np.asarray(picture, dtype=np.uint8)


def _grey_face(pixels: np.ndarray[Any, Any], box: tuple[int, int, int, int]) -> np.ndarray[Any, Any]:
    left, top, right, bottom = box
    crop = Image.fromarray(pixels[top:bottom, left:right]).convert("L")
    crop = crop.resize((JUDGED_SIDE, JUDGED_SIDE), Image.Resampling.BOX)
    return np.asarray(crop, dtype=np.float64)


def sharpness_of(grey: np.ndarray[Any, Any]) -> float:
    """The variance of the 4-neighbour Laplacian over the variance of the grey levels (per cent):
    low when the face is blurred, whatever its light and contrast."""
    laplacian = 4 * grey[1:-1, 1:-1] - grey[:-2, 1:-1] - grey[2:, 1:-1] - grey[1:-1, :-2] - grey[1:-1, 2:]
    spread = float(grey.var())
    return float(laplacian.var()) / spread * 100 if spread > 0 else 0.0


def read_face(image: Image.Image) -> FaceReading:
    """Find the face in a picture, judge it, and when it is good enough, its embedding.

    Raises ``EngineUnavailable`` when the extra is not installed."""
    models = _models()
    pixels = prepared(image)
    height, width = pixels.shape[:2]
    upsample = 1 if max(width, height) < UPSAMPLE_BELOW else 0
    with _lock:
        rects, scores, _kinds = models.detector.run(pixels, upsample, 0.0)
    found = sorted(zip(rects, scores, strict=True), key=lambda pair: pair[0].area(), reverse=True)
    if not found:
        return FaceReading(Finding.NO_FACE, 0)
    faces = 1 + sum(1 for _rect, score in found[1:] if score >= SECOND_FACE_SCORE)
    rect = found[0][0]
    box = (max(0, rect.left()), max(0, rect.top()), min(width, rect.right()), min(height, rect.bottom()))
    if faces > 1:
        return FaceReading(Finding.SEVERAL_FACES, faces, box)
    if box[2] - box[0] < MIN_FACE_PIXELS or box[3] - box[1] < MIN_FACE_PIXELS:
        return FaceReading(Finding.TOO_SMALL, 1, box)
    grey = _grey_face(pixels, box)
    brightness, sharpness = float(grey.mean()), sharpness_of(grey)
    brightness, sharpness = round(brightness, 1), round(sharpness, 2)
    for finding, failed in (
        (Finding.TOO_DARK, brightness < MIN_BRIGHTNESS),
        (Finding.TOO_BRIGHT, brightness > MAX_BRIGHTNESS),
        (Finding.BLURRED, sharpness < MIN_SHARPNESS),
    ):
        if failed:
            return FaceReading(finding, 1, box, brightness=brightness, sharpness=sharpness)
    with _lock:
        shape = models.landmarks(pixels, rect)
        descriptor = models.embedder.compute_face_descriptor(pixels, shape)
    return FaceReading(
        Finding.FACE,
        1,
        box,
        embedding=tuple(float(value) for value in descriptor),
        landmarks=tuple((point.x, point.y) for point in shape.parts()),
        brightness=brightness,
        sharpness=sharpness,
    )


def prepared_image(data: bytes) -> Image.Image:
    """A picture's bytes, decoded (tests and benchmarks; pages go through ``pictures``)."""
    with Image.open(io.BytesIO(data)) as image:
        return image.convert("RGB")


def distance(first: tuple[float, ...] | list[float], second: tuple[float, ...] | list[float]) -> float:
    """The Euclidean distance between two embeddings: 0 for the same picture; dlib's model puts
    pictures of one person mostly below 0.6 and of two people mostly above."""
    return float(np.linalg.norm(np.asarray(first, dtype=np.float64) - np.asarray(second, dtype=np.float64)))
