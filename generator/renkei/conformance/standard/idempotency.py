"""createTransfer's Idempotency-Key: same key and body -> the same transfer; same key, other body -> 422;
no key -> 400 (with the standard error body)."""

from __future__ import annotations

import copy
import uuid
from datetime import date, timedelta
from typing import Any

import httpx

from renkei.conformance.standard.context import StandardContext, error_body_problem

CHECK = "idempotency"
OPERATION = "createTransfer"


def _example_body(context: StandardContext) -> dict[str, Any] | None:
    """The spec's own example request, sent from a real account, small, one week ahead."""
    paths = context.api.document.get("paths", {})
    for item in paths.values():
        op = item.get("post", {})
        if op.get("operationId") == OPERATION:
            content = op.get("requestBody", {}).get("content", {}).get("application/json", {})
            example = content.get("example")
            if isinstance(example, dict) and context.known.deposit_account_ids:
                body = copy.deepcopy(example)
                body["accountId"] = context.known.deposit_account_ids[0]
                body["transferDesignatedDate"] = (date.today() + timedelta(days=7)).isoformat()
                body["transferAmount"] = "100"
                return body
    return None


def check_idempotency(context: StandardContext) -> None:
    operation = context.api.operation(OPERATION)
    if operation is None:
        return
    url = context.url(operation)
    body = _example_body(context)
    if url is None or body is None:
        context.skip(OPERATION, CHECK, "no bank code or no deposit account known")
        return
    key = f"renkei-conformance-{uuid.uuid4().hex[:16]}"
    headers = {**context.auth(), "Idempotency-Key": key}
    first = context.send(operation, url, headers, body=body)
    if first.status_code != 201:
        context.fail(
            OPERATION, CHECK, f"a valid transfer request got HTTP {first.status_code}, expected 201", first
        )
        return
    problems: list[tuple[str, httpx.Response]] = []
    again = context.send(operation, url, headers, body=body)
    first_id = first.json().get("transferId")
    if isinstance(first_id, str) and first_id not in context.known.transfer_ids:
        context.known.transfer_ids.insert(0, first_id)
    if again.status_code != 201 or again.json().get("transferId") != first_id:
        got = again.json().get("transferId") if again.status_code == 201 else None
        problems.append(
            (
                f"replay with same key and body: HTTP {again.status_code}, transferId {got} != {first_id}",
                again,
            )
        )
    changed = dict(body, transferAmount="101")
    conflict = context.send(operation, url, headers, body=changed)
    if conflict.status_code != 422:
        problems.append((f"same key with another body: HTTP {conflict.status_code}, expected 422", conflict))
    missing = context.send(operation, url, context.auth(), body=body)
    if missing.status_code != 400:
        problems.append((f"no Idempotency-Key: HTTP {missing.status_code}, expected 400", missing))
    for response in (conflict, missing):
        if 400 <= response.status_code < 500 and (problem := error_body_problem(context, response)):
            problems.append((problem, response))
    context.verdict(OPERATION, CHECK, problems)
