"""Self-service fixtures: an app whose records really commit to PostgreSQL, for races."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from threading import Barrier
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from app.db import Base, Database, import_all_models, make_engine
from app.selfservice.registry.demo import seed_people
from app.store import MemoryStore


@pytest.fixture
def committing_postgresql(app: Flask, postgresql_url: str) -> Iterator[Flask]:
    """The app on PostgreSQL with real commits (one connection per request, as in production),
    the demo people seeded; every table is emptied afterwards."""
    engine = make_engine(postgresql_url)
    saved = app.extensions["db"], app.extensions["store"]
    app.extensions["db"], app.extensions["store"] = Database(engine), MemoryStore()
    try:
        with app.extensions["db"].session() as session:
            seed_people(session)
        yield app
    finally:
        app.extensions["db"], app.extensions["store"] = saved
        import_all_models()
        with engine.begin() as connection:
            names = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
            connection.execute(sa.text(f"TRUNCATE {names} CASCADE"))
        engine.dispose()


def at_once(calls: int, call: Callable[[int], Any]) -> list[Any]:
    """call(0) … call(calls - 1), each in its own thread, released together."""
    start = Barrier(calls)

    def run(index: int) -> Any:
        start.wait()
        return call(index)

    with ThreadPoolExecutor(calls) as pool:
        return list(pool.map(run, range(calls)))
