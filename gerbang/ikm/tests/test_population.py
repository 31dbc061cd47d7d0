"""The population of the survey: every occasion served, counted by the IKM itself from the
events of the apps that serve people (a walk-in without an account or an invitation too),
once per occasion, completed by the reconciliation, and used for the minimum sample."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gerbang.applications.tests import factories as f
from gerbang.appointments.tests.factories import NOW, weekday_hours
from gerbang.core.actors import WORKER
from gerbang.feedback import services as consultations
from gerbang.ikm import computation, selectors, services, subscribers
from gerbang.ikm.models import Result, Served
from gerbang.ikm.periods import Period, PeriodKind
from gerbang.ikm.tests.conftest import answers, invite
from gerbang.queueing import services as queue
from gerbang.queueing.events import TicketCompleted
from gerbang.queueing.tests.factories import floor, opened, walk_ins
from gerbang.satisfaction.models import Invitation, Occasion

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db: None) -> f.World:
    return f.make_world()


def _serve_a_walk_in(world: f.World, capture: Any) -> Any:
    weekday_hours(world.office, capacity=20)
    place = floor(world.office)
    counter = opened(place.counters[0], world.officer)
    (ticket,) = walk_ins(place, world.officer, 1)
    with capture(execute=True):
        called = queue.call_next(counter=counter, actor=world.officer)
        assert called is not None and called.pk == ticket.pk
        return queue.ticket_complete(ticket=called, actor=world.officer)


def test_a_walk_in_ticket_is_counted_without_an_account_or_invitation(
    world: f.World, django_capture_on_commit_callbacks: Any
) -> None:
    with time_machine.travel(NOW, tick=False):
        ticket = _serve_a_walk_in(world, django_capture_on_commit_callbacks)
        served = Served.objects.get()
        assert (served.occasion, served.occasion_id) == (Occasion.VISIT, ticket.pk)
        assert (served.office, served.service, served.served_month) == (
            world.office,
            None,
            selectors.month_of(ticket.ended_at),
        )
        # Counted by the IKM itself: the satisfaction app's invitation plays no part.
        Invitation.objects.all().delete()
        month = Period.containing(PeriodKind.MONTH, timezone.localdate())
        assert selectors.populations(month) == {(world.office.pk, None): 1}


def test_a_repeated_event_is_counted_once(world: f.World, django_capture_on_commit_callbacks: Any) -> None:
    with time_machine.travel(NOW, tick=False):
        ticket = _serve_a_walk_in(world, django_capture_on_commit_callbacks)
        again = TicketCompleted(ticket=ticket, at=timezone.now())
        subscribers.count(again)
        subscribers.count(again)
        assert not services.served_count(
            occasion=Occasion.VISIT,
            occasion_id=ticket.pk,
            office_id=ticket.office_id,
            service_id=None,
            served_at=timezone.now(),
            actor=WORKER,
        )
        # Nor by the reconciliation, which finds the ticket and its invitation.
        assert services.served_reconcile(actor=WORKER) == 0
        assert Served.objects.count() == 1


def test_a_closed_question_missed_by_the_subscriber_is_reconciled_once(world: f.World) -> None:
    asker = world.applicant
    asked = consultations.consultation_open(
        asker=asker,
        office=world.office,
        topic="other",
        subject="Opening hours",
        body="Are you open on Saturday?",
    )
    consultations.consultation_answer(
        consultation=asked, body="No, Monday to Friday only.", actor=world.officer
    )
    # Closed without running the after-commit subscribers: as if the worker had stopped.
    consultations.consultation_close(consultation=asked, actor=asker)
    assert not Served.objects.exists() and not Invitation.objects.exists()
    assert services.served_reconcile(actor=WORKER) == 1
    assert services.served_reconcile(actor=WORKER) == 0
    served = Served.objects.get()
    assert (served.occasion, served.occasion_id, served.office) == (
        Occasion.CONSULTATION,
        asked.pk,
        world.office,
    )
    out = StringIO()
    call_command("ikm_reconcile", stdout=out)
    assert out.getvalue().startswith("0 occasions served counted;")


def test_the_population_counts_the_uninvited_and_sets_the_warning(client: Client, office_a: Any) -> None:
    invitation = invite(office=office_a)
    services.response_submit(invitation=invitation, answers=answers(), actor=WORKER)
    # Five more people served (walk-ins, cases collected) that were never invited.
    for number in range(5):
        assert services.served_count(
            occasion=Occasion.VISIT,
            occasion_id=800_000 + number,
            office_id=office_a.pk,
            service_id=None,
            served_at=timezone.now(),
            actor=WORKER,
        )
    services.results_compute(actor=WORKER)
    month = Period.containing(PeriodKind.MONTH, timezone.localdate())
    result = Result.objects.get(scope=f"{office_a.code}/all/{month.slug}")
    # One invitation, six occasions served: the minimum sample of six is six.
    assert Invitation.objects.count() == 1
    assert (result.respondents, result.population) == (1, 6)
    assert result.minimum_sample == computation.minimum_sample(6) == 6 and result.below_sample
    response = client.get(reverse("ikm:office", args=[office_a.code]), {"period": month.slug})
    assert response.context["result"] == result
    assert 'id="sample-warning"' in response.content.decode()


def test_the_migration_counts_every_invitation_already_made(office_a: Any) -> None:
    import importlib

    from django.apps import apps

    migration = importlib.import_module("gerbang.ikm.migrations.0005_served_from_invitations")
    made = [invite(office=office_a) for _ in range(3)]
    migration.forwards(apps, None)
    migration.forwards(apps, None)  # again: nothing twice
    assert sorted(Served.objects.values_list("occasion", "occasion_id", "office", "served_month")) == sorted(
        (each.occasion, each.occasion_id, office_a.pk, selectors.month_of(each.served_at)) for each in made
    )
