"""Reads: who may answer, what the public sees, and the staff's lists scoped to their offices
(national items to whoever sees every office)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone, translation

from gerbang.core.actors import DEMO
from gerbang.core.permissions import Perm
from gerbang.participation import selectors, services
from gerbang.participation.tests.conftest import World, good_answers

pytestmark = pytest.mark.django_db


def test_who_may_answer(world: World) -> None:
    survey = world.survey()
    assert selectors.why_not_answer(AnonymousUser(), survey) == str(selectors.NOT_SIGNED_IN)
    assert selectors.why_not_answer(world.national, survey) == str(selectors.STAFF_CANNOT)
    assert selectors.why_not_answer(world.people[0], survey) is None
    services.survey_answer(actor=world.people[0], survey=survey, answers=good_answers(survey))
    assert selectors.why_not_answer(world.people[0], survey) == str(selectors.ALREADY_ANSWERED)


def test_the_public_sees_surveys_once_they_open(world: World) -> None:
    opened = world.survey(title_id="Already open")
    later = world.survey(title_id="Opens next week", opens_at=timezone.now() + dt.timedelta(days=7))
    assert list(selectors.surveys_public()) == [opened]
    assert selectors.survey_public(later.pk) is None
    assert list(selectors.open_surveys()) == [opened]
    services.survey_close(actor=DEMO, survey=opened)
    assert list(selectors.open_surveys()) == []


def test_results_name_nobody(world: World) -> None:
    survey = world.survey()
    for person in world.people[:2]:
        services.survey_answer(actor=person, survey=survey, answers=good_answers(survey))
    shown = repr(selectors.survey_results(survey))
    for person in world.people[:2]:
        assert person.email not in shown and person.full_name not in shown


def test_staff_lists_are_scoped(world: World) -> None:
    national = world.survey(title_id="National")
    mesuji = world.survey(title_id="Mesuji", office=world.office)
    makassar = world.survey(title_id="Makassar", office=world.other_office)
    assert set(selectors.surveys_for_staff(world.supervisor)) == {mesuji}
    assert set(selectors.surveys_for_staff(world.other_supervisor)) == {makassar}
    assert set(selectors.surveys_for_staff(world.national)) == {national, mesuji, makassar}
    assert selectors.survey_for_staff(world.supervisor, makassar.pk) is None
    assert list(selectors.surveys_for_staff(world.people[0])) == []


def test_who_runs_what(world: World) -> None:
    assert selectors.can_run(world.supervisor, world.office)
    assert not selectors.can_run(world.supervisor, world.other_office)
    assert not selectors.can_run(world.supervisor, None)
    assert not selectors.can_run(world.officer, world.office)
    assert selectors.can_run(world.national, None) and selectors.can_run(world.national, world.other_office)
    assert not selectors.can_run(world.officer, world.office, Perm.PARTICIPATION_MODERATE)
    assert not selectors.can_run(world.people[0], world.office)


def test_a_hidden_post_leaves_a_placeholder_and_keeps_the_replies_of_others(world: World) -> None:
    debate = world.debate()
    post = services.post_publish(actor=world.people[0], debate=debate, body="A contested opinion.").post
    reply = services.post_publish(
        actor=world.people[1], debate=debate, body="A reply to it.", parent=post
    ).post
    other = services.post_publish(actor=world.people[1], debate=debate, body="Another thought.").post
    for reader in world.people[1:4]:
        services.post_report(actor=reader, post=post, reason="spam")
    threads = selectors.threads_of(debate)
    assert [(t.post, t.placeholder) for t in threads] == [(post, "hidden"), (other, "")]
    assert [child.post for child in threads[0].replies] == [reply]
    services.post_moderate(actor=world.national, post=post, restore=False, reason="An advert for a broker.")
    with translation.override("en"):
        threads = selectors.threads_of(debate)
    assert threads[0].placeholder == "removed" and threads[0].removed_for == "Spam or advertising"
    assert [child.post for child in threads[0].replies] == [reply]


def test_what_a_reader_did_is_marked(world: World) -> None:
    debate = world.debate()
    post = services.post_publish(actor=world.people[0], debate=debate, body="Afternoon sessions help.").post
    services.post_support(actor=world.people[1], post=post)
    services.post_report(actor=world.people[2], post=post, reason="off_topic")
    supporter = selectors.threads_of(debate, world.people[1])[0]
    reporter = selectors.threads_of(debate, world.people[2])[0]
    assert supporter.supported and not supporter.reported
    assert reporter.reported and not reporter.supported
