"""Flags are raised once and kept up to date by rescans; withdrawn when what raised them is gone;
opened again only on new evidence; an officer's decision is recorded with its reason as a note.
A submission queues a scan after its commit; the nightly pass refits and rescans; an erased case
is forgotten."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from gerbang.accounts.models import Role
from gerbang.accounts.tests.factories import UserFactory, staff
from gerbang.analytics.models import CaseFingerprint, FlagStatus, RiskFlag, RiskKind, RiskModel
from gerbang.analytics.risk import model, services
from gerbang.analytics.tests.risk_factories import answers_for, scan, written_case
from gerbang.applications.models import Application
from gerbang.applications.tests import factories as f
from gerbang.applications.workflow import State
from gerbang.core import events
from gerbang.core.actors import WORKER
from gerbang.core.exceptions import Conflict, PermissionDenied, ValidationError
from gerbang.core.models import Event, EventNote

pytestmark = pytest.mark.django_db

BORN = date(1990, 8, 15)


def _codes(flag: RiskFlag) -> list[str]:
    return list(
        Event.objects.filter(subject_type="analytics.riskflag", subject_id=str(flag.pk))
        .order_by("id")
        .values_list("code", flat=True)
    )


def _pair(world):
    """Two people's cases under one NIK: a flag on the second."""
    first = written_case(world, answers=answers_for("Budi Santoso", BORN))
    scan(first)
    second = written_case(world, answers=answers_for("Dedi Kurniawan", BORN))
    return first, second, scan(second)[RiskKind.SAME_NIK]


class TestRaising:
    def test_a_flag_is_raised_once_and_rescans_change_nothing(self, world) -> None:
        _first, second, flag = _pair(world)
        assert _codes(flag) == ["risk.flag_raised"]
        event = Event.objects.get(code="risk.flag_raised", subject_id=str(flag.pk))
        assert event.details == {
            "kind": "same_nik",
            "application": second.pk,
            "reopened": False,
            "system": "worker",
        }
        assert event.office_id == second.office_id and event.actor is None
        for _ in range(3):
            again = scan(second)[RiskKind.SAME_NIK]
        assert again.pk == flag.pk
        assert RiskFlag.objects.filter(application=second).count() == 1
        assert _codes(flag) == ["risk.flag_raised"]

    def test_what_is_gone_withdraws_an_open_flag(self, world) -> None:
        first, second, flag = _pair(world)
        Application.objects.filter(pk=first.pk).update(answers=answers_for("Budi Santoso", BORN, serial=7))
        services.fingerprint_refresh(application=Application.objects.get(pk=first.pk))
        scan(second)
        flag.refresh_from_db()
        assert flag.status == FlagStatus.WITHDRAWN
        assert _codes(flag) == ["risk.flag_raised", "risk.flag_withdrawn"]
        # Found again: open again, said once more.
        Application.objects.filter(pk=first.pk).update(answers=answers_for("Budi Santoso", BORN))
        services.fingerprint_refresh(application=Application.objects.get(pk=first.pk))
        assert scan(second)[RiskKind.SAME_NIK].status == FlagStatus.OPEN
        assert _codes(flag) == ["risk.flag_raised", "risk.flag_withdrawn", "risk.flag_raised"]

    def test_a_decided_flag_opens_again_only_on_new_evidence(self, world) -> None:
        _first, second, flag = _pair(world)
        services.risk_flag_decide(
            flag=flag,
            decision="cleared",
            reason="Same person, name changed by court order.",
            actor=world.officer,
        )
        scan(second)
        flag.refresh_from_db()
        assert flag.status == FlagStatus.CLEARED
        third = written_case(world, answers=answers_for("Rudi Hartono", BORN))
        scan(third)
        reopened = scan(second)[RiskKind.SAME_NIK]
        assert reopened.status == FlagStatus.OPEN and third.pk in reopened.related_case_ids
        assert _codes(flag)[-1] == "risk.flag_raised"
        last = Event.objects.filter(subject_id=str(flag.pk)).order_by("id").last()
        assert last is not None and last.details["reopened"] is True

    def test_nothing_on_a_draft_an_erased_case_or_a_case_with_no_answers(self, world) -> None:
        draft = f.draft(world)
        assert services.risk_case_scan(application=draft, actor=WORKER) == []
        erased = written_case(world, answers=answers_for("Budi Santoso", BORN))
        Application.objects.filter(pk=erased.pk).update(personal_data_erased_at=timezone.now())
        assert services.risk_case_scan(application=erased, actor=WORKER) == []
        assert not CaseFingerprint.objects.exists()

    def test_only_the_system_scans(self, world) -> None:
        case = written_case(world, answers=answers_for("Budi Santoso", BORN))
        with pytest.raises(PermissionDenied):
            services.risk_case_scan(application=case, actor=world.officer)


class TestDeciding:
    def test_the_decision_and_its_reason_are_recorded(self, world) -> None:
        _first, second, flag = _pair(world)
        reason = "Checked the KTP at the counter: the NIK belongs to Budi; referred to intelligence."
        decided = services.risk_flag_decide(
            flag=flag, decision="confirmed", reason=reason, actor=world.officer
        )
        assert decided.status == FlagStatus.CONFIRMED and decided.decided_by == world.officer
        event = Event.objects.get(code="risk.flag_decided")
        assert event.actor == world.officer and event.office_id == second.office_id
        assert event.details["decision"] == "confirmed" and reason not in str(event.details)
        assert events.note_of(event) == reason
        assert EventNote.objects.get(event=event).text == reason
        # The case itself is untouched: its state and version are as before.
        assert Application.objects.get(pk=second.pk).version == second.version

    def test_a_short_reason_or_no_decision_is_refused(self, world) -> None:
        _first, _second, flag = _pair(world)
        with pytest.raises(ValidationError) as short:
            services.risk_flag_decide(flag=flag, decision="cleared", reason="ok", actor=world.officer)
        assert short.value.field == "reason"
        with pytest.raises(ValidationError) as undecided:
            services.risk_flag_decide(
                flag=flag, decision="open", reason="Nothing found at all.", actor=world.officer
            )
        assert undecided.value.field == "decision"
        assert RiskFlag.objects.get(pk=flag.pk).status == FlagStatus.OPEN

    def test_a_flag_is_decided_once(self, world) -> None:
        _first, _second, flag = _pair(world)
        services.risk_flag_decide(
            flag=flag,
            decision="cleared",
            reason="Twins, checked the birth certificates.",
            actor=world.officer,
        )
        with pytest.raises(Conflict):
            services.risk_flag_decide(
                flag=flag, decision="confirmed", reason="Changed my mind about it.", actor=world.supervisor
            )

    @pytest.mark.parametrize("role", [Role.OFFICE_ADMIN, Role.AUDITOR, Role.NATIONAL_ADMIN, Role.APPLICANT])
    def test_only_case_workers_of_the_office_decide(self, world, role) -> None:
        _first, _second, flag = _pair(world)
        other_officer = staff(Role.OFFICER, [world.other_office])
        for person in (other_officer, staff(role, [world.office] if role in {Role.OFFICE_ADMIN} else [])):
            with pytest.raises(PermissionDenied):
                services.risk_flag_decide(
                    flag=flag, decision="cleared", reason="Checked, nothing wrong.", actor=person
                )


class TestModelAndNight:
    def _ordinary(self, world, count: int) -> None:
        now = timezone.now()
        for n in range(count):
            person = UserFactory.create()
            person.date_joined = now - timedelta(days=100 + n)
            person.save()
            case = written_case(
                world,
                answers=answers_for(
                    f"Warga Nomor {chr(65 + n % 26)}{chr(65 + n // 26)}", BORN, serial=n + 10
                ),
                applicant=person,
                submitted_at=now - timedelta(days=n % 60, hours=n % 9),
                fill_minutes=20 + (n * 7) % 40,
                state=State.COLLECTED,
            )
            services.fingerprint_refresh(application=case)

    def test_too_few_cases_fit_no_model(self, world) -> None:
        self._ordinary(world, model.MIN_TRAINING - 1)
        assert services.risk_model_fit(actor=WORKER) is None
        assert not RiskModel.objects.exists()

    def test_the_refit_keeps_the_newest_models_and_leaves_out_confirmed_concerns(self, world) -> None:
        self._ordinary(world, model.MIN_TRAINING + 5)
        _first, _second, flag = _pair(world)
        services.fingerprint_refresh(application=_first)
        services.risk_flag_decide(
            flag=flag, decision="confirmed", reason="Identity theft, referred.", actor=world.officer
        )
        rows = [services.risk_model_fit(actor=WORKER) for _ in range(services.MODELS_KEPT + 1)]
        assert all(row is not None for row in rows)
        assert RiskModel.objects.count() == services.MODELS_KEPT
        assert not RiskModel.objects.filter(pk=rows[0].pk).exists()  # type: ignore[union-attr]
        # The ordinary cases and the first of the pair; not the case whose concern was confirmed.
        assert len(rows[-1].training) == model.MIN_TRAINING + 5 + 1  # type: ignore[union-attr]
        event = Event.objects.filter(code="risk.model_fitted").last()
        assert event is not None and event.details["cases"] == model.MIN_TRAINING + 6

    def test_the_nightly_pass_scans_open_cases_with_the_model(self, world) -> None:
        self._ordinary(world, model.MIN_TRAINING + 10)
        odd_account = UserFactory.create()
        odd = written_case(
            world,
            answers=answers_for("Joko Widodo", BORN, serial=99),
            applicant=odd_account,
            fill_minutes=0.5,
        )
        for n in range(6):
            written_case(
                world,
                answers=answers_for(f"Anak {n}", date(2012, 1, n + 1), serial=200 + n),
                applicant=odd_account,
                for_child=True,
                state=State.COLLECTED,
                submitted_at=timezone.now() - timedelta(days=10 + n),
            )
        result = services.risk_rescan(actor=WORKER)
        assert result["model_cases"] >= model.MIN_TRAINING
        flag = RiskFlag.objects.get(application=odd, kind=RiskKind.ANOMALY)
        assert flag.status == FlagStatus.OPEN and flag.score is not None
        assert flag.reasons[0]["code"] == "anomaly.score"
        assert {"account_cases_365d", "account_subjects_365d", "fill_minutes"} & {
            name for reason in flag.reasons[1:] for name in reason["params"]["features"]
        }
        # Run again: nothing new raised.
        before = Event.objects.filter(code="risk.flag_raised").count()
        services.risk_rescan(actor=WORKER)
        assert Event.objects.filter(code="risk.flag_raised").count() == before

    def test_an_erased_case_is_forgotten(self, world) -> None:
        _first, second, flag = _pair(world)
        services.risk_flag_decide(
            flag=flag, decision="cleared", reason="Budi's cousin, checked.", actor=world.officer
        )
        Application.objects.filter(pk=second.pk).update(personal_data_erased_at=timezone.now(), answers={})
        assert services.risk_forget_erased(actor=WORKER) == 2  # its fingerprint and its flag
        flag.refresh_from_db()
        assert flag.reasons == [{"code": "nik.other_name"}]
        assert not CaseFingerprint.objects.filter(application=second).exists()
        decided = Event.objects.get(code="risk.flag_decided")
        assert events.note_of(decided) is None  # erased
        assert Event.objects.filter(code="risk.flag_details_erased").count() == 1
        assert services.risk_forget_erased(actor=WORKER) == 0


@pytest.mark.django_db(transaction=True)
def test_a_submission_is_scanned_after_its_commit() -> None:
    """The subscriber queues the scan when the submission commits (tests run tasks in-line)."""
    world = f.make_world()
    first = f.submitted(world)
    impostor = UserFactory.create()
    second = f.draft(world, answers=f.passport_answers(full_name="Dedi Kurniawan"), applicant=impostor)
    from gerbang.analytics.tests.risk_factories import upload_unique

    upload_unique(second, variant=3)
    from gerbang.applications import services as cases

    second = cases.application_submit(
        application=Application.objects.get(pk=second.pk), declaration=True, actor=impostor
    )
    flags = {flag.kind: flag for flag in RiskFlag.objects.filter(application=second)}
    assert flags[RiskKind.SAME_NIK].reasons[0]["cases"] == [first.pk]
    # The first case, open too, was scanned again: it now names the second.
    assert RiskFlag.objects.get(application=first, kind=RiskKind.SAME_NIK).reasons[0]["cases"] == [second.pk]


class TestDataProtection:
    def test_the_register_lists_the_risk_flags_and_their_owners_are_traced(self, world) -> None:
        from gerbang.core import data_subjects

        assert "analytics.risk_flags" in {activity.key for activity in data_subjects.activities()}
        _first, second, flag = _pair(world)
        assert data_subjects.owners_of("analytics.riskflag", [str(flag.pk), "x", str(2**63)]) == {
            str(flag.pk): second.applicant_id
        }
        types = set(Event.objects.filter(code__startswith="risk.").values_list("subject_type", flat=True))
        assert types <= set(data_subjects.owner_resolvers())

    def test_erasing_a_persons_cases_forgets_their_flags_after_the_applications(self, world) -> None:
        from gerbang.analytics import data_subject
        from gerbang.core import data_subjects

        _first, second, flag = _pair(world)
        keys = [provider.key for provider in data_subjects.providers()]
        assert keys.index("applications") < keys.index("analytics")
        Application.objects.filter(pk=second.pk).update(personal_data_erased_at=timezone.now(), answers={})
        (planned,) = data_subject.erase(second.applicant, timezone.now(), True)
        assert planned.erased == 2  # the fingerprint and the flag
        assert CaseFingerprint.objects.filter(application=second).exists()
        (done,) = data_subject.erase(second.applicant, timezone.now(), False)
        assert done.erased == 2
        assert RiskFlag.objects.get(pk=flag.pk).reasons == [{"code": "nik.other_name"}]
        (nothing,) = data_subject.expire(timezone.now(), False)
        assert nothing.erased == 0
