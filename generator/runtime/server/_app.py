"""App-level pieces: the standard body for the app's own 404/405/500, and serving the bundled spec."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Mapping, Sequence
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Router

from generator.runtime.server._interaction import interaction_id_of
from generator.runtime.server._problems import ApiProblem, problem_response

__all__ = ["build_app", "install_error_handlers", "openapi_route"]

logger = logging.getLogger("renkei.server")

_CODES = {
    400: "invalid_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    429: "too_many_requests",
}


def _response(problem: ApiProblem, request: Request) -> Response:
    raw = problem_response(problem, interaction_id_of(request.headers))
    response = Response(raw.body, status_code=raw.status_code)
    response.raw_headers = list(raw.raw_headers)
    return response


def install_error_handlers(app: Starlette) -> None:
    """404, 405, validation errors of plain FastAPI routes and unhandled errors -> the standard body."""

    async def http_error(request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        detail = exc.detail if isinstance(exc, HTTPException) else "an internal error occurred"
        headers = dict(exc.headers or {}) if isinstance(exc, HTTPException) else {}
        code = _CODES.get(status, "internal_error" if status >= 500 else "error")
        return _response(ApiProblem(status, code, str(detail), headers=headers), request)

    async def validation_error(request: Request, exc: Exception) -> Response:
        details = []
        errors = getattr(exc, "errors", None)
        if callable(errors):
            for item in errors()[:20]:
                field = ".".join(str(p) for p in item.get("loc", ()))
                details.append(
                    {
                        "errorDetailsCode": str(item.get("type", "invalid")),
                        "errorDetailsMessage": str(item.get("msg", "")),
                        "errorDetailsField": field,
                    }
                )
        return _response(ApiProblem(400, "invalid_request", "the request is not valid", details), request)

    async def internal_error(request: Request, exc: Exception) -> Response:
        logger.error("unhandled error", exc_info=exc)
        return _response(ApiProblem(500, "internal_error", "an internal error occurred"), request)

    async def api_problem(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiProblem)
        return _response(exc, request)

    app.add_exception_handler(HTTPException, http_error)
    if "fastapi" in sys.modules:  # a FastAPI app: its request validation errors too (no import otherwise)
        from fastapi.exceptions import RequestValidationError

        app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(ApiProblem, api_problem)
    app.add_exception_handler(Exception, internal_error)


def openapi_route(router: Router, document: Mapping[str, Any], path: str = "/openapi.json") -> None:
    """Serve the bundled spec itself (not FastAPI's reconstruction)."""
    content = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()

    async def openapi(request: Request) -> Response:
        return Response(content, media_type="application/json")

    router.add_route(path, openapi, methods=["GET"], include_in_schema=False)


def build_app(routes: Sequence[BaseRoute], document: Mapping[str, Any], prefix: str = "") -> Starlette:
    """A lean Starlette app serving generated routes, with the standard errors and the spec at
    `<prefix>/openapi.json` (mount `create_router` in your own FastAPI app for anything more)."""
    app = Starlette(routes=list(routes))
    openapi_route(app.router, document, prefix + "/openapi.json")
    install_error_handlers(app)
    return app
