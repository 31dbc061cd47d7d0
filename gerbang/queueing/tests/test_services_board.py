"""Every change of the queue tells the board after the commit."""

from __future__ import annotations

from typing import Any

from gerbang.applications.tests import factories as f
from gerbang.live.models import LiveMessage
from gerbang.queueing import services
from gerbang.queueing.tests.factories import Floor


class TestBoard:
    def test_changes_are_published_after_commit(
        self, world: f.World, office_floor: Floor, django_capture_on_commit_callbacks: object, settings: Any
    ) -> None:
        settings.REDIS_URL = ""  # the table, not Redis (the relay's tests cover both)
        with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
            services.walk_in_issue(office=world.office, lane=office_floor.passports, actor=world.officer)
        message = LiveMessage.objects.get()
        assert message.channel == "queue:mesuji"
        assert '"A-001"' in message.data
