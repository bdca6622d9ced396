"""Records in a relational database: SQLite (WAL) by default, PostgreSQL via DATABASE_URL.

One session per request or command; a service function that writes commits once, in
`with session.begin():`. Migrations are Alembic's (migrations/), run by `flask db upgrade`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import click
import sqlalchemy as sa
from flask import Flask, current_app, g
from flask.cli import AppGroup
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from app.config import PROJECT_ROOT

MIGRATIONS = PROJECT_ROOT / "migrations"


class UTCDateTime(sa.TypeDecorator[datetime]):
    """Aware UTC in and out on both databases (SQLite keeps no offset; it is added back)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    """Declarative base; constraint names are stable so migrations can refer to them."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # Every timezone-aware column of every model reads back aware UTC, SQLite included.
        super().__init_subclass__(**kwargs)
        table = cls.__dict__.get("__table__")
        for column in table.columns if isinstance(table, sa.Table) else ():
            if isinstance(column.type, sa.DateTime) and column.type.timezone:
                column.type = UTCDateTime()

    metadata = sa.MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # pysqlite's own transaction handling breaks SAVEPOINT; SQLAlchemy emits BEGIN instead.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    # WAL lets readers run beside the one writer; NORMAL is durable across app crashes in WAL.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for url; SQLite gets its file's folder created and the pragmas above."""
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, connect_args={"timeout": 15})
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        # IMMEDIATE takes the write lock up front: a deferred transaction that reads, then
        # writes, fails at once ("database is locked") when another writer got in between,
        # where busy_timeout cannot help; taken first, the lock is simply waited for.
        sa.event.listen(
            engine, "begin", lambda connection: connection.exec_driver_sql("BEGIN IMMEDIATE")
        )
        return engine
    return sa.create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)


class Database:
    """Sessions for one app. Tests bind it to an open connection so each test rolls back."""

    def __init__(self, bind: Engine | Connection) -> None:
        self.bind = bind
        # Joined to a test's connection, a commit releases a savepoint; the test rolls back.
        joined = (
            {"join_transaction_mode": "create_savepoint"} if isinstance(bind, Connection) else {}
        )
        self._sessions = sessionmaker(bind=bind, expire_on_commit=False, **joined)  # type: ignore[call-overload]

    def session(self) -> Session:
        session: Session = self._sessions()
        return session


_Row = TypeVar("_Row", bound=Base)


def unique_while_active(name: str, *columns: str) -> sa.Index:
    """A partial unique index over the rows whose status is active (both databases have them):
    the database, not a check-then-insert that concurrent requests can race, keeps them unique."""
    active = sa.text("status = 'active'")
    return sa.Index(name, *columns, unique=True, postgresql_where=active, sqlite_where=active)


def find_keyed(session: Session, model: type[_Row], key: str | None, **owner: str) -> _Row | None:
    """The record of model that owner (e.g. psn_no=…) made under this Idempotency-Key, if any."""
    if key is None:
        return None
    found: _Row | None = session.scalar(sa.select(model).filter_by(idempotency_key=key, **owner))
    return found


def find_keyed_after_conflict(
    session: Session, model: type[_Row], key: str | None, **owner: str
) -> _Row | None:
    """After a unique index refused an insert (a concurrent request won): roll back, and look
    in a new transaction for the record that request made under this key."""
    session.rollback()
    with session.begin():
        return find_keyed(session, model, key, **owner)


def import_all_models() -> None:
    """Import every context's models, so Base.metadata knows every table (for Alembic)."""
    import app.audit
    import app.bot.models
    import app.selfservice.certificates.models
    import app.selfservice.identity.models
    import app.selfservice.maternity.models
    import app.selfservice.mutual_aid.models
    import app.selfservice.registry.models
    import app.selfservice.remote_care.models
    import app.selfservice.uploads.models  # noqa: F401


def upgrade(url: str, revision: str = "head") -> None:
    """Run the migrations up to revision on the database at url."""
    # Imported here: serving never migrates, and Alembic would cost every worker ~10 MB.
    from alembic import command
    from alembic.config import Config as AlembicConfig

    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    command.upgrade(config, revision)


def request_session() -> Session:
    """The current request's session (one per request, closed at teardown)."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["db"].session()
    return g.db_session  # type: ignore[no-any-return]


def _close_session(_error: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()


def init_app(app: Flask) -> None:
    """Give the app its database; requests get a session on first use."""
    app.extensions["db"] = Database(make_engine(app.config["DATABASE_URL"]))
    app.teardown_appcontext(_close_session)
    app.cli.add_command(db_cli)


db_cli = AppGroup("db", help="Database migrations.")


@db_cli.command("upgrade")
@click.option("--revision", default="head")
def upgrade_command(revision: str) -> None:
    """Migrate the configured database (DATABASE_URL) to revision."""
    upgrade(current_app.config["DATABASE_URL"], revision)
    click.echo(f"database at {revision}")
