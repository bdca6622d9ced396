"""The ephemeral-state port (sessions, tokens, idempotency keys, counters): Redis or in-process.

Chosen by REDIS_URL. Values are strings; every key can expire. Callers build their keys with
functions of their own context, and declare their own fail policy (open for bot sessions and rate
counters, closed for idempotency keys).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from typing import Protocol, TypeVar

_T = TypeVar("_T")
Entry = tuple[str, str, float | None]  # key, value, ttl in seconds (None: kept)


class StoreUnavailable(Exception):
    """The store could not be reached; the caller's fail policy decides what happens."""


class KeyValueStore(Protocol):
    def get(self, key: str) -> str | None: ...

    def set(self, key: str, value: str, *, ttl: float | None = None) -> None: ...

    def set_many(self, entries: Iterable[Entry]) -> None:
        """Set each (key, value, ttl) at once: one round trip to Redis, not one each."""

    def setnx(self, key: str, value: str, *, ttl: float | None = None) -> bool:
        """Set only if absent; True when this call set it."""

    def incr(self, key: str, *, ttl: float | None = None) -> int:
        """Add one and return the new value; ttl is applied when the key is created."""

    def delete(self, key: str) -> None: ...


class MemoryStore:
    """The embedded default: one process, thread-safe, expiry checked on access."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._data: dict[str, tuple[str, float | None]] = {}

    def _live(self, key: str) -> str | None:
        entry = self._data.get(key)
        if entry is None:
            return None
        value, expires = entry
        if expires is not None and expires <= self._clock():
            del self._data[key]
            return None
        return value

    def _expiry(self, ttl: float | None) -> float | None:
        return None if ttl is None else self._clock() + ttl

    def get(self, key: str) -> str | None:
        with self._lock:
            return self._live(key)

    def set(self, key: str, value: str, *, ttl: float | None = None) -> None:
        with self._lock:
            self._data[key] = (value, self._expiry(ttl))

    def set_many(self, entries: Iterable[Entry]) -> None:
        with self._lock:
            for key, value, ttl in entries:
                self._data[key] = (value, self._expiry(ttl))

    def setnx(self, key: str, value: str, *, ttl: float | None = None) -> bool:
        with self._lock:
            if self._live(key) is not None:
                return False
            self._data[key] = (value, self._expiry(ttl))
            return True

    def incr(self, key: str, *, ttl: float | None = None) -> int:
        with self._lock:
            current = self._live(key)
            if current is None:
                self._data[key] = ("1", self._expiry(ttl))
                return 1
            value = int(current) + 1
            self._data[key] = (str(value), self._data[key][1])
            return value

    def delete(self, key: str) -> None:
        with self._lock:
            self._data.pop(key, None)


class RedisStore:
    """Production: shared by every worker and host; short timeouts so a dead Redis fails fast."""

    def __init__(self, url: str, *, prefix: str = "") -> None:
        import redis  # only where configured: the client is ~90 ms of every process's start-up

        self._unavailable = redis.RedisError
        self._redis = redis.Redis.from_url(
            url, decode_responses=True, socket_timeout=0.5, socket_connect_timeout=0.5
        )
        self._prefix = prefix

    def _call(self, action: Callable[[], _T]) -> _T:
        try:
            return action()
        except self._unavailable as error:
            raise StoreUnavailable(str(error)) from error

    @staticmethod
    def _ms(ttl: float | None) -> int | None:
        return None if ttl is None else max(1, int(ttl * 1000))

    def get(self, key: str) -> str | None:
        return self._call(lambda: self._redis.get(self._prefix + key))  # type: ignore[return-value]

    def set(self, key: str, value: str, *, ttl: float | None = None) -> None:
        self._call(lambda: self._redis.set(self._prefix + key, value, px=self._ms(ttl)))

    def set_many(self, entries: Iterable[Entry]) -> None:
        def send() -> None:
            with self._redis.pipeline(transaction=False) as pipe:
                for key, value, ttl in entries:
                    pipe.set(self._prefix + key, value, px=self._ms(ttl))
                pipe.execute()

        self._call(send)

    def setnx(self, key: str, value: str, *, ttl: float | None = None) -> bool:
        done = self._call(
            lambda: self._redis.set(self._prefix + key, value, px=self._ms(ttl), nx=True)
        )
        return bool(done)

    def incr(self, key: str, *, ttl: float | None = None) -> int:
        def increment() -> int:
            with self._redis.pipeline() as pipe:
                pipe.incr(self._prefix + key)
                if ttl is not None:
                    pipe.pexpire(self._prefix + key, self._ms(ttl) or 1, nx=True)
                return int(pipe.execute()[0])

        return self._call(increment)

    def delete(self, key: str) -> None:
        self._call(lambda: self._redis.delete(self._prefix + key))


def make_store(redis_url: str | None) -> KeyValueStore:
    """Redis when a URL is configured, else the in-process store."""
    return RedisStore(redis_url) if redis_url else MemoryStore()
