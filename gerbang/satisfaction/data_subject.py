"""What the satisfaction app holds about a person (UU PDP): the invitations to rate the occasions
they were served on, the ratings and reviews they gave, and their suggestions.

Erasure unlinks rather than deletes: the stars stay, no longer tied to the person, because the
published averages and the count of people served rest on them; the words of a review (and the
office's reply under it) are erased; suggestions stay for the office to act on, without their
author and with what looks like personal data masked.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from gerbang.core.actors import WORKER
from gerbang.core.data_subjects import Activity, Basis, Outcome, Provider, Section, int_ids, iso, register
from gerbang.satisfaction import selectors, services
from gerbang.satisfaction.models import Invitation, Rating, ReviewStatus, Suggestion, SuggestionStatus

ACTIVITIES = (
    Activity(
        key="satisfaction.ratings",
        name=_("Ratings and reviews of the services"),
        data=_(
            "The occasion the person was served on (an application, a visit, a question, a report), "
            "the office and service, the stars given and the words of the review"
        ),
        purpose=_(
            "Inviting the people served to say how it went, publishing the averages and the "
            "moderated reviews, improving the services"
        ),
        basis=Basis.PUBLIC_TASK,
        law="UU No. 25/2009 (Pelayanan Publik)",
        retention=_(
            "Until the person asks for erasure: then the stars stay without any link to the person "
            "and the words are erased"
        ),
        recipients=_(
            "The moderators of the office; everyone, for a published review (masked, without the name)"
        ),
    ),
    Activity(
        key="satisfaction.suggestions",
        name=_("Suggestions"),
        data=_("The suggestion's text, the office or service it is about"),
        purpose=_("Improving the services, and saying publicly what changed because of a suggestion"),
        basis=Basis.CONSENT,
        law="UU No. 27/2022 Pasal 20(2)a",
        retention=_(
            "Until the person asks for erasure: then the suggestion stays without its author, "
            "with what looks like personal data masked"
        ),
        recipients=_("The staff who decide on suggestions for the office"),
    ),
)


def _office(office: Any) -> str:
    return str(office.name) if office is not None else ""


def export(person: Any) -> list[Section]:
    invitations = []
    for invitation in (
        Invitation.objects.filter(person=person)
        .select_related("office", "service", "rating")
        .order_by("served_at", "pk")
    ):
        row: dict[str, Any] = {
            "occasion": invitation.occasion_label,
            "office": _office(invitation.office),
            "service": str(invitation.service.name) if invitation.service else "",
            "served_at": iso(invitation.served_at),
            "invited_at": iso(invitation.created_at),
            "rating": None,
        }
        rating: Rating | None = getattr(invitation, "rating", None)
        if rating is not None:
            row["rating"] = {
                "stars": rating.stars,
                "review": rating.review,
                "review_status": str(ReviewStatus(rating.review_status).label),
                "published_review": rating.published_review,
                "published_at": iso(rating.published_at),
                # The office answers as the office: the member of staff is not named.
                "office_reply": rating.reply,
                "given_at": iso(rating.given_at),
                "changed_at": iso(rating.changed_at),
            }
        invitations.append(row)
    suggestions = [
        {
            "text": suggestion.text,
            "office": _office(suggestion.office),
            "service": str(suggestion.service.name) if suggestion.service else "",
            "status": str(SuggestionStatus(suggestion.status).label),
            "what_changed": suggestion.note,
            "made_at": iso(suggestion.created_at),
        }
        for suggestion in selectors.suggestions_by(person)
        .select_related("office", "service")
        .order_by("created_at", "pk")
    ]
    sections = []
    if invitations:
        sections.append(Section("ratings", _("Your ratings and invitations to rate"), invitations))
    if suggestions:
        sections.append(Section("suggestions", _("Your suggestions"), suggestions))
    return sections


def erase(person: Any, now: datetime, dry_run: bool) -> list[Outcome]:
    if dry_run:
        done = services.person_satisfaction_plan(person)
    else:
        done = services.person_satisfaction_erase(person=person, actor=WORKER)
    return [
        Outcome(
            "satisfaction.ratings",
            _("Your ratings and invitations to rate"),
            # A rating with words counts once, as erased (its words) rather than as unlinked.
            erased=done.reviews,
            pseudonymised=done.invitations - done.reviews,
            reason=_(
                "The stars stay, no longer linked to you, for the published averages; "
                "the words of your reviews are erased"
            )
            if done.invitations
            else "",
        ),
        Outcome(
            "satisfaction.suggestions",
            _("Your suggestions"),
            pseudonymised=done.suggestions,
            reason=_("They stay for the office to act on, without your name and with personal data masked")
            if done.suggestions
            else "",
        ),
    ]


def _invitation_people(subject_ids: Sequence[str]) -> dict[str, int]:
    rows = Invitation.objects.filter(pk__in=int_ids(subject_ids), person__isnull=False).values_list(
        "pk", "person_id"
    )
    return {str(pk): person for pk, person in rows if person is not None}


def _raters(subject_ids: Sequence[str]) -> dict[str, int]:
    rows = Rating.objects.filter(pk__in=int_ids(subject_ids), invitation__person__isnull=False).values_list(
        "pk", "invitation__person_id"
    )
    return {str(pk): person for pk, person in rows if person is not None}


def _suggesters(subject_ids: Sequence[str]) -> dict[str, int]:
    owners: dict[str, int] = {}
    rows = Suggestion.objects.filter(pk__in=int_ids(subject_ids)).values_list(
        "pk", "author_id", "invitation__person_id"
    )
    for pk, author, invited in rows:
        if author is not None or invited is not None:
            owners[str(pk)] = author if author is not None else invited
    return owners


register(
    Provider(
        key="satisfaction",
        activities=ACTIVITIES,
        export=export,
        erase=erase,
        owners={
            "satisfaction.invitation": _invitation_people,
            "satisfaction.rating": _raters,
            "satisfaction.suggestion": _suggesters,
        },
    )
)
