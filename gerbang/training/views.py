"""The training office's page and its reset (for administrators), and the guided tour of the
back office (docs/training.md). Under /backoffice/, behind the back office's guard."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gerbang.accounts.http import AuthenticatedRequest
from gerbang.accounts.permissions import Perm, has_permission, require_permission
from gerbang.applications.models import Application
from gerbang.applications.workflow import State
from gerbang.core.exceptions import ApplicationError
from gerbang.core.http import safe_next
from gerbang.core.scoping import scope_to_offices
from gerbang.training import selectors, services, tour

# A year: the tour is offered until it is finished or dismissed, then never again on this browser.
TOUR_COOKIE_AGE = 365 * 24 * 3600


def training_home(request: AuthenticatedRequest) -> HttpResponse:
    office = selectors.training_office()
    if office is None:
        raise Http404
    user = request.user
    require_permission(user, Perm.OFFICE_VIEW)
    member = user.has_national_scope or selectors.is_member(user, office)
    can_reset = has_permission(user, Perm.TRAINING_RESET, office_id=office.pk)
    counts = dict.fromkeys(State, 0)
    for state in Application.objects.filter(office=office).values_list("state", flat=True):
        counts[State(state)] += 1
    return render(
        request,
        "training/home.html",
        {
            "office": office,
            "member": member,
            "can_reset": can_reset,
            "stages": [(State(state).label, counts[State(state)]) for _i, _code, state in services.STAGES],
            "resets": selectors.last_resets(office) if can_reset else [],
            "queue_url_office": office.pk,
        },
    )


@require_POST
def training_reset(request: AuthenticatedRequest) -> HttpResponse:
    office = selectors.training_office()
    if office is None:
        raise Http404
    require_permission(request.user, Perm.TRAINING_RESET, office_id=office.pk)
    if request.POST.get("confirm") != "yes":
        messages.error(
            request,
            _(
                "Nothing was reset: tick the box to confirm that everything done in the training office may be deleted."
            ),
        )
        return redirect("backoffice:training")
    try:
        made = services.training_reset(actor=request.user)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request,
            _("The training office was reset: %(count)s synthetic cases are ready to practise on.")
            % {"count": made.cases},
        )
    return redirect("backoffice:training")


def tour_page(request: AuthenticatedRequest) -> HttpResponse:
    return render(
        request,
        "training/tour.html",
        {
            "steps": tour.steps_for(request.user),
            "done": request.COOKIES.get(tour.TOUR_COOKIE) == tour.TOUR_DONE,
        },
    )


@require_POST
def tour_done(request: AuthenticatedRequest) -> HttpResponse:
    """The tour finished or dismissed: the home stops offering it (on this browser)."""
    target = safe_next(request, "")
    response = redirect(target or reverse("backoffice:dashboard"))
    response.set_cookie(
        tour.TOUR_COOKIE,
        tour.TOUR_DONE,
        max_age=TOUR_COOKIE_AGE,
        secure=request.is_secure(),
        httponly=False,  # the tour's script reads it too
        samesite="Lax",
    )
    if not target:
        messages.success(request, _("The tour is finished. You can take it again from the tour page."))
    return response


def tour_case(request: AuthenticatedRequest) -> HttpResponse:
    """The tour's example case: one of the training office's (being verified, when there is
    one), else any open case of one's offices."""
    user = request.user
    require_permission(user, Perm.CASE_VIEW)
    visible = scope_to_offices(Application.objects.exclude(state=State.DRAFT), user)
    office = selectors.training_office()
    preferred = visible.filter(office=office) if office is not None else visible.none()
    case = (
        preferred.filter(state=State.IN_VERIFICATION).order_by("pk").first()
        or preferred.order_by("pk").first()
        or visible.order_by("-pk").first()
    )
    if case is None:
        messages.info(request, _("There is no case to show yet."))
        return redirect("backoffice:case_queue")
    response = redirect("backoffice:case_detail", pk=case.pk)
    return response
