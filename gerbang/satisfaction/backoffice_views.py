"""The staff's side: reviews to moderate (and published ones to reply to), scoped to their
offices, and the suggestion box grouped by similar words. Every read of what people wrote is
logged."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gerbang.accounts.http import AuthenticatedRequest
from gerbang.core.exceptions import ApplicationError, PermissionDenied
from gerbang.core.forms import Refusal, refusal_of
from gerbang.core.permissions import Perm, has_permission
from gerbang.satisfaction import checks, selectors, services
from gerbang.satisfaction.forms import DecideForm, RejectForm, ReplyForm
from gerbang.satisfaction.models import Rating, ReviewStatus, SuggestionStatus

STATUSES = ("pending", "published", "rejected", "all")


def rating_list(request: AuthenticatedRequest) -> HttpResponse:
    if not selectors.may_see_ratings(request.user):
        raise PermissionDenied()
    # Open on the reviews waiting when there are some this person may moderate.
    waiting = selectors.pending_count(request.user)
    default = "pending" if waiting else "published"
    status = request.GET.get("status", default)
    if status not in STATUSES:
        status = default
    rows = selectors.ratings_for_staff(request.user, status=status)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    # Each row shows an excerpt of the review as written: a read of it, logged.
    services.ratings_staff_read(ratings=list(page.object_list), actor=request.user)
    return render(
        request,
        "satisfaction/backoffice/list.html",
        {
            "page": page,
            "status": status,
            "statuses": [(s, _status_label(s, waiting)) for s in STATUSES],
            "can_moderate": has_permission(request.user, Perm.RATING_MODERATE),
        },
    )


def _status_label(status: str, waiting: int = 0) -> str:
    if status == "all":
        return _("All")
    label = str(ReviewStatus(status).label)
    return f"{label} ({waiting})" if status == ReviewStatus.PENDING and waiting else label


def _rating(request: AuthenticatedRequest, pk: int) -> Rating:
    rating = selectors.rating_for_staff(request.user, pk)
    if rating is None:
        raise Http404
    return rating


def _done(rating: Rating) -> HttpResponse:
    """Back to the review at its top, where the message and the new state are (``#top`` also
    replaces the form's anchor, which the browser would otherwise keep across the redirect)."""
    return redirect(reverse("backoffice:rating", args=[rating.pk]) + "#top")


def rating_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    rating = _rating(request, pk)
    office_id = rating.invitation.office_id
    can_moderate = has_permission(request.user, Perm.RATING_MODERATE, office_id=office_id)
    can_reply = has_permission(request.user, Perm.RATING_REPLY, office_id=office_id)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    reject_form = RejectForm(request.POST if action == "reject" else None)
    reply_form = ReplyForm(request.POST if action == "reply" else None)
    refusal = None
    if action:
        # Each form posts to ``…#<its id>``: a refused one opens where it was, its problems
        # also summarised at the top of the page.
        form = {"reject": reject_form, "reply": reply_form}.get(action)
        try:
            if action == "approve":
                services.rating_approve(rating=rating, actor=request.user)
                messages.success(request, _("The review is published."))
                return _done(rating)
            if action == "reject" and reject_form.is_valid():
                services.rating_reject(
                    rating=rating, reason=reject_form.cleaned_data["reason"], actor=request.user
                )
                messages.success(request, _("The review is not published; the reason is kept."))
                return _done(rating)
            if action == "reply" and reply_form.is_valid():
                services.rating_reply(
                    rating=rating, body=reply_form.cleaned_data["reply"], actor=request.user
                )
                messages.success(request, _("Your reply is published under the review."))
                return _done(rating)
            if form is not None:
                refusal = refusal_of(action, form=form)
        except ApplicationError as exc:
            refusal = refusal_of(action, form=form, exc=exc)
            rating = _rating(request, pk)
    else:
        services.rating_staff_read(rating=rating, actor=request.user)
    context = {
        "rating": rating,
        "can_moderate": can_moderate,
        "can_reply": can_reply and rating.review_status == ReviewStatus.PUBLISHED and not rating.reply,
        "reject_form": reject_form,
        "reply_form": reply_form,
        "refusal": refusal,
        "problems": refusal.problems if refusal else (),
        # Waiting: exactly what approval publishes (the service masks with the same rule), so
        # the moderator sees the masked text before approving, not after.
        "preview": checks.masked(rating.review) if rating.review_status == ReviewStatus.PENDING else "",
    }
    return render(request, "satisfaction/backoffice/detail.html", context, status=400 if action else 200)


def _suggestion_status(request: AuthenticatedRequest) -> str:
    """The list's filter; a decision posts it back (in its form's address), so a refused one
    is shown again in the list it came from."""
    status = request.GET.get("status", "open")
    return status if status in ("open", "all", *SuggestionStatus.values) else "open"


def _suggestion_page(
    request: AuthenticatedRequest,
    *,
    bound: DecideForm | None = None,
    refusal: Refusal | None = None,
    status_code: int = 200,
) -> HttpResponse:
    status = _suggestion_status(request)
    suggestions = selectors.suggestions_for_staff(request.user, status=status)
    services.suggestions_staff_read(suggestions=suggestions, actor=request.user)
    groups = []
    for found in selectors.suggestion_groups(suggestions):
        rows = []
        for suggestion in found.items:
            form = bound if bound is not None and bound.prefix == f"s{suggestion.pk}" else None
            initial: dict[str, Any] = {"status": suggestion.status, "note": suggestion.note}
            rows.append((suggestion, form or DecideForm(initial=initial, prefix_id=suggestion.pk)))
        groups.append((found.keywords, rows))
    statuses = [("open", _("Open")), *SuggestionStatus.choices, ("all", _("All"))]
    return render(
        request,
        "satisfaction/backoffice/suggestions.html",
        {
            "groups": groups,
            "status": status,
            "statuses": statuses,
            "count": len(suggestions),
            # A refused decision: summarised at the top, linking to its field (the page opens at
            # the form, far down a long list: the form posts to ``…#suggestion-<pk>``).
            "problems": refusal.problems if refusal else (),
        },
        status=status_code,
    )


def _require_moderator(request: AuthenticatedRequest) -> None:
    """The site's refusal page, saying who handles the suggestion box."""
    if not has_permission(request.user, Perm.RATING_MODERATE):
        raise PermissionDenied(_("The suggestion box is handled by the office's administrator."))


def suggestion_list(request: AuthenticatedRequest) -> HttpResponse:
    _require_moderator(request)
    return _suggestion_page(request)


@require_POST
def suggestion_decide(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _require_moderator(request)
    suggestion = selectors.suggestion_for_staff(request.user, pk)
    if suggestion is None:
        raise Http404
    anchor = f"suggestion-{suggestion.pk}"
    form = DecideForm(request.POST, prefix_id=suggestion.pk)
    if not form.is_valid():
        return _suggestion_page(request, bound=form, refusal=refusal_of(anchor, form=form), status_code=400)
    try:
        services.suggestion_decide(
            suggestion=suggestion,
            status=form.cleaned_data["status"],
            note=form.cleaned_data["note"],
            actor=request.user,
        )
    except ApplicationError as exc:
        refusal = refusal_of(anchor, form=form, exc=exc)
        return _suggestion_page(request, bound=form, refusal=refusal, status_code=400)
    messages.success(request, _("The suggestion's status is saved."))
    query = urlencode({"status": _suggestion_status(request)})
    return redirect(f"{reverse('backoffice:rating_suggestions')}?{query}#{anchor}")
