"""App-level pieces: the standard body for the app's own 404/405/500, and serving the bundled spec."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Router
from starlette.types import ASGIApp, Receive, Scope, Send

from renkei_runtime.server._codes import MESSAGES, code_for_status
from renkei_runtime.server._interaction import interaction_id_of
from renkei_runtime.server._problems import ApiProblem, problem_response
from renkei_runtime.server._routing import OperationRouter

__all__ = ["GeneratedApp", "build_app", "install_error_handlers", "openapi_route"]

logger = logging.getLogger("renkei.server")


def _problem_of(exc: Exception) -> ApiProblem:
    """The standard error for an exception that escaped the routes (Starlette's 404/405 included)."""
    if isinstance(exc, ApiProblem):
        return exc
    if isinstance(exc, HTTPException):
        code = code_for_status(exc.status_code)
        return ApiProblem(exc.status_code, code, MESSAGES[code], headers=dict(exc.headers or {}))
    return ApiProblem(500, "server_error", MESSAGES["server_error"])


def _response(problem: ApiProblem, request: Request) -> Response:
    raw = problem_response(problem, interaction_id_of(request.headers))
    response = Response(raw.body, status_code=raw.status_code)
    response.raw_headers = list(raw.raw_headers)
    return response


def _validation_problem(exc: Exception) -> ApiProblem:
    """400 with one detail per error of a framework's request validation (`exc.errors()`, as pydantic's)."""
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
    return ApiProblem(400, "invalid_request", MESSAGES["invalid_request"], details)


def install_error_handlers(
    app: Starlette,
    *,
    keep_existing: bool = False,
    validation_errors: Sequence[type[Exception]] = (),
) -> None:
    """404, 405, unhandled errors and the given request-validation exception classes (FastAPI's: see
    `renkei_runtime.fastapi`) -> the standard body. With `keep_existing`, handlers the app already has stay.
    """

    async def http_error(request: Request, exc: Exception) -> Response:
        return _response(_problem_of(exc), request)

    async def validation_error(request: Request, exc: Exception) -> Response:
        return _response(_validation_problem(exc), request)

    async def internal_error(request: Request, exc: Exception) -> Response:
        logger.error("unhandled error", exc_info=exc)
        return _response(ApiProblem(500, "server_error", MESSAGES["server_error"]), request)

    async def api_problem(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiProblem)
        return _response(exc, request)

    handlers: dict[Any, Any] = {HTTPException: http_error}
    handlers.update(dict.fromkeys(validation_errors, validation_error))
    handlers[ApiProblem] = api_problem
    handlers[Exception] = internal_error
    for key, handler in handlers.items():
        present = key in app.exception_handlers or (key is Exception and 500 in app.exception_handlers)
        if not (keep_existing and present):
            app.add_exception_handler(key, handler)


def openapi_route(router: Router, document: Mapping[str, Any], path: str = "/openapi.json") -> None:
    """Serve the bundled spec itself (not FastAPI's reconstruction)."""
    content = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()

    async def openapi(request: Request) -> Response:
        return Response(content, media_type="application/json; charset=utf-8")

    router.add_route(path, openapi, methods=["GET"], include_in_schema=False)


class _ProblemGuard:
    """The one middleware of a `GeneratedApp`: what escapes the routes (Starlette's 404 and 405, a crash)
    becomes the standard error body. It does not wrap `send` (generated endpoints catch their own errors),
    so it costs nothing per request. An error after the response started is raised on to the server,
    which closes the connection, as Starlette's `ServerErrorMiddleware` does."""

    __slots__ = ("app",)

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            await self.app(scope, receive, send)
        except Exception as exc:
            problem = _problem_of(exc)
            if problem.status >= 500:
                logger.error("unhandled error", exc_info=exc)
            response = problem_response(problem, interaction_id_of(Request(scope).headers))
            try:
                await response(scope, receive, send)
            except Exception:  # the response had started: the server is to close the connection
                raise exc from None


class GeneratedApp(Starlette):
    """A Starlette app whose middleware stack is only `_ProblemGuard` (and what the user adds), not
    Starlette's two exception layers. Adding an exception handler gives Starlette's usual stack back, with
    the standard error body for whatever the user's handlers leave out."""

    def __init__(self, routes: Sequence[BaseRoute]) -> None:
        super().__init__()
        self.router = OperationRouter(routes=list(routes))

    def build_middleware_stack(self) -> ASGIApp:
        if self.exception_handlers or self.debug or getattr(self, "max_body_size", None) is not None:
            install_error_handlers(self, keep_existing=True)
            return super().build_middleware_stack()
        app: ASGIApp = self.router
        for cls, args, kwargs in reversed(self.user_middleware):
            app = cls(app, *args, **kwargs)
        return _ProblemGuard(app)


def build_app(routes: Sequence[BaseRoute], document: Mapping[str, Any], prefix: str = "") -> GeneratedApp:
    """A lean Starlette app serving generated routes, with the standard errors and the spec at
    `<prefix>/openapi.json` (mount `create_router` in your own FastAPI app for anything more)."""
    app = GeneratedApp(routes)
    openapi_route(app.router, document, prefix + "/openapi.json")
    return app
