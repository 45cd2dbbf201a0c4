"""Run the Alembic migrations programmatically (`upgrade head` on start)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def upgrade_head(engine: Engine) -> None:
    """Bring the schema to the newest revision; a no-op when it is already there."""
    command.upgrade(alembic_config(engine), "head")
