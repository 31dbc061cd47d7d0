"""The demo's ratings, as loaded by ``make run``: published reviews (one replied to), one waiting
for a moderator, one flagged for personal data, an invitation on Siti's dashboard, and grouped
suggestions with one done."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from gerbang.accounts.models import User
from gerbang.catalog.models import Office
from gerbang.satisfaction import selectors
from gerbang.satisfaction.demo import load
from gerbang.satisfaction.models import Rating, ReviewStatus, Suggestion, SuggestionStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _demo(demo_data: None) -> None:
    """The demo, loaded once for this module."""


def test_the_demo_shows_every_part() -> None:
    ratings = Rating.objects.all()
    published = ratings.filter(review_status=ReviewStatus.PUBLISHED)
    assert published.count() == 2 and published.exclude(reply="").count() == 1
    pending = ratings.filter(review_status=ReviewStatus.PENDING)
    assert pending.count() == 2
    assert [r.flags for r in pending.order_by("pk")] == [[], ["phone"]]
    mesuji = Office.objects.get(code="mesuji")
    summary = selectors.office_summary(mesuji.pk)
    assert summary.count == 4 and len(summary.reviews) == 2
    siti = User.objects.get(email="pemohon@gerbang.test")
    # Hers to rate: the one this demo leaves (others' demos may invite her too).
    assert any(i.occasion == "case" for i in selectors.invitations_to_rate(siti))
    assert Suggestion.objects.filter(status=SuggestionStatus.DONE).count() == 1
    groups = selectors.suggestion_groups(list(Suggestion.objects.filter(office=mesuji)))
    assert len(groups[0].items) >= 3 and "antrean" in groups[0].keywords
    assert load() == 0  # loaded again: nothing twice


def test_the_demo_pages(client: Client) -> None:
    page = client.get(reverse("catalog:office_detail", args=["mesuji"])).content.decode()
    assert "Ratings and reviews" in page and "The office replied:" in page
    assert "halaman samping kantor" in client.get(reverse("satisfaction:suggestions")).content.decode()
