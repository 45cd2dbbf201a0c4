"""The wire-level faults: rewrites of a request's query or of a JSON response body, given the request.

Each takes the request (`Asked`) and returns the changed query or body; `faults.FaultMiddleware` applies them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode

from renkei_sandbox.clock import JST

MAX_LIMIT = 500
_BALANCE_PATH = re.compile(r"^/v2/banks/[^/]+/accounts/[^/]+/balance$")
_FEE_PATH = re.compile(r"^/v2/banks/[^/]+/transfer-fees$")


@dataclass
class Asked:
    """One API request as the client sent it (before any fault rewrote it)."""

    method: str
    path: str
    query: dict[str, str]


@dataclass
class PagingMemory:
    """What the paging faults remember between requests (one sandbox process)."""

    query_of_cursor: dict[str, dict[str, str]] = field(default_factory=dict)
    last_item_of_cursor: dict[str, Any] = field(default_factory=dict)


def parse_query(query_string: bytes) -> dict[str, str]:
    return dict(parse_qsl(query_string.decode("latin-1"), keep_blank_values=True))


def encode_query(query: dict[str, str]) -> bytes:
    return urlencode(query).encode("latin-1")


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


# --- query rewrites ---------------------------------------------------------------------------------------


def limit_ignored(query: dict[str, str], memory: PagingMemory) -> dict[str, str]:
    """A valid `limit` is replaced by the default page size."""
    limit = query.get("limit", "")
    if limit.isdigit() and 1 <= int(limit) <= MAX_LIMIT:
        return {**query, "limit": "100"}
    return query


def limit_max_unenforced(query: dict[str, str], memory: PagingMemory) -> dict[str, str]:
    """A `limit` above the maximum is served as the maximum instead of being refused."""
    limit = query.get("limit", "")
    if limit.isdigit() and int(limit) > MAX_LIMIT:
        return {**query, "limit": str(MAX_LIMIT)}
    return query


def date_order_unchecked(query: dict[str, str], memory: PagingMemory) -> dict[str, str]:
    """`dateFrom` after `dateTo` is served (the two swapped) instead of a 400."""
    first, last = _day(query.get("dateFrom")), _day(query.get("dateTo"))
    if first and last and first > last:
        return {**query, "dateFrom": last.isoformat(), "dateTo": first.isoformat()}
    return query


def date_to_exclusive(query: dict[str, str], memory: PagingMemory) -> dict[str, str]:
    """`dateTo` is treated as exclusive (its day left out); the response still names it (see below)."""
    last = _day(query.get("dateTo"))
    first = _day(query.get("dateFrom"))
    if last and (first is None or first < last):
        return {**query, "dateTo": (last - timedelta(days=1)).isoformat()}
    return query


def cursor_unbound(query: dict[str, str], memory: PagingMemory) -> dict[str, str]:
    """A cursor carries its original query: the parameters sent with it are ignored."""
    cursor = query.get("cursor")
    if cursor and cursor in memory.query_of_cursor:
        return {**memory.query_of_cursor[cursor], "cursor": cursor}
    return query


QUERY_REWRITES = {
    "limit-ignored": limit_ignored,
    "limit-max-unenforced": limit_max_unenforced,
    "date-order-unchecked": date_order_unchecked,
    "date-to-exclusive": date_to_exclusive,
    "cursor-unbound": cursor_unbound,
}


# --- response body rewrites -------------------------------------------------------------------------------


def _list_key(body: Any) -> str | None:
    if not isinstance(body, dict) or not isinstance(body.get("hasNext"), bool):
        return None
    return next((k for k, v in body.items() if isinstance(v, list)), None)


def page_duplicates(asked: Asked, status: int, body: Any, memory: PagingMemory) -> Any:
    """Each next page starts again with the previous page's last item."""
    key = _list_key(body)
    if status != 200 or key is None:
        return body
    cursor = asked.query.get("cursor")
    if cursor and cursor in memory.last_item_of_cursor:
        body[key] = [memory.last_item_of_cursor[cursor], *body[key]]
    if body.get("nextCursor") and body[key]:
        memory.last_item_of_cursor[str(body["nextCursor"])] = body[key][-1]
    return body


def page_gap(asked: Asked, status: int, body: Any, memory: PagingMemory) -> Any:
    """Each next page loses its first item."""
    key = _list_key(body)
    if status == 200 and key is not None and asked.query.get("cursor") and body[key]:
        body[key] = body[key][1:]
    return body


def cursor_loop(asked: Asked, status: int, body: Any, memory: PagingMemory) -> Any:
    """The last page of a paged walk says hasNext again, with the cursor just sent: the walk never ends."""
    key = _list_key(body)
    if status == 200 and key is not None and asked.query.get("cursor") and not body["hasNext"]:
        body["hasNext"] = True
        body["nextCursor"] = asked.query["cursor"]
    return body


def remember_cursor_query(asked: Asked, status: int, body: Any, memory: PagingMemory) -> Any:
    """(part of `cursor-unbound`) the query each issued cursor came from."""
    if status == 200 and isinstance(body, dict) and isinstance(body.get("nextCursor"), str):
        original = {k: v for k, v in asked.query.items() if k != "cursor"}
        memory.query_of_cursor.setdefault(body["nextCursor"], original)
    return body


def wrong_sort_order(asked: Asked, status: int, body: Any, memory: PagingMemory) -> Any:
    """Every list page comes in reverse order."""
    key = _list_key(body)
    if status == 200 and key is not None:
        body[key] = list(reversed(body[key]))
    return body


def date_window_echo_wrong(asked: Asked, status: int, body: Any, memory: PagingMemory) -> Any:
    """The response's `dateTo` says today whatever window was applied."""
    if status == 200 and isinstance(body, dict) and "dateTo" in body and "dateTo" in asked.query:
        body["dateTo"] = datetime.now(JST).date().isoformat()
    return body


def restore_date_to(asked: Asked, status: int, body: Any, memory: PagingMemory) -> Any:
    """(part of `date-to-exclusive`) the response names the dateTo that was asked for."""
    if status == 200 and isinstance(body, dict) and "dateTo" in body and "dateTo" in asked.query:
        body["dateTo"] = asked.query["dateTo"]
    return body


def balance_mismatch(asked: Asked, status: int, body: Any, memory: PagingMemory) -> Any:
    """getBalance's currentBalance is 1000 yen more than the ledger's."""
    if status == 200 and _BALANCE_PATH.match(asked.path) and isinstance(body, dict):
        body["currentBalance"] = str(int(body["currentBalance"]) + 1000)
    return body


def fee_mismatch(asked: Asked, status: int, body: Any, memory: PagingMemory) -> Any:
    """The fee check quotes 110 yen more than a transfer is charged."""
    if status == 200 and _FEE_PATH.match(asked.path) and isinstance(body, dict) and "fee" in body:
        body["fee"] = str(int(body["fee"]) + 110)
        body["totalDebitAmount"] = str(int(body["totalDebitAmount"]) + 110)
    return body


BODY_REWRITES = {
    "page-duplicates": [page_duplicates],
    "page-gap": [page_gap],
    "cursor-loop": [cursor_loop],
    "cursor-unbound": [remember_cursor_query],
    "wrong-sort-order": [wrong_sort_order],
    "date-window-echo-wrong": [date_window_echo_wrong],
    "date-to-exclusive": [restore_date_to],
    "balance-mismatch": [balance_mismatch],
    "fee-mismatch": [fee_mismatch],
}
