"""``services``: one invitation and one rating per occasion, the week to change it, who may
rate, moderation with its reasons and the automatic flags, the office's one reply, averages."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from gerbang.core.actors import WORKER
from gerbang.core.exceptions import Conflict, PermissionDenied, ValidationError
from gerbang.core.models import Event
from gerbang.satisfaction import checks, selectors, services
from gerbang.satisfaction.models import (
    Invitation,
    Occasion,
    Rating,
    ReviewStatus,
    Suggestion,
    SuggestionStatus,
)
from gerbang.satisfaction.tests.conftest import Desk

pytestmark = pytest.mark.django_db


class TestInvitations:
    def test_one_invitation_per_occasion(self, desk: Desk) -> None:
        values: dict[str, Any] = {
            "occasion": Occasion.CASE,
            "occasion_id": 7,
            "person": desk.person,
            "office": desk.office,
            "service": None,
            "served_at": timezone.now(),
            "actor": WORKER,
        }
        first = services.invitation_open(**values)
        again = services.invitation_open(**values)
        assert again.pk == first.pk
        assert Invitation.objects.count() == 1
        assert Event.objects.filter(code="satisfaction.invited").count() == 1
        other_kind = services.invitation_open(**{**values, "occasion": Occasion.VISIT})
        assert other_kind.pk != first.pk

    def test_only_the_system_invites(self, desk: Desk) -> None:
        with pytest.raises(PermissionDenied):
            services.invitation_open(
                occasion=Occasion.CASE,
                occasion_id=1,
                person=desk.person,
                office=desk.office,
                service=None,
                served_at=timezone.now(),
                actor=desk.admin,
            )


class TestRating:
    def test_one_rating_per_invitation_changed_in_place(self, desk: Desk) -> None:
        invitation = desk.invitation()
        services.rating_give(invitation=invitation, stars=2, actor=desk.person)
        services.rating_give(invitation=invitation, stars=5, review="Much better now.", actor=desk.person)
        rating = Rating.objects.get()
        assert (rating.stars, rating.review, rating.review_status) == (
            5,
            "Much better now.",
            ReviewStatus.PENDING,
        )
        assert [e.code for e in Event.objects.filter(code__startswith="rating.").order_by("id")] == [
            "rating.given",
            "rating.changed",
        ]
        with pytest.raises(IntegrityError), transaction.atomic():
            Rating.objects.create(invitation=invitation, stars=3)

    def test_changeable_for_seven_days_then_read_only(self, desk: Desk, settings: Any) -> None:
        assert settings.RATING_CHANGE_DAYS == 7
        invitation = desk.invitation()
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            services.rating_give(invitation=invitation, stars=3, actor=desk.person)
        with time_machine.travel(start + timedelta(days=7) - timedelta(minutes=1), tick=False):
            services.rating_give(invitation=invitation, stars=4, actor=desk.person)
        with time_machine.travel(start + timedelta(days=7, minutes=1), tick=False):
            with pytest.raises(Conflict) as refused:
                services.rating_give(invitation=invitation, stars=1, actor=desk.person)
            assert "7 days" in str(refused.value)
            assert not selectors.changeable(Rating.objects.get())
        assert Rating.objects.get().stars == 4

    def test_who_may_rate(self, desk: Desk) -> None:
        invitation = desk.invitation()
        for stranger in (desk.other_person, desk.admin, AnonymousUser()):
            with pytest.raises(PermissionDenied):
                services.rating_give(invitation=invitation, stars=5, actor=stranger)
        walk_in = desk.invitation(person=None, occasion=Occasion.VISIT)
        assert walk_in.person is None
        rating = services.rating_give(invitation=walk_in, stars=5, actor=AnonymousUser())
        assert rating.stars == 5
        assert Event.objects.get(code="rating.given", subject_id=str(rating.pk)).actor_id is None
        # A case's invitation whose person's account is gone is not open to whoever has the link.
        orphan = desk.invitation()
        Invitation.objects.filter(pk=orphan.pk).update(person=None)
        orphan.refresh_from_db()
        with pytest.raises(PermissionDenied):
            services.rating_give(invitation=orphan, stars=5, actor=AnonymousUser())

    @pytest.mark.parametrize("stars", [None, 0, 6, -1])
    def test_stars_from_one_to_five(self, desk: Desk, stars: Any) -> None:
        with pytest.raises(ValidationError) as refused:
            services.rating_give(invitation=desk.invitation(), stars=stars, actor=desk.person)
        assert refused.value.field == "stars"
        assert not Rating.objects.exists()

    def test_every_problem_at_once(self, desk: Desk) -> None:
        with pytest.raises(ValidationError) as refused:
            services.rating_give(
                invitation=desk.invitation(),
                stars=None,
                review="x" * 2001,
                suggestion="short",
                actor=desk.person,
            )
        fields = [refused.value.field, *(other.field for other in refused.value.others)]
        assert fields == ["stars", "review", "suggestion"]

    def test_a_suggestion_goes_to_the_box_once(self, desk: Desk) -> None:
        invitation = desk.invitation()
        services.rating_give(
            invitation=invitation,
            stars=3,
            suggestion="More chairs in the waiting room, please.",
            actor=desk.person,
        )
        services.rating_give(
            invitation=invitation, stars=4, suggestion="Another idea again here.", actor=desk.person
        )
        suggestion = Suggestion.objects.get()
        assert suggestion.text == "More chairs in the waiting room, please."
        assert (suggestion.office, suggestion.invitation, suggestion.author) == (
            desk.office,
            invitation,
            desk.person,
        )


class TestModeration:
    def test_a_review_waits_for_a_moderator_of_its_office(self, desk: Desk, rated: Any) -> None:
        rating = rated()
        assert rating.review_status == ReviewStatus.PENDING
        assert selectors.office_summary(desk.office.pk).reviews == ()
        for outsider in (desk.other_admin, desk.officer, desk.supervisor, desk.person):
            with pytest.raises(PermissionDenied):
                services.rating_approve(rating=rating, actor=outsider)
        approved = services.rating_approve(rating=rating, actor=desk.admin)
        assert approved.review_status == ReviewStatus.PUBLISHED
        assert approved.published_review == "Friendly staff and a short wait."
        assert [r.text for r in selectors.office_summary(desk.office.pk).reviews] == [
            "Friendly staff and a short wait."
        ]
        with pytest.raises(Conflict):
            services.rating_approve(rating=approved, actor=desk.national)

    def test_rejected_with_the_reason_kept(self, desk: Desk, rated: Any) -> None:
        rating = rated("You are all idiots")
        with pytest.raises(ValidationError):
            services.rating_reject(rating=rating, reason="", actor=desk.admin)
        rejected = services.rating_reject(rating=rating, reason="abuse", actor=desk.national)
        assert (rejected.review_status, rejected.reject_reason) == (ReviewStatus.REJECTED, "abuse")
        assert Event.objects.get(code="rating.rejected").details["reason"] == "abuse"
        summary = selectors.office_summary(desk.office.pk)
        assert summary.reviews == () and summary.count == 1  # the stars still count

    def test_a_published_review_can_be_taken_down(self, desk: Desk, rated: Any) -> None:
        rating = services.rating_approve(rating=rated(), actor=desk.admin)
        down = services.rating_reject(rating=rating, reason="off_topic", actor=desk.admin)
        assert (down.review_status, down.reject_reason, down.published_review) == (
            "rejected",
            "off_topic",
            "",
        )
        assert selectors.office_summary(desk.office.pk).reviews == ()
        with pytest.raises(Conflict):
            services.rating_reject(rating=down, reason="abuse", actor=desk.admin)

    def test_a_changed_review_is_moderated_again(self, desk: Desk, rated: Any) -> None:
        rating = services.rating_approve(rating=rated(), actor=desk.admin)
        services.rating_give(
            invitation=rating.invitation, stars=2, review="Now it is worse.", actor=desk.person
        )
        rating.refresh_from_db()
        assert (rating.review_status, rating.published_review) == (ReviewStatus.PENDING, "")
        # The stars alone change nothing the moderator approved.
        services.rating_approve(rating=rating, actor=desk.admin)
        services.rating_give(
            invitation=rating.invitation, stars=3, review="Now it is worse.", actor=desk.person
        )
        rating.refresh_from_db()
        assert rating.review_status == ReviewStatus.PUBLISHED

    def test_personal_data_is_flagged_and_masked_when_published(self, desk: Desk, rated: Any) -> None:
        rating = rated(
            "Call me on 0812-3456-7890 or write siti@example.test; NIK 3171015508900001, passport B1234567."
        )
        assert rating.flags == ["email", "nik", "phone", "passport"]
        assert rating.review_status == ReviewStatus.PENDING
        published = services.rating_approve(rating=rating, actor=desk.admin)
        assert published.published_review == (
            f"Call me on {checks.MASK} or write {checks.MASK}; NIK {checks.MASK}, passport {checks.MASK}."
        )
        assert published.review.startswith("Call me on 0812")  # kept as written, for staff only
        assert Event.objects.get(code="rating.approved").details == {"masked": True}


class TestReply:
    def test_the_office_replies_once_under_a_published_review(self, desk: Desk, rated: Any) -> None:
        rating = rated()
        with pytest.raises(Conflict):
            services.rating_reply(rating=rating, body="Thank you for your review.", actor=desk.supervisor)
        rating = services.rating_approve(rating=rating, actor=desk.admin)
        for outsider in (desk.officer, desk.other_admin, desk.national):
            with pytest.raises(PermissionDenied):
                services.rating_reply(rating=rating, body="Thank you for your review.", actor=outsider)
        with pytest.raises(ValidationError) as short:
            services.rating_reply(rating=rating, body="Thanks", actor=desk.supervisor)
        assert short.value.field == "reply"
        services.rating_reply(rating=rating, body="Thank you for your review.", actor=desk.supervisor)
        with pytest.raises(Conflict):
            services.rating_reply(rating=rating, body="A second reply is refused.", actor=desk.admin)
        assert [r.reply for r in selectors.office_summary(desk.office.pk).reviews] == [
            "Thank you for your review."
        ]


class TestAverages:
    def test_per_office_and_per_service(self, desk: Desk, django_capture_on_commit_callbacks: Any) -> None:
        passport = desk.world.service("paspor-biasa")
        visa = desk.world.service("e-paspor")
        assert selectors.office_summary(desk.office.pk).count == 0  # cached empty...
        with django_capture_on_commit_callbacks(execute=True):
            for stars, service, office in (
                (5, passport, None),
                (4, passport, None),
                (2, visa, None),
                (1, passport, desk.other_office),
            ):
                services.rating_give(
                    invitation=desk.invitation(service=service, office=office), stars=stars, actor=desk.person
                )
        here = selectors.office_summary(desk.office.pk)  # ...and renewed by the ratings
        assert (here.average, here.count) == (3.67, 3)
        assert dict(here.by_stars) == {5: 1, 4: 1, 3: 0, 2: 1, 1: 0}
        with translation.override("en"):
            assert here.average_label == "3.7"
        with translation.override("id"):
            assert here.average_label == "3,7"
        there = selectors.service_summary(passport.pk)
        assert (there.average, there.count) == (3.33, 3)
        assert selectors.service_summary(visa.pk).average == 2.0


class TestSuggestions:
    def test_the_box_takes_signed_in_suggestions(self, desk: Desk) -> None:
        with pytest.raises(PermissionDenied):
            services.suggestion_submit(
                text="A longer idea here", office=None, service=None, actor=AnonymousUser()
            )
        with pytest.raises(ValidationError) as short:
            services.suggestion_submit(text="Too short", office=None, service=None, actor=desk.person)
        assert short.value.field == "suggestion"
        made = services.suggestion_submit(
            text="Open on Saturday mornings.", office=desk.office, service=None, actor=desk.person
        )
        assert made.status == SuggestionStatus.NEW

    def test_done_says_publicly_what_changed(self, desk: Desk) -> None:
        made = services.suggestion_submit(
            text="Open on Saturday mornings.", office=desk.office, service=None, actor=desk.person
        )
        with pytest.raises(PermissionDenied):
            services.suggestion_decide(
                suggestion=made, status="done", note="We open now.", actor=desk.other_admin
            )
        with pytest.raises(ValidationError) as no_note:
            services.suggestion_decide(suggestion=made, status="done", note="", actor=desk.admin)
        assert no_note.value.field == "note"
        services.suggestion_decide(suggestion=made, status="considering", actor=desk.admin)
        assert selectors.changes_made() == []
        services.suggestion_decide(
            suggestion=made, status="done", note="We open on Saturdays from 08:00 to 12:00.", actor=desk.admin
        )
        assert [s.note for s in selectors.changes_made()] == ["We open on Saturdays from 08:00 to 12:00."]

    def test_staff_read_only_their_offices_suggestions(self, desk: Desk) -> None:
        here = services.suggestion_submit(
            text="More chairs, please.", office=desk.office, service=None, actor=desk.person
        )
        there = services.suggestion_submit(
            text="More chairs there too.", office=desk.other_office, service=None, actor=desk.person
        )
        national = services.suggestion_submit(
            text="An app for the phone.", office=None, service=None, actor=desk.person
        )
        assert selectors.suggestions_for_staff(desk.admin) == [here]
        assert set(selectors.suggestions_for_staff(desk.national)) == {here, there, national}
        assert selectors.suggestions_for_staff(desk.supervisor) == []
