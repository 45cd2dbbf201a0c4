"""`create_router` mounted in the provider's own FastAPI app (as the sandbox mounts its routes)."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from fastapi import FastAPI

from renkei_runtime.fastapi import install_error_handlers


def _get(app: Any, url: str, headers: dict[str, str]) -> httpx.Response:
    async def send() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://provider") as client:
            return await client.get(url, headers=headers)

    return asyncio.run(send())


def test_router_included_in_a_fastapi_app_with_a_prefix(generated: Any, service: Any, verifier: Any) -> None:
    app = FastAPI()
    app.mount("/api/v1", generated.server.create_router(service, verifier))
    install_error_handlers(app)

    @app.get("/status")
    async def status() -> dict[str, str]:
        return {"status": "ok"}

    ok = _get(app, "/api/v1/banks/0001/accounts", {"authorization": "Bearer reader"})
    assert ok.status_code == 200
    assert ok.json()["hasNext"] is True
    assert _get(app, "/status", {}).json() == {"status": "ok"}
    missing = _get(app, "/api/v1/nothing", {"x-fapi-interaction-id": "m-1"})
    assert missing.status_code == 404
    assert missing.json()["errorCode"] == "not_found"
    assert missing.headers["x-fapi-interaction-id"] == "m-1"


def test_router_prefix_argument(generated: Any, service: Any, verifier: Any) -> None:
    app = FastAPI()
    app.mount("", generated.server.create_router(service, verifier, prefix="/v9"))
    assert _get(app, "/v9/health", {}).status_code == 204
