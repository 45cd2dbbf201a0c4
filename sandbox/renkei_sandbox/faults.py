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
"""

from __future__ import annotations

import json
import os
import re
import uuid
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from renkei_runtime.server import error_body

ENV_VAR = "RENKEI_SANDBOX_FAULTS"
API_PREFIX = "/v1/"
FAULTS = (
    "wrong-type",
    "500-on-bad-query",
    "no-interaction-id",
    "idempotency-ignored",
    "other-customer-data",
    "wrong-error-body",
    "undeclared-field",
)
_TRANSFERS_PATH = re.compile(r"^/v1/banks/[^/]+/transfers$")
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


def ignore_ownership() -> None:
    """The `other-customer-data` fault: `accessible_account` stops checking the customer and the grant."""
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from renkei_sandbox.access import AccessPrincipal
    from renkei_sandbox.db.models import Account
    from renkei_sandbox.services import accounts, transactions, transfers
    from renkei_sandbox.services.errors import not_found

    def careless(session: Session, principal: AccessPrincipal, bank_code: str, account_id: str) -> Account:
        account = session.scalar(select(Account).where(Account.account_id == account_id))
        if account is None:
            raise not_found()
        return account

    for module in (accounts, transactions, transfers):
        module.accessible_account = careless  # type: ignore[attr-defined]


class FaultMiddleware:
    """Wraps the sandbox app (outermost) and applies the response and request faults."""

    def __init__(self, app: ASGIApp, faults: frozenset[str]) -> None:
        self.app = app
        self.faults = faults
        self.body_rewrites: list[Callable[[int, Any], Any]] = []
        if "wrong-type" in faults:
            self.body_rewrites.append(_wrong_type)
        if "wrong-error-body" in faults:
            self.body_rewrites.append(_wrong_error_body)
        if "undeclared-field" in faults:
            self.body_rewrites.append(_undeclared_field)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not str(scope["path"]).startswith(API_PREFIX):
            await self.app(scope, receive, send)
            return
        if "500-on-bad-query" in self.faults and _bad_query(scope.get("query_string", b"")):
            await _send_json(send, 500, error_body("internal_error", "内部エラー"))
            return
        if (
            "idempotency-ignored" in self.faults
            and scope["method"] == "POST"
            and _TRANSFERS_PATH.match(scope["path"])
        ):
            fresh = uuid.uuid4().hex.encode()
            scope = {**scope, "headers": _replace_header(scope["headers"], b"idempotency-key", fresh)}
        await self.app(scope, receive, self._wrap_send(send))

    def _wrap_send(self, send: Send) -> Send:
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
                body = rewrite(status, body)
            encoded = json.dumps(body, ensure_ascii=False).encode()
            headers = [(k, v) for k, v in start["headers"] if k.lower() != b"content-length"]
            headers.append((b"content-length", str(len(encoded)).encode()))
            await send({**start, "headers": headers})
            await send({"type": "http.response.body", "body": encoded})

        return faulty_send


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
    if "other-customer-data" in selected:
        ignore_ownership()
    return FaultMiddleware(app, selected)


def with_faults_from_env(app: ASGIApp, environ: dict[str, str] | None = None) -> ASGIApp:
    """`with_faults` with the faults named by RENKEI_SANDBOX_FAULTS."""
    value = (environ if environ is not None else dict(os.environ)).get(ENV_VAR)
    return with_faults(app, parse_faults(value))
