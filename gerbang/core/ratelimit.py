"""Fixed-window counters in the counters cache: Redis when configured (shared by every
process), otherwise each process's memory (see ``CACHES["counters"]`` in the settings)."""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.core.cache import caches


@dataclass(frozen=True)
class Limit:
    name: str
    count: int
    window_seconds: int

    def _key(self, subject: str) -> str:
        window = int(time.time()) // self.window_seconds
        return f"rl:{self.name}:{subject}:{window}"

    def hits(self, subject: str) -> int:
        return int(caches["counters"].get(self._key(subject), 0))

    def exceeded(self, subject: str) -> bool:
        return self.hits(subject) >= self.count

    def hit(self, subject: str) -> int:
        key = self._key(subject)
        cache = caches["counters"]
        # add() is atomic on every backend: only the first caller creates the counter.
        if cache.add(key, 1, timeout=self.window_seconds):
            return 1
        try:
            return int(cache.incr(key))
        except ValueError:  # expired between add() and incr()
            cache.set(key, 1, timeout=self.window_seconds)
            return 1

    def retry_after(self) -> int:
        return self.window_seconds - int(time.time()) % self.window_seconds

    def reset(self, subject: str) -> None:
        caches["counters"].delete(self._key(subject))
