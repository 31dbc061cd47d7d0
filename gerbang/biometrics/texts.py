"""The face check's words: what reading a picture found, and what each outcome asks of the officer."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from gerbang.biometrics.engine import Finding
from gerbang.biometrics.models import Outcome

FINDING_LABELS: dict[str, Promise] = {
    Finding.FACE: _("One usable face"),
    Finding.NO_FACE: _("No face found"),
    Finding.SEVERAL_FACES: _("Several faces"),
    Finding.TOO_SMALL: _("The face is too small: come closer, or use a larger picture"),
    Finding.TOO_DARK: _("Too dark: put more light on the face"),
    Finding.TOO_BRIGHT: _("Too bright: avoid direct light and windows behind the person"),
    Finding.BLURRED: _("Blurred: hold the camera still and let it focus"),
}

OUTCOME_ADVICE: dict[str, Promise] = {
    Outcome.MATCH: _(
        "The faces are alike: the distance is at or below the threshold. Look at the pictures "
        "yourself before you decide."
    ),
    Outcome.NO_MATCH: _(
        "The faces are not alike enough: the distance is above the threshold. It may be another "
        "person, or a very different picture (years apart, glasses, light). Look, ask, take another "
        "picture if in doubt, and decide."
    ),
    Outcome.NO_FACE: _("No face was found in the picture. Take it again with the face to the camera."),
    Outcome.SEVERAL_FACES: _(
        "More than one face is in the picture. Make sure only the applicant is in view and take it again."
    ),
    Outcome.POOR: _(
        "A picture is too poor to judge: see below what to improve (the picture taken, or the "
        "picture on file), and take it again, or compare the faces yourself."
    ),
}


def finding_label(finding: str) -> str:
    label = FINDING_LABELS.get(finding)
    return str(label) if label is not None else finding
