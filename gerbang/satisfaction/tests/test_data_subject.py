"""The satisfaction app's answer to the data-protection rights (UU PDP): invitations, ratings,
reviews and suggestions exported; on erasure the stars stay unlinked, the words go."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gerbang.core import data_subjects
from gerbang.core.models import Event
from gerbang.satisfaction import data_subject, services
from gerbang.satisfaction.models import Invitation, Rating, ReviewStatus, Suggestion
from gerbang.satisfaction.tests.conftest import Desk

pytestmark = pytest.mark.django_db


@pytest.fixture
def both(desk: Desk, rated: Callable[..., Any]) -> dict[str, Any]:
    """Each person rated a visit with a published review, got the office's reply, and dropped a
    suggestion with their phone number in it."""
    made: dict[str, Any] = {}
    for who, person in (("siti", desk.person), ("agus", desk.other_person)):
        rating = rated(
            review=f"Quick service, thank you from {who}.", stars=5 if who == "siti" else 2, person=person
        )
        rating = services.rating_approve(rating=rating, actor=desk.admin)
        services.rating_reply(rating=rating, body=f"Thank you, {who}!", actor=desk.admin)
        suggestion = services.suggestion_submit(
            text=f"Please add chairs, call {who} at 081234567{len(who)}0",
            office=desk.office,
            service=None,
            actor=person,
        )
        made[who] = (rating, suggestion)
    return made


def test_the_export_holds_the_person_s_words_and_no_one_else_s(desk: Desk, both: dict[str, Any]) -> None:
    sections = {s.key: s for s in data_subject.export(desk.person)}
    text = json.dumps([s.rows for s in sections.values()])
    assert "Quick service, thank you from siti." in text and "call siti" in text
    assert "Thank you, siti!" in text  # the office's reply to their review, by the office
    assert "agus" not in text and "Agus" not in text
    assert "Admin Mesuji" not in text
    assert sections["ratings"].rows[0]["rating"]["stars"] == 5


def test_a_dry_run_writes_nothing(desk: Desk, both: dict[str, Any]) -> None:
    events = Event.objects.count()
    outcomes = {o.key: o for o in data_subject.erase(desk.person, timezone.now(), True)}
    assert (outcomes["satisfaction.ratings"].erased, outcomes["satisfaction.ratings"].pseudonymised) == (1, 0)
    assert outcomes["satisfaction.suggestions"].pseudonymised == 1
    assert Event.objects.count() == events
    rating, suggestion = both["siti"]
    assert Rating.objects.get(pk=rating.pk).review == "Quick service, thank you from siti."
    assert Suggestion.objects.get(pk=suggestion.pk).author_id == desk.person.pk


def test_erasure_keeps_the_stars_unlinked_and_erases_the_words(desk: Desk, both: dict[str, Any]) -> None:
    rating, suggestion = both["siti"]
    token = rating.invitation.token
    office_page = reverse("catalog:office_detail", args=[desk.office.code])
    assert "thank you from siti" in Client().get(office_page).content.decode()
    data_subject.erase(desk.person, rating.given_at, False)
    fresh = Rating.objects.select_related("invitation").get(pk=rating.pk)
    assert fresh.stars == 5 and fresh.invitation.person_id is None
    assert fresh.invitation.token != token
    assert (fresh.review, fresh.published_review, fresh.reply) == ("", "", "")
    assert fresh.review_status == ReviewStatus.NONE
    kept = Suggestion.objects.get(pk=suggestion.pk)
    assert kept.author_id is None and "081234567" not in kept.text and "Please add chairs" in kept.text
    page = Client().get(office_page).content.decode()
    assert "thank you from siti" not in page and "thank you from agus" in page
    # The invitation's old address opens nothing; the average still counts the stars.
    assert services.may_rate(fresh.invitation, desk.person) is False
    assert not Invitation.objects.filter(token=token).exists()
    other_rating, other_suggestion = both["agus"]
    assert Rating.objects.get(pk=other_rating.pk).review == "Quick service, thank you from agus."
    assert Suggestion.objects.get(pk=other_suggestion.pk).author_id == desk.other_person.pk
    assert data_subject.export(desk.person) == []
    assert Event.objects.get(code="satisfaction.person_erased").subject_id == str(desk.person.pk)


def test_owners_of_invitations_ratings_and_suggestions(desk: Desk, both: dict[str, Any]) -> None:
    rating, suggestion = both["siti"]
    other_rating, _other = both["agus"]
    huge = str(2**63)
    assert data_subjects.owners_of("satisfaction.rating", [str(rating.pk), str(other_rating.pk), huge]) == {
        str(rating.pk): desk.person.pk,
        str(other_rating.pk): desk.other_person.pk,
    }
    assert data_subjects.owners_of("satisfaction.invitation", [str(rating.invitation_id), "nope"]) == {
        str(rating.invitation_id): desk.person.pk
    }
    assert data_subjects.owners_of("satisfaction.suggestion", [str(suggestion.pk), huge]) == {
        str(suggestion.pk): desk.person.pk
    }
    data_subject.erase(desk.person, rating.given_at, False)
    assert data_subjects.owners_of("satisfaction.rating", [str(rating.pk)]) == {}
