"""Alembic environment: the engine comes from `config.attributes` (set by sandbox.db.migrate)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

import renkei_sandbox.db.models  # noqa: F401  (registers the tables)
from renkei_sandbox.config import database_url_from_env
from renkei_sandbox.db.base import Base
from renkei_sandbox.db.engine import make_engine


def run_migrations_online() -> None:
    engine = context.config.attributes.get("engine")
    if not isinstance(engine, Engine):
        engine = make_engine(database_url_from_env())
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run_migrations_online()
