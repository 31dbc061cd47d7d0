"""The process memo: kept for its time, forgotten when a watched row changes, never keeping
what a transaction read."""

from __future__ import annotations

from typing import Any

import pytest

from gerbang.catalog.models import Holiday
from gerbang.core.memo import ProcessMemo


@pytest.mark.django_db(transaction=True)
def test_kept_then_forgotten_on_change(monkeypatch: Any) -> None:
    calls: list[int] = []

    def load(key: int) -> int:
        calls.append(key)
        return Holiday.objects.count()

    memo = ProcessMemo(load, seconds=60.0, watch=(Holiday,))
    assert memo(1) == 0 and memo(1) == 0
    assert calls == [1]
    Holiday.objects.create(date="2026-12-25", kind="national", name_id="Natal", name_en="Christmas")
    assert memo(1) == 1  # the save emptied it
    assert calls == [1, 1]
    clock = [1000.0]
    monkeypatch.setattr("gerbang.core.memo.time.monotonic", lambda: clock[0])
    memo.clear()
    memo(2)
    clock[0] += 61
    memo(2)
    assert calls == [1, 1, 2, 2]  # expired after its time


@pytest.mark.django_db
def test_reads_inside_a_transaction_are_not_kept() -> None:
    calls: list[int] = []

    def load(key: int) -> int:
        calls.append(key)
        return key

    memo = ProcessMemo(load, seconds=60.0, watch=())
    memo(3)
    memo(3)
    assert calls == [3, 3]
