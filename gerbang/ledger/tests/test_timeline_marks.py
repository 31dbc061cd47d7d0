"""The case's timeline marks each step that is in the public log, links it to its proof, and
the proof page shows a proof that verifies, and nothing of the event but its leaf."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from gerbang.applications.selectors import timeline, track
from gerbang.applications.tests import factories as f
from gerbang.core import events
from gerbang.core.actors import WORKER
from gerbang.core.models import Event
from gerbang.ledger import keys
from gerbang.ledger.models import Leaf
from gerbang.ledger.panels import LOGGED, PENDING, event_log_states
from gerbang.ledger.proof_views import LEAF_FIELDS
from gerbang.ledger.services import log_integrate
from gerbang.ledger.tlog.checkpoint import open_checkpoint
from gerbang.ledger.tlog.merkle import leaf_hash, verify_inclusion

pytestmark = pytest.mark.django_db

MARKED = re.compile(r'data-ledger-event="(\d+)"')
PENDING_TEXT = "not yet in the log (within a minute)"


@pytest.fixture
def world() -> f.World:
    return f.make_world()


def case_page(application: Any) -> str:
    applicant = application.applicant
    applicant.language = "en"
    applicant.save(update_fields=["language"])
    browser = Client()
    browser.force_login(applicant)
    response = browser.get(reverse("applications:detail", args=[application.pk]))
    assert response.status_code == 200
    return response.content.decode()


def step_ids(application: Any) -> list[int]:
    return [entry.event_id for entry in timeline(application) if entry.event_id is not None]


def test_the_case_page_marks_only_the_steps_in_the_log(world: f.World) -> None:
    application = f.submitted(world)
    steps = step_ids(application)
    assert steps
    page = case_page(application)
    assert MARKED.findall(page) == []
    assert page.count(PENDING_TEXT) == len(steps)

    log_integrate(actor=WORKER)
    later = events.record(
        "application.issue_bill",
        actor=WORKER,
        subject=application,
        details={"public": True},
        office_id=application.office_id,
    )
    page = case_page(application)
    assert [int(n) for n in MARKED.findall(page)] == steps
    for event_id in steps:
        assert reverse("ledger:proof", args=[event_id]) in page
    assert reverse("ledger:proof", args=[later.pk]) not in page
    assert page.count(PENDING_TEXT) == 1
    assert "ledger/verify.js" in page
    # One fetch of the script per step is enough for the browser: the script runs once.
    assert page.count('data-text-verified="verified ✓"') == len(steps)


def test_events_the_log_does_not_keep_get_no_mark(world: f.World) -> None:
    application = f.submitted(world)
    kept = events.record("application.approve", actor=WORKER, subject=application, details={})
    not_kept = events.record("catalog.service_changed", actor=WORKER, subject=application, details={})
    assert event_log_states([kept.pk, not_kept.pk]) == {kept.pk: PENDING}
    log_integrate(actor=WORKER)
    assert event_log_states([kept.pk, not_kept.pk, 10**9]) == {kept.pk: LOGGED}


def test_public_tracking_marks_the_steps_in_the_log(world: f.World, client: Client) -> None:
    application = f.submitted(world)
    log_integrate(actor=WORKER)
    response = client.post(
        reverse("applications:track"), {"number": application.number, "date_of_birth": "15/08/1990"}
    )
    page = response.content.decode()
    shown = [int(n) for n in MARKED.findall(page)]
    tracked = track(str(application.number), date(1990, 8, 15))
    assert tracked is not None
    assert shown
    assert shown == [step.event_id for step in tracked.steps]
    assert set(shown) <= set(Leaf.objects.values_list("event_id", flat=True))


def test_the_proof_page_shows_a_proof_that_verifies(world: f.World, client: Client) -> None:
    application = f.submitted(world)
    log_integrate(actor=WORKER)
    # The submission: an event the applicant made, whose leaf names them by a keyed hash only.
    event_id = Event.objects.get(code="application.submit", subject_id=str(application.pk)).pk
    assert event_id in step_ids(application)
    response = client.get(reverse("ledger:proof", args=[event_id]))
    assert response.status_code == 200
    proof = response.context["proof"]
    body, _note = open_checkpoint(proof.checkpoint, keys.verifier(), origin=keys.origin())
    assert body.size == proof.tree_size
    assert leaf_hash(proof.leaf) == proof.leaf_hash
    verify_inclusion(proof.leaf_index, proof.tree_size, proof.leaf_hash, proof.hashes, body.root_hash)
    page = response.content.decode()
    assert "What “verified” means" in page
    assert "python -m gerbang.ledger verify" in page
    assert "Verifying the log yourself" in page
    # Only the leaf's own fields, and nothing of the person: no name, no address, no user id.
    assert {name for name, _value in response.context["leaf_fields"]} <= set(LEAF_FIELDS)
    applicant = application.applicant
    for personal in (applicant.email, applicant.full_name, f.NIK_MAN, str(application.number)):
        assert personal not in page
    actor = dict(response.context["leaf_fields"])["actor"]
    assert actor is not None and actor != str(applicant.pk) and len(actor) == 64


def test_the_proof_page_of_a_step_not_yet_in_the_log(world: f.World, client: Client) -> None:
    application = f.submitted(world)
    event_id = step_ids(application)[-1]
    response = client.get(reverse("ledger:proof", args=[event_id]))
    assert response.status_code == 404
    assert "not yet in the log" in response.content.decode()
    log_integrate(actor=WORKER)
    unknown = client.get(reverse("ledger:proof", args=[10**9]))
    assert unknown.status_code == 404
    assert "holds no step with this number" in unknown.content.decode()
