"""Reminders of coming visits."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from gerbang.applications.models import Application
from gerbang.applications.tests import factories as f
from gerbang.appointments import services
from gerbang.appointments.tests.factories import MONDAY, book, slot_on
from gerbang.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


class TestReminders:
    def test_a_day_and_two_hours_before_each_once(self, world: f.World, case: Application) -> None:
        slot = slot_on(world, MONDAY + dt.timedelta(days=3))
        book(case, slot)
        assert services.reminders_send() == 0
        with time_machine.travel(slot.starts_at - dt.timedelta(hours=23), tick=False):
            assert services.reminders_send() == 1
            assert services.reminders_send() == 0
        with time_machine.travel(slot.starts_at - dt.timedelta(hours=1), tick=False):
            assert services.reminders_send() == 1
        assert OutboxMessage.objects.filter(kind="appointment.reminder").count() == 2
