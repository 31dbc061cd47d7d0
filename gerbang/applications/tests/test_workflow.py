"""The workflow table: its snapshot, and random sequences of actions by random people that
must never take a case anywhere the table does not allow."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gerbang.applications import selectors, services, workflow
from gerbang.applications.models import Application
from gerbang.applications.tests import factories as f
from gerbang.applications.workflow import Action, Actor, State
from gerbang.core.exceptions import ApplicationError
from gerbang.core.models import Event
from gerbang.payments import services as payments


def test_the_table_snapshot() -> None:
    rows = {row["action"]: (row["from"], row["to"], row["by"]) for row in workflow.table_snapshot()}
    assert rows == {
        "submit": (["draft"], "submitted", ["applicant"]),
        "issue_bill": (["submitted"], "awaiting_payment", ["system"]),
        "record_payment": (["awaiting_payment"], "paid", ["officer", "supervisor", "system"]),
        "expire": (["awaiting_payment"], "expired", ["system"]),
        "reissue_bill": (["expired"], "awaiting_payment", ["applicant"]),
        "cancel": (
            ["awaiting_payment", "correction_requested", "draft", "submitted"],
            "cancelled",
            ["applicant"],
        ),
        "await_checks": (["paid"], "awaiting_external_check", ["system"]),
        "checks_done": (["awaiting_external_check"], "paid", ["system"]),
        "start_verification": (["paid"], "in_verification", ["officer", "supervisor"]),
        "request_correction": (["in_verification"], "correction_requested", ["officer", "supervisor"]),
        "resubmit": (["correction_requested"], "in_verification", ["applicant"]),
        "send_to_interview": (["in_verification"], "awaiting_appointment", ["officer", "supervisor"]),
        "send_to_review": (["in_verification"], "in_review", ["officer", "supervisor"]),
        "complete_interview": (["awaiting_appointment"], "in_review", ["officer", "supervisor"]),
        "approve": (["in_review"], "approved", ["officer", "supervisor"]),
        "reject": (
            ["awaiting_appointment", "in_review", "in_verification"],
            "rejected",
            ["officer", "supervisor"],
        ),
        "mark_ready": (["approved"], "ready_for_pickup", ["officer", "supervisor"]),
        "mark_collected": (["ready_for_pickup"], "collected", ["officer", "supervisor"]),
        "reverse_decision": (["approved", "rejected"], "in_review", ["supervisor"]),
    }


def test_every_state_is_reachable_and_final_states_have_no_way_out_but_reversal() -> None:
    reachable = {State.DRAFT}
    changed = True
    while changed:
        changed = False
        for t in workflow.TRANSITIONS:
            if reachable & t.sources and t.target not in reachable:
                reachable.add(t.target)
                changed = True
    assert reachable == set(State)
    # Out of a final state only a supervisor's reversal (rejected) or a new bill (expired).
    for state in workflow.FINAL_STATES - {State.REJECTED, State.EXPIRED}:
        assert workflow.actions_from(state) == []
    assert [t.action for t in workflow.actions_from(State.EXPIRED)] == [Action.REISSUE_BILL]


ALLOWED_MOVES = {(s, t.target, t.action) for t in workflow.TRANSITIONS for s in t.sources}
PEOPLE = ("applicant", "officer", "supervisor", "stranger_officer", "other_applicant", "office_admin")
ACTIONS = (
    "save",
    "upload",
    "submit",
    "cancel",
    "resubmit",
    "pay",
    "verify_all",
    "request_correction",
    "claim",
    "reissue",
    *[
        a.value
        for a in Action
        if a
        not in {
            Action.SUBMIT,
            Action.CANCEL,
            Action.RESUBMIT,
            Action.RECORD_PAYMENT,
            Action.REQUEST_CORRECTION,
        }
    ],
)


def _act(world: f.World, people: dict[str, Any], application: Application, who: str, action: str) -> None:
    user = people[who]
    fresh = Application.objects.get(pk=application.pk)
    if action == "save":
        services.application_save_answers(application=fresh, values={"address": "Jl. Lain 2"}, actor=user)
    elif action == "upload":
        slot = (
            fresh.corrections.filter(resolved_at__isnull=True, target_kind="document")
            .values_list("target", flat=True)
            .first()
        )
        import io

        services.document_upload(
            application=fresh,
            slot=slot or "req-0",
            upload=io.BytesIO(f.pdf_bytes(pages=3)),
            file_name="x.pdf",
            actor=user,
        )
    elif action == "submit":
        services.application_submit(application=fresh, declaration=True, actor=user)
    elif action == "cancel":
        services.application_cancel(application=fresh, actor=user)
    elif action == "reissue":
        services.bill_reissue(application=fresh, actor=user)
    elif action == "resubmit":
        services.application_resubmit(application=fresh, actor=user)
    elif action == "pay":
        payments.payment_record_counter(
            application=fresh,
            receipt_number=f"R{fresh.pk}-{fresh.version}",
            amount=fresh.fee or 0,
            paid_on=selectors.office_today(fresh),
            actor=user,
            expected_version=fresh.version,
        )
    elif action == "verify_all":
        for document in fresh.documents.filter(is_current=True):
            services.document_verify(
                document=document, actor=user, expected_version=Application.objects.get(pk=fresh.pk).version
            )
    elif action == "request_correction":
        services.corrections_request(
            application=fresh,
            items=[services.CorrectionItem("field", "address", "Full address please.")],
            actor=user,
            expected_version=fresh.version,
        )
    elif action == "claim":
        services.application_claim(application=fresh, actor=user, expected_version=fresh.version)
    else:
        services.application_transition(
            application=fresh,
            action=action,
            actor=user,
            expected_version=fresh.version,
            reason_code="other",
            reason="Because.",
        )


@pytest.fixture
def world(db: None) -> f.World:
    return f.make_world()


@pytest.fixture
def people(world: f.World) -> dict[str, Any]:
    from gerbang.accounts.models import Role
    from gerbang.accounts.tests.factories import UserFactory, staff

    return {
        "officer": world.officer,
        "supervisor": world.supervisor,
        "stranger_officer": staff(Role.OFFICER, [world.other_office]),
        "other_applicant": UserFactory.create(),
        "office_admin": staff(Role.OFFICE_ADMIN, [world.office]),
    }


def _actor_in(event: Event, application: Application, world: f.World) -> Actor:
    if event.actor_id is None:
        return Actor.SYSTEM
    if event.actor_id == application.applicant_id:
        return Actor.APPLICANT
    return {world.officer.pk: Actor.OFFICER, world.supervisor.pk: Actor.SUPERVISOR}.get(
        event.actor_id, Actor.SYSTEM
    )


STAFF_PEOPLE = {Actor.OFFICER: "officer", Actor.SUPERVISOR: "supervisor", Actor.APPLICANT: "applicant"}
# Actions of the table that the services expose under another name (with their extra input).
SERVICE_NAME = {
    Action.REISSUE_BILL: "reissue",
    Action.SUBMIT: "submit",
    Action.CANCEL: "cancel",
    Action.RESUBMIT: "resubmit",
    Action.RECORD_PAYMENT: "pay",
    Action.REQUEST_CORRECTION: "request_correction",
}


def _plausible(application: Application, pick: int) -> tuple[str, str]:
    options: list[tuple[str, str]] = []
    for transition in workflow.actions_from(application.state):
        for actor in sorted(transition.actors - {Actor.SYSTEM}):
            options.append(
                (STAFF_PEOPLE[actor], SERVICE_NAME.get(transition.action, transition.action.value))
            )
    if application.state == State.IN_VERIFICATION:
        options += [("officer", "verify_all")] * 3
    if application.state == State.CORRECTION_REQUESTED:
        options += [("applicant", "save"), ("applicant", "upload")]
    return options[pick % len(options)] if options else ("applicant", "save")


# Hypothesis reuses the function-scoped fixtures across examples, which is what we want here:
# one catalogue and staff, a new applicant and case per example.
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    steps=st.lists(
        st.one_of(
            st.tuples(st.sampled_from(PEOPLE), st.sampled_from(ACTIONS)),
            # "Somebody who may, doing something the table offers now" (three times as likely):
            # drives cases deep, where the random actions then probe every state.
            *[st.tuples(st.just("advance"), st.integers(min_value=0, max_value=99))] * 3,
        ),
        min_size=1,
        max_size=30,
    )
)
def test_random_actions_follow_the_table(
    world: f.World, people: dict[str, Any], steps: list[tuple[str, str]]
) -> None:
    from gerbang.accounts.tests.factories import UserFactory

    applicant = UserFactory.create()
    cast = {**people, "applicant": applicant}
    application = f.draft(world, applicant=applicant)
    f.upload_all(application)
    for who, action in steps:
        before = Application.objects.get(pk=application.pk)
        if who == "advance":
            who, action = _plausible(before, int(action))
        last_event = Event.objects.order_by("-id").values_list("id", flat=True).first() or 0
        try:
            _act(world, cast, application, who, action)
        except ApplicationError:
            after = Application.objects.get(pk=application.pk)
            assert (after.state, after.version) == (before.state, before.version)
            continue
        moves = Event.objects.filter(
            subject_type="applications.application",
            subject_id=str(application.pk),
            id__gt=last_event,
            details__has_key="to",
        ).order_by("id")
        state = before.state
        for move in moves:
            transition = workflow.BY_ACTION[Action(move.code.removeprefix("application."))]
            assert move.details["from"] == state
            assert (State(state), State(move.details["to"]), transition.action) in ALLOWED_MOVES
            assert _actor_in(move, application, world) in transition.actors
            if move.actor_id is not None:
                assert move.actor_id == cast[who].pk
            state = move.details["to"]
        assert Application.objects.get(pk=application.pk).state == state
