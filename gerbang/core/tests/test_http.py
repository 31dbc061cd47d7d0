"""The shared cache of public pages and API reads: invalidated by a change, and again when the
change commits."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache

from gerbang.catalog.tests.factories import OfficeFactory

pytestmark = pytest.mark.django_db

VERSION_KEY = "public-pages:version"


def test_a_change_invalidates_again_when_it_commits(django_capture_on_commit_callbacks: Any) -> None:
    """What another thread renders between the save and the commit (from the data still
    committed, under the version the save made) must not outlive the commit."""
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        office = OfficeFactory.create(code="baru")
        office.regency = "Kota Baru"
        office.save()
        while_uncommitted = cache.get(VERSION_KEY)
    assert len(callbacks) == 1  # once per transaction, however many rows it saved
    assert cache.get(VERSION_KEY) != while_uncommitted
