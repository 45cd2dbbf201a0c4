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

__all__ = ["GRACEFUL_SHUTDOWN_SECONDS", "WORKER_APP", "exec_supervisor", "server_options", "supervise"]

GRACEFUL_SHUTDOWN_SECONDS = 30
"""On SIGTERM/SIGINT uvicorn stops accepting, then waits this long for requests in flight (a transfer's
database transaction included) before it closes connections; then the scheduler's run in progress ends."""
WORKER_APP = "renkei_sandbox.workers:create_worker_app"


def server_options(host: str, port: int) -> dict[str, Any]:
    """uvicorn's options for the sandbox, one worker or many."""
    return {
        "host": host,
        "port": port,
        "access_log": False,
        "log_config": None,
        "server_header": False,
        "timeout_graceful_shutdown": GRACEFUL_SHUTDOWN_SECONDS,
    }


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
    uvicorn.run(WORKER_APP, factory=True, workers=workers, **server_options(host, port))


if __name__ == "__main__":
    host, port, workers, log_format = sys.argv[1:5]
    supervise(host, int(port), int(workers), log_format)
