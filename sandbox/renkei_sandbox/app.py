"""The sandbox application: the generated API routers, the authorization server, the consent pages and
the reference (/docs, /<api>/openapi.json, the console)."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from renkei_runtime.server import RequestBodyLimit
from renkei_sandbox.config import Settings
from renkei_sandbox.db.engine import Database
from renkei_sandbox.docs.routes import mount_reference
from renkei_sandbox.middleware import InteractionIdMiddleware
from renkei_sandbox.oauth.routes import router as oauth_router
from renkei_sandbox.rendering import STATIC_DIR
from renkei_sandbox.request_source import SourceAddressMiddleware
from renkei_sandbox.state import SandboxState
from renkei_sandbox.web.routes import router as web_router
from renkei_sandbox.welcome.landing import router as landing_router


def create_app(db: Database, settings: Settings) -> FastAPI:
    """The ASGI app over an already migrated (and seeded) database."""
    app = FastAPI(title="renkei sandbox", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.sandbox = SandboxState(db=db, settings=settings)
    app.include_router(oauth_router)
    app.include_router(web_router)
    app.include_router(landing_router)
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")
    mount_reference(app)
    _include_api_routers(app, db, settings)
    app.add_middleware(SourceAddressMiddleware)
    if settings.max_body_size is not None:
        app.add_middleware(RequestBodyLimit, max_bytes=settings.max_body_size)  # forms of the AS and pages
    app.add_middleware(InteractionIdMiddleware)
    return app


def _include_api_routers(app: FastAPI, db: Database, settings: Settings) -> None:
    """The three generated routers over the sandbox's service implementations."""
    from renkei_sandbox.api.mounting import include_generated_routers

    include_generated_routers(app, db, settings)
