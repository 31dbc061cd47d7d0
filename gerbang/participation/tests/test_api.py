"""The API for the mobile app: read and answer surveys, results once closed, read a debate and
post in it, list and support proposals. Anyone reads; taking part needs a signed-in person."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from gerbang.participation import selectors, services
from gerbang.participation.models import PostStatus, Response
from gerbang.participation.tests.conftest import World, good_answers

pytestmark = pytest.mark.django_db


def post(client: Client, url: str, data: dict[str, Any] | None = None) -> Any:
    return client.post(url, json.dumps(data or {}), content_type="application/json")


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_read_and_answer_a_survey(world: World) -> None:
    survey = world.survey()
    listed = Client().get("/api/v1/surveys").json()
    assert [s["id"] for s in listed] == [survey.pk] and listed[0]["open"] is True
    detail = Client().get(f"/api/v1/surveys/{survey.pk}").json()
    assert [q["kind"] for q in detail["questions"]] == ["single", "multiple", "scale", "ranking", "text"]
    with translation.override("id"):  # the API answers in the site's default language
        assert detail["cannot_answer"] == str(selectors.NOT_SIGNED_IN)
    url = f"/api/v1/surveys/{survey.pk}/answers"
    assert post(Client(), url, {"answers": {}}).status_code == 401
    client = signed_in(world.people[0])
    answers = {str(k): v for k, v in good_answers(survey).items()}
    bad = post(client, url, {"answers": {**answers, str(detail["questions"][2]["id"]): 7}})
    assert bad.status_code == 400 and bad.json()["field"] == f"q{detail['questions'][2]['id']}"
    assert post(client, url, {"answers": answers}).status_code == 201
    again = post(client, url, {"answers": answers})
    assert again.status_code == 409
    assert Response.objects.filter(survey=survey).count() == 1
    assert Client().get(f"/api/v1/surveys/{survey.pk}/results").status_code == 404


def test_results_after_the_close(world: World, settings: Any) -> None:
    settings.SURVEY_RESULTS_MIN_RESPONDENTS = 1
    survey = world.survey(office=world.office)
    services.survey_answer(actor=world.people[0], survey=survey, answers=good_answers(survey))
    services.survey_close(actor=world.supervisor, survey=survey)
    results = Client().get(f"/api/v1/surveys/{survey.pk}/results").json()
    assert results[2]["mean"] == 4.0
    assert results[4]["texts"] == []  # not moderated yet


def test_read_a_debate_and_post(world: World) -> None:
    debate = world.debate()
    hidden = services.post_publish(actor=world.people[4], debate=debate, body="Fast passports, call us.").post
    for reader in world.people[1:4]:
        services.post_report(actor=reader, post=hidden, reason="spam")
    assert hidden.__class__.objects.get(pk=hidden.pk).status == PostStatus.HIDDEN
    url = f"/api/v1/debates/{debate.pk}/posts"
    assert post(Client(), url, {"body": "Hello there."}).status_code == 401
    created = post(signed_in(world.people[0]), url, {"body": "Write to me at budi@example.test please."})
    assert created.status_code == 201
    assert created.json()["masked"] is True and created.json()["author"] == "Budi S."
    posts = Client().get(f"/api/v1/debates/{debate.pk}").json()["posts"]
    # The hidden one stands as a placeholder: neither its author nor its text is shown.
    assert [(p["id"], p["status"]) for p in posts] == [
        (hidden.pk, "hidden"),
        (created.json()["id"], "visible"),
    ]
    assert posts[0]["body"] == "" and posts[0]["author"] == ""
    assert "Fast passports" not in Client().get(f"/api/v1/debates/{debate.pk}").content.decode()
    short = post(signed_in(world.people[1]), url, {"body": "no"})
    assert short.status_code == 400 and short.json()["field"] == "body"


def test_list_and_support_proposals(world: World) -> None:
    proposal = services.proposal_submit(
        actor=world.people[0],
        title="Saturday service",
        body="Open the passport counters on two Saturdays a month for workers.",
        office=world.office,
        threshold=1,
    ).proposal
    listed = Client().get("/api/v1/proposals").json()
    assert listed[0]["author"] == "Budi S." and listed[0]["threshold"] == 1
    url = f"/api/v1/proposals/{proposal.pk}/supports"
    assert post(Client(), url).status_code == 401
    supported = post(signed_in(world.people[1]), url).json()
    assert supported["status"] == "awaiting" and supported["answer_due"] is not None
    assert post(signed_in(world.people[1]), url).status_code == 409


def test_list_debates_and_make_a_proposal(world: World) -> None:
    debate = world.debate()
    services.post_publish(actor=world.people[0], debate=debate, body="Afternoon sessions help.")
    assert Client().get("/api/v1/debates").json() == [
        {
            "id": debate.pk,
            "title": "Morning or afternoon quota?",
            "title_id": "Morning or afternoon quota?",
            "title_en": "Morning or afternoon quota?",
            "office": "mesuji",
            "closed": False,
            "posts": 1,
        }
    ]
    client = signed_in(world.people[0])
    assert post(Client(), "/api/v1/proposals", {"title": "x", "body": "y"}).status_code == 401
    bad = post(
        client, "/api/v1/proposals", {"title": "Saturday service", "body": "Too short", "office": "nope"}
    )
    assert bad.status_code == 400 and bad.json()["field"] == "office"
    made = post(
        client,
        "/api/v1/proposals",
        {
            "title": "Saturday service",
            "body": "Open on two Saturdays a month, call 081234567890.",
            "office": "mesuji",
        },
    )
    assert made.status_code == 201 and made.json()["masked"] is True
    assert Client().get(f"/api/v1/proposals/{made.json()['id']}").json()["office"] == "mesuji"


def test_a_draft_survey_is_not_in_the_api(world: World) -> None:
    draft = world.survey(publish=False)
    assert Client().get("/api/v1/surveys").json() == []
    assert Client().get(f"/api/v1/surveys/{draft.pk}").status_code == 404
    url = f"/api/v1/surveys/{draft.pk}/answers"
    assert post(signed_in(world.people[0]), url, {"answers": {}}).status_code == 404
    assert not Response.objects.exists()
