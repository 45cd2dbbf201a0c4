"""A real HTTP server for tests: uvicorn on 127.0.0.1 (a free port) in a background thread."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Literal

import uvicorn

STARTUP_TIMEOUT = 10.0


def bind_free_socket() -> socket.socket:
    """A TCP socket bound to a free port on 127.0.0.1 (not listening yet).

    IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY only on such sockets (else ~40 ms per response)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


def base_url_of(sock: socket.socket) -> str:
    return f"http://127.0.0.1:{sock.getsockname()[1]}"


@contextmanager
def serve(
    app: Any,
    sock: socket.socket | None = None,
    *,
    lifespan: Literal["auto", "on", "off"] = "off",
    limit_concurrency: int | None = None,
    tls: tuple[str, str] | None = None,
) -> Iterator[str]:
    """Serve `app` (on `sock`, else on a free port); yield its base URL `http://127.0.0.1:PORT`.
    With `tls` (certificate and key PEM files): https, with the sandbox's TLS options (renkei serve --tls)."""
    sock = sock or bind_free_socket()
    options: dict[str, Any] = {}
    if tls is not None:
        from renkei_sandbox.supervise import server_options

        options = {k: v for k, v in server_options("", 0, tls).items() if k.startswith("ssl_")}
    config = uvicorn.Config(
        app,
        lifespan=lifespan,
        log_level="warning",
        access_log=False,
        limit_concurrency=limit_concurrency,
        **options,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.01)
    try:
        url = base_url_of(sock)
        yield url.replace("http://", "https://", 1) if tls is not None else url
    finally:
        server.should_exit = True
        thread.join(timeout=STARTUP_TIMEOUT)
        sock.close()
