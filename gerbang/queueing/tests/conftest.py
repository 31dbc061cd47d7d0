"""Queue tests happen on Monday 7 December 2026 at the Mesuji office, in English."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import time_machine
from django.utils import translation

from gerbang.accounts.models import User
from gerbang.applications.tests import factories as f
from gerbang.appointments.tests.factories import NOW, weekday_hours
from gerbang.queueing.models import Counter
from gerbang.queueing.tests.factories import Floor, floor, opened


@pytest.fixture(autouse=True)
def _english_monday_morning() -> Iterator[None]:
    with translation.override("en"), time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def world(db: None) -> f.World:
    world = f.make_world()
    weekday_hours(world.office, capacity=20)
    return world


@pytest.fixture
def office_floor(world: f.World) -> Floor:
    return floor(world.office)


@pytest.fixture
def officer_at_1(world: f.World, office_floor: Floor) -> Counter:
    return opened(office_floor.counters[0], world.officer)


@pytest.fixture
def second_officer(world: f.World) -> User:
    from gerbang.accounts.models import Role
    from gerbang.accounts.tests.factories import staff

    return staff(Role.OFFICER, [world.office])
