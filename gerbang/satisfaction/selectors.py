"""Reads of the satisfaction app: a person's invitations, the rating page's facts, the
published reviews and averages of an office or a service (cached), the moderation queue and the
suggestion box for staff (scoped to their offices)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Avg, Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from gerbang.core import formatting
from gerbang.core.bilingual import active_language
from gerbang.core.cache import Versioned
from gerbang.core.permissions import Perm, has_permission
from gerbang.core.scoping import scope_to_offices
from gerbang.satisfaction import grouping
from gerbang.satisfaction.models import Invitation, Rating, ReviewStatus, Suggestion, SuggestionStatus

# Every summary and list of published reviews, kept under one version that any change of a
# rating, a moderation or a reply moves on (``services``).
SUMMARIES = Versioned("satisfaction:summaries:version")
SUMMARY_SECONDS = 10 * 60
REVIEWS_SHOWN = 5
# How long an invitation stays on the person's dashboard when not rated.
DASHBOARD_DAYS = 60


def invitation_by_token(token: str) -> Invitation | None:
    if not token or len(token) > 32:
        return None
    return Invitation.objects.select_related("office", "service", "person").filter(token=token).first()


def invitations_of(user: Any) -> QuerySet[Invitation]:
    if not getattr(user, "is_authenticated", False):
        return Invitation.objects.none()
    return (
        Invitation.objects.filter(person=user)
        .select_related("office", "service", "rating")
        .order_by("-served_at", "-id")
    )


def invitations_to_rate(user: Any, now: datetime | None = None) -> list[Invitation]:
    """The person's recent invitations still without a rating, newest first."""
    since = (now or timezone.now()) - timedelta(days=DASHBOARD_DAYS)
    return list(invitations_of(user).filter(rating__isnull=True, served_at__gte=since)[:5])


def rating_of(invitation: Invitation) -> Rating | None:
    return Rating.objects.filter(invitation=invitation).first()


def change_until(rating: Rating) -> datetime:
    return rating.given_at + timedelta(days=settings.RATING_CHANGE_DAYS)


def changeable(rating: Rating, now: datetime | None = None) -> bool:
    return (now or timezone.now()) < change_until(rating)


def change_closed_message() -> str:
    return _("This rating can no longer be changed: a rating can be changed for %(days)d days.") % {
        "days": settings.RATING_CHANGE_DAYS
    }


def ticket_invitation(ticket_id: int) -> Invitation | None:
    """The invitation made when the visitor of this ticket was served, if any."""
    return Invitation.objects.filter(occasion="visit", occasion_id=ticket_id).first()


# --- What everyone sees ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PublishedReview:
    stars: int
    text: str
    published_at: datetime
    occasion: str
    office: str
    reply: str
    replied_at: datetime | None


@dataclass(frozen=True)
class Summary:
    average: float | None
    count: int
    # Ratings with 5, 4, 3, 2 and 1 stars.
    by_stars: tuple[tuple[int, int], ...]
    reviews: tuple[PublishedReview, ...]
    published: int

    @property
    def average_label(self) -> str:
        """The average to 1 decimal in the reader's language: '3,6' / '3.6'."""
        return "" if self.average is None else formatting.number(self.average, 1)


def _summary(ratings: QuerySet[Rating]) -> Summary:
    figures = ratings.aggregate(
        average=Avg("stars"),
        count=Count("id"),
        published=Count("id", filter=Q(review_status=ReviewStatus.PUBLISHED)),
        **{f"s{n}": Count("id", filter=Q(stars=n)) for n in range(1, 6)},
    )
    published = (
        ratings.filter(review_status=ReviewStatus.PUBLISHED)
        .select_related("invitation__office")
        .order_by("-published_at", "-id")[:REVIEWS_SHOWN]
    )
    average = figures["average"]
    return Summary(
        average=round(float(average), 2) if average is not None else None,
        count=figures["count"] or 0,
        by_stars=tuple((n, figures[f"s{n}"] or 0) for n in range(5, 0, -1)),
        reviews=tuple(
            PublishedReview(
                stars=r.stars,
                text=r.published_review,
                published_at=r.published_at or r.changed_at,
                occasion=r.invitation.occasion_label,
                office=str(r.invitation.office.name) if r.invitation.office else "",
                reply=r.reply,
                replied_at=r.replied_at,
            )
            for r in published
        ),
        published=figures["published"] or 0,
    )


def _cached(key: str, ratings: QuerySet[Rating]) -> Summary:
    # The labels (the occasion, the office's name) are in the page's language.
    key = f"{key}:{active_language()}"
    version, found = SUMMARIES.get(key)
    if isinstance(found, Summary):
        return found
    summary = _summary(ratings)
    SUMMARIES.set(key, version, summary, SUMMARY_SECONDS)
    return summary


def office_summary(office_id: int) -> Summary:
    """An office's average rating (every rating counts), how many, and its latest published
    reviews with the office's replies."""
    return _cached(f"satisfaction:office:{office_id}", Rating.objects.filter(invitation__office_id=office_id))


def service_summary(service_id: int) -> Summary:
    return _cached(
        f"satisfaction:service:{service_id}", Rating.objects.filter(invitation__service_id=service_id)
    )


def changes_made(limit: int = 20) -> list[Suggestion]:
    """Suggestions done, with what changed: shown publicly (the note, never the suggestion)."""
    return list(
        Suggestion.objects.filter(status=SuggestionStatus.DONE)
        .exclude(note="")
        .select_related("office", "service")
        .order_by("-decided_at", "-id")[:limit]
    )


# --- Staff ----------------------------------------------------------------------------------------


def may_see_ratings(user: Any) -> bool:
    return has_permission(user, Perm.RATING_MODERATE) or has_permission(user, Perm.RATING_REPLY)


def ratings_for_staff(
    user: Any, *, status: str = "pending", office_id: int | None = None
) -> QuerySet[Rating]:
    """Ratings with a review, of the offices ``user`` may see; waiting ones oldest first."""
    if not may_see_ratings(user):
        return Rating.objects.none()
    rows = scope_to_offices(
        Rating.objects.exclude(review_status=ReviewStatus.NONE).select_related(
            "invitation__office", "invitation__service"
        ),
        user,
        office_field="invitation__office",
    )
    if office_id is not None:
        rows = rows.filter(invitation__office_id=office_id)
    if status in ReviewStatus.values:
        rows = rows.filter(review_status=status)
    if status == ReviewStatus.PENDING:
        return rows.order_by("changed_at", "id")
    return rows.order_by("-changed_at", "-id")


def rating_for_staff(user: Any, pk: int) -> Rating | None:
    return ratings_for_staff(user, status="all").filter(pk=pk).first()


def pending_count(user: Any) -> int:
    if not has_permission(user, Perm.RATING_MODERATE):
        return 0
    return ratings_for_staff(user, status=ReviewStatus.PENDING).count()


def suggestions_for_staff(user: Any, *, status: str = "open", limit: int = 300) -> list[Suggestion]:
    if not has_permission(user, Perm.RATING_MODERATE):
        return []
    rows = scope_to_offices(Suggestion.objects.select_related("office", "service"), user)
    if status == "open":
        rows = rows.filter(status__in=(SuggestionStatus.NEW, SuggestionStatus.CONSIDERING))
    elif status in SuggestionStatus.values:
        rows = rows.filter(status=status)
    return list(rows.order_by("-created_at", "-id")[:limit])


def suggestion_for_staff(user: Any, pk: int) -> Suggestion | None:
    if not has_permission(user, Perm.RATING_MODERATE):
        return None
    return scope_to_offices(Suggestion.objects.all(), user).filter(pk=pk).first()


def suggestion_groups(suggestions: list[Suggestion]) -> list[grouping.Group[Suggestion]]:
    return grouping.group(suggestions, [s.text for s in suggestions])


# --- A person's data (UU PDP) ----------------------------------------------------------------------


def suggestions_by(person: Any) -> QuerySet[Suggestion]:
    """The suggestions ``person`` made: in the box, or with one of their ratings."""
    return Suggestion.objects.filter(Q(author=person) | Q(invitation__person=person)).distinct()
