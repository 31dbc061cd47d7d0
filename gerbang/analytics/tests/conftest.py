from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation

from gerbang.applications.tests import factories as f


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def world(db: None) -> f.World:
    return f.make_world()
