"""Alembic environment: the URL comes from the caller (app.db.upgrade), the models from app."""

from alembic import context

from app.db import Base, import_all_models, make_engine

import_all_models()
config = context.config


def run_migrations() -> None:
    url = config.get_main_option("sqlalchemy.url")
    if url is None:
        raise RuntimeError("run migrations through app.db.upgrade(url)")
    engine = make_engine(url)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters by copying
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations()
