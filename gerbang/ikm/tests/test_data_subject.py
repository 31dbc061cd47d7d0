"""The IKM's answer to the data-protection rights (UU PDP): a response names nobody, but the
authority can find it from the person's invitation with its key, so it is exported to the person
and, on erasure, unlinked for good without changing the figures."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from gerbang.accounts.tests.factories import UserFactory
from gerbang.core.actors import WORKER
from gerbang.core.data_subjects import providers
from gerbang.core.models import Event
from gerbang.ikm import data_subject, selectors, services
from gerbang.ikm.models import Response
from gerbang.ikm.tests.conftest import answers, invite
from gerbang.satisfaction import data_subject as satisfaction

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(office_a: object) -> dict[str, object]:
    siti = UserFactory.create(full_name="Siti Rahmawati")
    agus = UserFactory.create(full_name="Agus Setiawan")
    made: dict[str, object] = {"siti": siti, "agus": agus}
    for who, person, score, band in (("siti", siti, 4, "30"), ("agus", agus, 1, "u20")):
        invitation = invite(office=office_a, person=person)
        services.response_submit(
            invitation=invitation, answers=answers(*(score,) * 9, age_band=band), actor=person
        )
        made[f"{who}_invitation"] = invitation
    return made


def test_the_person_s_answers_are_exported_and_no_one_else_s(answered: dict[str, object]) -> None:
    sections = data_subject.export(answered["siti"])
    text = json.dumps([s.rows for s in sections])
    row = sections[0].rows[0]
    assert row["answers"]["U1"]["score"] == 4 and row["age_band"] == "30-39"
    assert '"score": 1' not in text and "Under 20" not in text
    assert data_subject.export(UserFactory.create()) == []


def test_a_dry_run_writes_nothing_and_erasure_unlinks_for_good(answered: dict[str, object]) -> None:
    siti = answered["siti"]
    invitation = answered["siti_invitation"]
    keys = set(Response.objects.values_list("key", flat=True))
    events = Event.objects.count()
    assert data_subject.erase(siti, timezone.now(), True)[0].pseudonymised == 1
    assert set(Response.objects.values_list("key", flat=True)) == keys and Event.objects.count() == events
    outcome = data_subject.erase(siti, timezone.now(), False)[0]
    assert outcome.pseudonymised == 1 and outcome.reason
    # Still counted (same number of responses, same scores), but not to be found from her.
    assert Response.objects.count() == 2 and Response.objects.filter(u1=4).count() == 1
    assert not selectors.is_answered(invitation)  # type: ignore[arg-type]
    assert selectors.responses_of(siti).count() == 0
    assert selectors.responses_of(answered["agus"]).count() == 1
    assert Response.objects.filter(key__startswith=services.UNLINKED_PREFIX).count() == 1
    # The event says nothing of whether she answered.
    assert Event.objects.get(code="ikm.answers_unlinked").details == {"system": "worker"}


def test_answers_are_unlinked_before_the_invitations_lose_their_person(answered: dict[str, object]) -> None:
    keys = [p.key for p in providers()]
    assert keys.index("ikm") < keys.index("satisfaction")
    siti = answered["siti"]
    for provider in providers():
        if provider.key in ("ikm", "satisfaction") and provider.erase is not None:
            provider.erase(siti, timezone.now(), False)
    assert Response.objects.filter(key__startswith=services.UNLINKED_PREFIX).count() == 1
    assert satisfaction.export(siti) == []


def test_only_the_person_or_the_system_unlinks(answered: dict[str, object]) -> None:
    from gerbang.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.person_responses_unlink(person=answered["siti"], actor=answered["agus"])
    assert services.person_responses_unlink(person=answered["siti"], actor=WORKER) == 1
