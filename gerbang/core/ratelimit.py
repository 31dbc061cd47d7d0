"""Fixed-window counters in the counters cache: Redis when configured (shared by every
process), otherwise each process's memory (see ``CACHES["counters"]`` in the settings)."""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.core.cache import caches
from django.utils.functional import Promise

from gerbang.core.cache import count_hits
from gerbang.core.exceptions import RateLimited


@dataclass(frozen=True)
class Limit:
    name: str
    count: int
    window_seconds: int

    def key(self, subject: str) -> str:
        window = int(time.time()) // self.window_seconds
        return f"rl:{self.name}:{subject}:{window}"

    def hits(self, subject: str) -> int:
        return int(caches["counters"].get(self.key(subject), 0))

    def exceeded(self, subject: str) -> bool:
        return self.hits(subject) >= self.count

    def hit(self, subject: str) -> int:
        return hit_all((self, subject))[0]

    def retry_after(self) -> int:
        return self.window_seconds - int(time.time()) % self.window_seconds

    def reset(self, subject: str) -> None:
        caches["counters"].delete(self.key(subject))


def hit_all(*hits: tuple[Limit, str]) -> list[int]:
    """Count one hit of each (limit, subject), all at once (one round trip with Redis); the
    counts after it, in the same order."""
    return count_hits(
        caches["counters"], [(limit.key(subject), limit.window_seconds) for limit, subject in hits]
    )


def enforce(*hits: tuple[Limit, str], message: str | Promise) -> None:
    """Count one hit of each (limit, subject); once any is over its limit, refuse with
    ``message`` and the seconds until that limit's window ends (Retry-After)."""
    for (limit, _subject), count in zip(hits, hit_all(*hits), strict=True):
        if count > limit.count:
            refusal = RateLimited(message)
            refusal.retry_after = limit.retry_after()
            raise refusal
