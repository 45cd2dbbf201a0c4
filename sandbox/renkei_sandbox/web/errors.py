"""HTML error pages for people: a 404, 405 or malformed form in the customer area (or any page a browser
navigates to outside the API and the authorization server's endpoints) gets the sandbox's error page in
Japanese instead of FastAPI's JSON. API and OAuth endpoints keep their machine-readable errors."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler, request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import Response

from renkei_sandbox.rendering import render_error_page

CUSTOMER_AREA = ("/login", "/consent", "/account/", "/account", "/logout")
MACHINE_AREA = ("/v2/", "/oauth/", "/.well-known/", "/static/")

MESSAGES = {
    400: "リクエストの内容が正しくありません。",
    403: "このページを表示する権限がありません。",
    404: "お探しのページは見つかりませんでした。URLをご確認ください。",
    405: "この操作はこのページでは行えません。",
    422: "入力内容に不足または誤りがあります。もう一度最初からお試しください。",
}


def wants_page(request: Request) -> bool:
    path = request.url.path
    if path == "/" or path.startswith(CUSTOMER_AREA):
        return True
    if path.startswith(MACHINE_AREA):
        return False
    return "text/html" in request.headers.get("accept", "")


Handler = Callable[[Request, Exception], Awaitable[Response]]


def _pages_then(fallback: Handler) -> Handler:
    async def handle(request: Request, error: Exception) -> Response:
        if not wants_page(request):
            return await fallback(request, error)
        if isinstance(error, RequestValidationError):
            return render_error_page(request, MESSAGES[422], 400)
        status = error.status_code if isinstance(error, HTTPException) else 500
        message = MESSAGES.get(status, "リクエストを処理できませんでした。")
        response = render_error_page(request, message, status)
        if isinstance(error, HTTPException) and error.headers:
            response.headers.update(error.headers)
        return response

    return handle


def _default(kind: type[Exception]) -> Handler:
    async def handle(request: Request, error: Exception) -> Response:
        if isinstance(error, RequestValidationError):
            return await request_validation_exception_handler(request, error)
        assert isinstance(error, HTTPException)
        return await http_exception_handler(request, error)

    return handle


def install_page_errors(app: FastAPI) -> None:
    """Wrap the app's handlers (the runtime's standard error body, installed before) for pages."""
    for kind in (HTTPException, RequestValidationError):
        existing = app.exception_handlers.get(kind)
        app.add_exception_handler(kind, _pages_then(existing or _default(kind)))  # type: ignore[arg-type]
