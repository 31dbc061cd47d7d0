"""With the satisfaction app's own service: an invitation made by ``invitation_open`` (as when a
case is collected or a visit served) is offered on the person's dashboard and answered once.

``invitation_open`` writes the "satisfaction.invited" message, whose kind the satisfaction app
registers on its own branch; until then this test registers a stand-in kind for itself."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gerbang.accounts.tests.factories import UserFactory
from gerbang.core import messages
from gerbang.core.actors import WORKER
from gerbang.ikm import selectors, services
from gerbang.ikm.models import Result
from gerbang.ikm.tests.conftest import answers
from gerbang.satisfaction.events import INVITED
from gerbang.satisfaction.models import Occasion
from gerbang.satisfaction.services import invitation_open

pytestmark = pytest.mark.django_db


@pytest.fixture
def invited_kind(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    if messages.kind_of(INVITED) is None:
        monkeypatch.setitem(
            messages._KINDS,
            INVITED,
            messages.Kind(INVITED, "application", "satisfaction/messages/invited", lambda m: {}, lambda: {}),
        )
    yield


def test_an_opened_invitation_is_offered_and_answered_once(
    invited_kind: None, client: Client, office_a: Any
) -> None:
    person = UserFactory.create()
    invitation = invitation_open(
        occasion=Occasion.CASE,
        occasion_id=4242,
        person=person,
        office=office_a,
        service=None,
        served_at=timezone.now(),
        actor=WORKER,
    )
    client.force_login(person)
    assert (
        reverse("ikm:survey", args=[invitation.token])
        in client.get(reverse("accounts:dashboard")).content.decode()
    )
    client.post(reverse("ikm:survey", args=[invitation.token]), answers(4, 4, 4, 4, 4, 4, 4, 4, 4))
    assert selectors.is_answered(invitation) and selectors.open_invitations_of(person) == []
    services.results_compute(actor=WORKER)
    assert Result.objects.get(
        scope=f"{office_a.code}/all/{selectors.month_of(invitation.served_at):%Y-%m}"
    ).ikm == Decimal("99.90")
