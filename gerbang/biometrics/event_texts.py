"""What the face checks' events mean, in words (see ``gerbang.core.event_text``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gerbang.biometrics.models import Decision, LivenessChallenge, LivenessResult, Outcome
from gerbang.core.event_text import register


def _checked(details: Mapping[str, Any]) -> str:
    outcome = details.get("outcome", "")
    label = Outcome(outcome).label if outcome in Outcome.values else outcome
    distance = details.get("distance")
    if distance is None:
        return _("Face checked at the counter: %(outcome)s.") % {"outcome": label}
    return _(
        "Face checked at the counter: %(outcome)s (distance %(distance).2f, threshold %(threshold).2f)."
    ) % {
        "outcome": label,
        "distance": float(distance),
        "threshold": float(details.get("threshold") or 0),
    }


def _decided(details: Mapping[str, Any]) -> str:
    decision = details.get("decision", "")
    label = Decision(decision).label if decision in Decision.values else decision
    return _("Officer's decision on the face check: %(decision)s.") % {"decision": label}


def _fingerprints(details: Mapping[str, Any]) -> str:
    fingers = details.get("fingers") or {}
    return _("Fingerprints taken at the counter: %(count)d fingers, lowest quality %(lowest)s.") % {
        "count": len(fingers),
        "lowest": details.get("lowest_quality", "—"),
    }


def _liveness(details: Mapping[str, Any]) -> str:
    challenge, result = details.get("challenge", ""), details.get("result", "")
    return _("Liveness challenge at the counter (%(challenge)s): %(result)s.") % {
        "challenge": LivenessChallenge(challenge).label
        if challenge in LivenessChallenge.values
        else challenge,
        "result": LivenessResult(result).label if result in LivenessResult.values else result,
    }


register("biometric.face_checked", gettext_lazy("Face checked at the counter"), _checked)
register("biometric.face_check_decided", gettext_lazy("Decision on a face check"), _decided)
register("biometric.capture_erased", gettext_lazy("Picture of a face check erased"))
register("biometric.counter_viewed", gettext_lazy("Face check page opened (pictures on file)"))
register("biometric.face_check_viewed", gettext_lazy("Face check result opened"))
register("biometric.capture_viewed", gettext_lazy("Picture of a face check opened"))
register("biometric.fingerprints_recorded", gettext_lazy("Fingerprints taken at the counter"), _fingerprints)
register("biometric.liveness_checked", gettext_lazy("Liveness challenge at the counter"), _liveness)
