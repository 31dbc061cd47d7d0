"""A paid case's checks with the civil registry, against the simulator on its own server: the
answer read, the case waiting visibly while the registry is down and going on by itself when
it is back, every failure mode of the partner, the circuit breaker, and the officer's manual
verification when a partner stays down."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from gerbang.applications.models import Application
from gerbang.applications.tests.factories import NIK_MAN, make_world, paid, passport_answers
from gerbang.applications.workflow import State
from gerbang.core.exceptions import Conflict, ErrorCode, PermissionDenied, ValidationError
from gerbang.core.models import Event
from gerbang.integrations import breaker, checks
from gerbang.integrations.models import CheckStatus, Exchange, ExternalCheck, Outcome
from gerbang.integrations.tests.conftest import Simulator

PERSON = {
    "full_name": "Budi Santoso",
    "sex": "M",
    "date_of_birth": "1990-08-15",
    "place_of_birth": "Jakarta",
    "mother_name": "Siti Aminah",
}


@pytest.fixture
def world(partners: Simulator) -> Any:
    partners.control("people", {NIK_MAN: PERSON})
    return make_world()


def _later(minutes: int = 10) -> Any:
    return timezone.now() + timedelta(minutes=minutes)


def _case(world: Any) -> Application:
    case = paid(world)
    return Application.objects.get(pk=case.pk)


def test_a_paid_case_waits_for_the_registry_then_goes_on(world: Any, partners: Simulator) -> None:
    case = _case(world)
    assert case.state == State.AWAITING_EXTERNAL_CHECK
    check = ExternalCheck.objects.get(application=case, kind="identity")
    assert check.fields == sorted(PERSON)  # only what the check needs
    checks.checks_run_for(case.pk)
    check.refresh_from_db()
    assert (check.status, check.verdict) == (CheckStatus.ANSWERED, "match")
    assert check.result["full_name"] == "match"
    case.refresh_from_db()
    assert case.state == State.PAID
    codes = list(Event.objects.filter(subject_id=str(case.pk)).values_list("code", flat=True))
    assert {"application.await_checks", "application.check_answered", "application.checks_done"} <= set(codes)
    exchange = Exchange.objects.get(outcome=Outcome.ANSWERED, service="identity")
    assert exchange.application_id == case.pk and exchange.direction == "out"
    assert exchange.reference == case.number and exchange.response_signature
    # The simulator saw the purpose and the legal basis with the question.
    question = next(q for q in partners.control("state")["questions"] if q["agency"] == "dukcapil")
    assert question["reference"] == case.number and "UU 24/2013" in question["legal_basis"]


def test_a_field_that_differs_is_answered_as_a_mismatch(world: Any, partners: Simulator) -> None:
    partners.control("people", {NIK_MAN: {**PERSON, "place_of_birth": "Bandung"}})
    case = _case(world)
    checks.checks_run_for(case.pk)
    check = ExternalCheck.objects.get(application=case, kind="identity")
    assert check.verdict == "mismatch"
    assert check.result["place_of_birth"] == "no_match" and check.result["full_name"] == "match"


def test_the_family_card_is_compared_when_the_applicant_gave_it(world: Any, partners: Simulator) -> None:
    partners.control("people", {NIK_MAN: {**PERSON, "family_card": "1811012001100003"}})
    # As typed, with spaces; the registry is asked the digits (it compares them as given).
    case = paid(world, answers=passport_answers(family_card="1811 0120 0110 0003"))
    checks.checks_run_for(case.pk)
    check = ExternalCheck.objects.get(application=case, kind="identity")
    assert check.fields == sorted([*PERSON, "family_card"])
    assert (check.verdict, check.result["family_card"]) == ("match", "match")

    # Another family's card: a mismatch on that field alone.
    partners.control("people", {NIK_MAN: {**PERSON, "family_card": "1811012001100099"}})
    other = paid(world, answers=passport_answers(family_card="1811012001100003"))
    checks.checks_run_for(other.pk)
    check = ExternalCheck.objects.get(application=other, kind="identity")
    assert (check.verdict, check.result["family_card"], check.result["full_name"]) == (
        "mismatch",
        "no_match",
        "match",
    )


def test_an_unknown_nik_is_answered_as_not_found(world: Any, partners: Simulator) -> None:
    partners.control("people", {NIK_MAN: None})
    partners.state.data["people"].pop(NIK_MAN)
    case = _case(world)
    checks.checks_run_for(case.pk)
    assert ExternalCheck.objects.get(application=case, kind="identity").verdict == "not_found"


def test_while_the_registry_is_down_the_case_waits_and_goes_on_by_itself(
    world: Any, partners: Simulator
) -> None:
    partners.mode("dukcapil", "down")
    case = _case(world)
    checks.checks_run_for(case.pk)
    check = ExternalCheck.objects.get(application=case, kind="identity")
    assert check.status == CheckStatus.WAITING
    assert (check.attempts, check.last_failure) == (1, "unavailable")
    assert check.next_attempt_at > timezone.now()
    case.refresh_from_db()
    assert case.state == State.AWAITING_EXTERNAL_CHECK
    # Each attempt (with the client's quick retries) is logged.
    assert Exchange.objects.filter(outcome=Outcome.FAILED, reason="unavailable").count() == 3
    # Not due yet: nothing is asked.
    assert checks.checks_run_due() == 0
    partners.mode("dukcapil", "up")
    breaker.reset("dukcapil")
    assert checks.checks_run_due(now=_later()) == 1
    check.refresh_from_db()
    assert check.status == CheckStatus.ANSWERED
    case.refresh_from_db()
    assert case.state == State.PAID


@pytest.mark.parametrize(
    ("mode", "failure"),
    [("wrong", "bad_answer"), ("forged", "bad_signature")],
)
def test_an_answer_that_cannot_be_trusted_leaves_the_check_waiting(
    world: Any, partners: Simulator, mode: str, failure: str
) -> None:
    partners.mode("dukcapil", mode)
    case = _case(world)
    checks.checks_run_for(case.pk)
    check = ExternalCheck.objects.get(application=case, kind="identity")
    assert (check.status, check.last_failure) == (CheckStatus.WAITING, failure)
    assert check.result == {}  # nothing of a record dump is kept


def test_a_partial_answer_names_the_fields_left_to_the_officer(world: Any, partners: Simulator) -> None:
    partners.mode("dukcapil", "partial")
    case = _case(world)
    checks.checks_run_for(case.pk)
    check = ExternalCheck.objects.get(application=case, kind="identity")
    assert check.verdict == "partial"
    assert check.result["sex"] == "not_answered"


def test_a_slow_registry_times_out(world: Any, partners: Simulator, settings: Any) -> None:
    settings.EXCHANGE_TIMEOUT = 0.3
    settings.EXCHANGE_ATTEMPTS = 1
    partners.mode("dukcapil", "slow", slow_seconds=1.5)
    case = _case(world)
    checks.checks_run_for(case.pk)
    assert ExternalCheck.objects.get(application=case, kind="identity").last_failure == "timeout"


def test_the_circuit_opens_after_failures_in_a_row(world: Any, partners: Simulator, settings: Any) -> None:
    settings.EXCHANGE_BREAKER_FAILURES = 2
    settings.EXCHANGE_ATTEMPTS = 1
    partners.mode("dukcapil", "down")
    case = _case(world)
    check = ExternalCheck.objects.get(application=case, kind="identity")
    for _ in range(2):
        checks.check_attempt(check)
    asked_before = Exchange.objects.count()
    check = checks.check_attempt(check)
    assert check.last_failure == "circuit_open"
    assert Exchange.objects.count() == asked_before  # nobody asked the partner
    assert not breaker.allows("dukcapil")


def test_an_officer_records_a_manual_verification_when_the_partner_stays_down(
    world: Any, partners: Simulator
) -> None:
    case = _case(world)
    check = ExternalCheck.objects.get(application=case, kind="identity")
    with pytest.raises(Conflict):  # the partner has not failed yet
        checks.check_verify_manually(check=check, reason="KTP-el seen", actor=world.officer)
    partners.mode("dukcapil", "down")
    checks.checks_run_for(case.pk)
    with pytest.raises(PermissionDenied):
        checks.check_verify_manually(check=check, reason="KTP-el seen", actor=world.applicant)
    with pytest.raises(ValidationError):
        checks.check_verify_manually(check=check, reason="  ", actor=world.officer)
    checks.check_verify_manually(check=check, reason="KTP-el and KK seen at the counter", actor=world.officer)
    check.refresh_from_db()
    assert (check.status, check.verified_by) == (CheckStatus.VERIFIED_MANUALLY, world.officer)
    case.refresh_from_db()
    assert case.state == State.PAID
    event = Event.objects.get(code="application.check_verified_manually")
    assert event.actor_id == world.officer.pk and event.details["last_failure"] == "unavailable"
    # A later attempt leaves a verified check alone.
    partners.mode("dukcapil", "up")
    assert checks.check_attempt(check).status == CheckStatus.VERIFIED_MANUALLY


def test_without_a_registered_agency_a_paid_case_goes_on_as_before(db: None) -> None:
    case = _case(make_world())
    assert case.state == State.PAID
    assert not ExternalCheck.objects.exists()


def test_a_foreigners_case_asks_the_lists_and_the_sponsor_not_the_civil_registry(
    world: Any, partners: Simulator
) -> None:
    from gerbang.applications.tests.factories import foreigner_answers

    partners.control("sponsors", {"PT Maju Jaya": "suspended"})
    case = paid(world, code="visa-kunjungan", answers=foreigner_answers(sponsor_name="PT  maju jaya"))
    kinds = set(ExternalCheck.objects.filter(application=case).values_list("kind", flat=True))
    assert kinds == {"watchlist", "mofa_sponsor"}
    checks.checks_run_for(case.pk)
    sponsor = ExternalCheck.objects.get(application=case, kind="mofa_sponsor")
    assert sponsor.verdict == "sponsor_suspended"
    watchlist = ExternalCheck.objects.get(application=case, kind="watchlist")
    assert watchlist.verdict == "no_hit"
    # Only name, birth date, passport number and nationality were asked: not the address.
    assert watchlist.fields == ["date_of_birth", "full_name", "nationality", "passport_number"]
    assert Application.objects.get(pk=case.pk).state == State.PAID


@pytest.mark.parametrize(
    ("registered", "verdict"),
    [
        ({"nik": NIK_MAN, "type": "service", "status": "issued"}, "official_issued"),
        ({"nik": NIK_MAN, "type": "service", "status": "in_process"}, "official_in_process"),
        ({"nik": NIK_MAN, "type": "service", "status": "refused"}, "official_refused"),
        # Someone else's request, or the other type: the ministry tells nothing of it.
        ({"nik": "1811015708900001", "type": "service", "status": "issued"}, "official_not_found"),
        ({"nik": NIK_MAN, "type": "diplomatic", "status": "issued"}, "official_not_found"),
    ],
)
def test_a_declared_service_passport_request_is_asked_of_the_foreign_ministry(
    world: Any, partners: Simulator, registered: dict[str, str], verdict: str
) -> None:
    partners.control("official-passports", {"PD-2026-004512": registered})
    answers = passport_answers(official_passport="service", official_passport_request="pd - 2026 - 004512")
    case = paid(world, answers=answers)
    check = ExternalCheck.objects.get(application=case, kind="mofa_passport")
    assert check.agency.code == "kemlu"
    assert check.fields == ["nik", "passport_type", "request_number"]  # not the trip, not the post
    checks.checks_run_for(case.pk)
    check.refresh_from_db()
    assert (check.status, check.verdict, check.result) == (CheckStatus.ANSWERED, verdict, {})
    assert Application.objects.get(pk=case.pk).state == State.PAID


def test_no_declared_official_passport_asks_the_ministry_nothing(world: Any, partners: Simulator) -> None:
    case = paid(world, answers=passport_answers(official_passport="none"))
    assert not ExternalCheck.objects.filter(application=case, kind="mofa_passport").exists()


def test_the_ministry_answering_more_than_the_status_is_refused(world: Any, partners: Simulator) -> None:
    partners.control(
        "official-passports", {"PD-2026-1": {"nik": NIK_MAN, "type": "diplomatic", "status": "issued"}}
    )
    partners.mode("kemlu", "wrong")
    case = paid(
        world, answers=passport_answers(official_passport="diplomatic", official_passport_request="PD-2026-1")
    )
    checks.checks_run_for(case.pk)
    check = ExternalCheck.objects.get(application=case, kind="mofa_passport")
    assert (check.status, check.last_failure) == (CheckStatus.WAITING, "bad_answer")


def test_a_possible_hit_waits_for_the_officers_finding(world: Any, partners: Simulator) -> None:
    from gerbang.integrations.models import Resolution

    partners.control(
        "watchlist",
        [{"full_name": "BUDI  SANTOSO", "date_of_birth": "1970-01-01", "reference": "DPO/12/2026"}],
    )
    case = _case(world)
    checks.checks_run_for(case.pk)
    check = ExternalCheck.objects.get(application=case, kind="watchlist")
    assert (check.verdict, check.result) == ("possible_hit", {"reference": "DPO/12/2026"})
    assert check.awaits_resolution
    with pytest.raises(ValidationError):
        checks.check_resolve(check=check, resolution="maybe", reason="x", actor=world.officer)
    with pytest.raises(ValidationError):
        checks.check_resolve(check=check, resolution=Resolution.CLEARED, reason=" ", actor=world.officer)
    checks.check_resolve(
        check=check,
        resolution=Resolution.CLEARED,
        reason="Born 1990, the listing 1970; other parents.",
        actor=world.officer,
    )
    check.refresh_from_db()
    assert (check.resolution, check.resolved_by) == (Resolution.CLEARED, world.officer)
    assert not check.awaits_resolution
    event = Event.objects.get(code="application.check_resolved")
    assert event.details == {
        "kind": "watchlist",
        "verdict": "possible_hit",
        "resolution": "cleared",
        **{k: v for k, v in event.details.items() if k not in {"kind", "verdict", "resolution"}},
    }
    with pytest.raises(Conflict):
        checks.check_resolve(
            check=check, resolution=Resolution.CONFIRMED, reason="again", actor=world.officer
        )


def test_a_listing_of_the_nik_is_a_hit_and_a_record_dump_is_refused(world: Any, partners: Simulator) -> None:
    partners.control("watchlist", [{"number": NIK_MAN, "reference": "CEKAL/7/2026"}])
    case = _case(world)
    checks.checks_run_for(case.pk)
    assert ExternalCheck.objects.get(application=case, kind="watchlist").verdict == "hit"
    partners.mode("polri", "wrong")
    other = paid(world)
    checks.checks_run_for(other.pk)
    assert ExternalCheck.objects.get(application=other, kind="watchlist").last_failure == "bad_answer"


def test_a_cases_checks_are_forgotten_with_its_personal_data(world: Any, partners: Simulator) -> None:
    from django.utils import timezone as tz

    from gerbang.integrations.data_subject import expire

    case = _case(world)
    checks.checks_run_for(case.pk)
    assert expire(tz.now(), dry_run=True)[0].erased == 0
    Application.objects.filter(pk=case.pk).update(personal_data_erased_at=tz.now())
    assert expire(tz.now(), dry_run=True)[0].erased == 2
    assert expire(tz.now(), dry_run=False)[0].erased == 2
    assert expire(tz.now(), dry_run=True)[0].erased == 0
    identity = ExternalCheck.objects.get(application=case, kind="identity")
    assert (identity.result, identity.fields, identity.verdict) == ({}, [], "match")


def test_an_unresolved_hit_holds_the_approval_until_the_officers_finding(
    world: Any, partners: Simulator
) -> None:
    from gerbang.applications import services as case_services
    from gerbang.integrations.models import Resolution

    partners.control(
        "watchlist",
        [{"full_name": "Budi Santoso", "date_of_birth": "1990-08-15", "reference": "CGH/77/2026"}],
    )
    case = _case(world)
    checks.checks_run_for(case.pk)
    check = ExternalCheck.objects.get(application=case, kind="watchlist")
    assert check.verdict == "hit"
    case = Application.objects.get(pk=check.application_id)

    def move(action: str) -> Application:
        fresh = Application.objects.get(pk=check.application_id)
        return case_services.application_transition(
            application=fresh, action=action, actor=world.officer, expected_version=fresh.version
        )

    move("start_verification")
    for document in case.documents.filter(is_current=True):
        case_services.document_verify(
            document=document,
            actor=world.officer,
            expected_version=Application.objects.get(pk=case.pk).version,
        )
    move("send_to_interview")
    move("complete_interview")
    with pytest.raises(ValidationError) as held:
        move("approve")
    assert held.value.code == ErrorCode.GUARD
    assert str(held.value.message) == str(checks.approval_hold(case))
    assert Application.objects.get(pk=case.pk).state == State.IN_REVIEW
    checks.check_resolve(
        check=check, resolution=Resolution.CONFIRMED, reason="Same NIK and birth date.", actor=world.officer
    )
    # Found the same person, the officer still decides (the listing does not decide by itself).
    assert move("approve").state == State.APPROVED
