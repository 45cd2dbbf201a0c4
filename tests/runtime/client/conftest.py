"""Real servers on 127.0.0.1 for the client runtime tests.

`serve(app)` runs any ASGI app under uvicorn in a background thread on a free port; `RawHttpServer` is a
bare TCP server that can drop connections (what uvicorn cannot be told to do); `ApiState` + `make_api_app`
is a small API recording what clients send (idempotency keys, tokens, cursors).
"""

from __future__ import annotations

import asyncio
import base64
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any

import pytest
from live_server import bind_free_socket, serve
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route


@pytest.fixture(scope="session")
def serve_app() -> Callable[[Any], AbstractContextManager[str]]:
    """`serve` for tests that bring their own app: `with serve_app(app) as root_url: ...`."""
    return serve


def error_body(code: str, message: str) -> dict[str, Any]:
    return {"errorCode": code, "errorMessage": message}


@dataclass
class ApiState:
    """What the test API saw, and how it behaves."""

    cursors: list[str | None] = field(default_factory=list)
    transfer_keys: list[str | None] = field(default_factory=list)
    transfer_failures: int = 1  # 503s answered to each logical transfer (per idempotency key) before 201
    flaky_calls: int = 0
    flaky_times: list[float] = field(default_factory=list)
    # OAuth 2.0
    client_id: str = "client:1"
    client_secret: str = "s3cret/+"
    valid_token: str = "access-0"
    refresh_token: str = "refresh-0"
    token_calls: int = 0
    reject_all_tokens: bool = False  # the resource server refuses even freshly issued tokens
    token_auth_headers: list[str | None] = field(default_factory=list)
    seen_tokens: list[str | None] = field(default_factory=list)
    expires_in: int = 3600


@dataclass
class StateBox:
    """The state of the current test (one server serves the whole session; each test gets a fresh state)."""

    current: ApiState = field(default_factory=ApiState)


def make_api_app(box: StateBox) -> Starlette:
    pages = {
        None: {"items": [1, 2], "hasNext": True, "nextCursor": "c2"},
        "c2": {"items": [3, 4], "hasNext": True, "nextCursor": "c3"},
        "c3": {"items": [5], "hasNext": False},
    }

    async def list_items(request: Request) -> Response:
        state = box.current
        cursor = request.query_params.get("cursor")
        state.cursors.append(cursor)
        if cursor not in pages:
            return JSONResponse(error_body("invalid_cursor", "unknown cursor"), status_code=400)
        return JSONResponse(pages[cursor])

    async def create_transfer(request: Request) -> Response:
        state = box.current
        key = request.headers.get("Idempotency-Key")
        state.transfer_keys.append(key)
        body = await request.json()
        if state.transfer_keys.count(key) <= state.transfer_failures:
            return JSONResponse(
                error_body("service_unavailable", "try again"), status_code=503, headers={"Retry-After": "0"}
            )
        return JSONResponse({"transferId": f"t-{key}", "amount": body["amount"]}, status_code=201)

    async def flaky(request: Request) -> Response:
        """429 with the given Retry-After on the first call, then 200."""
        state = box.current
        state.flaky_calls += 1
        state.flaky_times.append(time.monotonic())
        if state.flaky_calls == 1:
            retry_after = request.query_params["retry_after"]
            return JSONResponse(
                error_body("rate_limited", "slow down"), status_code=429, headers={"Retry-After": retry_after}
            )
        return JSONResponse({"ok": True})

    async def error(request: Request) -> Response:
        status = int(request.path_params["status"])
        if request.query_params.get("kind") == "text":
            return PlainTextResponse("upstream exploded", status_code=status)
        body = error_body("E" + str(status), "日本語のメッセージ")
        body["errorDetails"] = [
            {"errorDetailsCode": "format", "errorDetailsMessage": "bad", "errorDetailsField": "amount"}
        ]
        return JSONResponse(body, status_code=status)

    async def me(request: Request) -> Response:
        state = box.current
        authorization = request.headers.get("Authorization")
        state.seen_tokens.append(authorization)
        if state.reject_all_tokens or authorization != f"Bearer {state.valid_token}":
            return JSONResponse(
                error_body("invalid_token", "the access token is invalid or expired"),
                status_code=401,
                headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
            )
        return JSONResponse({"customer": "c-1"})

    async def token(request: Request) -> Response:
        state = box.current
        state.token_calls += 1
        authorization = request.headers.get("Authorization")
        state.token_auth_headers.append(authorization)
        await asyncio.sleep(0.05)  # widen the window in which concurrent callers could refresh twice
        form = await request.form()
        expected = "Basic " + base64.b64encode(b"client%3A1:s3cret%2F%2B").decode()
        if authorization != expected:
            return JSONResponse({"error": "invalid_client"}, status_code=401)
        if form.get("grant_type") != "refresh_token" or form.get("refresh_token") != state.refresh_token:
            return JSONResponse({"error": "invalid_grant"}, status_code=400)
        state.valid_token = f"access-{state.token_calls}"
        state.refresh_token = f"refresh-{state.token_calls}"
        return JSONResponse(
            {
                "access_token": state.valid_token,
                "token_type": "Bearer",
                "expires_in": state.expires_in,
                "refresh_token": state.refresh_token,
            },
            headers={"Cache-Control": "no-store"},
        )

    return Starlette(
        routes=[
            Route("/v1/items", list_items),
            Route("/v1/transfers", create_transfer, methods=["POST", "PATCH"]),
            Route("/v1/flaky", flaky),
            Route("/v1/errors/{status}", error, methods=["GET", "POST"]),
            Route("/v1/me", me),
            Route("/oauth/token", token, methods=["POST"]),
        ]
    )


@dataclass
class Api:
    base_url: str  # the API root, ".../v1"
    root_url: str
    state: ApiState


@pytest.fixture(scope="session")
def _api_server() -> Iterator[tuple[str, StateBox]]:
    box = StateBox()
    with serve(make_api_app(box)) as root_url:
        yield root_url, box


@pytest.fixture
def api(_api_server: tuple[str, StateBox]) -> Api:
    """The test API on a real uvicorn server, with a fresh state."""
    root_url, box = _api_server
    box.current = ApiState()
    return Api(base_url=root_url + "/v1", root_url=root_url, state=box.current)


class RawHttpServer:
    """A TCP server on 127.0.0.1 that closes the first `drop_first` connections without answering and answers
    every later request `200 ok`. It records each request's head. Start listening with `listen()`."""

    def __init__(self, drop_first: int, sock: socket.socket | None = None) -> None:
        self._sock = sock or bind_free_socket()
        self.port: int = self._sock.getsockname()[1]
        self.drop_first = drop_first
        self.connections = 0
        self.requests: list[str] = []
        self.listened_at: float | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def listen(self) -> None:
        self._sock.listen(16)
        self._sock.settimeout(0.05)
        self.listened_at = time.monotonic()
        self._thread.start()

    def close(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)
        self._sock.close()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            self.connections += 1
            with conn:
                conn.settimeout(5)
                if self.connections <= self.drop_first:
                    # Read the whole request, then go away without a word: closing with unread bytes
                    # would send a reset instead of an end of stream, and the client would see another error.
                    self._read_request(conn)
                    continue
                head = self._read_request(conn)
                self.requests.append(head)
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n")
                conn.sendall(b"Connection: close\r\n\r\nok")

    @staticmethod
    def _read_request(conn: socket.socket) -> str:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                break
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        text = head.decode("latin-1")
        length = 0
        for line in text.split("\r\n")[1:]:
            name, _, value = line.partition(":")
            if name.strip().lower() == "content-length":
                length = int(value)
        while len(body) < length:
            chunk = conn.recv(65536)
            if not chunk:
                break
            body += chunk
        return text

    def header_values(self, name: str) -> list[str | None]:
        """The value of header `name` in each recorded request."""
        values: list[str | None] = []
        for head in self.requests:
            found = None
            for line in head.split("\r\n")[1:]:
                key, _, value = line.partition(":")
                if key.strip().lower() == name.lower():
                    found = value.strip()
            values.append(found)
        return values


@pytest.fixture
def raw_server_factory() -> Iterator[Any]:
    """Makes RawHttpServer instances and closes them after the test."""
    servers: list[RawHttpServer] = []

    def make(drop_first: int = 0, listen: bool = True) -> RawHttpServer:
        server = RawHttpServer(drop_first)
        servers.append(server)
        if listen:
            server.listen()
        return server

    yield make
    for server in servers:
        server.close()
