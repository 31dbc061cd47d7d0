"""Django's Redis cache, with one Redis client per connection pool instead of one per command.

Django's ``RedisCacheClient.get_client`` builds a new ``redis.Redis`` for every cache call, and
redis-py fills a table of some two hundred reply handlers in each new client: about 0.2 ms of
Python per call, more than the round trip to Redis. A booking attempt makes a dozen counter
calls (rate limits, the waiting room), so that cost alone was several milliseconds of CPU per
attempt. A redis-py client is safe to share between threads (each command takes a connection
from the pool), so one per pool serves every call.

``incr`` is also one atomic round trip instead of two (EXISTS, then INCRBY): between those two
a key could expire, and INCRBY would then make it anew without an expiry, a counter that never
goes away. And ``count_hits`` counts a hit on several windowed counters in one round trip
(rate limits: a request usually counts against more than one). ``run_script`` runs any other
Lua script on this cache's keys in one atomic round trip (the booking waiting room's).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from django.core.cache.backends import redis as django_redis
from django.db import transaction

# Add to a counter that exists; nil (a ValueError, as Django's caches answer) when it does not.
_INCR_EXISTING = """
if redis.call('exists', KEYS[1]) == 1 then return redis.call('incrby', KEYS[1], ARGV[1]) end
return false
"""


# Count one hit on each counter; a counter made by this hit expires after its window.
_COUNT_HITS = """
local counts = {}
for i, key in ipairs(KEYS) do
  counts[i] = redis.call('incr', key)
  if counts[i] == 1 then redis.call('expire', key, ARGV[i]) end
end
return counts
"""


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}
        self._scripts: dict[tuple[int, str], Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        django_client: Any = self  # for the parts of Django's client its stubs leave out
        pool = django_client._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = django_client._client(connection_pool=pool)
        return client

    def run_script(self, source: str, keys: list[Any], args: list[Any]) -> Any:
        """Run a Lua script on the primary (by its digest; sent whole only when Redis lacks it)."""
        client = self.get_client(write=True)
        script = self._scripts.get((id(client), source))
        if script is None:
            script = self._scripts[(id(client), source)] = client.register_script(source)
        return script(keys=keys, args=args, client=client)

    def incr(self, key: Any, delta: int) -> int:
        value = self.run_script(_INCR_EXISTING, [key], [delta])
        if value is None:
            raise ValueError(f"Key '{key}' not found.")
        return int(value)

    def count_hits(self, keys: list[str], windows: list[int]) -> list[int]:
        return [int(n) for n in self.run_script(_COUNT_HITS, keys, windows)]


class RedisCache(django_redis.RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient

    def count_hits(self, counters: list[tuple[str, int]]) -> list[int]:
        """Count one hit on each (key, window in seconds) counter; the counts after it."""
        keys = [self.make_and_validate_key(key) for key, _window in counters]
        client: Any = self._cache  # a RedisCacheClient of this module (see __init__)
        hits: list[int] = client.count_hits(keys, [window for _key, window in counters])
        return hits

    def run_script(self, source: str, keys: list[str], args: list[Any]) -> Any:
        """Run the Lua script ``source`` on ``keys`` (this cache's keys, prefixed and versioned
        as every other call makes them; the caller's own, so not checked for characters
        memcached would refuse) with ``args``, atomically, in one round trip. The values it
        reads and writes are Redis's own strings, not this cache's pickles."""
        client: Any = self._cache
        return client.run_script(source, [self.make_key(key) for key in keys], args)


def count_hits(cache: Any, counters: list[tuple[str, int]]) -> list[int]:
    """Count one hit on each (key, window in seconds) counter of ``cache``, a counter made by
    the hit expiring after its window; the counts after it. One round trip with Redis; other
    caches count each with add() and incr(), which every backend makes atomic."""
    if isinstance(cache, RedisCache):
        return cache.count_hits(counters)
    counts = []
    for key, window in counters:
        if cache.add(key, 1, timeout=window):  # only the first caller creates the counter
            counts.append(1)
            continue
        try:
            counts.append(int(cache.incr(key)))
        except ValueError:  # expired between add() and incr()
            cache.set(key, 1, timeout=window)
            counts.append(1)
    return counts


class Versioned:
    """Answers kept in the default cache under a version that every change of what they show
    moves on: a reader fetches the version and its answer in one round trip and takes the
    answer only when both agree, so a change shows at once without finding every key.

    The version moves when a change is saved and again when its transaction commits (a reader
    of another process may render the data still committed between the two, under the newer
    version). A version is never reused: when it is pushed out of the cache, its successor
    starts from the clock, so answers kept under an older one can never match again.

    With ``in_process`` (a number of answers), each process also keeps that many of the latest
    answers it read or made in its own memory, and then asks the cache for the version alone
    (a few bytes) on each read: a large answer (a whole page) is then not fetched and unpickled
    again for every visitor. Its answers must be values nobody changes (each reader gets the
    same object)."""

    def __init__(self, version_key: str, *, in_process: int = 0) -> None:
        self.version_key = version_key
        self.in_process = in_process
        self._here: OrderedDict[str, tuple[Any, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> tuple[int, Any]:
        """(the current version, the answer kept under ``key`` for it, or None). Without a
        version yet, a proposed one (negative): ``set`` makes it current unless a change made
        another meanwhile; so a version is only made for an answer worth keeping (a request
        for an unknown office makes none)."""
        if self.in_process:
            return self._get_here(key)
        found = default_cache().get_many([self.version_key, key])
        version = found.get(self.version_key)
        if version is None:
            return -time.time_ns(), None
        entry = found.get(key)
        if entry is not None and entry[0] == version:
            return int(version), entry[1]
        return int(version), None

    def _get_here(self, key: str) -> tuple[int, Any]:
        version = default_cache().get(self.version_key)
        if version is None:
            return -time.time_ns(), None
        with self._lock:
            entry = self._here.get(key)
        if entry is None or entry[0] != version:
            entry = default_cache().get(key)
            if entry is None or entry[0] != version:
                return int(version), None
            self._keep_here(key, entry)
        return int(version), entry[1]

    def _keep_here(self, key: str, entry: tuple[Any, Any]) -> None:
        with self._lock:
            self._here[key] = entry
            self._here.move_to_end(key)
            while len(self._here) > self.in_process:
                self._here.popitem(last=False)

    def set(self, key: str, version: int, value: Any, timeout: float) -> None:
        """Keep ``value`` under ``key`` for ``version`` (the one ``get`` gave before it was built)."""
        if version < 0:
            if not default_cache().add(self.version_key, -version, None):
                return  # a change came while it was built: not kept
            version = -version
        default_cache().set(key, (version, value), timeout)
        if self.in_process:
            self._keep_here(key, (version, value))

    def changed(self) -> None:
        """What the answers show changed: move the version now, and again on commit (once per
        transaction, however many rows it saves)."""
        bump = _Bump(self.version_key)
        bump()
        connection = transaction.get_connection()
        if connection.in_atomic_block and not any(each[1] == bump for each in connection.run_on_commit):
            transaction.on_commit(bump)


@dataclass(frozen=True)
class _Bump:
    version_key: str

    def __call__(self) -> None:
        try:
            default_cache().incr(self.version_key)
        except ValueError:  # not there (the first change, or pushed out of the cache)
            _start(self.version_key)


def _start(version_key: str) -> None:
    default_cache().add(version_key, time.time_ns(), None)


def default_cache() -> Any:
    from django.core.cache import cache

    return cache
