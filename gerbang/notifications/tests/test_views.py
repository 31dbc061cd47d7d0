"""The inbox pages: marking one message, or all, as read; an id no column holds is no message."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from gerbang.applications.tests import factories as f
from gerbang.notifications import services
from gerbang.notifications.models import InboxItem, OutboxMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def inbox() -> tuple[Client, list[InboxItem]]:
    """An applicant's browser and their inbox after submitting an application (its messages
    delivered the way the worker does)."""
    world = f.make_world()
    f.submitted(world)
    for message in OutboxMessage.objects.all():
        for delivery_id in services.fan_out(message.pk):
            services.delivery_attempt(delivery_id)
    items = list(InboxItem.objects.filter(recipient=world.applicant).order_by("id"))
    assert len(items) >= 2
    client = Client()
    client.force_login(world.applicant)
    return client, items


def _unread(items: list[InboxItem]) -> list[bool]:
    return [InboxItem.objects.get(pk=item.pk).read_at is None for item in items]


@pytest.mark.parametrize("item", [str(2**63), str(10**40), "abc"])
def test_an_id_no_column_holds_marks_nothing_and_is_no_error(
    inbox: tuple[Client, list[InboxItem]], item: str
) -> None:
    client, items = inbox
    response = client.post(reverse("notifications:inbox_read"), {"item": item})
    assert response.status_code == 302
    assert all(_unread(items))


def test_one_message_or_all_are_marked_read(inbox: tuple[Client, list[InboxItem]]) -> None:
    client, items = inbox
    client.post(reverse("notifications:inbox_read"), {"item": [str(items[0].pk), str(2**63)]})
    assert _unread(items) == [False] + [True] * (len(items) - 1)
    client.post(reverse("notifications:inbox_read"))
    assert not any(_unread(items))
