"""Writes of the satisfaction app: invitations (made by the system when a person was served),
ratings and their reviews (moderated, replied to once), and the suggestion box."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gerbang.catalog.models import Office, Service
from gerbang.core import events
from gerbang.core.actors import SystemActor
from gerbang.core.exceptions import Conflict, ErrorCode, PermissionDenied, Problems, ValidationError
from gerbang.core.http import public_pages_changed
from gerbang.core.permissions import Perm, has_permission, require_permission
from gerbang.core.personal_data import masked
from gerbang.core.ratelimit import Limit, enforce
from gerbang.satisfaction import checks, selectors
from gerbang.satisfaction.events import InvitationOpened
from gerbang.satisfaction.models import (
    Invitation,
    Occasion,
    Rating,
    RejectReason,
    ReviewStatus,
    Suggestion,
    SuggestionStatus,
)


def invitation_open(
    *,
    occasion: Occasion,
    occasion_id: int,
    person: Any,
    office: Office | None,
    service: Service | None,
    served_at: datetime,
    actor: SystemActor,
) -> Invitation:
    """Invite the person served on ``occasion`` to rate it: once per occasion (a repeat, or a
    race with another worker, returns the invitation already made and tells nobody again)."""
    if not isinstance(actor, SystemActor):
        raise PermissionDenied()
    existing = Invitation.objects.filter(occasion=occasion, occasion_id=occasion_id).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                token=secrets.token_urlsafe(16),
                occasion=occasion,
                occasion_id=occasion_id,
                person=person if getattr(person, "is_authenticated", False) else None,
                office=office,
                service=service,
                served_at=served_at,
            )
            events.record(
                "satisfaction.invited",
                actor=actor,
                subject=invitation,
                office_id=office.pk if office else None,
                details={"occasion": str(occasion), "occasion_id": occasion_id},
            )
            events.publish(InvitationOpened(invitation=invitation))
    except IntegrityError:
        return Invitation.objects.get(occasion=occasion, occasion_id=occasion_id)
    return invitation


# --- Ratings --------------------------------------------------------------------------------------

STARS_MISSING = _("Choose a rating from 1 to 5 stars.")
REVIEW_MAX = 2000
SUGGESTION_MIN = 10
SUGGESTION_MAX = 2000
REPLY_MAX = 2000
SUGGESTION_TOO_SHORT = _("Write your suggestion in at least 10 characters.")
REVIEW_TOO_LONG = _("Keep your review under 2000 characters.")
SUGGESTION_TOO_LONG = _("Keep your suggestion under 2000 characters.")
SUGGESTIONS_TOO_MANY = _("You have made many suggestions today. Please try again tomorrow.")


def may_rate(invitation: Invitation, actor: Any) -> bool:
    """The invitation's person rates it; a walk-in's invitation (no person) is rated by whoever
    holds its token (the caller found it by the token)."""
    if invitation.person_id is None:
        # Only a visit is made without a person; any other lost it with a deleted account.
        return invitation.occasion == Occasion.VISIT
    return bool(getattr(actor, "is_authenticated", False)) and invitation.person_id == actor.pk


def _clean_text(text: str, *, limit: int, too_long: Any, field: str) -> str:
    clean = "\n".join(line.strip() for line in (text or "").strip().splitlines()).strip()
    if len(clean) > limit:
        raise ValidationError(too_long, field=field)
    return clean


def _changed() -> None:
    """Published reviews or the averages changed: every cached public page and summary goes."""
    selectors.SUMMARIES.changed()
    public_pages_changed()


def rating_give(
    *,
    invitation: Invitation,
    stars: int | None,
    review: str = "",
    suggestion: str = "",
    actor: Any,
    now: datetime | None = None,
) -> Rating:
    """Give the invitation's rating, or change it within ``RATING_CHANGE_DAYS`` of first giving
    it. A review (new or changed) waits for a moderator; the automatic check flags what looks
    like personal data. A suggestion goes to the office's suggestion box (once per invitation)."""
    if not may_rate(invitation, actor):
        raise PermissionDenied(_("This invitation is for another person's account."))
    clean_review = clean_suggestion = ""
    with Problems() as problems:
        if stars not in {1, 2, 3, 4, 5}:
            problems.add(ValidationError(STARS_MISSING, field="stars"))
        try:
            clean_review = _clean_text(review, limit=REVIEW_MAX, too_long=REVIEW_TOO_LONG, field="review")
        except ValidationError as exc:
            problems.add(exc)
        try:
            clean_suggestion = _clean_text(
                suggestion, limit=SUGGESTION_MAX, too_long=SUGGESTION_TOO_LONG, field="suggestion"
            )
            if clean_suggestion and len(clean_suggestion) < SUGGESTION_MIN:
                raise ValidationError(SUGGESTION_TOO_SHORT, field="suggestion")
        except ValidationError as exc:
            problems.add(exc)
    stars = int(stars or 0)
    moment = now or timezone.now()
    who = actor if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        fresh = Invitation.objects.select_for_update().get(pk=invitation.pk)
        rating = Rating.objects.filter(invitation=fresh).first()
        if rating is None:
            rating = Rating(invitation=fresh, given_at=moment)
            code = "rating.given"
        else:
            if not selectors.changeable(rating, moment):
                raise Conflict(selectors.change_closed_message(), code=ErrorCode.CLOSED)
            code = "rating.changed"
        review_changed = clean_review != rating.review
        rating.stars = stars
        rating.changed_at = moment
        if review_changed:
            rating.review = clean_review
            rating.flags = checks.flags_of(clean_review)
            rating.review_status = ReviewStatus.PENDING if clean_review else ReviewStatus.NONE
            rating.published_review = ""
            rating.published_at = None
            rating.reject_reason = ""
            rating.moderated_by = None
            rating.moderated_at = None
        rating.save()
        events.record(
            code,
            actor=who,
            subject=rating,
            office_id=fresh.office_id,
            details={"stars": stars, "review": bool(clean_review), "flags": rating.flags},
        )
        if clean_suggestion and not Suggestion.objects.filter(invitation=fresh).exists():
            _suggestion_make(
                text=clean_suggestion,
                author=who,
                invitation=fresh,
                office=fresh.office,
                service=fresh.service,
                moment=moment,
            )
        _changed()
    return rating


def _moderated(rating: Rating) -> Rating:
    return Rating.objects.select_for_update(of=("self",)).select_related("invitation").get(pk=rating.pk)


def rating_approve(*, rating: Rating, actor: Any, now: datetime | None = None) -> Rating:
    """Publish a review waiting for moderation; what the check flagged is masked in what is
    shown (the moderator saw why)."""
    require_permission(actor, Perm.RATING_MODERATE, office_id=rating.invitation.office_id)
    moment = now or timezone.now()
    with transaction.atomic():
        fresh = _moderated(rating)
        if fresh.review_status != ReviewStatus.PENDING:
            raise Conflict(
                _("This review is not waiting for moderation any more."), code=ErrorCode.WRONG_STATE
            )
        fresh.review_status = ReviewStatus.PUBLISHED
        fresh.published_review = checks.masked(fresh.review)
        fresh.moderated_by = actor
        fresh.moderated_at = moment
        fresh.published_at = moment
        fresh.save()
        events.record(
            "rating.approved",
            actor=actor,
            subject=fresh,
            office_id=fresh.invitation.office_id,
            details={"masked": bool(fresh.flags)},
        )
        _changed()
    return fresh


def rating_reject(*, rating: Rating, reason: str, actor: Any, now: datetime | None = None) -> Rating:
    """Keep a review from the public, with the reason kept (the stars still count)."""
    require_permission(actor, Perm.RATING_MODERATE, office_id=rating.invitation.office_id)
    if reason not in RejectReason.values:
        raise ValidationError(_("Choose why the review is not published."), field="reason")
    moment = now or timezone.now()
    with transaction.atomic():
        fresh = _moderated(rating)
        if fresh.review_status not in {ReviewStatus.PENDING, ReviewStatus.PUBLISHED}:
            raise Conflict(
                _("This review is not waiting for moderation any more."), code=ErrorCode.WRONG_STATE
            )
        fresh.review_status = ReviewStatus.REJECTED
        fresh.reject_reason = reason
        fresh.published_review = ""
        fresh.published_at = None
        fresh.moderated_by = actor
        fresh.moderated_at = moment
        fresh.save()
        events.record(
            "rating.rejected",
            actor=actor,
            subject=fresh,
            office_id=fresh.invitation.office_id,
            details={"reason": reason},
        )
        _changed()
    return fresh


def rating_reply(*, rating: Rating, body: str, actor: Any, now: datetime | None = None) -> Rating:
    """The office answers a published review publicly, once."""
    require_permission(actor, Perm.RATING_REPLY, office_id=rating.invitation.office_id)
    if rating.invitation.office_id is None:
        raise PermissionDenied()
    clean = _clean_text(
        body, limit=REPLY_MAX, too_long=_("Keep the reply under 2000 characters."), field="reply"
    )
    if len(clean) < 10:
        raise ValidationError(_("Write the reply in at least 10 characters."), field="reply")
    moment = now or timezone.now()
    with transaction.atomic():
        fresh = _moderated(rating)
        if fresh.review_status != ReviewStatus.PUBLISHED:
            raise Conflict(_("Only a published review can be replied to."), code=ErrorCode.WRONG_STATE)
        if fresh.reply:
            raise Conflict(_("The office has already replied to this review."), code=ErrorCode.CLOSED)
        fresh.reply = clean
        fresh.replied_by = actor
        fresh.replied_at = moment
        fresh.save(update_fields=["reply", "replied_by", "replied_at"])
        events.record("rating.replied", actor=actor, subject=fresh, office_id=fresh.invitation.office_id)
        _changed()
    return fresh


def _may_read_rating(actor: Any, office_id: int | None) -> bool:
    return has_permission(actor, Perm.RATING_MODERATE, office_id=office_id) or has_permission(
        actor, Perm.RATING_REPLY, office_id=office_id
    )


@transaction.atomic
def rating_staff_read(*, rating: Rating, actor: Any) -> None:
    """A staff read of a review as written (it may hold personal data) leaves a trace."""
    ratings_staff_read(ratings=[rating], actor=actor)


@transaction.atomic
def ratings_staff_read(*, ratings: list[Rating], actor: Any) -> None:
    """A staff read of a list of reviews with an excerpt of each as written leaves a trace of
    each, as reading one does (one INSERT for the list; permission checked once per office)."""
    offices = {rating.invitation.office_id for rating in ratings}
    if not all(_may_read_rating(actor, office_id) for office_id in offices):
        raise PermissionDenied()
    events.record_many(
        "rating.viewed", actor=actor, subjects=[(rating, rating.invitation.office_id) for rating in ratings]
    )


# --- Suggestions ----------------------------------------------------------------------------------


def _suggestions_limit() -> Limit:
    return Limit("suggestion", settings.SUGGESTIONS_PER_DAY, 24 * 60 * 60)


def _suggestion_make(
    *,
    text: str,
    author: Any,
    invitation: Invitation | None,
    office: Office | None,
    service: Service | None,
    moment: datetime,
) -> Suggestion:
    if len(text) < SUGGESTION_MIN:
        raise ValidationError(SUGGESTION_TOO_SHORT, field="suggestion")
    suggestion = Suggestion.objects.create(
        author=author, invitation=invitation, office=office, service=service, text=text, created_at=moment
    )
    events.record(
        "suggestion.made",
        actor=author,
        subject=suggestion,
        office_id=office.pk if office else None,
        details={"with_rating": invitation is not None},
    )
    return suggestion


def suggestion_submit(
    *,
    text: str,
    office: Office | None,
    service: Service | None,
    actor: Any,
    now: datetime | None = None,
) -> Suggestion:
    """A signed-in person drops a suggestion in the box (about an office, a service, or Gerbang)."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Sign in to make a suggestion."))
    clean = _clean_text(text, limit=SUGGESTION_MAX, too_long=SUGGESTION_TOO_LONG, field="suggestion")
    if not clean:
        raise ValidationError(_("Write your suggestion."), field="suggestion")
    if len(clean) < SUGGESTION_MIN:
        raise ValidationError(SUGGESTION_TOO_SHORT, field="suggestion")
    enforce((_suggestions_limit(), str(actor.pk)), message=SUGGESTIONS_TOO_MANY)
    with transaction.atomic():
        return _suggestion_make(
            text=clean,
            author=actor,
            invitation=None,
            office=office,
            service=service,
            moment=now or timezone.now(),
        )


def _may_decide(actor: Any, office_id: int | None) -> bool:
    return has_permission(actor, Perm.RATING_MODERATE, office_id=office_id)


def suggestion_decide(
    *, suggestion: Suggestion, status: str, note: str = "", actor: Any, now: datetime | None = None
) -> Suggestion:
    """Staff move a suggestion along; one done says publicly what changed because of it."""
    if not _may_decide(actor, suggestion.office_id):
        raise PermissionDenied()
    if status not in SuggestionStatus.values:
        raise ValidationError(_("Choose a status."), field="status")
    clean = _clean_text(
        note, limit=REPLY_MAX, too_long=_("Keep the note under 2000 characters."), field="note"
    )
    if status == SuggestionStatus.DONE and len(clean) < 10:
        raise ValidationError(
            _(
                "A suggestion marked Done needs what was changed, in at least 10 characters: it is shown publicly."
            ),
            field="note",
        )
    with transaction.atomic():
        fresh = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
        fresh.status = status
        fresh.note = clean if status == SuggestionStatus.DONE else fresh.note
        fresh.decided_by = actor
        fresh.decided_at = now or timezone.now()
        fresh.save(update_fields=["status", "note", "decided_by", "decided_at"])
        events.record(
            "suggestion.decided",
            actor=actor,
            subject=fresh,
            office_id=fresh.office_id,
            details={"status": status},
        )
        _changed()
    return fresh


@transaction.atomic
def suggestions_staff_read(*, suggestions: list[Suggestion], actor: Any) -> None:
    """A staff read of suggestions as written (they may hold personal data) leaves a trace of
    each (one INSERT for the list; permission checked once per office)."""
    if not all(_may_decide(actor, office_id) for office_id in {s.office_id for s in suggestions}):
        raise PermissionDenied()
    events.record_many(
        "suggestion.viewed",
        actor=actor,
        subjects=[(suggestion, suggestion.office_id) for suggestion in suggestions],
    )


# --- Erasure at the person's request (UU PDP Pasal 43) ---------------------------------------------


@dataclass(frozen=True)
class PersonSatisfaction:
    """What erasure does, or would do, to what a person said of the services."""

    invitations: int  # unlinked from the person (their address no longer opens them)
    ratings: int  # ratings whose stars stay, unlinked
    reviews: int  # of those, with words (a review, the office's reply to it): erased
    suggestions: int  # unlinked, the personal data in them masked


def person_satisfaction_plan(person: Any) -> PersonSatisfaction:
    invitations = Invitation.objects.filter(person=person)
    ratings = Rating.objects.filter(invitation__person=person)
    return PersonSatisfaction(
        invitations=invitations.count(),
        ratings=ratings.count(),
        reviews=ratings.exclude(review="", published_review="", reply="").count(),
        suggestions=selectors.suggestions_by(person).count(),
    )


@transaction.atomic
def person_satisfaction_erase(*, person: Any, actor: Any) -> PersonSatisfaction:
    """Unlink from ``person`` what they said of the services, at their request.

    The stars stay, tied to the occasion and no longer to the person, since the published
    averages and the IKM's count of who was served rest on them; the words go (the review as
    written and as published, and the office's reply under it, which means nothing without it).
    Suggestions stay for the office to act on, without their author and with what looks like
    personal data masked. The invitations lose the person and get a new address, so an old link
    opens nothing."""
    if not isinstance(actor, SystemActor) and getattr(actor, "pk", None) != person.pk:
        raise PermissionDenied()
    plan = person_satisfaction_plan(person)
    invitation_ids = list(Invitation.objects.filter(person=person).values_list("pk", flat=True))
    published = Rating.objects.filter(
        invitation_id__in=invitation_ids, review_status=ReviewStatus.PUBLISHED
    ).exists()
    Rating.objects.filter(invitation_id__in=invitation_ids).exclude(
        review="", published_review="", reply=""
    ).update(
        review="",
        published_review="",
        review_status=ReviewStatus.NONE,
        flags=[],
        reject_reason="",
        reply="",
        replied_by=None,
        replied_at=None,
        published_at=None,
    )
    for suggestion in selectors.suggestions_by(person):
        suggestion.author = None
        suggestion.text = masked(suggestion.text)
        suggestion.save(update_fields=["author", "text"])
    for invitation_id in invitation_ids:
        Invitation.objects.filter(pk=invitation_id).update(person=None, token=secrets.token_urlsafe(16))
    events.record(
        "satisfaction.person_erased",
        actor=actor,
        subject=person,
        details={
            "invitations": plan.invitations,
            "ratings": plan.ratings,
            "reviews": plan.reviews,
            "suggestions": plan.suggestions,
        },
    )
    if published:
        _changed()
    return plan
