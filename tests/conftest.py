"""Shared fixtures: the synthetic fixture base, apps over it and the real base, an API client."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from app import create_app
from app.config import PROJECT_ROOT
from app.db import Database, make_engine, upgrade
from app.store import KeyValueStore, MemoryStore, RedisStore

FIXTURES = Path(__file__).parent / "fixtures"
REAL_KNOWLEDGE = PROJECT_ROOT / "knowledge"
ERROR_KEYS = {"code", "message", "errors", "request_id"}


def copy_fixture_knowledge(target: Path) -> Path:
    """A writable copy of the fixture base, with the project's own catalog, region tables and
    ways of speech (English included)."""
    shutil.copytree(FIXTURES / "knowledge", target)
    for shared in (
        "catalog.tsv",
        "regions.tsv",
        "holidays.yaml",
        "lexicon/speech.yaml",
        "lexicon/english.yaml",
    ):
        shutil.copy(REAL_KNOWLEDGE / shared, target / shared)
    return target


@pytest.fixture(scope="session")
def fixture_knowledge(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_fixture_knowledge(tmp_path_factory.mktemp("kb") / "knowledge")


@pytest.fixture
def knowledge_copy(tmp_path: Path) -> Path:
    """A fixture base a test may break."""
    return copy_fixture_knowledge(tmp_path / "knowledge")


@pytest.fixture(scope="session")
def fixture_seeds() -> Path:
    return FIXTURES / "seeds"


TEST_DATABASE_URL = os.environ.get(
    "TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    upgrade(url)
    return url


@pytest.fixture(scope="session")
def postgresql_url() -> str:
    """The test PostgreSQL, emptied and migrated once per run."""
    engine = make_engine(TEST_DATABASE_URL)
    try:
        with engine.begin() as connection:
            connection.execute(sa.text("DROP SCHEMA public CASCADE"))
            connection.execute(sa.text("CREATE SCHEMA public"))
    except sa.exc.OperationalError as error:
        service_missing("PostgreSQL", error)
    finally:
        engine.dispose()
    upgrade(TEST_DATABASE_URL)
    return TEST_DATABASE_URL


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest) -> str:
    """Each database test runs on both: SQLite (the embedded default) and PostgreSQL."""
    return request.getfixturevalue(f"{request.param}_url")  # type: ignore[no-any-return]


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    """A Database bound to one connection whose transaction is rolled back after the test."""
    engine = make_engine(database_url)
    connection = engine.connect()
    transaction = connection.begin()
    try:
        yield Database(connection)
    finally:
        transaction.rollback()
        connection.close()
        engine.dispose()


@pytest.fixture(scope="session")
def app(
    fixture_knowledge: Path,
    fixture_seeds: Path,
    sqlite_url: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> Flask:
    return create_app(
        {
            "KNOWLEDGE_DIR": str(fixture_knowledge),
            "SEEDS_DIR": str(fixture_seeds),
            "DATABASE_URL": sqlite_url,
            "RATE_LIMITS_ENABLED": False,  # one test address would trip them; tested on their own
            "UPLOAD_DIR": str(tmp_path_factory.mktemp("uploads")),
        }
    )


@pytest.fixture
def db_app(app: Flask, database: Database, store: KeyValueStore) -> Iterator[Flask]:
    """The app with its records in the test's rolled-back transaction and a fresh store: every
    test using it runs on SQLite and PostgreSQL, each with the in-process store and Redis."""
    saved = app.extensions["db"], app.extensions["store"]
    app.extensions["db"], app.extensions["store"] = database, store
    try:
        yield app
    finally:
        app.extensions["db"], app.extensions["store"] = saved


@pytest.fixture(scope="session")
def real_app(sqlite_url: str) -> Flask:
    return create_app(
        {
            "KNOWLEDGE_DIR": str(REAL_KNOWLEDGE),
            "DATABASE_URL": sqlite_url,
            "RATE_LIMITS_ENABLED": False,
        }
    )


class ApiClient:
    """Calls the API and asserts the status, and the one error shape on every error."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def get(self, url: str, *, expect: int = 200, **kwargs: Any) -> Any:
        response = self.client.get(url, **kwargs)
        assert response.status_code == expect, response.get_data(as_text=True)
        if expect >= 400:
            assert_error_shape(response.get_json())
        return response.get_json()


def assert_error_shape(payload: Any) -> None:
    assert isinstance(payload, dict)
    assert set(payload) >= ERROR_KEYS, payload
    assert isinstance(payload["message"], str)
    assert any("\u4e00" <= char <= "\u9fff" for char in payload["message"]), payload
    assert payload["request_id"]


@pytest.fixture
def api(app: Flask) -> Iterator[ApiClient]:
    with app.test_client() as client:
        yield ApiClient(client)


@pytest.fixture
def real_api(real_app: Flask) -> Iterator[ApiClient]:
    with real_app.test_client() as client:
        yield ApiClient(client)


TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def service_missing(what: str, error: Exception) -> None:
    """Under CI a missing Redis or PostgreSQL is a failure; on a laptop, a skip."""
    message = f"{what} is not reachable: {error}"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture
def redis_store() -> Iterator[RedisStore]:
    """A RedisStore on the test Redis with a key prefix of its own; its keys go at teardown."""
    import redis

    client = redis.Redis.from_url(TEST_REDIS_URL)
    try:
        client.ping()
    except redis.RedisError as error:
        service_missing("Redis", error)
    prefix = f"test:{uuid.uuid4().hex}:"
    yield RedisStore(TEST_REDIS_URL, prefix=prefix)
    for key in client.scan_iter(f"{prefix}*"):
        client.delete(key)


@pytest.fixture(params=["memory", "redis"])
def store(request: pytest.FixtureRequest) -> KeyValueStore:
    """The same contract, run over both implementations."""
    if request.param == "memory":
        return MemoryStore()
    return request.getfixturevalue("redis_store")  # type: ignore[no-any-return]
