"""Face checks at the counter and the reference pictures they compare with.

Biometric data is personal data of the highest class (UU PDP Pasal 4(2)b, "data biometrik"): the
live picture and every embedding are encrypted at rest (``EncryptedTextField``), kept only for
``BIOMETRIC_RETENTION_DAYS`` (the live picture and its embedding) or as long as the case's
personal data (the references' embeddings), and every staff read of them is an event. What a
check found (its outcome, the distance, the threshold, the officer's decision) holds no
biometric data and stays as the record of the check.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gerbang.biometrics.thresholds import BORDERLINE_MARGIN
from gerbang.core.fields import EncryptedTextField


class Outcome(models.TextChoices):
    MATCH = "match", _("Match")
    NO_MATCH = "no_match", _("No match")
    NO_FACE = "no_face", _("No face found")
    SEVERAL_FACES = "several_faces", _("Several faces")
    POOR = "poor", _("Too poor to judge")


class Decision(models.TextChoices):
    CONFIRMED = "confirmed", _("Same person: identity confirmed")
    NOT_CONFIRMED = "not_confirmed", _("Not confirmed: another person, or I cannot tell")


class Source(models.TextChoices):
    CAMERA = "camera", _("Camera at the counter")
    FILE = "file", _("Picture file")


class ReferenceRole(models.TextChoices):
    PHOTO = "photo", _("Application photo")
    PREVIOUS_PASSPORT = "previous_passport", _("Previous passport")


def _embedding_text(embedding: tuple[float, ...] | list[float] | None) -> str:
    return json.dumps([round(value, 6) for value in embedding]) if embedding else ""


def _embedding_of(text: str) -> tuple[float, ...] | None:
    return tuple(json.loads(text)) if text else None


class _Embedded:
    """A row that keeps one embedding, encrypted, as JSON in ``embedding_text``."""

    embedding_text: str

    @property
    def embedding(self) -> tuple[float, ...] | None:
        return _embedding_of(self.embedding_text)

    def set_embedding(self, embedding: tuple[float, ...] | None) -> None:
        self.embedding_text = _embedding_text(embedding)


class FaceReference(_Embedded, models.Model):
    """A reference picture of a case (its photo, or the previous passport's scan), read once:
    what reading it found, and its embedding when it shows one usable face."""

    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="face_references"
    )
    document = models.OneToOneField(
        "applications.Document", on_delete=models.CASCADE, related_name="face_reference"
    )
    role = models.CharField(max_length=20, choices=ReferenceRole.choices)
    # engine.Finding: "face" when usable, else why not.
    finding = models.CharField(max_length=20)
    embedding_text = EncryptedTextField(blank=True)
    model = models.CharField(max_length=40)
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["application", "role"])]

    def __str__(self) -> str:
        return f"face reference {self.pk} ({self.role}, {self.finding})"


class FaceCheck(_Embedded, models.Model):
    """One comparison at the counter: the live picture against the case's references."""

    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="face_checks"
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    checked_at = models.DateTimeField(default=timezone.now)
    source = models.CharField(max_length=10, choices=Source.choices)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    # engine.Finding of the live picture.
    finding = models.CharField(max_length=20)
    # The largest distance to a usable reference (every one must match), when there was one.
    distance = models.FloatField(null=True, blank=True)
    threshold = models.FloatField()
    # Each reference compared: {"reference": id, "role": ..., "finding": ..., "distance": ..., "match": bool}.
    comparisons = models.JSONField(default=list, blank=True)
    # The live picture (JPEG, base64) and its embedding; emptied when their retention ends.
    capture = EncryptedTextField(blank=True)
    embedding_text = EncryptedTextField(blank=True)
    capture_erased_at = models.DateTimeField(null=True, blank=True)
    decision = models.CharField(max_length=20, choices=Decision.choices, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-checked_at", "-id"]
        indexes = [
            models.Index(fields=["application", "-checked_at"]),
            models.Index(fields=["capture_erased_at", "checked_at"]),
        ]

    def __str__(self) -> str:
        return f"face check {self.pk} ({self.outcome})"

    @property
    def is_borderline(self) -> bool:
        """A distance so near the threshold that the picture alone says little either way."""
        return self.distance is not None and abs(self.distance - self.threshold) <= BORDERLINE_MARGIN

    def comparison_rows(self) -> list[dict[str, Any]]:
        return list(self.comparisons or [])


class Finger(models.TextChoices):
    """Finger positions as ISO/IEC 19794-4 and ANSI/NIST-ITL number them (1-10)."""

    RIGHT_THUMB = "1", _("Right thumb")
    RIGHT_INDEX = "2", _("Right index finger")
    RIGHT_MIDDLE = "3", _("Right middle finger")
    RIGHT_RING = "4", _("Right ring finger")
    RIGHT_LITTLE = "5", _("Right little finger")
    LEFT_THUMB = "6", _("Left thumb")
    LEFT_INDEX = "7", _("Left index finger")
    LEFT_MIDDLE = "8", _("Left middle finger")
    LEFT_RING = "9", _("Left ring finger")
    LEFT_LITTLE = "10", _("Left little finger")


class FingerprintCapture(models.Model):
    """Fingerprints taken at the counter by the scanner's own software, which keeps the
    templates: Gerbang records that they were taken, which fingers, their quality (the NFIQ 2
    score the software reports, 0-100) and the reference of the record held by that system. No
    template, no image and no matching here."""

    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="fingerprint_captures"
    )
    captured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    captured_at = models.DateTimeField(default=timezone.now)
    # The capture system (its name as the office knows it) and its own reference of the record.
    system = models.CharField(max_length=100)
    reference = EncryptedTextField(blank=True)  # emptied with the case's personal data
    # {finger position: quality 0-100} of the fingers captured.
    fingers = models.JSONField(default=dict)

    class Meta:
        ordering = ["-captured_at", "-id"]

    def __str__(self) -> str:
        return f"fingerprints {self.pk} ({len(self.fingers)} fingers)"

    def finger_rows(self) -> list[tuple[str, int]]:
        labels = dict(Finger.choices)
        return [
            (str(labels.get(key, key)), int(quality))
            for key, quality in sorted(self.fingers.items(), key=lambda kv: int(kv[0]))
        ]


class LivenessResult(models.TextChoices):
    PASSED = "passed", _("The asked movement was seen")
    FAILED = "failed", _("The asked movement was not seen")
    BORDERLINE = "borderline", _("Unclear: look at the person yourself")
    NOT_JUDGED = "not_judged", _("Too few frames with one usable face")


class LivenessChallenge(models.TextChoices):
    TURN_LEFT = "turn_left", _("Turn the head to the person's left")
    TURN_RIGHT = "turn_right", _("Turn the head to the person's right")
    BLINK = "blink", _("Blink")


class LivenessCheck(models.Model):
    """A challenge and its response at the counter: advisory evidence that a live person stood
    before the camera (``liveness``). No frame is kept, only what was measured."""

    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="liveness_checks"
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    checked_at = models.DateTimeField(default=timezone.now)
    challenge = models.CharField(max_length=20, choices=LivenessChallenge.choices)
    result = models.CharField(max_length=20, choices=LivenessResult.choices)
    frames = models.PositiveSmallIntegerField()
    usable = models.PositiveSmallIntegerField()
    measures = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-checked_at", "-id"]

    def __str__(self) -> str:
        return f"liveness {self.pk} ({self.challenge}: {self.result})"
