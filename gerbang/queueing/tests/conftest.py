"""Queue tests happen on Monday 7 December 2026 at the Mesuji office, in English."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import time_machine
from django.utils import translation

from gerbang.applications.tests import factories as f
from gerbang.appointments.tests.factories import NOW, weekday_hours
from gerbang.queueing.tests.factories import Floor, floor


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
