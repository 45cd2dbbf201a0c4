"""The app each uvicorn worker process builds for itself (`renkei serve --workers N`).

Workers share nothing in memory: each opens its own connection pool, and every piece of state lives in
the database (sandbox/README.md, "Many workers, many hosts"). The parent process (serve.py) has migrated
the database and put the issuer and log format into the environment, which the workers inherit.
"""

from __future__ import annotations

import gc
import logging
import os

from starlette.types import ASGIApp

from renkei_sandbox.config import Settings
from renkei_sandbox.db.engine import Database


def build_app(db: Database, settings: Settings, sandbox_app: ASGIApp | None = None) -> ASGIApp:
    """The sandbox app (`sandbox_app`, else a new one) with the faults of RENKEI_SANDBOX_FAULTS (ValueError
    on an unknown one)."""
    from renkei_sandbox.app import create_app
    from renkei_sandbox.faults import with_faults_from_env

    return with_faults_from_env(sandbox_app or create_app(db, settings))


def create_worker_app() -> ASGIApp:
    """uvicorn's factory in a worker process: settings from the environment, a fresh pool."""
    from renkei_sandbox.logs import LOG_FORMAT_ENV, configure_logging

    configure_logging(logging.INFO, os.environ.get(LOG_FORMAT_ENV, "json"))
    settings = Settings.from_env("127.0.0.1", 0)  # RENKEI_ISSUER is set by the parent
    app = build_app(Database.from_url(settings.database_url), settings)
    freeze_start_up_objects()
    return app


def freeze_start_up_objects() -> None:
    """Move everything built at start-up (app, routes, pydantic and SQLAlchemy metadata) out of the cyclic
    GC's generations, so that full collections during serving stay short (fewer latency spikes)."""
    gc.collect()
    gc.freeze()
