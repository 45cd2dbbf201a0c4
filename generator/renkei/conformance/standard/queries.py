"""Queries of the date-windowed lists (the specs' 対象期間 section) and the documented sort orders:

- `date-range-order`: `dateFrom` after `dateTo` is a 400 with `errorCode` `invalid_request`;
- `date-range-bounds`: with both given, the response's `dateFrom`/`dateTo` are the ones asked for
  (応答の dateFrom / dateTo には実際に適用した期間を返します) and every item's date lies inside them;
- `filter`: a narrower window returns exactly the items of the wide walk whose date lies inside it
  (両端を含む);
- `sort-order`: the wide walk is in the order the operation's description states (SORT_ORDERS).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from renkei.conformance.specs import TargetOperation
from renkei.conformance.standard.context import StandardContext, error_body_problem
from renkei.conformance.standard.lists import Walk, WalkError, identity, is_list, item_date, walk
from renkei.conformance.standard.pagination import maximum_limit, wide_walk

CHECK_ORDER = "date-range-order"
CHECK_BOUNDS = "date-range-bounds"
CHECK_FILTER = "filter"
CHECK_SORT = "sort-order"

SORT_ORDERS: dict[str, tuple[tuple[str, ...], bool, str]] = {
    "listTransactions": (("transactionDate", "transactionId"), False, "取引日・明細IDの昇順"),
    "listTransfers": (("acceptedAt",), False, "受付日時の昇順"),
    "listCardTransactions": (("usageDate", "transactionId"), False, "ご利用日・利用明細IDの昇順"),
    "listStatements": (("billingMonth",), True, "請求月の降順"),
}
"""operationId -> (item fields of the sort key, descending, the spec's words)."""


def _sort_check(context: StandardContext, operation: TargetOperation, everything: Walk) -> None:
    name = operation.operation_id
    fields, descending, words = SORT_ORDERS[name]
    keys = [
        tuple(str(item.get(f, "")) if isinstance(item, dict) else "" for f in fields)
        for item in everything.items
    ]
    for index in range(1, len(keys)):
        before, after = keys[index - 1], keys[index]
        wrong = before < after if descending else before > after
        if wrong:
            page = next(
                (p for p in everything.pages if any(identity(i) == everything.ids[index] for i in p.items)),
                everything.pages[0],
            )
            context.fail(
                name,
                CHECK_SORT,
                f"the spec says {words} ({', '.join(fields)}{' descending' if descending else ''}), but item "
                f"{everything.ids[index - 1]} {before} comes before {everything.ids[index]} {after}",
                page.response,
            )
            return
    context.pass_(name, CHECK_SORT, f"{len(keys)} items in {words}")


def _window_of(operation: TargetOperation, everything: Walk) -> tuple[str, str] | None:
    dates = sorted({d for d in (item_date(operation.operation_id, i) for i in everything.items) if d})
    if len(dates) < 3:
        return None
    return dates[len(dates) // 3], dates[(2 * len(dates)) // 3]


def _order_check(context: StandardContext, operation: TargetOperation, url: str) -> None:
    today = date.today()
    params = {"dateFrom": today.isoformat(), "dateTo": (today - timedelta(days=1)).isoformat()}
    response = context.send(operation, url, context.auth(), params)
    problems = []
    if response.status_code != 400:
        problems.append((f"dateFrom after dateTo: HTTP {response.status_code}, expected 400", response))
    else:
        if problem := error_body_problem(context, response):
            problems.append((problem, response))
        elif response.json().get("errorCode") != "invalid_request":
            problems.append(
                (
                    f"dateFrom after dateTo: errorCode {response.json().get('errorCode')!r}, "
                    "the spec says invalid_request",
                    response,
                )
            )
    context.verdict(operation.operation_id, CHECK_ORDER, problems)


def _bounds_and_filter(
    context: StandardContext, operation: TargetOperation, url: str, everything: Walk
) -> None:
    name = operation.operation_id
    window = _window_of(operation, everything)
    if window is None:
        for check in (CHECK_BOUNDS, CHECK_FILTER):
            context.skip(name, check, "fewer than three item dates in the provider's data")
        return
    first, last = window
    params = {"dateFrom": first, "dateTo": last, "limit": str(maximum_limit(context, operation))}
    try:
        narrow = walk(context, operation, url, params)
    except WalkError as error:
        context.fail(name, CHECK_BOUNDS, f"dateFrom={first}&dateTo={last}: {error}", error.response)
        return
    response = narrow.pages[0].response
    body: dict[str, Any] = response.json()
    bounds = []
    applied = (body.get("dateFrom"), body.get("dateTo"))
    if applied != (first, last):
        bounds.append(
            (f"asked for {first}..{last}, the response says it applied {applied[0]}..{applied[1]}", response)
        )
    outside = [
        (identity(item), d)
        for item in narrow.items
        if (d := item_date(name, item)) is not None and not first <= d <= last
    ]
    if outside:
        shown = ", ".join(f"{i} ({d})" for i, d in outside[:5])
        bounds.append((f"{len(outside)} item(s) outside {first}..{last}: {shown}", response))
    context.verdict(name, CHECK_BOUNDS, bounds)
    expected = [identity(i) for i in everything.items if (d := item_date(name, i)) and first <= d <= last]
    got = set(narrow.ids)
    missing = [i for i in expected if i not in got]
    extra = sorted(got - set(expected))
    problems = []
    if missing:
        problems.append(
            f"{len(missing)} item(s) of {first}..{last} in the wide walk are missing: "
            f"{', '.join(missing[:5])}"
        )
    if extra:
        problems.append(f"{len(extra)} item(s) not of {first}..{last}: {', '.join(extra[:5])}")
    if problems:
        context.fail(name, CHECK_FILTER, "; ".join(problems), response)
    else:
        context.pass_(name, CHECK_FILTER, f"{len(expected)} items in {first}..{last}")


def check_queries(context: StandardContext) -> None:
    for operation in context.api.operations:
        if not is_list(operation):
            continue
        url = context.url(operation)
        windowed = "dateFrom" in operation.parameters and "dateTo" in operation.parameters
        checks = ([CHECK_ORDER, CHECK_BOUNDS, CHECK_FILTER] if windowed else []) + (
            [CHECK_SORT] if operation.operation_id in SORT_ORDERS else []
        )
        if url is None:
            for check in checks:
                context.skip(operation.operation_id, check, "no real value known for a path parameter")
            continue
        if windowed:
            _order_check(context, operation, url)
        try:
            everything = wide_walk(context, operation, url)
        except WalkError as error:
            for check in [c for c in checks if c != CHECK_ORDER]:
                context.fail(operation.operation_id, check, f"the wide walk failed: {error}", error.response)
            continue
        if windowed:
            _bounds_and_filter(context, operation, url, everything)
        if operation.operation_id in SORT_ORDERS:
            if len(everything.items) < 2:
                context.skip(operation.operation_id, CHECK_SORT, "fewer than two items")
            else:
                _sort_check(context, operation, everything)
