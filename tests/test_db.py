"""The database layer: migrations match the models, on SQLite and PostgreSQL."""

from __future__ import annotations

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
