"""The source address of the request being served, for the audit trail (a context variable set per request).

Behind a reverse proxy this is the proxy's address, unless uvicorn runs with `--proxy-headers` and
`--forwarded-allow-ips` (then the client's address from `X-Forwarded-For`).
"""

from __future__ import annotations

from contextvars import ContextVar

from starlette.types import ASGIApp, Receive, Scope, Send

source_address_var: ContextVar[str | None] = ContextVar("source_address", default=None)


class SourceAddressMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        peer = scope.get("client") if scope["type"] == "http" else None
        token = source_address_var.set(str(peer[0]) if peer else None)
        try:
            await self.app(scope, receive, send)
        finally:
            source_address_var.reset(token)
