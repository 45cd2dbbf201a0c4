"""FastAPI integration (the `fastapi` extra): the standard error body in a FastAPI app that mounts
generated routers, for FastAPI's own request-validation errors too.

    from fastapi import FastAPI
    from renkei_runtime.fastapi import install_error_handlers

    app = FastAPI()
    install_error_handlers(app)
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError

from renkei_runtime.server import install_error_handlers as _install

__all__ = ["install_error_handlers"]


def install_error_handlers(app: FastAPI, *, keep_existing: bool = False) -> None:
    """404, 405, request-validation errors of FastAPI routes and unhandled errors -> the standard body."""
    _install(app, keep_existing=keep_existing, validation_errors=(RequestValidationError,))
