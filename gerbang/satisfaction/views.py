"""The served person's pages: rate a service (by the invitation's token), the thank-you page,
and the suggestion box. Thin: parse, call a service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from gerbang.core import panels
from gerbang.core.exceptions import ApplicationError
from gerbang.core.forms import add_service_error
from gerbang.satisfaction import selectors, services
from gerbang.satisfaction.forms import RatingForm, SuggestionForm
from gerbang.satisfaction.models import Invitation


def _invitation(request: HttpRequest, token: str) -> Invitation | HttpResponse:
    """The invitation of ``token``: for its person signed in (anyone else is sent to sign in, or
    finds nothing), or for whoever holds the token of a walk-in's invitation."""
    invitation = selectors.invitation_by_token(token)
    if invitation is None:
        raise Http404
    if invitation.person_id is not None and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not services.may_rate(invitation, request.user):
        raise Http404
    return invitation


def _private(response: HttpResponse) -> HttpResponse:
    # The token is the key of a walk-in's page: never sent on to another site ("no-referrer"
    # would also blank the Origin of the page's own form, which the CSRF check refuses).
    response["Referrer-Policy"] = "same-origin"
    return response


@never_cache
def rate(request: HttpRequest, token: str) -> HttpResponse:
    found = _invitation(request, token)
    if isinstance(found, HttpResponse):
        return found
    invitation = found
    rating = selectors.rating_of(invitation)
    changeable = rating is None or selectors.changeable(rating)
    has_suggestion = hasattr(invitation, "suggestion") and invitation.suggestion is not None
    initial: dict[str, Any] = {}
    if rating is not None:
        initial = {"stars": rating.stars, "review": rating.review}
    form = RatingForm(request.POST or None, initial=initial)
    if has_suggestion:
        del form.fields["suggestion"]
    status = 200
    if request.method == "POST":
        status = 400
        if not changeable:
            messages.error(request, selectors.change_closed_message())
            return redirect("satisfaction:rate", token=invitation.token)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.rating_give(
                    invitation=invitation,
                    stars=data["stars"],
                    review=data["review"],
                    suggestion=data.get("suggestion", ""),
                    actor=request.user,
                )
            except ApplicationError as exc:
                add_service_error(form, exc)
            else:
                return redirect("satisfaction:thanks", token=invitation.token)
    context = {
        "invitation": invitation,
        "rating": rating,
        "changeable": changeable,
        "change_until": selectors.change_until(rating) if rating else None,
        "has_suggestion": has_suggestion,
        "form": form,
        "panels": panels.shown(panels.RATING_PAGE, request, invitation=invitation),
    }
    return _private(render(request, "satisfaction/rate.html", context, status=status))


@never_cache
def thanks(request: HttpRequest, token: str) -> HttpResponse:
    found = _invitation(request, token)
    if isinstance(found, HttpResponse):
        return found
    invitation = found
    rating = selectors.rating_of(invitation)
    if rating is None:
        return redirect("satisfaction:rate", token=invitation.token)
    context = {
        "invitation": invitation,
        "rating": rating,
        "changeable": selectors.changeable(rating),
        "change_until": selectors.change_until(rating),
        "panels": panels.shown(panels.RATING_PAGE, request, invitation=invitation),
    }
    return _private(render(request, "satisfaction/thanks.html", context))


def suggestion_box(request: HttpRequest) -> HttpResponse:
    """Suggestions for the service (signed in), and what was changed because of earlier ones."""
    initial = {key: request.GET[key] for key in ("office", "service") if request.GET.get(key)}
    form = SuggestionForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.suggestion_submit(
                    text=data["suggestion"],
                    office=data["office"],
                    service=data["service"],
                    actor=request.user,
                )
            except ApplicationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(
                    request, _("Thank you: your suggestion was sent to the staff who improve the service.")
                )
                return redirect("satisfaction:suggestions")
    context = {"form": form, "changes": selectors.changes_made()}
    return render(request, "satisfaction/suggestions.html", context, status=status)
