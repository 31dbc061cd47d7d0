"""The staff's debate page lists the posts as cards (readable on a phone: the text, reports,
status and the moderator's reason one under the other, not a six-column table), and offers
"Answer officially" on people's posts only, not on the office's own official answers."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gerbang.participation import services
from gerbang.participation.tests.conftest import World
from gerbang.participation.tests.test_views import browser

pytestmark = pytest.mark.django_db


def card(page: str, pk: int) -> str:
    start = page.index(f'id="post-{pk}"')
    return page[start : page.index("</li>", start)]


def test_posts_are_cards_and_official_answers_are_not_answered_officially(world: World) -> None:
    debate = world.debate()
    started = services.post_publish(
        actor=world.people[0], debate=debate, body="When does the afternoon quota start?"
    ).post
    official = services.post_publish_official(
        actor=world.supervisor,
        debate=debate,
        body="Kuota sore dibuka bulan depan.",
        body_en="The afternoon quota opens next month.",
        parent=started,
    ).post
    services.post_report(actor=world.people[1], post=started, reason="spam")
    page = (
        browser(world.supervisor)
        .get(reverse("backoffice:participation_debate", args=[debate.pk]))
        .content.decode()
    )
    assert "<table" not in page
    reply = reverse("backoffice:participation_debate_official", args=[debate.pk])
    person = card(page, started.pk)
    assert 'class="card"' in page[page.rindex("<li", 0, page.index(f'id="post-{started.pk}"')) :][:80]
    assert "When does the afternoon quota start?" in person
    assert "<dt>Reports</dt><dd>1</dd>" in person and "<dt>Status</dt><dd>Visible</dd>" in person
    assert f"{reply}?reply={started.pk}" in person
    office = card(page, official.pk)
    assert "(official answer)" in office and "Answer officially" not in office
    assert f"?reply={official.pk}" not in page
    # Staff see both versions of the office's answer.
    assert "Kuota sore dibuka bulan depan." in office and "The afternoon quota opens next month." in office
