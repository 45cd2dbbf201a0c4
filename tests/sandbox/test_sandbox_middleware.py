"""x-fapi-interaction-id on every response (echoed exactly when it is a UUID) and a clean 500."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import httpx
from fastapi import FastAPI
from sandbox_harness import fresh_database

from renkei_sandbox.app import create_app
from renkei_sandbox.config import Settings


class Client:
    """A synchronous face over httpx's ASGI transport (the app in-process, no socket)."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app

    def get(self, path: str, headers: dict[str, str] | None = None) -> httpx.Response:
        async def run() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app, raise_app_exceptions=False)
            async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
                return await client.get(path, headers=headers)

        return asyncio.run(run())


def client_with_failing_route(tmp_path: Path) -> Client:
    db = fresh_database(tmp_path)
    app = create_app(db, Settings(database_url=str(db.engine.url), issuer="http://testserver"))

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("secret detail that must not leak")

    return Client(app)


def test_interaction_id_is_echoed_or_minted(tmp_path: Path) -> None:
    client = client_with_failing_route(tmp_path)
    sent = str(uuid.uuid4()).upper()
    assert (
        client.get(
            "/.well-known/oauth-authorization-server", headers={"x-fapi-interaction-id": sent}
        ).headers["x-fapi-interaction-id"]
        == sent
    )
    minted = client.get("/static/style.css", headers={"x-fapi-interaction-id": "not-a-uuid"})
    assert uuid.UUID(minted.headers["x-fapi-interaction-id"])
    assert client.get("/no/such/page").headers["x-fapi-interaction-id"]


def test_unhandled_errors_get_the_standard_body_without_details(tmp_path: Path) -> None:
    response = client_with_failing_route(tmp_path).get("/boom")
    assert response.status_code == 500
    assert response.json()["errorCode"] == "server_error"
    assert "secret detail" not in response.text
    assert uuid.UUID(response.headers["x-fapi-interaction-id"])
