"""A real sandbox over HTTP for tests: a fresh database (SQLite in a tmp dir, or DATABASE_URL) and uvicorn on
127.0.0.1 with an ephemeral port, in a background thread."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from live_server import base_url_of, bind_free_socket, serve
from sqlalchemy import text

from renkei_sandbox.app import create_app
from renkei_sandbox.config import Settings
from renkei_sandbox.db.base import Base
from renkei_sandbox.db.engine import Database
from renkei_sandbox.db.migrate import upgrade_head
from renkei_sandbox.faults import with_faults
from renkei_sandbox.oauth.clients import RegisteredClient, register_client
from renkei_sandbox.seed.seeder import seed

TEST_CUSTOMERS = 15
TEST_YEARS = 1
TEST_SEED = 7
TEST_TODAY = date(2026, 11, 20)
REDIRECT_URI = "http://127.0.0.1:9/callback"


@dataclass
class RunningSandbox:
    base_url: str
    db: Database
    client: RegisteredClient
    other_client: RegisteredClient


def fresh_database(tmp_dir: Path) -> Database:
    """An empty, migrated database: SQLite under `tmp_dir`, or the PostgreSQL of DATABASE_URL (wiped)."""
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp_dir / 'sandbox.sqlite3'}"
    db = Database.from_url(url)
    if db.engine.dialect.name != "sqlite":
        import renkei_sandbox.db.models  # noqa: F401

        Base.metadata.drop_all(db.engine)
        with db.engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    upgrade_head(db.engine)
    return db


_sqlite_template: Path | None = None


def seeded_database(tmp_dir: Path) -> Database:
    """A freshly seeded database. On SQLite the first one is kept as a template and copied afterwards."""
    global _sqlite_template
    if os.environ.get("DATABASE_URL") is None and _sqlite_template is not None:
        target = tmp_dir / "sandbox.sqlite3"
        shutil.copyfile(_sqlite_template, target)
        return Database.from_url(f"sqlite:///{target}")
    db = fresh_database(tmp_dir)
    with db.write_session() as session, session.begin():
        seed(session, TEST_CUSTOMERS, TEST_YEARS, TEST_SEED, today=TEST_TODAY)
    if db.engine.dialect.name == "sqlite":
        db.dispose()  # checkpoints the WAL into the file
        template = Path(tempfile.mkdtemp(prefix="renkei-sandbox-template-")) / "template.sqlite3"
        shutil.copyfile(tmp_dir / "sandbox.sqlite3", template)
        _sqlite_template = template
    return db


@contextmanager
def running_sandbox(tmp_dir: Path, faults: Iterable[str] = (), **settings: Any) -> Iterator[RunningSandbox]:
    """The sandbox over a seeded database, breaking the standard as `faults` say (renkei_sandbox.faults);
    `settings` override `Settings` fields (rate limits, lockout ...). These tests run the plain profile
    (client secrets, bearer tokens); the FAPI 2.0 profile is tested by tests/security (fapi_sandbox)."""
    settings.setdefault("profile", "plain")
    db = seeded_database(tmp_dir)
    with db.write_session() as session, session.begin():
        client = register_client(session, "家計簿アプリ", [REDIRECT_URI])
        other = register_client(session, "別のアプリ", [REDIRECT_URI])
    sock = bind_free_socket()
    sandbox_settings = Settings(
        database_url=str(db.engine.url), issuer=base_url_of(sock), fixed_today=TEST_TODAY, **settings
    )
    app = with_faults(create_app(db, sandbox_settings), faults)
    try:
        with serve(app, sock, lifespan="auto", limit_concurrency=200) as base_url:
            yield RunningSandbox(base_url, db, client, other)
    finally:
        db.dispose()
