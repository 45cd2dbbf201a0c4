"""Following `nextCursor` with a small `limit` visits each item exactly once, in the same order as one
large page walk, on the seeded data."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import httpx

from renkei.conformance.specs import TargetOperation
from renkei.conformance.standard.context import StandardContext

CHECK = "pagination"
_MAX_PAGES = 400
_LARGE = "500"


def _items_key(body: dict[str, Any]) -> str | None:
    return next((key for key, value in body.items() if isinstance(value, list)), None)


def _identity(item: Any) -> str:
    if isinstance(item, dict):
        for key in sorted(item):
            if key.endswith("Id") and key not in {"accountId", "cardId"}:
                return str(item[key])
        if "billingMonth" in item:
            return str(item["billingMonth"])
    return json.dumps(item, sort_keys=True, ensure_ascii=False)


class _WalkError(Exception):
    def __init__(self, message: str, response: httpx.Response) -> None:
        super().__init__(message)
        self.response = response


def _walk(
    context: StandardContext, operation: TargetOperation, url: str, params: dict[str, str]
) -> list[str]:
    seen: list[str] = []
    cursor: str | None = None
    response: httpx.Response | None = None
    for _ in range(_MAX_PAGES):
        query = dict(params, **({"cursor": cursor} if cursor else {}))
        response = context.send(operation, url, context.auth(), query)
        if response.status_code != 200:
            raise _WalkError(f"page request got HTTP {response.status_code}", response)
        body = response.json()
        key = _items_key(body) if isinstance(body, dict) else None
        if key is None or not isinstance(body.get("hasNext"), bool):
            raise _WalkError("list response without an item array and a boolean hasNext", response)
        seen += [_identity(item) for item in body[key]]
        if not body["hasNext"]:
            if "nextCursor" in body and body["nextCursor"] is not None:
                raise _WalkError("nextCursor present although hasNext is false", response)
            return seen
        cursor = body.get("nextCursor")
        if not isinstance(cursor, str) or not cursor:
            raise _WalkError("hasNext is true but there is no nextCursor", response)
    assert response is not None
    raise _WalkError(f"more than {_MAX_PAGES} pages", response)


def _window(operation: TargetOperation) -> dict[str, str]:
    if "dateFrom" in operation.parameters:
        return {"dateFrom": (date.today() - timedelta(days=3 * 366)).isoformat()}
    return {}


def check_operation(context: StandardContext, operation: TargetOperation) -> None:
    name = operation.operation_id
    url = context.url(operation)
    if url is None:
        context.skip(name, CHECK, "no real value known for a path parameter")
        return
    window = _window(operation)
    try:
        everything = _walk(context, operation, url, {**window, "limit": _LARGE})
        if len(everything) < 2:
            context.skip(name, CHECK, f"only {len(everything)} item(s) in the seeded data")
            return
        small = max(1, min(len(everything) // 3, 50))
        paged = _walk(context, operation, url, {**window, "limit": str(small)})
    except _WalkError as error:
        context.fail(name, CHECK, str(error), error.response)
        return
    problems = []
    duplicates = sorted({item for item in paged if paged.count(item) > 1})
    if duplicates:
        problems.append(f"items visited more than once with limit={small}: {', '.join(duplicates[:5])}")
    missed = [item for item in everything if item not in set(paged)]
    if missed:
        problems.append(f"items never visited with limit={small}: {', '.join(missed[:5])}")
    if not problems and paged != everything:
        problems.append(f"limit={small} pages give another order than one large page walk")
    if problems:
        context.fail(name, CHECK, "; ".join(problems))
    else:
        context.pass_(name, CHECK, f"{len(everything)} items in pages of {small}")


def check_pagination(context: StandardContext) -> None:
    for operation in context.api.operations:
        if operation.method == "GET" and "cursor" in operation.parameters and "limit" in operation.parameters:
            check_operation(context, operation)
