"""A person's own data-protection page (``/account/data/``) and the public privacy notice."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from gerbang.accounts.forms import PasswordConfirmForm
from gerbang.accounts.http import AuthenticatedRequest
from gerbang.core import formatting
from gerbang.core.exceptions import ApplicationError
from gerbang.core.forms import add_service_error
from gerbang.privacy import exports, forms, selectors, services
from gerbang.privacy.models import Kind

ERASED_KEY = "privacy_erased"

FORMATS = {
    "zip": ("application/zip", "zip", exports.as_zip),
    "json": ("application/json", "json", exports.as_json),
    "pdf": ("application/pdf", "pdf", exports.as_pdf),
}


def _home(
    request: AuthenticatedRequest, *, correction: forms.CorrectionForm | None = None, status: int = 200
) -> HttpResponse:
    user = request.user
    return render(
        request,
        "privacy/home.html",
        {
            "correction_form": correction or forms.CorrectionForm(),
            "consent_lines": selectors.consents_of(user),
            "requests": list(selectors.requests_of(user).exclude(kind=Kind.ACCESS)[:50]),
            "copies": selectors.copies_of(user),
            "now": timezone.now(),
        },
        status=status,
    )


@login_required
@never_cache
def home(request: AuthenticatedRequest) -> HttpResponse:
    return _home(request)


@login_required
@require_POST
def download(request: AuthenticatedRequest) -> HttpResponse:
    """The copy, in the format the page's buttons ask for (a ZIP with everything, PDF or JSON)."""
    chosen = FORMATS.get(request.POST.get("format", ""))
    if chosen is None:  # not one of the page's buttons: nothing is made, the page says so
        messages.error(request, _("Choose one of the download buttons: everything (ZIP), PDF or JSON."))
        return _home(request, status=400)
    content_type, extension, build = chosen
    copy = services.copy_give(subject=request.user, actor=request.user)
    response = HttpResponse(build(copy, request.user), content_type=content_type)
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="gerbang-data-{stamp}.{extension}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def correction(request: AuthenticatedRequest) -> HttpResponse:
    form = forms.CorrectionForm(request.POST)
    if form.is_valid():
        try:
            sent = services.correction_request(
                subject=request.user,
                concerns=form.cleaned_data["concerns"],
                details=form.cleaned_data["details"],
                actor=request.user,
            )
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Your request %(ref)s is received. It will be answered by %(due)s; you will be told by email."
                )
                % {"ref": sent.reference, "due": formatting.moment(sent.due_at)},
            )
            return redirect("privacy:home")
    return _home(request, correction=form, status=400)


@login_required
@require_POST
def withdraw(request: AuthenticatedRequest) -> HttpResponse:
    try:
        services.consent_withdraw(
            subject=request.user, purpose_key=request.POST.get("purpose", ""), actor=request.user
        )
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The consent is withdrawn. What it allowed has stopped."))
    return redirect("privacy:home")


@login_required
@never_cache
@sensitive_post_parameters("password")
def erase(request: AuthenticatedRequest) -> HttpResponse:
    """What erasure would do (nothing is written until the person confirms with their password)."""
    user = request.user
    plan = services.erasure_plan(subject=user)
    form = PasswordConfirmForm(user, request.POST or None)
    if request.method == "POST" and plan.possible and form.is_valid():
        try:
            done, outcomes = services.erasure_run(subject=user, actor=user)
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            logout(request)
            # What was done is shown on the next page, so that reloading it submits nothing again.
            request.session[ERASED_KEY] = {
                "request_ref": done.reference,
                "outcomes": [
                    {
                        "label": str(o.label),
                        "erased": o.erased,
                        "pseudonymised": o.pseudonymised,
                        "kept": o.kept,
                        "kept_until": o.kept_until.isoformat() if o.kept_until else "",
                    }
                    for o in outcomes
                ],
            }
            return redirect("privacy:erased")
    if user.is_staff_role:
        plan = services.Plan(blockers=plan.blockers, outcomes=[])
    return render(
        request,
        "privacy/erase.html",
        {"plan": plan, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def erased(request: HttpRequest) -> HttpResponse:
    """What the erasure just did (shown once, from the session the erasure left)."""
    done = request.session.get(ERASED_KEY)
    if not done:
        return redirect("core:home")
    outcomes = [
        {**o, "kept_until": date.fromisoformat(o["kept_until"]) if o["kept_until"] else None}
        for o in done["outcomes"]
    ]
    return render(request, "privacy/erased.html", {"request_ref": done["request_ref"], "outcomes": outcomes})


def notice(request: HttpRequest) -> HttpResponse:
    """The privacy notice: what the service holds, why, on which basis, how long, who sees it,
    and the person's rights (public: Pasal 5 UU PDP)."""
    return render(
        request,
        "privacy/notice.html",
        {"activities": selectors.register(), "retention": selectors.retention_periods()},
    )
