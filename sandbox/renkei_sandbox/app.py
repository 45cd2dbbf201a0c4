"""The sandbox application: the generated API routers, the authorization server, the consent pages and
the reference (/docs, /<api>/openapi.json, the console)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from renkei_runtime.server import RequestBodyLimit
from renkei_sandbox.config import Settings
from renkei_sandbox.db.engine import Database
from renkei_sandbox.docs.routes import mount_reference
from renkei_sandbox.middleware import InteractionIdMiddleware
from renkei_sandbox.oauth.routes import router as oauth_router
from renkei_sandbox.ops import metrics
from renkei_sandbox.ops.health import router as health_router
from renkei_sandbox.ops.scheduler import Scheduler
from renkei_sandbox.rendering import STATIC_DIR
from renkei_sandbox.request_source import SourceAddressMiddleware
from renkei_sandbox.state import SandboxState
from renkei_sandbox.web.errors import install_page_errors
from renkei_sandbox.web.routes import router as web_router
from renkei_sandbox.welcome.landing import router as landing_router


def create_app(db: Database, settings: Settings) -> FastAPI:
    """The ASGI app over an already migrated (and seeded) database."""
    app = FastAPI(title="renkei sandbox", docs_url=None, redoc_url=None, openapi_url=None, lifespan=_lifespan)
    app.state.sandbox = SandboxState(db=db, settings=settings)
    app.include_router(health_router)
    app.add_route("/metrics", metrics.metrics_endpoint, include_in_schema=False)
    metrics.watch_pool(db)
    app.include_router(oauth_router)
    app.include_router(web_router)
    app.include_router(landing_router)
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")
    mount_reference(app)
    _include_api_routers(app, db, settings)
    install_page_errors(app)  # after the API's error handlers, which it wraps
    app.add_middleware(metrics.MetricsMiddleware)  # innermost: it reads the matched route
    app.add_middleware(SourceAddressMiddleware)
    if settings.max_body_size is not None:
        app.add_middleware(RequestBodyLimit, max_bytes=settings.max_body_size)  # forms of the AS and pages
    app.add_middleware(InteractionIdMiddleware)
    if settings.issuer.startswith("https://"):
        from renkei_sandbox.tls import StrictTransportSecurity

        app.add_middleware(StrictTransportSecurity)
    return app


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Start the scheduler (when the settings ask for one); on shutdown, after uvicorn has finished the
    requests in flight, let a scheduler run in progress finish too."""
    state: SandboxState = app.state.sandbox
    scheduler = None
    if state.settings.scheduler_interval is not None:
        scheduler = Scheduler(state.db, state.settings.today, state.settings.scheduler_interval)
        scheduler.start()
    try:
        yield
    finally:
        if scheduler is not None:
            await scheduler.stop()
        metrics.process_exiting()


def _include_api_routers(app: FastAPI, db: Database, settings: Settings) -> None:
    """The three generated routers over the sandbox's service implementations."""
    from renkei_sandbox.api.mounting import include_generated_routers

    include_generated_routers(app, db, settings)
