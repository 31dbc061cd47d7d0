from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from gerbang.accounts.models import Role
from gerbang.accounts.tests.factories import UserFactory, staff
from gerbang.core import data_subjects
from gerbang.core.actors import WORKER
from gerbang.core.exceptions import Conflict, PermissionDenied, ValidationError
from gerbang.core.models import Event
from gerbang.notifications.models import OutboxMessage, PushSubscription
from gerbang.notifications.services import push_subscribe
from gerbang.privacy import selectors, services
from gerbang.privacy.models import Consent, Kind, Request, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def only(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Replace the registered providers with the ones a test gives."""
    data_subjects.providers()  # discovered first, so discovery cannot add the real ones later
    registry: dict[str, data_subjects.Provider] = {}
    monkeypatch.setattr(data_subjects, "_PROVIDERS", registry)

    def use(*providers: data_subjects.Provider) -> None:
        registry.clear()
        registry.update({p.key: p for p in providers})

    yield use


# --- Correction ---------------------------------------------------------------------------------


def test_a_correction_is_received_with_its_deadline_and_an_event() -> None:
    person = UserFactory.create()
    now = timezone.now()
    request = services.correction_request(
        subject=person, concerns="application", details="  A-7K3Q: born 12/03/1990  ", actor=person, now=now
    )
    assert request.kind == Kind.CORRECTION and request.status == Status.RECEIVED
    assert request.due_at == now + timedelta(hours=72)
    assert request.details == "A-7K3Q: born 12/03/1990"
    event = Event.objects.get(code=services.REQUEST_RECEIVED, subject_id=str(request.pk))
    assert event.details["kind"] == "correction" and event.details["due_at"] == request.due_at.isoformat()
    # What the person wrote is personal: it is not in the event.
    assert "1990" not in str(event.details)


def test_a_correction_names_every_problem_at_once() -> None:
    person = UserFactory.create()
    with pytest.raises(ValidationError) as caught:
        services.correction_request(subject=person, concerns="nonsense", details=" ", actor=person)
    fields = {caught.value.field, *(other.field for other in caught.value.others)}
    assert fields == {"concerns", "details"}
    assert not Request.objects.exists()


def test_nobody_asks_in_another_persons_name() -> None:
    person, other = UserFactory.create(), UserFactory.create()
    with pytest.raises(PermissionDenied):
        services.correction_request(subject=person, concerns="other", details="x", actor=other)
    with pytest.raises(PermissionDenied):
        services.copy_give(subject=person, actor=WORKER)


def test_the_officer_answers_and_the_person_is_told() -> None:
    person = UserFactory.create()
    officer = staff(Role.NATIONAL_ADMIN)
    request = services.correction_request(
        subject=person, concerns="payment", details="wrong amount", actor=person
    )
    answered = services.request_answer(request=request, done=True, answer="Corrected.", actor=officer)
    assert answered.status == Status.DONE and answered.answered_by == officer and answered.answered_at
    event = Event.objects.get(code=services.REQUEST_ANSWERED)
    assert event.details == {"kind": "correction", "status": "done", "on_time": True}
    message = OutboxMessage.objects.get(recipient=person)
    assert message.kind == "privacy.request_answered"
    # By email and in the inbox, whatever the person chose for other messages.
    from gerbang.notifications.selectors import channels_for

    assert channels_for(message) == {"email", "inbox"}
    with pytest.raises(Conflict):
        services.request_answer(request=request, done=False, answer="again", actor=officer)


def test_an_answer_late_is_recorded_as_late() -> None:
    person = UserFactory.create()
    request = services.correction_request(subject=person, concerns="other", details="x", actor=person)
    services.request_answer(
        request=request,
        done=False,
        answer="The data is right.",
        actor=staff(Role.NATIONAL_ADMIN),
        now=request.due_at + timedelta(minutes=1),
    )
    assert Event.objects.get(code=services.REQUEST_ANSWERED).details["on_time"] is False


@pytest.mark.parametrize(
    "role", [Role.OFFICER, Role.SUPERVISOR, Role.OFFICE_ADMIN, Role.AUDITOR, Role.APPLICANT]
)
def test_only_the_data_protection_officer_answers(role: Role, office_a: Any) -> None:
    person = UserFactory.create()
    request = services.correction_request(subject=person, concerns="other", details="x", actor=person)
    with pytest.raises(PermissionDenied):
        services.request_answer(request=request, done=True, answer="ok", actor=staff(role, [office_a]))


def test_an_answer_needs_words() -> None:
    person = UserFactory.create()
    request = services.correction_request(subject=person, concerns="other", details="x", actor=person)
    with pytest.raises(ValidationError):
        services.request_answer(request=request, done=True, answer="  ", actor=staff(Role.NATIONAL_ADMIN))


# --- Consents -----------------------------------------------------------------------------------


def _subscribe(person: Any, n: int = 1) -> None:
    push_subscribe(user=person, endpoint=f"https://push.example/{person.pk}/{n}", p256dh="k", auth="a")


def test_a_browser_subscribing_records_the_consent_with_its_version() -> None:
    person = UserFactory.create()
    _subscribe(person)
    _subscribe(person)  # the same browser again: no second consent
    consent = Consent.objects.get(person=person)
    assert (consent.purpose, consent.version, consent.withdrawn_at) == ("notifications.push", "1", None)
    assert Event.objects.filter(code=services.CONSENT_GIVEN, subject_id=str(consent.pk)).exists()


def test_withdrawing_stops_what_the_consent_allowed() -> None:
    person, other = UserFactory.create(), UserFactory.create()
    _subscribe(person, 1)
    _subscribe(person, 2)
    _subscribe(other)
    request = services.consent_withdraw(subject=person, purpose_key="notifications.push", actor=person)
    assert request.kind == Kind.WITHDRAWAL and request.status == Status.DONE and request.answered_at
    assert not PushSubscription.objects.filter(user=person).exists()
    assert PushSubscription.objects.filter(user=other).count() == 1
    assert not Consent.objects.filter(person=person, withdrawn_at=None).exists()
    assert Event.objects.filter(code=services.CONSENT_WITHDRAWN).count() == 2
    with pytest.raises(Conflict):
        services.consent_withdraw(subject=person, purpose_key="notifications.push", actor=person)
    lines = selectors.consents_of(person)
    assert len(lines) == 1 and lines[0].standing is None


def test_an_unknown_consent_is_refused() -> None:
    person = UserFactory.create()
    with pytest.raises(ValidationError):
        services.consent_withdraw(subject=person, purpose_key="nothing.such", actor=person)


# --- A copy ---------------------------------------------------------------------------------------


def test_the_copy_gathers_every_apps_sections_and_is_recorded(only: Any) -> None:
    person = UserFactory.create()
    seen: list[Any] = []

    def export(subject: Any) -> list[data_subjects.Section]:
        seen.append(subject)
        return [
            data_subjects.Section("things", "Things", [{"id": 1}]),
            data_subjects.Section("empty", "Nothing", []),
        ]

    only(data_subjects.Provider("one", export=export))
    copy = services.copy_give(subject=person, actor=person)
    assert seen == [person]
    assert [s.key for s in copy.sections] == ["things"]
    assert copy.request.kind == Kind.ACCESS and copy.request.status == Status.DONE
    assert Event.objects.filter(code=services.REQUEST_RECEIVED).count() == 1
    assert Event.objects.filter(code=services.REQUEST_ANSWERED).count() == 1


# --- Erasure ------------------------------------------------------------------------------------


def test_erasure_is_planned_without_writing_and_run_as_planned(only: Any) -> None:
    person = UserFactory.create()
    calls: list[bool] = []

    def erase(subject: Any, now: Any, dry_run: bool) -> list[data_subjects.Outcome]:
        calls.append(dry_run)
        return [
            data_subjects.Outcome("things", "Things", erased=2),
            data_subjects.Outcome(
                "cases", "Cases", kept=1, kept_until=now.date() + timedelta(days=3650), reason="law"
            ),
            data_subjects.Outcome("none", "Nothing"),
        ]

    only(data_subjects.Provider("one", erase=erase))
    plan = services.erasure_plan(subject=person)
    assert calls == [True] and plan.possible and [o.key for o in plan.outcomes] == ["things", "cases"]
    assert not Request.objects.exists()
    request, _outcomes = services.erasure_run(subject=person, actor=person)
    assert calls == [True, True, False]
    assert request.kind == Kind.ERASURE and request.status == Status.DONE
    assert "Cases" in request.answer
    event = Event.objects.get(code=services.ERASED)
    assert event.details["things"] == {"erased": 2, "pseudonymised": 0, "kept": 0}


def test_erasure_waits_for_what_must_end_first(only: Any) -> None:
    person = UserFactory.create()
    only(
        data_subjects.Provider(
            "one",
            blockers=lambda subject: [data_subjects.Blocker("Application A-1 is being worked on.", "/a/1/")],
            erase=lambda subject, now, dry_run: [],
        )
    )
    assert not services.erasure_plan(subject=person).possible
    with pytest.raises(Conflict) as caught:
        services.erasure_run(subject=person, actor=person)
    assert "A-1" in str(caught.value.message)
    assert not Request.objects.exists()


def test_the_retention_sweep_asks_every_app(only: Any) -> None:
    seen: list[bool] = []

    def expire(now: Any, dry_run: bool) -> list[data_subjects.Outcome]:
        seen.append(dry_run)
        return [data_subjects.Outcome("old", "Old", erased=3)]

    only(data_subjects.Provider("one", expire=expire))
    assert [o.erased for o in services.retention_sweep(actor=WORKER, dry_run=True)] == [3]
    assert seen == [True]
    with pytest.raises(PermissionDenied):
        services.retention_sweep(actor=UserFactory.create())


# --- A breach: who was affected ---------------------------------------------------------------------


def test_the_people_affected_are_traced_from_the_staff_reads(only: Any) -> None:
    person, other = UserFactory.create(), UserFactory.create()
    officer, colleague = staff(Role.NATIONAL_ADMIN), staff(Role.NATIONAL_ADMIN)
    owners = {"10": person.pk, "11": other.pk}
    only(
        data_subjects.Provider(
            "one", owners={"thing": lambda ids: {i: owners[i] for i in ids if i in owners}}
        )
    )
    start = timezone.now()

    def read(code: str, subject_id: str, actor: Any, at: Any) -> None:
        Event.objects.create(
            code=code, actor=actor, subject_type="thing", subject_id=subject_id, created_at=at
        )

    read("thing.viewed", "10", officer, start + timedelta(minutes=1))
    read("thing.viewed", "10", officer, start + timedelta(minutes=2))
    read("thing.document_viewed", "11", colleague, start + timedelta(minutes=3))
    read("thing.viewed", "99", officer, start + timedelta(minutes=4))  # no owner known
    read("thing.changed", "11", officer, start + timedelta(minutes=5))  # not a read
    read("thing.viewed", "11", officer, start + timedelta(hours=2))  # outside the window
    people, untraced = selectors.affected_by_reads(start, start + timedelta(hours=1))
    assert [(p.user_id, p.reads, p.by) for p in people] == [
        (person.pk, 2, {officer.pk}),
        (other.pk, 1, {colleague.pk}),
    ]
    assert [(u.code, u.reads) for u in untraced] == [("thing.viewed", 1)]
    only_officer, _ = selectors.affected_by_reads(start, start + timedelta(hours=1), actor_ids=[officer.pk])
    assert [p.user_id for p in only_officer] == [person.pk]
