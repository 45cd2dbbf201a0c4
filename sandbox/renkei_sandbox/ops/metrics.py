"""Prometheus metrics at `/metrics` (prometheus-client), multi-process aware.

- `renkei_http_requests_total{operation, method, status}` and
  `renkei_http_request_duration_seconds{operation}`
  (a histogram): `operation` is the API's operationId (`list_transactions`), another route's path template
  (`/oauth/token`), or `unmatched`; never a raw path, so the label set stays small.
- `renkei_db_pool_connections_in_use` and `renkei_db_pool_size` (summed over live workers).
- `renkei_idempotency_replays_total`: createTransfer requests answered from an earlier request's outcome.
- `renkei_scheduled_transfers_executed_total`.

With several workers (`renkei serve --workers N`) every worker writes its samples to files under
`PROMETHEUS_MULTIPROC_DIR` (which `renkei serve` creates), and whichever worker answers `/metrics` reports
the sum over all of them. Without that variable, one process reports its own.
"""

from __future__ import annotations

import os
import time
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from sqlalchemy import event
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from renkei_runtime.server import OperationRoute
from renkei_sandbox.db.engine import Database

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"

REQUESTS = Counter("renkei_http_requests", "HTTP requests answered.", ["operation", "method", "status"])
LATENCY = Histogram(
    "renkei_http_request_duration_seconds",
    "Time from the request to the end of the response.",
    ["operation"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
POOL_IN_USE = Gauge(
    "renkei_db_pool_connections_in_use",
    "Database connections checked out of the pool.",
    multiprocess_mode="livesum",
)
POOL_SIZE = Gauge(
    "renkei_db_pool_size", "Configured pool size (connections kept open).", multiprocess_mode="livesum"
)
IDEMPOTENCY_REPLAYS = Counter(
    "renkei_idempotency_replays", "createTransfer requests answered with an earlier request's transfer."
)
SCHEDULED_EXECUTED = Counter(
    "renkei_scheduled_transfers_executed", "Scheduled transfers executed by this deployment's schedulers."
)


def operation_of(scope: Scope) -> str:
    route = scope.get("route")
    if isinstance(route, OperationRoute):
        return route.name
    path = getattr(route, "path", None)
    return path if isinstance(path, str) and path else "unmatched"


class MetricsMiddleware:
    """Counts and times each HTTP request; innermost, so that the router's `route` is in the scope."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] == "/metrics":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def record_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, record_status)
        finally:
            operation = operation_of(scope)
            REQUESTS.labels(operation, scope["method"], str(status)).inc()
            LATENCY.labels(operation).observe(time.perf_counter() - started)


def watch_pool(db: Database) -> None:
    """Keep the pool gauges current through the pool's checkout/checkin events."""
    size = getattr(db.engine.pool, "size", None)
    POOL_SIZE.set(size() if callable(size) else 1)

    @event.listens_for(db.engine, "checkout")
    def checked_out(*_: Any) -> None:
        POOL_IN_USE.inc()

    @event.listens_for(db.engine, "checkin")
    def checked_in(*_: Any) -> None:
        POOL_IN_USE.dec()


def _registry() -> CollectorRegistry:
    if not os.environ.get(MULTIPROC_ENV):
        return REGISTRY
    from prometheus_client import multiprocess

    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    return registry


async def metrics_endpoint(_request: Request) -> Response:
    return Response(generate_latest(_registry()), media_type=CONTENT_TYPE_LATEST)


def process_exiting() -> None:
    """A worker's last words: its live gauges no longer count (multi-process mode)."""
    if os.environ.get(MULTIPROC_ENV):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(os.getpid())  # type: ignore[no-untyped-call]
