"""Every appointment test books from the same Monday morning, in English, at an office with
weekday visiting hours."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import time_machine
from django.utils import translation

from gerbang.applications.models import Application
from gerbang.applications.tests import factories as f
from gerbang.appointments.tests.factories import NOW, weekday_hours


@pytest.fixture(autouse=True)
def _english_monday_morning() -> Iterator[None]:
    with translation.override("en"), time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def world(db: None) -> f.World:
    world = f.make_world()
    weekday_hours(world.office)
    return world


@pytest.fixture
def case(world: f.World) -> Application:
    return f.awaiting_appointment(world)
