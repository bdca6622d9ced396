"""The key-value port: one contract, both implementations (real Redis, in-process)."""

from __future__ import annotations

import threading
import time

import pytest

from app.store import KeyValueStore, MemoryStore, RedisStore, StoreUnavailable, make_store


def test_get_set_delete(store: KeyValueStore) -> None:
    assert store.get("k") is None
    store.set("k", "值")
    assert store.get("k") == "值"
    store.delete("k")
    assert store.get("k") is None


def test_set_many_sets_each_with_its_own_expiry(store: KeyValueStore) -> None:
    store.set_many([("kept", "一", None), ("brief", "二", 0.05), ("long", "三", 60)])
    assert [store.get(k) for k in ("kept", "brief", "long")] == ["一", "二", "三"]
    time.sleep(0.15)
    assert [store.get(k) for k in ("kept", "brief", "long")] == ["一", None, "三"]


def test_setnx_sets_only_once(store: KeyValueStore) -> None:
    assert store.setnx("once", "first", ttl=60) is True
    assert store.setnx("once", "second", ttl=60) is False
    assert store.get("once") == "first"


def test_incr_counts_and_keeps_its_first_expiry(store: KeyValueStore) -> None:
    assert [store.incr("n", ttl=60) for _ in range(3)] == [1, 2, 3]


def test_values_expire(store: KeyValueStore) -> None:
    store.set("short", "x", ttl=0.05)
    store.incr("short-count", ttl=0.05)
    time.sleep(0.15)
    assert store.get("short") is None
    assert store.incr("short-count", ttl=0.05) == 1


def test_incr_is_atomic_under_threads(store: KeyValueStore) -> None:
    def bump() -> None:
        for _ in range(50):
            store.incr("shared", ttl=60)

    threads = [threading.Thread(target=bump) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert store.get("shared") == "400"


def test_memory_store_expiry_follows_its_clock() -> None:
    now = [100.0]
    store = MemoryStore(clock=lambda: now[0])
    store.set("k", "v", ttl=10)
    now[0] = 109.9
    assert store.get("k") == "v"
    now[0] = 110.0
    assert store.get("k") is None


def test_an_unreachable_redis_raises_store_unavailable() -> None:
    dead = RedisStore("redis://127.0.0.1:1/0")
    with pytest.raises(StoreUnavailable):
        dead.get("k")
    with pytest.raises(StoreUnavailable):
        dead.set_many([("k", "v", 60)])


def test_the_url_chooses_the_implementation() -> None:
    assert isinstance(make_store(None), MemoryStore)
    assert isinstance(make_store("redis://127.0.0.1:6379/0"), RedisStore)
