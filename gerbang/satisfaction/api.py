"""Ratings as JSON: the same services as the pages. One's invitations and ratings need a
signed-in person (a walk-in's invitation is rated on its page, by its token); an office's
published reviews and average are public (cached like the catalogue)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.decorators import decorate_view

from gerbang.catalog.models import Office, Service
from gerbang.core.api_auth import signed_in
from gerbang.core.app_scopes import Scope
from gerbang.core.exceptions import NotFound
from gerbang.core.http import public_read
from gerbang.satisfaction import selectors, services
from gerbang.satisfaction.models import Invitation, Rating

router = Router(tags=["ratings"], auth=signed_in(Scope.FEEDBACK))


class RatingIn(Schema):
    stars: int | None = None
    review: str = ""
    suggestion: str = ""


class RatingOut(Schema):
    stars: int
    review: str
    review_status: str
    review_status_label: str
    reply: str
    given_at: datetime
    changeable_until: datetime
    changeable: bool


class InvitationOut(Schema):
    token: str
    occasion: str
    occasion_label: str
    office: str | None
    service: str | None
    served_at: datetime
    rating: RatingOut | None


class ReviewOut(Schema):
    stars: int
    text: str
    published_at: datetime
    occasion: str
    reply: str
    replied_at: datetime | None


class SummaryOut(Schema):
    average: float | None
    count: int
    by_stars: dict[str, int]
    reviews: list[ReviewOut]


def _rating(rating: Rating) -> dict[str, Any]:
    return {
        "stars": rating.stars,
        "review": rating.review,
        "review_status": rating.review_status,
        "review_status_label": rating.get_review_status_display(),
        "reply": rating.reply,
        "given_at": rating.given_at,
        "changeable_until": selectors.change_until(rating),
        "changeable": selectors.changeable(rating),
    }


def _invitation(invitation: Invitation) -> dict[str, Any]:
    rating = selectors.rating_of(invitation)
    return {
        "token": invitation.token,
        "occasion": invitation.occasion,
        "occasion_label": invitation.occasion_label,
        "office": invitation.office.code if invitation.office else None,
        "service": invitation.service.code if invitation.service else None,
        "served_at": invitation.served_at,
        "rating": _rating(rating) if rating else None,
    }


def _own(request: HttpRequest, token: str) -> Invitation:
    invitation = selectors.invitation_by_token(token)
    if invitation is None or invitation.person_id is None or invitation.person_id != request.user.pk:
        raise NotFound(field="token")
    return invitation


@router.get("/ratings/invitations", response=list[InvitationOut])
def invitation_list(request: HttpRequest) -> list[dict[str, Any]]:
    """My invitations to rate a service I received, newest first, with my rating if given."""
    return [_invitation(i) for i in selectors.invitations_of(request.user)[:100]]


@router.put("/ratings/invitations/{token}/rating", response=InvitationOut)
def rating_put(request: HttpRequest, token: str, data: RatingIn) -> dict[str, Any]:
    """Give my rating, or change it within a week of giving it (409 ``closed`` after)."""
    invitation = _own(request, token)
    services.rating_give(
        invitation=invitation,
        stars=data.stars,
        review=data.review,
        suggestion=data.suggestion,
        actor=request.user,
    )
    return _invitation(invitation)


@router.get("/offices/{code}/ratings", response=SummaryOut, auth=None)
@decorate_view(public_read)
def office_ratings(request: HttpRequest, code: str) -> dict[str, Any]:
    """An office's average rating (every rating counts), how many, and its latest published
    reviews with the office's replies."""
    office = Office.objects.public().filter(code=code).first()
    if office is None:
        raise NotFound(field="code")
    return _summary(selectors.office_summary(office.pk))


@router.get("/services/{code}/ratings", response=SummaryOut, auth=None)
@decorate_view(public_read)
def service_ratings(request: HttpRequest, code: str) -> dict[str, Any]:
    """A service's average rating over every office, and its latest published reviews."""
    service = Service.objects.filter(code=code, is_active=True).first()
    if service is None:
        raise NotFound(field="code")
    return _summary(selectors.service_summary(service.pk))


def _summary(summary: selectors.Summary) -> dict[str, Any]:
    return {
        "average": summary.average,
        "count": summary.count,
        "by_stars": {str(stars): count for stars, count in summary.by_stars},
        "reviews": [
            {
                "stars": r.stars,
                "text": r.text,
                "published_at": r.published_at,
                "occasion": r.occasion,
                "reply": r.reply,
                "replied_at": r.replied_at,
            }
            for r in summary.reviews
        ],
    }
