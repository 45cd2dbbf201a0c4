"""Is the database's schema at the newest migration this code ships?"""

from __future__ import annotations

from functools import cache

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

from renkei_sandbox.db.migrate import MIGRATIONS_DIR


@cache
def head_revisions() -> frozenset[str]:
    """The newest revisions of the migration scripts (no database needed)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return frozenset(ScriptDirectory.from_config(config).get_heads())


def current_revisions(connection: Connection) -> frozenset[str]:
    return frozenset(MigrationContext.configure(connection).get_current_heads())


def schema_is_current(engine: Engine) -> bool:
    with engine.connect() as connection:
        return current_revisions(connection) == head_revisions()
