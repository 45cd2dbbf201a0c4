"""createTransfer's Idempotency-Key (the spec's 冪等キー section):

- `idempotency`: same key and body -> the same transfer; same key, other body -> 422; no key -> 400 (with the
  standard error body);
- `idempotency-retention`: the key is still recognised when replayed after the profile's
  `idempotency.replay_delay_seconds`; the retention the spec declares (少なくともN時間保持) is read
  from the Idempotency-Key parameter's description and reported (a delay beyond it is not tested).
"""

from __future__ import annotations

import copy
import re
import time
import uuid
from datetime import date, timedelta
from typing import Any

import httpx

from renkei.conformance.standard.context import StandardContext, error_body_problem
from renkei.conformance.standard.lists import parameter_schema_owner

CHECK = "idempotency"
CHECK_RETENTION = "idempotency-retention"
_RETENTION = re.compile(r"少なくとも\s*(\d+)\s*時間")
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
    check_retention(context, url, headers, body, first)


def declared_retention_hours(context: StandardContext) -> int | None:
    """The hours the spec says a key is kept, from the Idempotency-Key parameter's description."""
    operation = context.api.operation(OPERATION)
    if operation is None:
        return None
    description = str(
        parameter_schema_owner(context.api, operation, "Idempotency-Key").get("description", "")
    )
    found = _RETENTION.search(description)
    return int(found.group(1)) if found else None


def check_retention(
    context: StandardContext, url: str, headers: dict[str, str], body: dict[str, Any], first: httpx.Response
) -> None:
    operation = context.api.operation(OPERATION)
    assert operation is not None
    hours = declared_retention_hours(context)
    profile = context.target.profile
    delay = profile.idempotency.replay_delay_seconds if profile else 3.0
    declared = (
        f"the spec declares at least {hours} h" if hours is not None else "the spec declares no retention"
    )
    if hours is not None and delay > hours * 3600:
        context.skip(OPERATION, CHECK_RETENTION, f"replay delay {delay:.0f} s is beyond what {declared}")
        return
    time.sleep(delay)
    replay = context.send(operation, url, headers, body=body)
    first_id = first.json().get("transferId")
    got = replay.json().get("transferId") if replay.status_code == 201 else None
    if replay.status_code != 201 or got != first_id:
        context.fail(
            OPERATION,
            CHECK_RETENTION,
            f"replayed {delay:g} s later ({declared}): HTTP {replay.status_code}, "
            f"transferId {got} != {first_id}",
            replay,
        )
    else:
        context.pass_(OPERATION, CHECK_RETENTION, f"recognised after {delay:g} s; {declared}")
