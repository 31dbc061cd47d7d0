"""A circuit breaker per partner agency, kept in the cache so that every process shares it.

After ``EXCHANGE_BREAKER_FAILURES`` failures in a row nobody asks that agency for
``EXCHANGE_BREAKER_SECONDS``: its checks wait without spending a timeout each. Then one question
at a time probes it (half open); an answer closes the circuit, a failure opens it again.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache


def _key(agency_code: str, part: str) -> str:
    return f"exchange:breaker:{agency_code}:{part}"


def open_until(agency_code: str) -> float:
    return float(cache.get(_key(agency_code, "open_until"), 0))


def allows(agency_code: str) -> bool:
    """Whether a question may go to this agency now (closed, or this caller holds the probe)."""
    until = open_until(agency_code)
    if until == 0:
        return True
    if time.time() < until:
        return False
    # Half open: one caller probes; the others wait for its outcome.
    return bool(cache.add(_key(agency_code, "probe"), 1, timeout=max(int(settings.EXCHANGE_TIMEOUT * 4), 10)))


def succeeded(agency_code: str) -> None:
    cache.delete_many([_key(agency_code, part) for part in ("failures", "open_until", "probe")])


def failed(agency_code: str) -> None:
    failures_key = _key(agency_code, "failures")
    cache.add(failures_key, 0, timeout=24 * 3600)
    try:
        failures = cache.incr(failures_key)
    except ValueError:
        cache.set(failures_key, 1, timeout=24 * 3600)
        failures = 1
    if failures >= settings.EXCHANGE_BREAKER_FAILURES:
        cache.set(
            _key(agency_code, "open_until"),
            time.time() + settings.EXCHANGE_BREAKER_SECONDS,
            timeout=24 * 3600,
        )
        cache.delete(_key(agency_code, "probe"))


def reset(agency_code: str) -> None:
    succeeded(agency_code)
