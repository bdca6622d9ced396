"""The database layer: migrations match the models, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app.db import Base, Database, import_all_models


def test_migrations_match_the_models(database: Database) -> None:
    import_all_models()
    with database.session() as session:
        context = MigrationContext.configure(session.connection())
        assert compare_metadata(context, Base.metadata) == []


def test_a_committed_record_reads_back(database: Database) -> None:
    from datetime import UTC, datetime

    from app.bot.models import BotMiss

    with database.session() as session:
        before = session.query(BotMiss).count()
    with database.session() as session, session.begin():
        session.add(
            BotMiss(
                question="测试",
                normalized="测试",
                reason="out_of_scope",
                region=None,
                channel="counter",
                created_at=datetime.now(UTC),
            )
        )
    with database.session() as session:
        assert session.query(BotMiss).count() == before + 1


def test_every_timestamp_column_reads_back_aware_utc(database: Database) -> None:
    import sqlalchemy as sa

    from app.db import UTCDateTime

    import_all_models()
    columns = [c for t in Base.metadata.tables.values() for c in t.columns]
    timestamps = [c for c in columns if isinstance(c.type, sa.DateTime | UTCDateTime)]
    assert timestamps
    assert all(isinstance(c.type, UTCDateTime) for c in timestamps), [
        str(c) for c in timestamps if not isinstance(c.type, UTCDateTime)
    ]
    naive = datetime(2026, 6, 10, 4, 0)  # noqa: DTZ001 (what SQLite hands back)
    for value in (naive, naive.replace(tzinfo=UTC)):
        read = UTCDateTime().process_result_value(value, database.bind.dialect)
        assert read == naive.replace(tzinfo=UTC)
        assert read is not None
        assert read.utcoffset() == timedelta(0)
