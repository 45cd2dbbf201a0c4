"""Request bodies the provider must refuse before reading them as JSON (the standard: JSON, UTF-8):

- `content-type`: a JSON body sent as `text/plain`, and one sent with no Content-Type, get 415 with the
  standard error body;
- `body-size`: a body above the provider's limit (1 MiB and a little: the runtime's default) gets 413.
"""

from __future__ import annotations

import json
import uuid

import httpx

from renkei.conformance.specs import TargetOperation
from renkei.conformance.standard.context import StandardContext, error_body_problem
from renkei.conformance.standard.money import transfer_body

CHECK_TYPE = "content-type"
CHECK_SIZE = "body-size"
OVERSIZED_BYTES = 1024 * 1024 + 4096


def _post(
    context: StandardContext, operation: TargetOperation, url: str, content: bytes, content_type: str | None
) -> httpx.Response:
    headers = {**context.auth(), "Idempotency-Key": f"renkei-conformance-{uuid.uuid4().hex[:16]}"}
    if content_type is not None:
        headers["Content-Type"] = content_type
    request = context.http.build_request(operation.method, url, headers=headers, content=content)
    if content_type is None:
        request.headers.pop("Content-Type", None)
    return context.http.send(request)


def _expect(
    context: StandardContext, response: httpx.Response, status: int, what: str
) -> list[tuple[str, httpx.Response]]:
    if response.status_code != status:
        return [(f"{what}: HTTP {response.status_code}, expected {status}", response)]
    problem = error_body_problem(context, response)
    return [(f"{what}: {problem}", response)] if problem else []


def check_content(context: StandardContext) -> None:
    for operation in context.api.operations:
        if operation.method != "POST" or operation.operation_id not in ("createTransfer", "getTransferFee"):
            continue
        url = context.url(operation)
        accounts = context.known.deposit_account_ids
        body = transfer_body(context, accounts[0], 100, 7) if accounts else None
        if url is None or body is None:
            for check in (CHECK_TYPE, CHECK_SIZE):
                context.skip(operation.operation_id, check, "no bank code or deposit account known")
            continue
        encoded = json.dumps(body, ensure_ascii=False).encode()
        problems = _expect(
            context, _post(context, operation, url, encoded, "text/plain"), 415, "a JSON body as text/plain"
        )
        problems += _expect(
            context, _post(context, operation, url, encoded, None), 415, "a JSON body without Content-Type"
        )
        context.verdict(operation.operation_id, CHECK_TYPE, problems)
        padded = dict(body, applyComment="x" * OVERSIZED_BYTES)
        big = json.dumps(padded).encode()
        response = _post(context, operation, url, big, "application/json")
        context.verdict(
            operation.operation_id, CHECK_SIZE, _expect(context, response, 413, f"a {len(big)}-byte body")
        )
