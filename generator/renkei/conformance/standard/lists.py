"""Walking a cursor-paginated list operation page by page, keeping each page's response as evidence."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any

import httpx

from renkei.conformance.specs import ApiSpec, TargetOperation
from renkei.conformance.standard.context import StandardContext

JST = timezone(timedelta(hours=9))
MAX_PAGES = 400
WIDE_WINDOW_DAYS = 3 * 366

ITEM_DATE_FIELDS = {
    "listTransactions": "transactionDate",
    "listTransfers": "acceptedAt",
    "listCardTransactions": "usageDate",
}
"""The item field each date-windowed list's dateFrom/dateTo apply to (the spec's descriptions)."""


@dataclass(frozen=True)
class Page:
    response: httpx.Response
    items: list[Any]
    has_next: bool
    next_cursor: str | None


@dataclass
class Walk:
    pages: list[Page] = field(default_factory=list)

    @property
    def items(self) -> list[Any]:
        return [item for page in self.pages for item in page.items]

    @property
    def ids(self) -> list[str]:
        return [identity(item) for item in self.items]


class WalkError(Exception):
    def __init__(self, message: str, response: httpx.Response) -> None:
        super().__init__(message)
        self.response = response


def items_key(body: dict[str, Any]) -> str | None:
    return next((key for key, value in body.items() if isinstance(value, list)), None)


def identity(item: Any) -> str:
    if isinstance(item, dict):
        for key in sorted(item):
            if key.endswith("Id") and key not in {"accountId", "cardId"}:
                return str(item[key])
        if "billingMonth" in item:
            return str(item["billingMonth"])
    return json.dumps(item, sort_keys=True, ensure_ascii=False)


def item_date(operation_id: str, item: Any) -> str | None:
    """The date (YYYY-MM-DD) the operation's window applies to, for one item."""
    name = ITEM_DATE_FIELDS.get(operation_id)
    value = item.get(name) if name and isinstance(item, dict) else None
    return str(value)[:10] if isinstance(value, str) else None


def fetch_page(
    context: StandardContext, operation: TargetOperation, url: str, params: dict[str, str]
) -> Page:
    response = context.send(operation, url, context.auth(), params)
    if response.status_code != 200:
        raise WalkError(f"page request got HTTP {response.status_code}", response)
    try:
        body = response.json()
    except ValueError:
        raise WalkError("page response is not JSON", response) from None
    key = items_key(body) if isinstance(body, dict) else None
    if key is None or not isinstance(body.get("hasNext"), bool):
        raise WalkError("list response without an item array and a boolean hasNext", response)
    cursor = body.get("nextCursor")
    return Page(response, list(body[key]), body["hasNext"], cursor if isinstance(cursor, str) else None)


def walk(context: StandardContext, operation: TargetOperation, url: str, params: dict[str, str]) -> Walk:
    """Follow nextCursor until hasNext is false; a repeated cursor or MAX_PAGES pages never terminate."""
    result = Walk()
    cursor: str | None = None
    followed: set[str] = set()
    for _ in range(MAX_PAGES):
        page = fetch_page(context, operation, url, dict(params, **({"cursor": cursor} if cursor else {})))
        result.pages.append(page)
        if not page.has_next:
            body = page.response.json()
            if body.get("nextCursor") is not None:
                raise WalkError("nextCursor present although hasNext is false", page.response)
            return result
        if not page.next_cursor:
            raise WalkError("hasNext is true but there is no nextCursor", page.response)
        if page.next_cursor in followed:
            raise WalkError(
                f"nextCursor {page.next_cursor!r} was already followed: the walk would never end",
                page.response,
            )
        followed.add(page.next_cursor)
        cursor = page.next_cursor
    raise WalkError(f"more than {MAX_PAGES} pages", result.pages[-1].response)


def jst_today() -> date:
    """The standard's dates are Japanese (日本時間)."""
    return datetime.now(JST).date()


def provider_today(context: StandardContext) -> date:
    """The provider's today: the `dateTo` it applies to a date-windowed list asked without dates (両方省略:
    当日のみ); the JST date when the API has no such list."""
    if "today" not in context.cache:
        found = jst_today()
        for operation in context.api.operations:
            url = context.url(operation) if is_list(operation) and "dateTo" in operation.parameters else None
            if url is None:
                continue
            response = context.send(operation, url, context.auth(), {"limit": "1"})
            applied = response.json().get("dateTo") if response.status_code == 200 else None
            try:
                found = date.fromisoformat(str(applied))
            except ValueError:
                continue
            break
        context.cache["today"] = found
    today: date = context.cache["today"]
    return today


def wide_window(operation: TargetOperation) -> dict[str, str]:
    """Three years up to today (JST is ahead of UTC: tomorrow's UTC date is never needed)."""
    if "dateFrom" in operation.parameters:
        return {"dateFrom": (date.today() - timedelta(days=WIDE_WINDOW_DAYS)).isoformat()}
    return {}


def is_list(operation: TargetOperation) -> bool:
    return operation.method == "GET" and "cursor" in operation.parameters and "limit" in operation.parameters


def parameter_schema_owner(api: ApiSpec, operation: TargetOperation, name: str) -> dict[str, Any]:
    """An operation's parameter object in the bundled document (local $refs followed)."""
    document = api.document
    item = document.get("paths", {}).get(operation.path, {})
    node = item.get(operation.method.lower(), {})
    for parameter in [*item.get("parameters", []), *node.get("parameters", [])]:
        resolved = _deref(document, parameter)
        if resolved.get("name") == name:
            return resolved
    return {}


def parameter_schema(api: ApiSpec, operation: TargetOperation, name: str) -> dict[str, Any]:
    """The schema of an operation's parameter."""
    return _deref(api.document, parameter_schema_owner(api, operation, name).get("schema", {}))


def _deref(document: dict[str, Any], node: Any) -> dict[str, Any]:
    seen = 0
    while isinstance(node, dict) and "$ref" in node and str(node["$ref"]).startswith("#/") and seen < 20:
        target: Any = document
        for part in str(node["$ref"])[2:].split("/"):
            target = (
                target.get(part.replace("~1", "/").replace("~0", "~"), {}) if isinstance(target, dict) else {}
            )
        node, seen = target, seen + 1
    return node if isinstance(node, dict) else {}
