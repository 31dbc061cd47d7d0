"""Rarely changed rows that hot paths read on every request (an office's booking rules, whether
a service has a daily quota), kept in each process for a few seconds.

A change saved in this process is seen at once (saving or deleting a watched model empties the
memo); other processes see it within ``seconds``. Reads inside a transaction are not kept (the
transaction may yet be rolled back). Callers get what the loader returned: loaders
return copies or immutable values when callers might change them.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Any, ClassVar, Generic, TypeVar

from django.db import transaction
from django.db.models import Model
from django.db.models.signals import post_delete, post_save

T = TypeVar("T")


class ProcessMemo(Generic[T]):
    # Every memo of the process, so tests can start each from nothing (``clear_all``).
    instances: ClassVar[list[ProcessMemo[Any]]] = []

    def __init__(self, loader: Callable[..., T], *, seconds: float, watch: tuple[type[Model], ...]) -> None:
        self.instances.append(self)
        self.loader = loader
        self.seconds = seconds
        self._kept: dict[Hashable, tuple[float, T]] = {}
        self._lock = threading.Lock()
        for model in watch:
            post_save.connect(self._forget, sender=model, weak=False)
            post_delete.connect(self._forget, sender=model, weak=False)

    def __call__(self, *key: Any) -> T:
        now = time.monotonic()
        kept = self._kept.get(key)
        if kept is not None and kept[0] > now:
            return kept[1]
        value = self.loader(*key)
        # What a transaction reads may be rolled back with it: only committed reads are kept.
        if not transaction.get_connection().in_atomic_block:
            with self._lock:
                self._kept[key] = (now + self.seconds, value)
        return value

    def _forget(self, **kwargs: Any) -> None:
        self.clear()

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()


def clear_all() -> None:
    for memo in ProcessMemo.instances:
        memo.clear()
