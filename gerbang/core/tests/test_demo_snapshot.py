"""The demo put back from a snapshot is the demo its loaders write."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from gerbang.core import search
from gerbang.core.tests import demo_snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _the_process_snapshots_kept() -> Iterator[None]:
    """These tests clear the snapshots and fill them with states of their own: the ones the
    rest of the suite uses are put back after each, or every module after would load again."""
    kept = dict(demo_snapshot._snapshots)
    yield
    demo_snapshot._snapshots.clear()
    demo_snapshot._snapshots.update(kept)


def test_a_snapshot_puts_back_every_row_the_loaders_wrote(settings: Any) -> None:
    settings.DEMO_HISTORY_MONTHS = 1
    demo_snapshot._snapshots.clear()
    before = demo_snapshot._digest(demo_snapshot._rows())

    savepoint = transaction.savepoint()
    demo_snapshot.load_demo()  # the loaders
    loaded = demo_snapshot._rows()
    found = [hit.url for hit in search.search("paspor hilang", language="id", limit=500)]
    transaction.savepoint_rollback(savepoint)
    assert demo_snapshot._digest(demo_snapshot._rows()) == before
    assert len(demo_snapshot._snapshots) == 1

    demo_snapshot.load_demo()  # the snapshot
    assert demo_snapshot._digest(demo_snapshot._rows()) == demo_snapshot._digest(loaded)
    again = [hit.url for hit in search.search("paspor hilang", language="id", limit=500)]
    assert again[0] == found[0]  # equal scores may come in another order
    assert sorted(again) == sorted(found) != []
    assert len(demo_snapshot._snapshots) == 1


def test_another_state_before_the_load_takes_the_loaders_again(
    monkeypatch: pytest.MonkeyPatch, office_a: Any
) -> None:
    """What decides between the loaders and a snapshot, with a stand-in for the loaders (one
    row): the real ones are compared with their snapshot row for row above."""
    from gerbang.catalog.tests.factories import OfficeFactory

    runs: list[str] = []

    def loaders(*args: Any, **kwargs: Any) -> None:
        runs.append(args[0])
        OfficeFactory.create(code=f"loaded-{len(runs)}")

    monkeypatch.setattr(demo_snapshot, "call_command", loaders)
    demo_snapshot._snapshots.clear()
    for _ in range(2):  # the same state twice: the loaders, then the snapshot
        savepoint = transaction.savepoint()
        demo_snapshot.load_demo()
        assert [office.code for office in _offices() if office.code.startswith("loaded-")] == ["loaded-1"]
        transaction.savepoint_rollback(savepoint)
    assert runs == ["load_demo"]
    office_a.name_en = "Another name"
    office_a.save()
    demo_snapshot.load_demo()  # another state: the loaders once more, and a second snapshot
    assert runs == ["load_demo", "load_demo"]
    assert len(demo_snapshot._snapshots) == 2


def test_a_snapshot_fits_the_same_settings_wherever_files_go(settings: Any, tmp_path: Any) -> None:
    before = demo_snapshot._settings()
    settings.MEDIA_ROOT = tmp_path / "elsewhere"
    assert demo_snapshot._settings() == before
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    assert demo_snapshot._settings() != before


def test_a_library_adding_its_defaults_changes_no_fit(settings: Any) -> None:
    before = demo_snapshot._settings()
    settings.SOME_LIBRARY_DEFAULT = "added on first import"
    assert demo_snapshot._settings() == before


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_every_load_starts_from_the_migrated_state(settings: Any) -> None:
    """The browser journeys' case: each leaves rows and moved sequences behind, yet the second
    load is put back from the first one's snapshot, row for row."""
    from gerbang.catalog.tests.factories import OfficeFactory

    settings.DEMO_HISTORY_MONTHS = 1
    demo_snapshot._snapshots.clear()
    OfficeFactory.create(code="left-behind")  # what an earlier test left
    demo_snapshot.load_demo()  # the loaders
    loaded = demo_snapshot._digest(demo_snapshot._rows())
    assert not any(office.code == "left-behind" for office in _offices())
    OfficeFactory.create(code="left-behind-too")
    demo_snapshot.load_demo()  # the snapshot
    assert len(demo_snapshot._snapshots) == 1
    assert demo_snapshot._digest(demo_snapshot._rows()) == loaded


def _offices() -> list[Any]:
    from gerbang.catalog.models import Office

    return list(Office.objects.all())
