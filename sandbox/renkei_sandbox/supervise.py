"""The supervisor of `renkei serve --workers N`, once the parent has migrated, seeded and printed the banner.

serve.py replaces its own process image with this module (`os.execv`, same process id, same stdout and
stderr), so that the process that supervises the workers holds uvicorn and the log set-up only: about 27 MB
instead of the 80 MB of everything `renkei serve` imported to migrate and seed (SQLAlchemy, alembic,
pydantic, typer, rich). The workers inherit the environment serve.py prepared (issuer, log format, metrics
directory) and build their apps themselves (`renkei_sandbox.workers:create_worker_app`).

`python -m renkei_sandbox.supervise HOST PORT WORKERS LOG_FORMAT`."""

from __future__ import annotations

import logging
import os
import sys
from typing import Any

__all__ = [
    "GRACEFUL_SHUTDOWN_SECONDS",
    "TLS_CERT_ENV",
    "TLS_CIPHERS",
    "TLS_KEY_ENV",
    "WORKER_APP",
    "exec_supervisor",
    "server_options",
    "supervise",
]

GRACEFUL_SHUTDOWN_SECONDS = 30
"""On SIGTERM/SIGINT uvicorn stops accepting, then waits this long for requests in flight (a transfer's
database transaction included) before it closes connections; then the scheduler's run in progress ends."""
WORKER_APP = "renkei_sandbox.workers:create_worker_app"
TLS_CIPHERS = "ECDHE+AESGCM:ECDHE+CHACHA20"
"""TLS 1.2 suites: BCP 195's recommended ones (ECDHE with AEAD); TLS 1.3 suites are always AEAD."""
TLS_CERT_ENV = "RENKEI_TLS_CERT"
TLS_KEY_ENV = "RENKEI_TLS_KEY"


def server_options(host: str, port: int, tls: tuple[str, str] | None = None) -> dict[str, Any]:
    """uvicorn's options for the sandbox, one worker or many; `tls`: (certificate, key) PEM files."""
    options: dict[str, Any] = {
        "host": host,
        "port": port,
        "access_log": False,
        "log_config": None,
        "server_header": False,
        "timeout_graceful_shutdown": GRACEFUL_SHUTDOWN_SECONDS,
    }
    if tls is not None:
        options |= {"ssl_certfile": tls[0], "ssl_keyfile": tls[1], "ssl_ciphers": TLS_CIPHERS}
    return options


def exec_supervisor(host: str, port: int, workers: int, log_format: str) -> None:
    """Become the supervisor (never returns)."""
    sys.stdout.flush()
    sys.stderr.flush()
    argv = [sys.executable, "-m", __spec__.name if __spec__ else __name__, host, str(port), str(workers)]
    os.execv(sys.executable, [*argv, log_format])


def supervise(host: str, port: int, workers: int, log_format: str) -> None:
    import uvicorn

    from renkei_sandbox.logs import configure_logging

    configure_logging(logging.INFO, log_format)
    cert, key = os.environ.get(TLS_CERT_ENV), os.environ.get(TLS_KEY_ENV)
    tls = (cert, key) if cert and key else None
    uvicorn.run(WORKER_APP, factory=True, workers=workers, **server_options(host, port, tls))


if __name__ == "__main__":
    host, port, workers, log_format = sys.argv[1:5]
    supervise(host, int(port), int(workers), log_format)
