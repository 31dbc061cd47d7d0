"""Public participation's answer to the data-protection rights (UU PDP): a person's own posts,
proposals, answers, supports and reports exported (never the replies of others); on erasure the
debate stays readable, its author shown as a former participant, and the words nobody needs go."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from gerbang.core import data_subjects
from gerbang.core import events as core_events
from gerbang.core.models import Event
from gerbang.participation import data_subject, services
from gerbang.participation.models import Answer, Post, PostReport, PostStatus, PostSupport, Proposal
from gerbang.participation.tests.conftest import World, good_answers

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def debate(world: World) -> dict[str, Any]:
    """Budi and Siti debate; each proposes, supports the other, answers a survey in words; Budi
    reports Siti's second post, which a moderator removes."""
    budi, siti = world.people[0], world.people[1]
    debate = world.debate()
    first = services.post_publish(actor=budi, debate=debate, body="Budi thinks mornings are better.").post
    reply = services.post_publish(
        actor=siti, debate=debate, body="Siti replies: afternoons suit workers.", parent=first
    ).post
    removed = services.post_publish(actor=siti, debate=debate, body="Siti adds something rude here.").post
    services.post_report(actor=budi, post=removed, reason="abuse", note="Budi finds this rude")
    services.post_moderate(actor=world.supervisor, post=removed, restore=False, reason="Abusive words")
    services.post_support(actor=budi, post=reply)
    services.post_support(actor=siti, post=first)
    budi_proposal = services.proposal_submit(
        actor=budi,
        title="Budi's Saturday counter",
        body="Budi proposes Saturday openings at every office.",
        office=world.office,
    ).proposal
    siti_proposal = services.proposal_submit(
        actor=siti,
        title="Siti's evening slots",
        body="Siti proposes evening slots on weekdays for workers.",
        office=world.office,
    ).proposal
    services.proposal_support(actor=siti, proposal=budi_proposal)
    survey = world.survey(office=world.office)
    for person, words in ((budi, "Budi wants more chairs."), (siti, "Siti wants shade.")):
        answers = good_answers(survey)
        answers[list(answers)[-1]] = words
        services.survey_answer(actor=person, survey=survey, answers=answers)
    return {
        "budi": budi,
        "siti": siti,
        "debate": debate,
        "first": first,
        "reply": reply,
        "removed": removed,
        "budi_proposal": budi_proposal,
        "siti_proposal": siti_proposal,
        "survey": survey,
    }


def test_the_export_holds_the_person_s_own_part_and_never_another_s(debate: dict[str, Any]) -> None:
    sections = {s.key: s for s in data_subject.export(debate["budi"])}
    text = json.dumps([s.rows for s in sections.values()])
    for mine in (
        "Budi thinks mornings are better.",
        "Budi proposes Saturday openings at every office.",
        "Budi wants more chairs.",
        "Budi finds this rude",
    ):
        assert mine in text
    # What Siti wrote, even in reply to him or in what he reported or supported, is not his.
    assert "Siti" not in text
    assert sections["supports"].rows[0]["debate"] == "Morning or afternoon quota?"
    assert sections["posts"].rows[0]["shown_as"] == debate["first"].display_name
    assert {a["kind"] for a in sections["survey_answers"].rows[0]["answers"]} == {
        "single",
        "multiple",
        "scale",
        "ranking",
        "text",
    }


def test_a_dry_run_writes_nothing(debate: dict[str, Any]) -> None:
    events = Event.objects.count()
    outcomes = {o.key: o for o in data_subject.erase(debate["siti"], timezone.now(), True)}
    assert (outcomes["participation.posts"].pseudonymised, outcomes["participation.posts"].erased) == (1, 1)
    assert outcomes["participation.proposals"].pseudonymised == 1
    assert (outcomes["participation.surveys"].erased, outcomes["participation.surveys"].pseudonymised) == (
        1,
        1,
    )
    assert (outcomes["participation.supports"].pseudonymised, outcomes["participation.supports"].erased) == (
        2,
        0,
    )
    assert Event.objects.count() == events
    assert Post.objects.get(pk=debate["removed"].pk).body == "Siti adds something rude here."


def test_erasure_keeps_the_debate_readable_without_the_person(debate: dict[str, Any]) -> None:
    siti = debate["siti"]
    data_subject.erase(siti, timezone.now(), False)
    reply = Post.objects.get(pk=debate["reply"].pk)
    assert reply.display_name == "" and reply.body == "Siti replies: afternoons suit workers."
    assert reply.status == PostStatus.VISIBLE and reply.shown_as == "Former participant"
    removed = Post.objects.get(pk=debate["removed"].pk)
    assert removed.body == "" and removed.moderation_reason == ""
    # The moderator's reason went from its event too; the event itself stays.
    decision = Event.objects.select_related("note").get(
        code="participation.post_removed", subject_id=str(removed.pk)
    )
    assert core_events.note_of(decision) is None
    assert Proposal.objects.get(pk=debate["siti_proposal"].pk).author_name == "Former participant"
    assert not Answer.objects.filter(response__respondent=siti).exclude(text="").exists()
    assert Answer.objects.filter(response__respondent=siti).count() == 5  # the choices stay
    assert PostSupport.objects.filter(user=siti).count() == 1  # still counted
    # Budi's part is untouched (his report of her post keeps its note: it is his).
    assert Post.objects.get(pk=debate["first"].pk).display_name != ""
    assert PostReport.objects.get(reporter=debate["budi"]).note == "Budi finds this rude"
    assert "Budi wants more chairs." in [
        a.text for a in Answer.objects.filter(response__respondent=debate["budi"])
    ]
    # Every page that shows her words still opens, naming nobody.
    name = debate["first"].display_name
    english = Client()
    english.cookies["django_language"] = "en"
    page = english.get(reverse("participation:debate", args=[debate["debate"].pk])).content.decode()
    assert "Former participant" in page and "Siti replies" in page and name in page
    proposal_page = english.get(reverse("participation:proposal", args=[debate["siti_proposal"].pk]))
    assert proposal_page.status_code == 200 and "Former participant" in proposal_page.content.decode()
    api = english.get(f"/api/v1/debates/{debate['debate'].pk}", HTTP_ACCEPT_LANGUAGE="en").json()
    assert "Former participant" in json.dumps(api)
    assert Event.objects.get(code="participation.person_erased").subject_id == str(siti.pk)


def test_the_people_whose_words_staff_read_are_traced(world: World, debate: dict[str, Any]) -> None:
    from gerbang.accounts.tests.factories import sign_in_with_2fa

    staff = Client()
    sign_in_with_2fa(staff, world.supervisor)
    assert staff.get(reverse("backoffice:participation_texts")).status_code == 200
    read = Event.objects.filter(code="participation.texts_read")
    assert read.count() == 2 and {e.subject_type for e in read} == {"participation.answer"}
    owners = data_subjects.owners_of("participation.answer", [*(e.subject_id for e in read), str(2**63)])
    assert set(owners.values()) == {debate["budi"].pk, debate["siti"].pk}


def test_owners_of_posts_and_proposals(debate: dict[str, Any], world: World) -> None:
    official = services.post_publish_official(
        actor=world.supervisor, debate=debate["debate"], body="Kantor menjawab."
    ).post
    owners = data_subjects.owners_of(
        "participation.post", [str(debate["first"].pk), str(debate["reply"].pk), str(official.pk), "x"]
    )
    assert owners == {str(debate["first"].pk): debate["budi"].pk, str(debate["reply"].pk): debate["siti"].pk}
    assert data_subjects.owners_of(
        "participation.proposal", [str(debate["siti_proposal"].pk), str(2**64)]
    ) == {str(debate["siti_proposal"].pk): debate["siti"].pk}


def test_official_answers_are_not_a_staff_member_s_posts(world: World, debate: dict[str, Any]) -> None:
    services.post_publish_official(actor=world.supervisor, debate=debate["debate"], body="Kantor menjawab.")
    assert data_subject.export(world.supervisor) == []
