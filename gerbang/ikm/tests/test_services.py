"""Answering (once, anonymously, every field checked) and the stored figures (equal to the
raw computation, by a property test)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.db import IntegrityError
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gerbang.accounts.models import Role
from gerbang.accounts.tests.factories import UserFactory, staff
from gerbang.catalog.tests.factories import OfficeFactory
from gerbang.core.actors import DEMO, WORKER
from gerbang.core.exceptions import Conflict, PermissionDenied, ValidationError
from gerbang.ikm import computation, selectors, services, tasks
from gerbang.ikm.models import Response, Result
from gerbang.ikm.tests.conftest import answers, invite, make_service

pytestmark = pytest.mark.django_db


class TestAnswering:
    def test_the_response_keeps_no_person_and_no_link_to_the_invitation(self, office_a: Any) -> None:
        person = UserFactory.create()
        invitation = invite(office=office_a, person=person)
        response = services.response_submit(invitation=invitation, answers=answers(), actor=person)
        assert response.scores == (3,) * 9
        columns = {field.name for field in Response._meta.get_fields()}
        assert not columns & {"person", "invitation", "user", "token", "created_at", "served_at"}
        assert response.key == selectors.invitation_key(invitation)
        assert response.key not in (invitation.token, str(invitation.pk))
        assert response.served_month == selectors.month_of(invitation.served_at)

    def test_once_per_invitation(self, office_a: Any) -> None:
        invitation = invite(office=office_a)
        services.response_submit(invitation=invitation, answers=answers(), actor=WORKER)
        with pytest.raises(Conflict):
            services.response_submit(
                invitation=invitation, answers=answers(4, 4, 4, 4, 4, 4, 4, 4, 4), actor=WORKER
            )
        assert Response.objects.count() == 1

    def test_the_database_refuses_a_second_response_too(self, office_a: Any) -> None:
        invitation = invite(office=office_a)
        response = services.response_submit(invitation=invitation, answers=answers(), actor=WORKER)
        response.pk = None
        with pytest.raises(IntegrityError):
            response.save()

    def test_every_missing_answer_is_named(self, office_a: Any) -> None:
        given = answers()
        del given["u3"]
        given["u7"] = 5
        given["sex"] = "X"
        with pytest.raises(ValidationError) as refused:
            services.response_submit(invitation=invite(office=office_a), answers=given, actor=WORKER)
        fields = [refused.value.field, *(other.field for other in refused.value.others)]
        assert fields == ["u3", "u7", "sex"]
        assert not Response.objects.exists()

    def test_someone_else_signed_in_may_not_answer(self, office_a: Any) -> None:
        invitation = invite(office=office_a, person=UserFactory.create())
        with pytest.raises(PermissionDenied):
            services.response_submit(invitation=invitation, answers=answers(), actor=UserFactory.create())

    def test_a_visitor_without_account_answers_with_the_token(self, office_a: Any) -> None:
        from django.contrib.auth.models import AnonymousUser

        invitation = invite(office=office_a)
        services.response_submit(invitation=invitation, answers=answers(), actor=AnonymousUser())
        assert selectors.is_answered(invitation)

    def test_closed_after_the_answering_days(self, office_a: Any, settings: Any) -> None:
        settings.IKM_ANSWER_DAYS = 30
        invitation = invite(office=office_a, served_at=timezone.now() - timedelta(days=31))
        with pytest.raises(Conflict):
            services.response_submit(invitation=invitation, answers=answers(), actor=WORKER)

    def test_open_invitations_leave_out_the_answered_and_the_old(self, office_a: Any) -> None:
        person = UserFactory.create()
        fresh = invite(office=office_a, person=person)
        answered = invite(office=office_a, person=person)
        invite(office=office_a, person=person, served_at=timezone.now() - timedelta(days=40))
        invite(office=office_a, person=UserFactory.create())
        services.response_submit(invitation=answered, answers=answers(), actor=person)
        assert selectors.open_invitations_of(person) == [fresh]


def _local(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, tzinfo=timezone.get_current_timezone())


class TestFigures:
    def test_per_office_service_and_period(self, office_a: Any, office_b: Any, settings: Any) -> None:
        settings.IKM_WEIGHT_DECIMALS = 3
        passport, visa = make_service("paspor"), make_service("visa")
        with time_machine.travel(datetime(2026, 11, 20, 5, tzinfo=UTC), tick=False):
            for scores, service, served in (
                ((4,) * 9, passport, date(2026, 11, 2)),
                ((3,) * 9, visa, date(2026, 11, 3)),
                ((2,) * 9, passport, date(2026, 10, 5)),
            ):
                invitation = invite(office=office_a, service=service, served_at=_local(served))
                services.response_submit(
                    invitation=invitation, answers=answers(*scores), actor=WORKER, now=invitation.served_at
                )
            invite(office=office_a, service=passport, served_at=_local(date(2026, 11, 4)))  # served, silent
            invite(office=office_b, served_at=_local(date(2026, 11, 4)))  # no answers: no figures
            stored = services.results_compute(actor=WORKER)
        november = Result.objects.get(scope="office-a/all/2026-11")
        assert (november.respondents, november.population) == (2, 3)
        # NRR 3.5 each: 9 x 3.5 x 0.111 x 25 = 87.4125 → 87.41
        assert november.ikm == Decimal("87.41") and november.grade == "B"
        assert november.minimum_sample == 3 and november.below_sample
        assert Result.objects.get(scope="office-a/paspor/2026-11").ikm == Decimal("99.90")
        quarter = Result.objects.get(scope="office-a/all/2026-Q4")
        assert (quarter.respondents, quarter.sums) == (3, [9] * 9)
        assert Result.objects.get(scope="office-a/all/2026").respondents == 3
        assert not Result.objects.filter(office=office_b).exists()
        assert stored == Result.objects.count()

    def test_computing_again_changes_nothing_and_drops_what_has_no_answers(self, office_a: Any) -> None:
        invitation = invite(office=office_a)
        response = services.response_submit(invitation=invitation, answers=answers(), actor=WORKER)
        first = services.results_compute(actor=WORKER)
        assert services.results_compute(actor=WORKER) == first
        Response.objects.filter(pk=response.pk).delete()
        assert services.results_compute(actor=WORKER) == 0
        assert not Result.objects.exists()

    def test_the_profile_is_counted_with_the_figures(self, office_a: Any) -> None:
        passport = make_service("paspor")
        for profile in ({"sex": "F"}, {"sex": "M", "age_band": "50"}, {"sex": "F"}):
            invitation = invite(office=office_a, service=passport)
            services.response_submit(invitation=invitation, answers=answers(**profile), actor=WORKER)
        services.results_compute(actor=WORKER)
        whole = Result.objects.get(scope__startswith="office-a/all/", period_kind="quarter")
        assert whole.respondents == 3
        assert whole.profile["sex"] == {"F": 2, "M": 1}
        assert whole.profile["age_band"] == {"30": 2, "50": 1}
        for counts in whole.profile.values():
            assert sum(counts.values()) == whole.respondents
        assert (
            Result.objects.get(scope__startswith="office-a/paspor/", period_kind="quarter").profile
            == whole.profile
        )

    def test_staff_need_the_permission_to_compute(self, office_a: Any) -> None:
        with pytest.raises(PermissionDenied):
            services.results_compute(actor=staff(Role.OFFICER, [office_a]))
        services.results_compute(actor=staff(Role.SUPERVISOR, [office_a]))

    def test_the_hourly_task_computes(self, office_a: Any) -> None:
        services.response_submit(invitation=invite(office=office_a), answers=answers(), actor=DEMO)
        assert tasks.compute_ikm_results.call_local() == Result.objects.count() > 0


_scores = st.lists(st.integers(min_value=1, max_value=4), min_size=9, max_size=9)
_answer = st.tuples(
    _scores, st.sampled_from(["a", "b"]), st.sampled_from(["paspor", "visa"]), st.integers(0, 4)
)


@given(given_answers=st.lists(_answer, min_size=1, max_size=25), decimals=st.sampled_from([2, 3, None]))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_stored_figures_equal_the_raw_computation(given_answers: list[Any], decimals: int | None) -> None:
    """Random answers in two offices, two services and five months: every stored result is the
    pure computation of exactly the answers of its office (or of both, nationally), service and
    period."""
    from django.conf import settings as django_settings
    from django.db import transaction

    with transaction.atomic():
        offices = {"a": OfficeFactory.create(code="prop-a"), "b": OfficeFactory.create(code="prop-b")}
        kinds = {"paspor": make_service("paspor"), "visa": make_service("visa")}
        months = [date(2026, month, 15) for month in (8, 9, 10, 11, 12)]
        raw: list[tuple[list[int], str, str, date]] = []
        original = django_settings.IKM_WEIGHT_DECIMALS
        django_settings.IKM_WEIGHT_DECIMALS = decimals
        try:
            with time_machine.travel(datetime(2026, 12, 20, 5, tzinfo=UTC), tick=False):
                for scores, office, service, month in given_answers:
                    served = months[month]
                    invitation = invite(
                        office=offices[office], service=kinds[service], served_at=_local(served)
                    )
                    services.response_submit(
                        invitation=invitation,
                        answers=answers(*scores),
                        actor=WORKER,
                        now=invitation.served_at,
                    )
                    raw.append((scores, office, service, served))
                services.results_compute(actor=WORKER)
        finally:
            django_settings.IKM_WEIGHT_DECIMALS = original
        results = list(Result.objects.select_related("office", "service"))
        assert results
        for result in results:
            period = result.period
            chosen = [
                scores
                for scores, office, service, served in raw
                if (result.office is None or f"prop-{office}" == result.office.code)
                and (result.service is None or result.service.code == service)
                and period.start <= served < period.end
            ]
            expected = computation.compute(chosen, population=len(chosen), weight_decimals=decimals)
            assert result.respondents == expected.respondents == result.population
            assert result.ikm == expected.ikm
            assert result.grade == expected.grade
            assert result.sums == list(expected.sums)
            assert result.nrr == [str(computation.rounded(v, 3)) for v in expected.nrr]
            assert result.minimum_sample == expected.minimum_sample
        transaction.set_rollback(True)
