"""The Alembic migrations build exactly the schema the ORM models describe, and re-running them is a no-op."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sandbox_harness import fresh_database

import renkei_sandbox.db.models  # noqa: F401
from renkei_sandbox.db.base import Base
from renkei_sandbox.db.migrate import upgrade_head


def test_migrations_match_the_models(tmp_path: Path) -> None:
    db = fresh_database(tmp_path)
    upgrade_head(db.engine)  # idempotent
    with db.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    db.dispose()
    assert diff == []


def test_migrations_downgrade_and_upgrade_again(tmp_path: Path) -> None:
    """Down to 0001 and up again: each revision's downgrade undoes its upgrade (triggers included)."""
    from alembic import command

    from renkei_sandbox.db.migrate import alembic_config

    db = fresh_database(tmp_path)
    command.downgrade(alembic_config(db.engine), "0001")
    upgrade_head(db.engine)
    with db.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    db.dispose()
    assert diff == []
