from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

import pytest

from gerbang.applications.tests.factories import make_world


@pytest.fixture
def world(db: None) -> Any:
    return make_world()


@pytest.fixture
def without_dlib(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """As on a server without the biometric extra: importing dlib fails."""
    from gerbang.biometrics import engine

    monkeypatch.setitem(sys.modules, "dlib", None)  # "import dlib" raises ImportError
    engine._models.cache_clear()
    yield
    engine._models.cache_clear()


@pytest.fixture(autouse=True)
def _fresh_face_index() -> Iterator[None]:
    """The duplicate search's in-process index follows the database; each test starts empty."""
    from gerbang.biometrics import index

    index.reset()
    yield
    index.reset()
