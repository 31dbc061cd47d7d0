from __future__ import annotations

import pytest
from django.utils import timezone, translation

from gerbang.accounts.models import Role, User
from gerbang.accounts.tests.factories import UserFactory, staff
from gerbang.core import consents, data_subjects
from gerbang.core.models import Event
from gerbang.privacy import data_subject, services
from gerbang.privacy.models import Consent, Request

pytestmark = pytest.mark.django_db

PUSH = "notifications.push"


def requests_and_consents(person: User, words: str) -> None:
    services.correction_request(subject=person, concerns="booking", details=words, actor=person)
    services.consent_record(subject=person, purpose_key=PUSH, via="web")


def test_the_copy_holds_the_persons_requests_and_consents_and_nobody_elses() -> None:
    siti, budi = UserFactory.create(), UserFactory.create()
    requests_and_consents(siti, "Siti's booking is on the wrong day")
    requests_and_consents(budi, "Budi's booking is wrong too")
    services.consent_withdraw(subject=siti, purpose_key=PUSH, actor=siti)
    with translation.override("en"):
        sections = {s.key: s for s in data_subject.export(siti)}
        title = str(consents.purposes()[PUSH].title)
    asked = sections["privacy.requests"].rows
    assert [row["kind"] for row in asked] == ["Correcting my data", "Withdrawing a consent"]
    correction = asked[0]
    assert correction["details"] == "Siti's booking is on the wrong day"
    assert correction["concerns"] == "A booking or a visit" and correction["status"] == "Received"
    assert correction["reference"] == Request.objects.filter(person=siti).earliest("id").reference
    assert correction["due_at"] is not None and correction["answered_at"] is None
    withdrawal = asked[1]
    assert withdrawal["purpose"] == title and withdrawal["answer"]
    (given,) = sections["privacy.consents"].rows
    assert given["purpose"] == title
    assert given["version"] == consents.purposes()[PUSH].version
    assert given["given_at"] and given["withdrawn_at"]
    assert "Budi" not in str([s.rows for s in sections.values()])


def test_erasure_keeps_requests_and_consents_and_says_why() -> None:
    person = UserFactory.create()
    requests_and_consents(person, "wrong day")
    for dry_run in (True, False):
        outcomes = {o.key: o for o in data_subject.erase(person, timezone.now(), dry_run)}
        assert outcomes["privacy.requests"].kept == 1 and outcomes["privacy.requests"].reason
        assert outcomes["privacy.consents"].kept == 1 and outcomes["privacy.consents"].reason
    assert (
        Request.objects.filter(person=person).count() == 1
        and Consent.objects.filter(person=person).count() == 1
    )


def test_erasing_a_person_keeps_their_requests_linked_to_the_pseudonymised_account() -> None:
    person = UserFactory.create(full_name="Siti Rahmawati")
    requests_and_consents(person, "wrong day")
    request, outcomes = services.erasure_run(subject=person, actor=person)
    kept = {o.key: o for o in outcomes}
    assert kept["privacy.requests"].kept == 2  # the correction and the erasure request itself
    assert Request.objects.filter(person=person).count() == 2
    person.refresh_from_db()
    assert person.full_name != "Siti Rahmawati"
    assert "until —" not in request.answer


def test_nothing_to_keep_means_nothing_reported() -> None:
    outcomes = data_subject.erase(UserFactory.create(), timezone.now(), True)
    assert all(not o.touched for o in outcomes)


def test_the_requests_and_consents_trace_back_to_their_person() -> None:
    siti, budi = UserFactory.create(), UserFactory.create()
    requests_and_consents(siti, "x")
    requests_and_consents(budi, "y")
    request = Request.objects.get(person=siti)
    consent = Consent.objects.get(person=budi)
    assert data_subjects.owners_of("privacy.request", [str(request.pk), "nonsense", str(2**63)]) == {
        str(request.pk): siti.pk
    }
    assert data_subjects.owners_of("privacy.consent", [str(consent.pk)]) == {str(consent.pk): budi.pk}
    # The events of requests and consents use those subject types.
    types = set(Event.objects.filter(code__startswith="privacy.").values_list("subject_type", flat=True))
    assert types <= set(data_subjects.owner_resolvers())


def test_the_register_lists_the_privacy_records() -> None:
    keys = {activity.key for activity in data_subjects.activities()}
    assert {"privacy.requests", "privacy.consents"} <= keys
    for activity in data_subject.ACTIVITIES:
        assert activity.basis == data_subjects.Basis.LEGAL_OBLIGATION and "27/2022" in activity.law


def test_an_answered_request_shows_its_answer_and_not_who_answered() -> None:
    person = UserFactory.create()
    officer = staff(Role.NATIONAL_ADMIN, full_name="Petugas Bernama")
    request = services.correction_request(subject=person, concerns="payment", details="amount", actor=person)
    services.request_answer(request=request, done=False, answer="The amount is right.", actor=officer)
    with translation.override("en"):
        (row,) = data_subject.export(person)[0].rows
    assert row["status"] == "Refused" and row["answer"] == "The amount is right." and row["answered_at"]
    assert "Petugas" not in str(row)
