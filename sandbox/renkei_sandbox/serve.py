"""`renkei serve`: migrate, seed on first start and run the sandbox with uvicorn."""

from __future__ import annotations

import gc
import logging
import sys
from typing import TYPE_CHECKING

from renkei_sandbox.config import Settings

if TYPE_CHECKING:
    from starlette.applications import Starlette

    from renkei_sandbox.db.engine import Database


def run_server(host: str, port: int) -> int:
    """Serve until interrupted; returns the process exit code."""
    import uvicorn
    from sqlalchemy.exc import SQLAlchemyError

    from renkei_sandbox.app import create_app
    from renkei_sandbox.db.engine import Database
    from renkei_sandbox.db.errors import describe_database_error
    from renkei_sandbox.faults import UnknownFault, with_faults_from_env
    from renkei_sandbox.housekeeping import purge_expired
    from renkei_sandbox.logs import configure_logging, log_event
    from renkei_sandbox.seed.run import prepare_database
    from renkei_sandbox.services.transfers import execute_due_transfers

    configure_logging(logging.INFO)
    try:
        settings = Settings.from_env(host, port)
    except ValueError as error:  # a malformed RENKEI_* limit
        print(f"renkei serve: {error}", file=sys.stderr)
        return 2
    try:
        db = Database.from_url(settings.database_url)
        summary = prepare_database(db)
        with db.write_session() as session, session.begin():
            purged = purge_expired(session)
        ran = execute_due_transfers(db, settings.today())
    except SQLAlchemyError as error:
        print(f"renkei serve: cannot prepare the database: {describe_database_error(error)}", file=sys.stderr)
        return 1
    log_event("housekeeping", expired_rows_deleted=purged, scheduled_transfers_executed=ran)
    if summary is not None:
        log_event(
            "seeded",
            customers=summary.customers,
            accounts=summary.accounts,
            transactions=summary.transactions,
        )
    log_event("starting", url=f"http://{host}:{port}", issuer=settings.issuer)
    sandbox_app = create_app(db, settings)
    try:
        app = with_faults_from_env(sandbox_app)
    except UnknownFault as error:
        print(f"renkei serve: {error}", file=sys.stderr)
        return 2
    print_banner(db, settings.issuer, sandbox_app)
    freeze_start_up_objects()
    uvicorn.run(app, host=host, port=port, access_log=False, log_config=None, server_header=False)
    return 0


def print_banner(db: Database, base_url: str, app: Starlette) -> None:
    """The start-up banner (URLs, demo logins per bank, the next command) on stdout."""
    from renkei_sandbox.seed.seeder import DEMO_PASSWORD
    from renkei_sandbox.welcome.banner import banner
    from renkei_sandbox.welcome.demo_logins import demo_logins
    from renkei_sandbox.welcome.landing import serves_docs

    with db.session() as session:
        logins = demo_logins(session)
    print(banner(base_url, logins, DEMO_PASSWORD, serves_docs(app.routes)), flush=True)


def freeze_start_up_objects() -> None:
    """Move everything built at start-up (app, routes, pydantic and SQLAlchemy metadata) out of the cyclic
    GC's generations, so that full collections during serving stay short (fewer latency spikes)."""
    gc.collect()
    gc.freeze()
