"""The Redis cache: one client per connection pool, shared by threads; a counter is added to
only while it exists, keeping its expiry, in one atomic step; hits on several windowed counters
are counted at once, on Redis and on the memory cache alike."""

from __future__ import annotations

import secrets
import threading
from typing import Any

import pytest
from django.conf import settings
from django.core.cache.backends.locmem import LocMemCache

from gerbang.core.cache import RedisCache, count_hits

needs_redis = pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL")


def fresh_cache() -> RedisCache:
    return RedisCache(settings.REDIS_URL, {"KEY_PREFIX": f"test-cache-{secrets.token_hex(4)}"})


@needs_redis
def test_a_counter_is_added_to_only_while_it_exists() -> None:
    cache = fresh_cache()
    with pytest.raises(ValueError, match="not found"):
        cache.incr("visits")
    assert cache.get("visits") is None  # not made by the failed call
    assert cache.add("visits", 1, timeout=60)
    assert cache.incr("visits") == 2
    assert cache.incr("visits", 5) == 7
    client = cache._cache.get_client(write=True)
    assert 0 < client.ttl(cache.make_key("visits")) <= 60  # the expiry stays
    cache.delete("visits")


@needs_redis
def test_one_client_serves_every_call_and_thread() -> None:
    cache = fresh_cache()
    assert cache._cache.get_client(write=True) is cache._cache.get_client(write=True)
    cache.add("hits", 0, timeout=60)
    errors: list[BaseException] = []

    def count() -> None:
        try:
            for _ in range(100):
                cache.incr("hits")
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    workers = [threading.Thread(target=count) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert not errors
    assert cache.get("hits") == 400
    cache.set_many({"a": (1, "x"), "b": 2.5}, timeout=60)
    assert cache.get_many(["a", "b", "c"]) == {"a": (1, "x"), "b": 2.5}
    cache.delete_many(["hits", "a", "b"])


@pytest.mark.parametrize("backend", ["memory", pytest.param("redis", marks=needs_redis)])
def test_hits_are_counted_on_several_counters_at_once(backend: str) -> None:
    cache = fresh_cache() if backend == "redis" else LocMemCache(f"test-{secrets.token_hex(4)}", {})
    assert count_hits(cache, [("account", 60), ("address", 3600)]) == [1, 1]
    assert count_hits(cache, [("account", 60), ("address", 3600)]) == [2, 2]
    assert count_hits(cache, [("address", 3600)]) == [3]
    assert cache.get("account") == 2 and cache.get("address") == 3
    if backend == "redis":
        assert isinstance(cache, RedisCache)
        client = cache._cache.get_client(write=True)
        assert 0 < client.ttl(cache.make_key("account")) <= 60  # made by a hit: expires with its window
        assert 3500 < client.ttl(cache.make_key("address")) <= 3600
        cache.delete_many(["account", "address"])


@pytest.mark.parametrize("in_process", [0, 4])
def test_versioned_answers_are_kept_until_a_change(in_process: int) -> None:
    from gerbang.core.cache import Versioned

    versions = Versioned("test-versioned:version", in_process=in_process)
    version, kept = versions.get("test-versioned:answer")
    assert kept is None
    versions.set("test-versioned:answer", version, "first", 60)
    assert versions.get("test-versioned:answer")[1] == "first"
    versions.changed()
    version, kept = versions.get("test-versioned:answer")
    assert kept is None
    versions.set("test-versioned:answer", version, "second", 60)
    assert versions.get("test-versioned:answer")[1] == "second"


@pytest.mark.parametrize("in_process", [0, 4])
@pytest.mark.parametrize("first_ever", [True, False])
def test_an_answer_built_while_a_change_came_is_not_kept(first_ever: bool, in_process: int) -> None:
    from gerbang.core.cache import Versioned

    versions = Versioned("test-versioned:version", in_process=in_process)
    if not first_ever:
        versions.changed()
    version, _kept = versions.get("test-versioned:answer")
    versions.changed()  # while the answer was being built from the data before it
    versions.set("test-versioned:answer", version, "stale", 60)
    assert versions.get("test-versioned:answer")[1] is None


@pytest.mark.parametrize("in_process", [0, 4])
def test_a_version_is_never_reused_after_it_is_lost(in_process: int) -> None:
    from django.core.cache import cache

    from gerbang.core.cache import Versioned

    versions = Versioned("test-versioned:version", in_process=in_process)
    versions.changed()
    version, _kept = versions.get("test-versioned:answer")
    versions.set("test-versioned:answer", version, "old", 60)
    cache.delete("test-versioned:version")  # pushed out of the cache
    versions.changed()
    assert versions.get("test-versioned:answer")[1] is None


def test_answers_kept_in_the_process_cost_a_read_of_the_version_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from django.core.cache import cache

    from gerbang.core.cache import Versioned

    versions = Versioned("test-versioned:version", in_process=2)
    version, _kept = versions.get("answer:a")
    versions.set("answer:a", version, b"a page" * 1000, 60)
    asked: list[str] = []
    real_get = cache.get

    def get(key: str, *args: Any) -> Any:
        asked.append(key)
        return real_get(key, *args)

    monkeypatch.setattr(cache, "get", get)
    assert versions.get("answer:a")[1] == b"a page" * 1000
    assert asked == ["test-versioned:version"]
    # Another process's change shows at once: the version moved, the kept copy is not served.
    cache.incr("test-versioned:version")
    assert versions.get("answer:a")[1] is None
    # Only the latest answers stay in memory.
    for name in ("b", "c"):
        version, _kept = versions.get(f"answer:{name}")
        versions.set(f"answer:{name}", version, name, 60)
    assert list(versions._here) == ["answer:b", "answer:c"]
