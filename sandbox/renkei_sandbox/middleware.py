"""ASGI middleware: `x-fapi-interaction-id` on every response, `charset=utf-8` on every JSON response, and
one JSON access-log line per request."""

from __future__ import annotations

import time

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from renkei_runtime.server import error_body, is_uuid, new_interaction_id
from renkei_sandbox.logs import interaction_id_var, log_event

HEADER = "x-fapi-interaction-id"
_JSON = b"application/json; charset=utf-8"
_INTERNAL_ERROR = error_body("server_error", "システムエラーが発生しました。")


class InteractionIdMiddleware:
    """Echo a valid UUID from the request, or mint one; log method, path (never the query), status, time."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        sent = None
        for name, value in scope.get("headers", []):
            if name == HEADER.encode():
                sent = value
        # One definition of a valid id, shared with the generated routers (which answer others with a 400).
        interaction_id = (
            sent.decode("latin-1") if sent is not None and is_uuid(sent) else new_interaction_id()
        )
        if sent is None:
            # Inner layers (the generated routers) then see, echo and log the same id. An id that was sent
            # but is not a UUID stays as it is: the generated routers answer it with a 400 (the spec says
            # `format: uuid`); the response still carries this fresh id.
            headers = [(k, v) for k, v in scope.get("headers", []) if k != HEADER.encode()]
            scope = {**scope, "headers": [*headers, (HEADER.encode(), interaction_id.encode())]}
        token = interaction_id_var.set(interaction_id)
        started = time.perf_counter()
        status = 500
        started_response = False

        async def send_with_header(message: Message) -> None:
            nonlocal status, started_response
            if message["type"] == "http.response.start":
                started_response = True
                status = message["status"]
                headers = MutableHeaders(scope=message)
                headers[HEADER] = interaction_id
                if headers.get("content-type") == "application/json":  # FastAPI's JSONResponse
                    headers["content-type"] = _JSON.decode()
            await send(message)

        try:
            await self.app(scope, receive, send_with_header)
        except Exception as error:
            if started_response:
                raise
            log_event("error", method=scope["method"], path=scope["path"], exception=error.__class__.__name__)
            await send_with_header(
                {"type": "http.response.start", "status": 500, "headers": [(b"content-type", _JSON)]}
            )
            await send_with_header({"type": "http.response.body", "body": _INTERNAL_ERROR})
        finally:
            log_event(
                "access",
                method=scope["method"],
                path=scope["path"],
                status=status,
                duration_ms=round((time.perf_counter() - started) * 1000, 2),
            )
            interaction_id_var.reset(token)
