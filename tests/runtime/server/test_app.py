"""`create_app`'s lean app (`GeneratedApp`): one error layer, and Starlette's usual extension points."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import httpx
import pytest
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.types import Receive, Scope, Send

from renkei_runtime.server import GeneratedApp

READER = {"authorization": "Bearer reader"}


def _app(generated: Any, service: Any, verifier: Any) -> Any:
    app = generated.server.create_app(service, verifier)
    assert isinstance(app, GeneratedApp)
    return app


def test_a_crashing_route_added_by_the_user_gets_the_standard_500(
    generated: Any, service: Any, verifier: Any, in_process: Any, caplog: pytest.LogCaptureFixture
) -> None:
    app = _app(generated, service, verifier)

    async def crash(request: Request) -> Response:
        raise ValueError("user code failed")

    app.add_route("/v1/crash", crash)
    with caplog.at_level(logging.ERROR, logger="renkei.server"):
        response = in_process(app, "http://testserver").get(
            "/v1/crash", headers={"x-fapi-interaction-id": "c-1"}
        )
    assert response.status_code == 500
    assert response.json() == {"errorCode": "server_error", "errorMessage": "システムエラーが発生しました。"}
    assert response.headers["x-fapi-interaction-id"] == "c-1"
    assert "user code failed" in caplog.text


def test_405_keeps_the_allow_header(generated: Any, service: Any, verifier: Any, in_process: Any) -> None:
    response = in_process(_app(generated, service, verifier), "http://testserver/v1").delete(
        "/banks/0001/accounts"
    )
    assert response.status_code == 405
    assert response.json()["errorCode"] == "method_not_allowed"
    assert set(response.headers["allow"].split(", ")) == {"GET", "HEAD"}


def test_user_middleware_runs_around_the_routes(
    generated: Any, service: Any, verifier: Any, in_process: Any
) -> None:
    class Stamp:
        def __init__(self, app: Any) -> None:
            self.app = app

        async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
            async def stamped(message: Any) -> None:
                if message["type"] == "http.response.start":
                    message["headers"] = [*message["headers"], (b"x-stamp", b"1")]
                await send(message)

            await self.app(scope, receive, stamped)

    app = _app(generated, service, verifier)
    app.add_middleware(Stamp)
    api = in_process(app, "http://testserver/v1")
    ok = api.get("/banks/0001/accounts", headers=READER)
    assert (ok.status_code, ok.headers["x-stamp"]) == (200, "1")
    missing = api.get("/no/such/path")
    assert (missing.status_code, missing.json()["errorCode"]) == (404, "not_found")


def test_a_user_exception_handler_brings_starlettes_stack_back(
    generated: Any, service: Any, verifier: Any, in_process: Any
) -> None:
    class Teapot(Exception):
        pass

    async def teapot(request: Request, exc: Exception) -> Response:
        return PlainTextResponse("short and stout", status_code=418)

    async def brew(request: Request) -> Response:
        raise Teapot

    async def crash(request: Request) -> Response:
        raise ValueError("user code failed")

    app = _app(generated, service, verifier)
    app.add_exception_handler(Teapot, teapot)
    app.add_route("/v1/brew", brew)
    app.add_route("/v1/crash", crash)
    api = in_process(app, "http://testserver")
    assert (api.get("/v1/brew").status_code, api.get("/v1/brew").text) == (418, "short and stout")
    missing = api.get("/v1/no/such/path")
    assert (missing.status_code, missing.json()["errorCode"]) == (404, "not_found")
    assert api.get("/v1/banks/0001/accounts", headers=READER).status_code == 200

    async def crashed() -> httpx.Response:  # Starlette's stack answers, then raises on to the server
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            return await client.get("/v1/crash")

    assert asyncio.run(crashed()).json()["errorCode"] == "server_error"


def test_an_error_after_the_response_started_reaches_the_server(
    generated: Any, service: Any, verifier: Any, in_process: Any
) -> None:
    class HalfDone:
        async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
            await send({"type": "http.response.start", "status": 200, "headers": []})
            raise ValueError("failed mid-response")

    app = _app(generated, service, verifier)
    app.router.add_route("/v1/half", HalfDone())
    with pytest.raises(ValueError, match="failed mid-response"):
        in_process(app, "http://testserver").get("/v1/half")
