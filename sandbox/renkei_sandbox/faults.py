"""Fault injection: make the sandbox break the standard in known ways, to prove the conformance suite sees it.

Select faults with `RENKEI_SANDBOX_FAULTS=wrong-type,no-interaction-id` (comma-separated) or by calling
`with_faults(app, faults)`. Never enable them on a sandbox anyone relies on.

| fault | what the sandbox then does wrong |
| --- | --- |
| `wrong-type` | the first string field of every 2xx API body becomes a number |
| `500-on-bad-query` | an out-of-range `limit` or a malformed date query value gets 500 instead of 400 |
| `no-interaction-id` | no `x-fapi-interaction-id` on any response |
| `idempotency-ignored` | every createTransfer gets a fresh Idempotency-Key: replays create new transfers |
| `other-customer-data` | account ownership is unchecked: others' accounts are served (process-wide) |
| `wrong-error-body` | 4xx API bodies are `{"error", "message"}` instead of the standard error body |
| `undeclared-field` | each object of a 2xx API body gains `futureField` (as a newer minor version may) |
| `limit-ignored` | a valid `limit` is served as 100 |
| `limit-max-unenforced` | a `limit` above 500 is served as 500 instead of a 400 |
| `page-duplicates` | each next page starts with the previous page's last item |
| `page-gap` | each next page loses its first item |
| `cursor-loop` | the last page of a paged walk has `hasNext` and the cursor just sent |
| `cursor-unbound` | a cursor brings back its original query (parameters sent with it are ignored) |
| `date-order-unchecked` | `dateFrom` after `dateTo` is served (swapped) instead of a 400 |
| `date-window-echo-wrong` | the response's `dateTo` is today whatever window applied |
| `date-to-exclusive` | the `dateTo` day is left out (the response still names it) |
| `wrong-sort-order` | list pages in reverse order |
| `balance-mismatch` | getBalance's `currentBalance` is 1000 yen above the ledger |
| `overdraft-accepted` | a transfer above the balance goes through (the account is topped up first) |
| `transfer-limit-unenforced` | no per-transfer limit |
| `fee-mismatch` | the fee check quotes 110 yen more than the transfer is charged |
| `idempotency-conflict-accepted` | the same key with another body makes a new transfer instead of a 422 |
| `idempotency-key-optional` | createTransfer without Idempotency-Key is served (fresh key), not a 400 |
| `idempotency-short-retention` | a key is forgotten 2 seconds after its first use |
| `expired-token-accepted` | access tokens stay live after their expiry |
| `revocation-ignored` | the revocation endpoint answers 200 and revokes nothing |
| `revocation-any-client` | the revocation endpoint revokes a token whichever client asks |
| `foreign-transfer-from` | a transfer or fee check may debit another customer's account |
| `foreign-transfer-visible` | another customer's transfer can be read and cancelled |
| `text-plain-accepted` | a `text/plain` body is read as JSON |
| `missing-content-type-accepted` | a body without Content-Type is read as JSON |
| `no-body-limit` | a body above 1 MiB is read and refused as a 400 instead of a 413 |
| `bank-list-unsorted` | GET /banks in descending bank-code order |
| `planned-api-served` | the transfer API of a bank that has it only `planned` is served, not a 403 |
| `par-optional` | (FAPI profile) an authorization request without PAR is served |
| `request-uri-reusable` | (FAPI) a pushed request's `request_uri` works again after its authorization |
| `client-secret-accepted` | (FAPI) client_secret_basic / client_secret_post authenticate clients |
| `dpop-proof-optional` | (FAPI) a DPoP-bound token with the DPoP scheme but no proof is accepted |
| `dpop-key-unchecked` | (FAPI) a proof of any key is accepted for a DPoP-bound token |
| `dpop-replay-accepted` | (FAPI) a DPoP proof (its `jti`) is accepted again |
| `dpop-htu-unchecked` | (FAPI) the API takes a proof's `htm`/`htu` as the request's |
| `bearer-accepted` | (FAPI) a DPoP-bound token presented as `Bearer` is accepted |
| `refresh-reuse-undetected` | (FAPI) a spent refresh token is refused but its successor keeps working |
| `crash` | the process exits after RENKEI_SANDBOX_CRASH_AFTER API requests (default 150) |
"""

from __future__ import annotations

import json
import os
import re
import time
import uuid
from collections.abc import Callable, Iterable
from datetime import date
from functools import partial
from typing import Any
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from renkei_runtime.server import error_body
from renkei_sandbox.fault_fapi import FAPI_PATCHES
from renkei_sandbox.fault_patches import PATCHES
from renkei_sandbox.fault_rewrites import (
    BODY_REWRITES,
    QUERY_REWRITES,
    Asked,
    PagingMemory,
    encode_query,
    parse_query,
)

ENV_VAR = "RENKEI_SANDBOX_FAULTS"
API_PREFIX = "/v2/"
FAULTS = (
    "wrong-type",
    "500-on-bad-query",
    "no-interaction-id",
    "idempotency-ignored",
    "other-customer-data",
    "wrong-error-body",
    "undeclared-field",
    *QUERY_REWRITES,
    *(name for name in BODY_REWRITES if name not in QUERY_REWRITES),
    *PATCHES,
    *FAPI_PATCHES,
    "idempotency-conflict-accepted",
    "idempotency-key-optional",
    "idempotency-short-retention",
    "revocation-ignored",
    "text-plain-accepted",
    "missing-content-type-accepted",
    "no-body-limit",
    "crash",
)
FAULTS = tuple(dict.fromkeys(FAULTS))
CRASH_ENV_VAR = "RENKEI_SANDBOX_CRASH_AFTER"
SHORT_RETENTION_SECONDS = 2.0
BODY_LIMIT = 1024 * 1024
_TRANSFERS_PATH = re.compile(r"^/v2/banks/[^/]+/transfers$")
_JSON = b"application/json"


class UnknownFault(ValueError):
    pass


def parse_faults(value: str | None) -> frozenset[str]:
    """`"a,b"` -> {"a", "b"}; UnknownFault names the first unknown fault and lists the known ones."""
    names = frozenset(name.strip() for name in (value or "").split(",") if name.strip())
    unknown = sorted(names - set(FAULTS))
    if unknown:
        raise UnknownFault(f"unknown sandbox fault {unknown[0]!r}; known faults: {', '.join(FAULTS)}")
    return names


def _first_string_to_number(node: Any) -> bool:
    """Replace the first string value found (depth first, in key order) by a number; True when done."""
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, str):
                node[key] = 12345
                return True
            if isinstance(value, (dict, list)) and _first_string_to_number(value):
                return True
    if isinstance(node, list):
        return any(_first_string_to_number(item) for item in node[:1])
    return False


def _wrong_type(status: int, body: Any) -> Any:
    if 200 <= status < 300:
        _first_string_to_number(body)
    return body


def _wrong_error_body(status: int, body: Any) -> Any:
    if 400 <= status < 500 and isinstance(body, dict):
        return {"error": body.get("errorCode", "error"), "message": body.get("errorMessage", "")}
    return body


UNDECLARED_FIELD = "futureField"


def _add_undeclared_field(node: Any) -> None:
    if isinstance(node, dict):
        for value in node.values():
            _add_undeclared_field(value)
        node[UNDECLARED_FIELD] = "added in a later minor version"
    elif isinstance(node, list):
        for item in node:
            _add_undeclared_field(item)


def _undeclared_field(status: int, body: Any) -> Any:
    if 200 <= status < 300:
        _add_undeclared_field(body)
    return body


def _bad_query(query_string: bytes) -> bool:
    for name, value in parse_qsl(query_string.decode("latin-1"), keep_blank_values=True):
        if name == "limit" and not (value.isdigit() and 1 <= int(value) <= 500):
            return True
        if name in {"dateFrom", "dateTo"}:
            try:
                date.fromisoformat(value)
            except ValueError:
                return True
    return False


def _replace_header(
    headers: Iterable[tuple[bytes, bytes]], name: bytes, value: bytes
) -> list[tuple[bytes, bytes]]:
    return [(k, value if k.lower() == name else v) for k, v in headers]


class FaultMiddleware:
    """Wraps the sandbox app (outermost) and applies the request, response and endpoint faults."""

    def __init__(self, app: ASGIApp, faults: frozenset[str], environ: dict[str, str] | None = None) -> None:
        self.app = app
        self.faults = faults
        self.memory = PagingMemory()
        self.keys: dict[str, tuple[float, bytes]] = {}
        """Idempotency-Key -> (first use, body) for the idempotency faults."""
        self.requests = 0
        self.crash_after = int((environ or dict(os.environ)).get(CRASH_ENV_VAR, "150"))
        self.body_rewrites: list[Callable[[Asked, int, Any], Any]] = []
        for name, rewrite in (
            ("wrong-type", _wrong_type),
            ("wrong-error-body", _wrong_error_body),
            ("undeclared-field", _undeclared_field),
        ):
            if name in faults:
                self.body_rewrites.append(_status_only(rewrite))
        for name in sorted(faults & set(BODY_REWRITES)):
            for asked_rewrite in BODY_REWRITES[name]:
                self.body_rewrites.append(partial(asked_rewrite, memory=self.memory))
        self.query_rewrites = [QUERY_REWRITES[name] for name in sorted(faults & set(QUERY_REWRITES))]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if "revocation-ignored" in self.faults and scope["path"] == "/oauth/revoke":
            await _drain(receive)
            await _send_json(send, 200, b"{}")
            return
        if not str(scope["path"]).startswith(API_PREFIX):
            await self.app(scope, receive, send)
            return
        self.requests += 1
        if "crash" in self.faults and self.requests > self.crash_after:
            os._exit(3)  # the provider disappears mid-run, as a crashed process does
        if "500-on-bad-query" in self.faults and _bad_query(scope.get("query_string", b"")):
            await _send_json(send, 500, error_body("server_error", "システムエラーが発生しました。"))
            return
        asked = Asked(scope["method"], scope["path"], parse_query(scope.get("query_string", b"")))
        query = asked.query
        for query_rewrite in self.query_rewrites:
            query = query_rewrite(query, self.memory)
        if query != asked.query:
            scope = {**scope, "query_string": encode_query(query)}
        if scope["method"] == "POST":
            scope, replayed = await self._request_faults(scope, receive, send)
            if replayed is None:
                return
            receive = replayed
        await self.app(scope, receive, self._wrap_send(send, asked))

    async def _request_faults(
        self, scope: Scope, receive: Receive, send: Send
    ) -> tuple[Scope, Receive | None]:
        headers = list(scope["headers"])
        names = {k.lower() for k, _ in headers}
        if "text-plain-accepted" in self.faults:
            headers = [
                (k, _JSON if k.lower() == b"content-type" and v.startswith(b"text/plain") else v)
                for k, v in headers
            ]
        if "missing-content-type-accepted" in self.faults and b"content-type" not in names:
            headers.append((b"content-type", _JSON))
        transfer = _TRANSFERS_PATH.match(scope["path"]) is not None
        if "idempotency-ignored" in self.faults and transfer:
            headers = _replace_header(headers, b"idempotency-key", uuid.uuid4().hex.encode())
        if "idempotency-key-optional" in self.faults and transfer and b"idempotency-key" not in names:
            headers.append((b"idempotency-key", uuid.uuid4().hex.encode()))
        buffered = {"no-body-limit", "idempotency-conflict-accepted", "idempotency-short-retention"}
        if not self.faults & buffered:
            return {**scope, "headers": headers}, receive
        body = await _drain(receive)
        if "no-body-limit" in self.faults and len(body) > BODY_LIMIT:
            await _send_json(send, 400, error_body("invalid_request", "要求本文が不正です。"))
            return scope, None
        if transfer:
            headers = self._idempotency_faults(headers, body)
        return {**scope, "headers": headers}, _replay(body)

    def _idempotency_faults(
        self, headers: list[tuple[bytes, bytes]], body: bytes
    ) -> list[tuple[bytes, bytes]]:
        key = next((v.decode("latin-1") for k, v in headers if k.lower() == b"idempotency-key"), None)
        if key is None:
            return headers
        now = time.monotonic()
        first_use, first_body = self.keys.setdefault(key, (now, body))
        forget = "idempotency-short-retention" in self.faults and now - first_use > SHORT_RETENTION_SECONDS
        other = "idempotency-conflict-accepted" in self.faults and body != first_body
        if forget or other:
            return _replace_header(headers, b"idempotency-key", uuid.uuid4().hex.encode())
        return headers

    def _wrap_send(self, send: Send, asked: Asked) -> Send:
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def faulty_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if "no-interaction-id" in self.faults:
                    headers = [(k, v) for k, v in headers if k.lower() != b"x-fapi-interaction-id"]
                message = {**message, "headers": headers}
                if not self.body_rewrites or not _is_json(headers):
                    await send(message)
                    return
                start.update(message)
                return
            if not start or message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            status = int(start["status"])
            body: Any = json.loads(b"".join(chunks) or b"null")
            for rewrite in self.body_rewrites:
                body = rewrite(asked, status, body)
            encoded = json.dumps(body, ensure_ascii=False).encode()
            headers = [(k, v) for k, v in start["headers"] if k.lower() != b"content-length"]
            headers.append((b"content-length", str(len(encoded)).encode()))
            await send({**start, "headers": headers})
            await send({"type": "http.response.body", "body": encoded})

        return faulty_send


def _status_only(rewrite: Callable[[int, Any], Any]) -> Callable[[Asked, int, Any], Any]:
    def apply(asked: Asked, status: int, body: Any) -> Any:
        return rewrite(status, body)

    return apply


async def _drain(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replay(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


def _is_json(headers: list[tuple[bytes, bytes]]) -> bool:
    return any(k.lower() == b"content-type" and v.startswith(_JSON) for k, v in headers)


async def _send_json(send: Send, status: int, encoded: bytes) -> None:
    headers = [(b"content-type", _JSON), (b"content-length", str(len(encoded)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": encoded})


def with_faults(app: ASGIApp, faults: Iterable[str]) -> ASGIApp:
    """`app` breaking the standard as `faults` say; `app` itself when there are none."""
    selected = parse_faults(",".join(faults))
    if not selected:
        return app
    patches = {**PATCHES, **FAPI_PATCHES}
    for name in sorted(selected & set(patches)):
        patches[name]()
    return FaultMiddleware(app, selected)


def with_faults_from_env(app: ASGIApp, environ: dict[str, str] | None = None) -> ASGIApp:
    """`with_faults` with the faults named by RENKEI_SANDBOX_FAULTS."""
    value = (environ if environ is not None else dict(os.environ)).get(ENV_VAR)
    return with_faults(app, parse_faults(value))
