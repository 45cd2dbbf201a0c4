"""A tiny HTTP server on 127.0.0.1 that catches the authorization redirect (RFC 8252 §7.3 loopback)."""

from __future__ import annotations

import html
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

CALLBACK_PATH = "/callback"

_PAGE = """<!doctype html>
<html lang="ja"><head><meta charset="utf-8"><title>{title}</title></head>
<body><main><h1>{title}</h1><p>{message}</p><p lang="en">{english}</p></main></body></html>
"""


@dataclass(frozen=True)
class Redirect:
    """The query parameters of the authorization response (code, state, iss, or error...)."""

    params: dict[str, str]


class CallbackCatcher:
    """Serves until the first request to CALLBACK_PATH; `wait()` returns its query parameters."""

    def __init__(self, server: ThreadingHTTPServer) -> None:
        self._server = server
        self._caught = threading.Event()
        self._redirect: Redirect | None = None

    @property
    def redirect_uri(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}{CALLBACK_PATH}"

    def wait(self, timeout: float) -> Redirect | None:
        """The redirect, or None after `timeout` seconds without one."""
        if not self._caught.wait(timeout):
            return None
        return self._redirect

    def caught(self, params: dict[str, str]) -> None:
        if not self._caught.is_set():
            self._redirect = Redirect(params)
            self._caught.set()


def _handler(catcher: CallbackCatcher) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            if parts.path != CALLBACK_PATH:
                self.send_error(404)
                return
            params = {name: values[0] for name, values in parse_qs(parts.query).items()}
            if "error" in params:
                page = _PAGE.format(
                    title="連携は許可されませんでした",
                    message=html.escape(f"アプリへの連携は行われていません({params['error']})。"),
                    english="The connection was not authorized. You can close this tab.",
                )
            else:
                page = _PAGE.format(
                    title="連携の手続きが完了しました",
                    message="このタブを閉じて、ターミナルに戻ってください。",
                    english="Authorization complete. You can close this tab and return to the terminal.",
                )
            body = page.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)
            catcher.caught(params)

        def log_message(self, format: str, *args: object) -> None:  # the query holds the code: never log it
            return

    return Handler


@contextmanager
def catching_callback(port: int = 0) -> Iterator[CallbackCatcher]:
    """Listen on 127.0.0.1:`port` (0: a free port) in a background thread while the block runs."""
    server = ThreadingHTTPServer(("127.0.0.1", port), BaseHTTPRequestHandler)
    catcher = CallbackCatcher(server)
    server.RequestHandlerClass = _handler(catcher)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield catcher
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
