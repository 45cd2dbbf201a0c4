"""Request-body limits of generated servers: 413 before reading a body over the limit (declared or
streamed), 415 for a body that is not JSON, and `charset=utf-8` on every JSON response."""

from __future__ import annotations

import json
import socket
from typing import Any
from urllib.parse import urlsplit

import pytest
from live_server import serve
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from renkei_runtime.server import DEFAULT_MAX_BODY_SIZE, RequestBodyLimit

WRITER = {"authorization": "Bearer writer", "idempotency-key": "key-1"}
JSON_UTF8 = "application/json; charset=utf-8"
TRANSFER = json.dumps({"amount": "1200", "payeeName": "ﾔﾏﾀﾞ"}).encode()


class CountingBody:
    """A request body that counts the chunks the server pulled from it."""

    def __init__(self, chunk: bytes, chunks: int) -> None:
        self.chunk = chunk
        self.chunks = chunks
        self.pulled = 0

    async def __aiter__(self) -> Any:
        for _ in range(self.chunks):
            self.pulled += 1
            yield self.chunk


def _assert_413(response: Any) -> None:
    assert response.status_code == 413
    assert response.headers["content-type"] == JSON_UTF8
    assert response.json()["errorCode"] == "payload_too_large"
    assert response.headers["x-fapi-interaction-id"]


def test_the_default_limit_is_one_mebibyte() -> None:
    assert DEFAULT_MAX_BODY_SIZE == 1024 * 1024


def test_a_declared_length_over_the_limit_is_413_before_a_byte_is_read(
    api: Any, service: Any, verifier: Any
) -> None:
    body = CountingBody(b"x" * 65536, 1600)  # 100 MiB
    headers = {**WRITER, "content-type": "application/json", "content-length": str(65536 * 1600)}
    response = api.post("/banks/0001/transfers", headers=headers, content=body)
    _assert_413(response)
    assert body.pulled == 0
    assert service.calls == [] and verifier.seen == []  # not even the token was looked at


def test_a_streamed_body_is_cut_off_at_the_limit(
    generated: Any, service: Any, verifier: Any, in_process: Any
) -> None:
    app = generated.server.create_app(service, verifier, max_body_size=100_000)
    body = CountingBody(b"x" * 10_000, 10_000)  # 100 MB, chunked (no Content-Length)
    headers = {**WRITER, "content-type": "application/json"}
    client = in_process(app, "http://testserver/v1")
    response = client.post("/banks/0001/transfers", headers=headers, content=body)
    _assert_413(response)
    assert body.pulled == 11  # the chunk that passed 100 000 bytes, and no more
    assert service.calls == []


def test_a_body_at_the_limit_passes_and_the_limit_is_configurable(
    generated: Any, service: Any, verifier: Any, in_process: Any
) -> None:
    exact = in_process(
        generated.server.create_app(service, verifier, max_body_size=len(TRANSFER)), "http://t/v1"
    )
    headers = {**WRITER, "content-type": "application/json"}
    assert exact.post("/banks/0001/transfers", headers=headers, content=TRANSFER).status_code == 201
    smaller = in_process(
        generated.server.create_app(service, verifier, max_body_size=len(TRANSFER) - 1), "http://t/v1"
    )
    _assert_413(smaller.post("/banks/0001/transfers", headers=headers, content=TRANSFER))
    padded = TRANSFER[:-1] + b" " * (2 * DEFAULT_MAX_BODY_SIZE) + b"}"
    unlimited = in_process(generated.server.create_app(service, verifier, max_body_size=None), "http://t/v1")
    assert unlimited.post("/banks/0001/transfers", headers=headers, content=padded).status_code == 201


@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain",
        "application/x-www-form-urlencoded",
        "application/json; charset=shift_jis",
        "application/jsonx",
        None,
    ],
)
def test_a_body_that_is_not_json_is_415(api: Any, service: Any, content_type: str | None) -> None:
    headers = dict(WRITER)
    if content_type is not None:
        headers["content-type"] = content_type
    response = api.post("/banks/0001/transfers", headers=headers, content=TRANSFER)
    assert response.status_code == 415
    assert response.headers["content-type"] == JSON_UTF8
    assert response.json()["errorCode"] == "unsupported_media_type"
    assert service.calls == []


@pytest.mark.parametrize(
    "content_type", ["application/json", "Application/JSON; charset=UTF-8", "application/merge-patch+json"]
)
def test_json_media_types_are_accepted(api: Any, content_type: str) -> None:
    headers = {**WRITER, "content-type": content_type}
    assert api.post("/banks/0001/transfers", headers=headers, content=TRANSFER).status_code == 201


def test_no_body_and_no_content_type_is_the_usual_400(api: Any) -> None:
    response = api.post("/banks/0001/transfers", headers=WRITER)
    assert response.status_code == 400
    assert response.json()["errorMessage"] == "リクエスト本文が必要です。"


def test_json_responses_say_charset_utf_8(api: Any) -> None:
    headers = {**WRITER, "content-type": "application/json"}
    assert api.post("/banks/0001/transfers", headers=headers, content=TRANSFER).headers["content-type"] == (
        JSON_UTF8
    )
    assert api.get("/banks/0001/accounts").headers["content-type"] == JSON_UTF8  # 401
    assert api.get("/nowhere").headers["content-type"] == JSON_UTF8  # 404
    assert api.get("/openapi.json").headers["content-type"] == JSON_UTF8


def _request_head(path: str, headers: dict[str, str]) -> bytes:
    lines = [f"POST {path} HTTP/1.1", "host: 127.0.0.1", *(f"{k}: {v}" for k, v in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def _status_of(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1])


def _read_answer(conn: socket.socket, first: bytes = b"") -> bytes:
    """The whole response (head and a body of its Content-Length)."""
    answer = first
    while b"\r\n\r\n" not in answer:
        answer += conn.recv(65536)
    head, _, body = answer.partition(b"\r\n\r\n")
    length = int(head.lower().split(b"content-length: ", 1)[1].split(b"\r\n", 1)[0])
    while len(body) < length:
        body += conn.recv(65536)
    return head + b"\r\n\r\n" + body


def _port(root_url: str) -> int:
    port = urlsplit(root_url).port
    assert port is not None
    return port


def _stream_until_answered(port: int, path: str, headers: dict[str, str]) -> tuple[int, int]:
    """Send a never-ending chunked body until the server answers: (status, body bytes sent)."""
    chunk = b"x" * 16384
    sent = 0
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(_request_head(path, {**headers, "transfer-encoding": "chunked"}))
        conn.settimeout(0.005)
        while sent < 200 * 1024 * 1024:
            try:
                answer = conn.recv(65536)
            except TimeoutError:
                try:
                    conn.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                except OSError:  # the server closed the connection after answering
                    conn.settimeout(10)
                    return _status_of(_read_answer(conn)), sent
                sent += len(chunk)
                continue
            return _status_of(answer), sent
    raise AssertionError("the server read 200 MiB without answering")


def test_over_real_http_a_declared_100_mb_body_is_refused_before_it_is_sent(
    generated: Any, service: Any, verifier: Any
) -> None:
    with serve(generated.server.create_app(service, verifier)) as root_url:
        with socket.create_connection(("127.0.0.1", _port(root_url)), timeout=10) as conn:
            headers = {**WRITER, "content-type": "application/json", "content-length": str(100 * 1024 * 1024)}
            conn.sendall(_request_head("/v1/banks/0001/transfers", headers))
            conn.settimeout(10)
            answer = _read_answer(conn)  # not one body byte was sent: the server answers anyway
        assert _status_of(answer) == 413
        assert b"payload_too_large" in answer


def test_over_real_http_a_chunked_body_is_cut_off_near_the_limit(
    generated: Any, service: Any, verifier: Any
) -> None:
    with serve(generated.server.create_app(service, verifier)) as root_url:
        status, sent = _stream_until_answered(
            _port(root_url), "/v1/banks/0001/transfers", {**WRITER, "content-type": "application/json"}
        )
    assert status == 413
    assert sent < 20 * DEFAULT_MAX_BODY_SIZE  # the limit plus what socket buffers hold
    assert service.calls == []


async def _form_echo(request: Request) -> JSONResponse:
    form = await request.form()
    return JSONResponse({"fields": len(form)})


def _form_app(max_bytes: int) -> Any:
    return RequestBodyLimit(Starlette(routes=[Route("/form", _form_echo, methods=["POST"])]), max_bytes)


def test_the_middleware_limits_an_apps_other_routes(in_process: Any) -> None:
    client = in_process(_form_app(1000), "http://testserver")
    form = {"content-type": "application/x-www-form-urlencoded"}
    assert client.post("/form", headers=form, content=b"a=1&b=2").json() == {"fields": 2}
    _assert_413(client.post("/form", headers=form, content=b"a=" + b"x" * 1000))
    streamed = CountingBody(b"a=" + b"x" * 300, 100)
    _assert_413(client.post("/form", headers=form, content=streamed))
    assert streamed.pulled == 4


def test_the_middleware_over_real_http() -> None:
    with serve(_form_app(DEFAULT_MAX_BODY_SIZE)) as root_url:
        status, sent = _stream_until_answered(
            _port(root_url), "/form", {"content-type": "application/x-www-form-urlencoded"}
        )
    assert status == 413
    assert sent < 20 * DEFAULT_MAX_BODY_SIZE
