"""The face check at the counter: the page with the camera (and a file for when there is none),
the result of a check with the officer's decision, and the live picture. Thin: each reads
through the selectors and writes through one service; every page that shows biometric data
records the read."""

from __future__ import annotations

import time

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from gerbang.accounts.http import AuthenticatedRequest
from gerbang.applications.models import Application
from gerbang.biometrics import engine, liveness, pictures, selectors, services, texts
from gerbang.biometrics.forms import FaceCaptureForm, FaceDecisionForm, FingerprintForm
from gerbang.biometrics.models import FaceCheck, LivenessChallenge, Source
from gerbang.core.exceptions import ApplicationError, ValidationError
from gerbang.core.forms import refusal_of
from gerbang.core.http import allow_features

CAPTURE_ANCHOR = "face-capture"
LIVENESS_ANCHOR = "liveness"
# The challenge asked, in the officer's session: answered once, within this many seconds.
LIVENESS_SESSION_KEY = "biometrics_liveness"
LIVENESS_SECONDS = 300
FINGERPRINT_ANCHOR = "fingerprints"
DECISION_ANCHOR = "face-decision"


def _case(request: AuthenticatedRequest, pk: int) -> Application:
    application = selectors.case_for_verifier(request.user, pk)
    if application is None:
        raise Http404
    return application


def _check(application: Application, check_pk: int) -> FaceCheck:
    check = selectors.check_of(application, check_pk)
    if check is None:
        raise Http404
    return check


def _counter_page(
    request: AuthenticatedRequest,
    application: Application,
    form: FaceCaptureForm | None = None,
    *,
    status: int = 200,
    error: ApplicationError | None = None,
    fingerprint_form: FingerprintForm | None = None,
    liveness_error: ApplicationError | None = None,
) -> HttpResponse:
    refusal = None
    if form is not None and (error or form.errors):
        refusal = refusal_of(CAPTURE_ANCHOR, form=form, exc=error)
    elif fingerprint_form is not None and (error or fingerprint_form.errors):
        refusal = refusal_of(FINGERPRINT_ANCHOR, form=fingerprint_form, exc=error)
    elif liveness_error is not None:
        refusal = refusal_of(LIVENESS_ANCHOR, exc=liveness_error)
    return render(
        request,
        "biometrics/counter.html",
        {
            "application": application,
            "form": form or FaceCaptureForm(initial={"source": Source.FILE}),
            "fingerprint_form": fingerprint_form or FingerprintForm(),
            "fingerprint_captures": selectors.fingerprints_of(application),
            "fingerprint_anchor": FINGERPRINT_ANCHOR,
            "liveness_anchor": LIVENESS_ANCHOR,
            "liveness_checks": selectors.liveness_of(application)[:20],
            "liveness_challenge": _pending_challenge(request, application),
            "liveness_frames": liveness.FRAMES,
            "references": selectors.references_of(application),
            "checks": selectors.checks_of(application)[:20],
            "at_counter": selectors.at_counter(application),
            "available": engine.available(),
            "refusal": refusal,
            "problems": refusal.problems if refusal else (),
            "anchor": CAPTURE_ANCHOR,
        },
        status=status,
    )


@never_cache
@allow_features("camera")
def face_counter(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The counter page (the only page allowed the camera). GET shows the case's references and
    its checks; POST compares the picture taken and opens its result."""
    application = _case(request, pk)
    if request.method != "POST":
        services.biometrics_read_record(
            application=application, subject=application, what="counter", actor=request.user
        )
        return _counter_page(request, application)
    form = FaceCaptureForm(request.POST, request.FILES)
    if not form.is_valid():
        return _counter_page(request, application, form, status=400)
    try:
        check = services.face_check_run(
            application=application,
            picture=form.cleaned_data["picture"],
            source=form.cleaned_data["source"],
            actor=request.user,
        )
    except ApplicationError as error:
        return _counter_page(request, application, form, status=error.status_code, error=error)
    return redirect(reverse("backoffice:biometrics_face_check", args=[application.pk, check.pk]) + "#top")


def _check_page(
    request: AuthenticatedRequest,
    application: Application,
    check: FaceCheck,
    form: FaceDecisionForm | None = None,
    *,
    status: int = 200,
    error: ApplicationError | None = None,
) -> HttpResponse:
    refusal = None
    if form is not None and (error or form.errors):
        refusal = refusal_of(DECISION_ANCHOR, form=form, exc=error)
    return render(
        request,
        "biometrics/check.html",
        {
            "application": application,
            "check": check,
            "form": form or FaceDecisionForm(),
            "comparisons": selectors.comparisons_of(check),
            "finding_label": texts.finding_label(check.finding),
            "advice": texts.OUTCOME_ADVICE.get(check.outcome, ""),
            "refusal": refusal,
            "problems": refusal.problems if refusal else (),
            "anchor": DECISION_ANCHOR,
        },
        status=status,
    )


@never_cache
def face_check(request: AuthenticatedRequest, pk: int, check_pk: int) -> HttpResponse:
    application = _case(request, pk)
    check = _check(application, check_pk)
    services.biometrics_read_record(
        application=application, subject=check, what="face_check", actor=request.user
    )
    return _check_page(request, application, check)


@require_POST
def face_check_decide(request: AuthenticatedRequest, pk: int, check_pk: int) -> HttpResponse:
    application = _case(request, pk)
    check = _check(application, check_pk)
    form = FaceDecisionForm(request.POST)
    if not form.is_valid():
        return _check_page(request, application, check, form, status=400)
    try:
        services.face_check_decide(
            check=check,
            decision=form.cleaned_data["decision"],
            note=form.cleaned_data["note"],
            actor=request.user,
        )
    except ApplicationError as error:
        fresh = _check(application, check_pk)
        return _check_page(request, application, fresh, form, status=error.status_code, error=error)
    messages.success(
        request,
        _("Your decision is recorded. Finish the interview on the case page when the biometrics are done."),
    )
    return redirect(reverse("backoffice:biometrics_face_check", args=[application.pk, check.pk]) + "#top")


@never_cache
def face_check_capture(request: AuthenticatedRequest, pk: int, check_pk: int) -> HttpResponse:
    """The live picture of a check (until its retention ends), never cached, never a link."""
    application = _case(request, pk)
    check = _check(application, check_pk)
    if not check.capture:
        raise Http404
    services.biometrics_read_record(
        application=application, subject=check, what="capture", actor=request.user
    )
    response = HttpResponse(pictures.capture_bytes(check.capture), content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_POST
def fingerprints_record(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """What the scanner's software reported, typed or pasted by the officer."""
    application = _case(request, pk)
    form = FingerprintForm(request.POST)
    if not form.is_valid():
        return _counter_page(request, application, status=400, fingerprint_form=form)
    try:
        services.fingerprints_record(
            application=application,
            system=form.cleaned_data["system"],
            reference=form.cleaned_data["reference"],
            fingers=form.fingers(),
            actor=request.user,
        )
    except ApplicationError as error:
        return _counter_page(
            request, application, status=error.status_code, error=error, fingerprint_form=form
        )
    messages.success(request, _("The fingerprint capture is recorded."))
    return redirect(reverse("backoffice:biometrics_face", args=[application.pk]) + f"#{FINGERPRINT_ANCHOR}")


def _pending_challenge(request: AuthenticatedRequest, application: Application) -> LivenessChallenge | None:
    asked = request.session.get(LIVENESS_SESSION_KEY) or {}
    if (
        asked.get("application") != application.pk
        or time.time() - float(asked.get("at", 0)) > LIVENESS_SECONDS
    ):
        return None
    challenge = asked.get("challenge")
    return LivenessChallenge(challenge) if challenge in LivenessChallenge.values else None


@require_POST
def liveness_challenge(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Ask a new challenge, at random, for this case; the counter page shows it."""
    application = _case(request, pk)
    request.session[LIVENESS_SESSION_KEY] = {
        "application": application.pk,
        "challenge": str(liveness.new_challenge()),
        "at": time.time(),
    }
    return redirect(reverse("backoffice:biometrics_face", args=[application.pk]) + f"#{LIVENESS_ANCHOR}")


@require_POST
def liveness_answer(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The frames taken while the person answered the challenge asked."""
    application = _case(request, pk)
    challenge = _pending_challenge(request, application)
    try:
        if challenge is None:
            raise ValidationError(
                _("Start a new challenge: this one is unknown or was already answered."), field="frames"
            )
        check = services.liveness_check_run(
            application=application,
            challenge=challenge,
            frames=list(request.FILES.getlist("frames")),
            actor=request.user,
        )
    except ApplicationError as error:
        return _counter_page(request, application, status=error.status_code, liveness_error=error)
    request.session.pop(LIVENESS_SESSION_KEY, None)
    messages.success(request, _("Liveness challenge: %(result)s.") % {"result": check.get_result_display()})
    return redirect(reverse("backoffice:biometrics_face", args=[application.pk]) + f"#{LIVENESS_ANCHOR}")
