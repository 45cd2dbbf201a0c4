"""The sandbox over HTTP: 413 before reading a body over 1 MiB (API and authorization server), 415 for an
API body that is not JSON, and `charset=utf-8` on JSON responses."""

from __future__ import annotations

import json
import socket
from urllib.parse import urlsplit

import httpx
from sandbox_flow import tokens_for
from sandbox_harness import RunningSandbox

JSON_UTF8 = "application/json; charset=utf-8"
HUNDRED_MB = str(100 * 1024 * 1024)


def declared_only(
    sandbox: RunningSandbox, path: str, headers: dict[str, str]
) -> tuple[int, dict[str, str], bytes]:
    """Send only the head of a request that declares a 100 MB body; the answer (status, headers, body)."""
    port = urlsplit(sandbox.base_url).port
    lines = [f"POST {path} HTTP/1.1", "host: 127.0.0.1", f"content-length: {HUNDRED_MB}"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        answer = b""
        while b"\r\n\r\n" not in answer:
            answer += conn.recv(65536)
        head, _, body = answer.partition(b"\r\n\r\n")
        fields = dict(line.split(": ", 1) for line in head.decode().split("\r\n")[1:])
        fields = {k.lower(): v for k, v in fields.items()}
        while len(body) < int(fields["content-length"]):
            body += conn.recv(65536)
    return int(head.split(b" ", 2)[1]), fields, body


def test_an_api_body_declared_over_the_limit_is_413_with_the_standard_body(sandbox: RunningSandbox) -> None:
    token = tokens_for(sandbox, "demo01")["access_token"]
    status, headers, body = declared_only(
        sandbox,
        "/v2/banks/2963/account-name-inquiries",
        {"authorization": f"Bearer {token}", "content-type": "application/json"},
    )
    assert status == 413
    assert headers["content-type"] == JSON_UTF8
    assert json.loads(body)["errorCode"] == "payload_too_large"
    assert headers["x-fapi-interaction-id"]


def test_a_token_request_declared_over_the_limit_is_413_too(sandbox: RunningSandbox) -> None:
    status, headers, body = declared_only(
        sandbox, "/oauth/token", {"content-type": "application/x-www-form-urlencoded"}
    )
    assert status == 413
    assert headers["content-type"] == JSON_UTF8
    assert json.loads(body)["errorCode"] == "payload_too_large"


def test_a_streamed_form_over_the_limit_is_413(sandbox: RunningSandbox) -> None:
    def chunks() -> object:
        yield b"grant_type=refresh_token&refresh_token="
        for _ in range(40):  # 1.25 MiB in 32 KiB chunks
            yield b"x" * 32768

    response = httpx.post(
        f"{sandbox.base_url}/oauth/token",
        content=chunks(),  # type: ignore[arg-type]
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 413
    assert response.json()["errorCode"] == "payload_too_large"


def test_an_api_body_that_is_not_json_is_415(sandbox: RunningSandbox) -> None:
    token = tokens_for(sandbox, "demo01")["access_token"]
    body = json.dumps({"accountId": "1"}).encode()
    url = f"{sandbox.base_url}/v2/banks/2963/account-name-inquiries"
    for content_type in ("text/plain", None):
        headers = {"authorization": f"Bearer {token}"}
        if content_type:
            headers["content-type"] = content_type
        response = httpx.post(url, content=body, headers=headers)
        assert response.status_code == 415
        assert response.headers["content-type"] == JSON_UTF8
        assert response.json()["errorCode"] == "unsupported_media_type"


def test_json_responses_say_charset_utf_8(sandbox: RunningSandbox) -> None:
    tokens = tokens_for(sandbox, "demo01")
    auth = (sandbox.client.client_id, sandbox.client.client_secret)
    answers = [
        httpx.get(f"{sandbox.base_url}/.well-known/oauth-authorization-server"),
        httpx.post(f"{sandbox.base_url}/oauth/introspect", data={"token": tokens["access_token"]}, auth=auth),
        httpx.post(f"{sandbox.base_url}/oauth/token", data={"grant_type": "password"}, auth=auth),
        httpx.get(
            f"{sandbox.base_url}/v2/banks/2963/accounts",
            headers={"authorization": f"Bearer {tokens['access_token']}"},
        ),
        httpx.get(f"{sandbox.base_url}/v2/banks/2963/accounts"),
        httpx.get(f"{sandbox.base_url}/v2/nowhere"),
    ]
    assert [a.headers["content-type"] for a in answers] == [JSON_UTF8] * len(answers)
