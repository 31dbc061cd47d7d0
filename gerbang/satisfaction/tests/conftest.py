"""Fixtures for ratings: the Mesuji office and another, with their staff, a person served and
invitations made as the system makes them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone, translation

from gerbang.accounts.models import Role
from gerbang.accounts.tests.factories import UserFactory, staff
from gerbang.applications.tests import factories as f
from gerbang.core.actors import WORKER
from gerbang.satisfaction import services
from gerbang.satisfaction.models import Invitation, Occasion


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


@dataclass
class Desk:
    world: f.World
    person: Any
    other_person: Any
    officer: Any
    supervisor: Any
    admin: Any
    other_admin: Any
    national: Any
    made: list[int]

    @property
    def office(self) -> Any:
        return self.world.office

    @property
    def other_office(self) -> Any:
        return self.world.other_office

    def invitation(
        self,
        *,
        person: Any = "default",
        office: Any = None,
        occasion: Occasion = Occasion.CASE,
        service: Any = "default",
    ) -> Invitation:
        self.made.append(len(self.made) + 1000)
        return services.invitation_open(
            occasion=occasion,
            occasion_id=self.made[-1],
            person=self.person if person == "default" else person,
            office=office or self.office,
            service=self.world.service("paspor-biasa") if service == "default" else service,
            served_at=timezone.now(),
            actor=WORKER,
        )


@pytest.fixture
def desk(db: None) -> Desk:
    world = f.make_world()
    return Desk(
        world=world,
        person=UserFactory.create(full_name="Siti Rahmawati", email="siti@example.test"),
        other_person=UserFactory.create(full_name="Agus Setiawan"),
        officer=world.officer,
        supervisor=world.supervisor,
        admin=staff(Role.OFFICE_ADMIN, [world.office], full_name="Admin Mesuji"),
        other_admin=staff(Role.OFFICE_ADMIN, [world.other_office], full_name="Admin Makassar"),
        national=staff(Role.NATIONAL_ADMIN, [], full_name="Admin Nasional"),
        made=[],
    )


@pytest.fixture
def rated(desk: Desk) -> Callable[..., Any]:
    """A rating with a review, given by the desk's person (on a new invitation unless given)."""

    def make(review: str = "Friendly staff and a short wait.", stars: int = 4, **kwargs: Any) -> Any:
        invitation = kwargs.pop("invitation", None) or desk.invitation(**kwargs)
        return services.rating_give(
            invitation=invitation, stars=stars, review=review, actor=invitation.person or desk.person
        )

    return make
