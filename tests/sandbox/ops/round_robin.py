"""A round-robin HTTP load balancer for tests: each request goes to the next backend (no stickiness), so
that consecutive requests of one client (one browser's cookies, one OAuth flow) land on different workers;
and `send_at_once`, the same request to every backend at one moment."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Sequence

import httpx
from starlette.types import Message, Receive, Scope, Send

_HOP_BY_HOP = {b"connection", b"keep-alive", b"transfer-encoding", b"content-length", b"host"}


class RoundRobin:
    def __init__(self, backends: Sequence[str]) -> None:
        self._next = itertools.cycle(backends)
        self._lock = threading.Lock()
        self.served_by: list[str] = []
        self._client = httpx.AsyncClient(timeout=60)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        assert scope["type"] == "http"
        body = b""
        while True:
            message: Message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        with self._lock:
            backend = next(self._next)
            self.served_by.append(backend)
        headers = [(k, v) for k, v in scope["headers"] if k.lower() not in _HOP_BY_HOP]
        target = (
            backend + scope["path"] + (f"?{scope['query_string'].decode()}" if scope["query_string"] else "")
        )
        response = await self._client.request(scope["method"], target, headers=headers, content=body)
        out = [(k, v) for k, v in response.headers.raw if k.lower() not in _HOP_BY_HOP]
        await send({"type": "http.response.start", "status": response.status_code, "headers": out})
        await send({"type": "http.response.body", "body": response.content})


def send_at_once(
    backends: list[str], path: str, body: dict[str, object], headers: dict[str, str]
) -> list[httpx.Response]:
    """POST the same request to every backend at the same moment."""
    answers: list[httpx.Response] = []
    start = threading.Barrier(len(backends))

    def send(backend: str) -> None:
        start.wait()
        answers.append(httpx.post(backend + path, json=body, headers=headers, timeout=60))

    threads = [threading.Thread(target=send, args=(backend,)) for backend in backends]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers


def free_port() -> int:
    """A port that was free a moment ago (for a child process to bind)."""
    from live_server import bind_free_socket

    sock = bind_free_socket()
    port: int = sock.getsockname()[1]
    sock.close()
    return port
