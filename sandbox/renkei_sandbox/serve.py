"""`renkei serve`: migrate, seed on first start and serve the sandbox with uvicorn (1 or N workers)."""

from __future__ import annotations

import logging
import os
import sys
import tempfile
from typing import TYPE_CHECKING

from renkei_sandbox.config import Settings
from renkei_sandbox.supervise import TLS_CERT_ENV, TLS_KEY_ENV, exec_supervisor, server_options
from renkei_sandbox.tls import TlsFiles
from renkei_sandbox.workers import build_app, freeze_start_up_objects

if TYPE_CHECKING:
    from renkei_sandbox.db.engine import Database


def run_server(
    host: str,
    port: int,
    workers: int = 1,
    log_format: str = "json",
    migrate: bool = True,
    tls: TlsFiles | None = None,
) -> int:
    """Serve until interrupted; returns the process exit code. `migrate=False` (multi-host set-ups, after
    `renkei sandbox migrate`) neither migrates nor seeds, and refuses to start on an outdated schema.
    With `tls` the sandbox is served over https (TLS 1.2 or later): the issuer, Secure `__Host-` cookies
    and HSTS follow."""
    import uvicorn
    from sqlalchemy.exc import SQLAlchemyError

    from renkei_sandbox.db.engine import Database
    from renkei_sandbox.db.errors import describe_database_error
    from renkei_sandbox.housekeeping import purge_expired
    from renkei_sandbox.logs import LOG_FORMAT_ENV, configure_logging, log_event
    from renkei_sandbox.ops.schema import schema_is_current
    from renkei_sandbox.seed.run import prepare_database
    from renkei_sandbox.services.due_transfers import run_due_transfers

    configure_logging(logging.INFO, log_format)
    from renkei_sandbox.faults import ENV_VAR as FAULTS_ENV
    from renkei_sandbox.faults import parse_faults

    try:
        settings = Settings.from_env(host, port, "https" if tls else "http")
        db = Database.from_url(settings.database_url)
        parse_faults(os.environ.get(FAULTS_ENV))
    except ValueError as error:  # a malformed RENKEI_* setting, an unknown fault
        print(f"renkei serve: {error}", file=sys.stderr)
        return 2
    try:
        summary = None
        if migrate:
            summary = prepare_database(db)
        elif not schema_is_current(db.engine):
            print(
                "renkei serve: the schema is not current; run `renkei sandbox migrate` first", file=sys.stderr
            )
            return 1
        with db.write_session() as session, session.begin():
            purged = purge_expired(session)
        ran = run_due_transfers(db, settings.today())
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
    scheme = "https" if tls else "http"
    log_event("starting", url=f"{scheme}://{host}:{port}", issuer=settings.issuer, workers=workers)
    if workers > 1:
        # Every worker sees the same settings: the issuer is fixed here, the log format passed on, and the
        # metrics of all workers are summed from one directory.
        os.environ["RENKEI_ISSUER"] = settings.issuer
        os.environ[LOG_FORMAT_ENV] = log_format
        os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp(prefix="renkei-metrics-"))
        if tls is not None:  # the supervisor's workers listen with the same certificate
            os.environ[TLS_CERT_ENV], os.environ[TLS_KEY_ENV] = str(tls.cert), str(tls.key)
    if workers > 1:
        # The supervisor never builds the app (each worker does): the banner reads only the database and
        # whether the reference is there, which is what makes create_app mount /docs.
        from renkei_sandbox.docs.location import reference_is_built

        print_banner(db, settings.issuer, reference_is_built())
        db.dispose()  # the workers build their own apps and open their own connections
        exec_supervisor(host, port, workers, log_format)  # this process becomes a bare uvicorn supervisor
        return 0
    from renkei_sandbox.app import create_app
    from renkei_sandbox.welcome.landing import serves_docs

    sandbox_app = create_app(db, settings)
    print_banner(db, settings.issuer, serves_docs(sandbox_app.routes))
    app = build_app(db, settings, sandbox_app)
    freeze_start_up_objects()
    files = None if tls is None else (str(tls.cert), str(tls.key))
    uvicorn.run(app, **server_options(host, port, files))
    return 0


def print_banner(db: Database, base_url: str, docs: bool) -> None:
    """The start-up banner (URLs, demo logins per bank, the next command, /docs when `docs`) on stdout."""
    from renkei_sandbox.seed.seeder import DEMO_PASSWORD
    from renkei_sandbox.welcome.banner import banner
    from renkei_sandbox.welcome.demo_logins import demo_logins

    with db.session() as session:
        logins = demo_logins(session)
    print(banner(base_url, logins, DEMO_PASSWORD, docs), flush=True)
