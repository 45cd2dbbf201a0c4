"""Engine and session factories. SQLite gets WAL, a busy timeout and explicit write transactions."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.orm import Session, sessionmaker

SQLITE_BUSY_TIMEOUT_MS = 30_000
DEFAULT_POOL_SIZE = 10
DEFAULT_MAX_OVERFLOW = 30
"""Per process: 40 connections at most, as many as the threads (anyio's default 40) that run requests."""
WRITE_OPTION = "renkei_write"
"""Execution option: on SQLite, start the transaction with BEGIN IMMEDIATE (take the write lock up front)."""


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def make_engine(database_url: str) -> Engine:
    """An engine for `database_url`; a SQLite file's directory is created when missing."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        pool_size, max_overflow = pool_sizes_from_env()
        return create_engine(url, pool_pre_ping=True, pool_size=pool_size, max_overflow=max_overflow)
    if url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}
    )
    _configure_sqlite(engine)
    return engine


def pool_sizes_from_env() -> tuple[int, int]:
    """RENKEI_DB_POOL_SIZE and RENKEI_DB_MAX_OVERFLOW (PostgreSQL; per process, so per worker)."""
    sizes = []
    for name, default in (
        ("RENKEI_DB_POOL_SIZE", DEFAULT_POOL_SIZE),
        ("RENKEI_DB_MAX_OVERFLOW", DEFAULT_MAX_OVERFLOW),
    ):
        value = os.environ.get(name, "").strip()
        if not value:
            sizes.append(default)
            continue
        if not value.isdigit():
            raise ValueError(f"{name} must be a whole number of connections, not {value!r}")
        sizes.append(int(value))
    return sizes[0], sizes[1]


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not pysqlite, emit BEGIN, so that writers can ask for BEGIN IMMEDIATE.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Connection) -> None:
        immediate = connection.get_execution_options().get(WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


class Database:
    """The engine plus two session factories: one for reads and one for serialised writes."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.session = sessionmaker(engine, expire_on_commit=False)
        self.write_session = sessionmaker(
            engine.execution_options(**{WRITE_OPTION: True}), expire_on_commit=False
        )

    @classmethod
    def from_url(cls, database_url: str) -> Database:
        return cls(make_engine(database_url))

    def new_session(self) -> Session:
        return self.session()

    def dispose(self) -> None:
        self.engine.dispose()
