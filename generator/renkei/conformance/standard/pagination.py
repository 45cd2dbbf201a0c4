"""Cursor pagination (the specs' ページング section and the Limit / Cursor parameters):

- `pagination`: following `nextCursor` with a small `limit` visits every item of a one-page walk exactly once
  (no duplicates, no gaps) and ends (no cursor followed twice, `nextCursor` only while `hasNext`);
- `pagination-limit`: no page holds more than `limit` items, a page with `hasNext` holds exactly `limit`,
  and `limit` above the parameter's `maximum` (read from the spec) is a 400 with the standard error body;
- `pagination-cursor`: a cursor belongs to its query: the same cursor with the same query gives the same
  page, and with another query (a narrower date window) either a 400 or only items of that query.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from renkei.conformance.specs import TargetOperation
from renkei.conformance.standard.context import StandardContext, error_body_problem
from renkei.conformance.standard.lists import (
    Walk,
    WalkError,
    fetch_page,
    is_list,
    item_date,
    parameter_schema,
    walk,
    wide_window,
)

CHECK = "pagination"
CHECK_LIMIT = "pagination-limit"
CHECK_CURSOR = "pagination-cursor"
CHECKS = (CHECK, CHECK_LIMIT, CHECK_CURSOR)


def maximum_limit(context: StandardContext, operation: TargetOperation) -> int:
    schema = parameter_schema(context.api, operation, "limit")
    maximum = schema.get("maximum")
    return int(maximum) if isinstance(maximum, int) else 500


def wide_walk(context: StandardContext, operation: TargetOperation, url: str) -> Walk:
    """One walk at the maximum page size over the wide window (cached: several checks compare with it)."""
    key = f"wide:{operation.operation_id}:{url}"
    if key not in context.cache:
        params = {**wide_window(operation), "limit": str(maximum_limit(context, operation))}
        context.cache[key] = walk(context, operation, url, params)
    cached: Walk = context.cache[key]
    return cached


def _walk_check(
    context: StandardContext, operation: TargetOperation, everything: Walk, paged: Walk, small: int
) -> None:
    name = operation.operation_id
    ids, paged_ids = everything.ids, paged.ids
    problems: list[str] = []
    duplicates = sorted({item for item in paged_ids if paged_ids.count(item) > 1})
    if duplicates:
        problems.append(f"items visited more than once with limit={small}: {', '.join(duplicates[:5])}")
    seen = set(paged_ids)
    missed = [item for item in ids if item not in seen]
    if missed:
        problems.append(f"items never visited with limit={small}: {', '.join(missed[:5])}")
    if problems:
        culprit = (
            next((p.response for p in paged.pages if any(i in duplicates for i in Walk([p]).ids)), None)
            or paged.pages[min(1, len(paged.pages) - 1)].response
        )
        context.fail(name, CHECK, "; ".join(problems), paged.pages[0].response, culprit)
    else:
        context.pass_(name, CHECK, f"{len(ids)} items in {len(paged.pages)} pages of {small}")


def _limit_check(
    context: StandardContext, operation: TargetOperation, url: str, paged: Walk, small: int
) -> None:
    name = operation.operation_id
    problems = []
    for number, page in enumerate(paged.pages, 1):
        if len(page.items) > small:
            problems.append((f"page {number} has {len(page.items)} items for limit={small}", page.response))
        elif page.has_next and len(page.items) != small:
            problems.append(
                (
                    f"page {number} has {len(page.items)} items for limit={small} although hasNext",
                    page.response,
                )
            )
        if problems:
            break
    maximum = maximum_limit(context, operation)
    above = context.send(
        operation, url, context.auth(), {**wide_window(operation), "limit": str(maximum + 1)}
    )
    if above.status_code != 400:
        problems.append(
            (
                f"limit={maximum + 1} (above the maximum {maximum}): HTTP {above.status_code}, expected 400",
                above,
            )
        )
    elif problem := error_body_problem(context, above):
        problems.append((problem, above))
    context.verdict(name, CHECK_LIMIT, problems)


def _narrower(operation: TargetOperation, items: list[Any]) -> dict[str, str] | None:
    """A window from the first page's last item's date on: a query the first cursor does not belong to."""
    dates = sorted({d for d in (item_date(operation.operation_id, i) for i in items) if d})
    if len(dates) < 2:
        return None
    start = date.fromisoformat(dates[len(dates) // 2]) + timedelta(days=1)
    return {"dateFrom": start.isoformat()}


def _cursor_check(
    context: StandardContext, operation: TargetOperation, url: str, paged: Walk, small: int, everything: Walk
) -> None:
    name = operation.operation_id
    cursor = paged.pages[0].next_cursor
    if cursor is None or len(paged.pages) < 2:
        context.skip(name, CHECK_CURSOR, "a single page: no cursor to test")
        return
    problems = []
    try:
        again = fetch_page(
            context, operation, url, {**wide_window(operation), "limit": str(small), "cursor": cursor}
        )
        if Walk([again]).ids != Walk([paged.pages[1]]).ids:
            problems.append(("the same cursor with the same query gave another page", again.response))
    except WalkError as error:
        problems.append((f"the same cursor with the same query again: {error}", error.response))
    narrower = _narrower(operation, everything.items)
    if narrower is not None:
        params = {**narrower, "limit": str(small), "cursor": cursor}
        response = context.send(operation, url, context.auth(), params)
        if response.status_code == 200:
            other = fetch_page(context, operation, url, params)
            outside = [
                item
                for item in other.items
                if (d := item_date(operation.operation_id, item)) is not None and d < narrower["dateFrom"]
            ]
            if outside:
                problems.append(
                    (
                        f"a cursor sent with another query (dateFrom={narrower['dateFrom']}) returned "
                        f"{len(outside)} item(s) outside that query: the cursor carries its old query",
                        other.response,
                    )
                )
        elif response.status_code != 400:
            problems.append(
                (
                    f"a cursor sent with another query: HTTP {response.status_code}, expected 200 or 400",
                    response,
                )
            )
    context.verdict(name, CHECK_CURSOR, problems)


def check_operation(context: StandardContext, operation: TargetOperation) -> None:
    name = operation.operation_id
    url = context.url(operation)
    if url is None:
        for check in CHECKS:
            context.skip(name, check, "no real value known for a path parameter")
        return
    try:
        everything = wide_walk(context, operation, url)
        if len(everything.items) < 2:
            for check in CHECKS:
                context.skip(name, check, f"only {len(everything.items)} item(s) in the provider's data")
            return
        small = max(1, min(len(everything.items) // 3, 50))
        paged = walk(context, operation, url, {**wide_window(operation), "limit": str(small)})
    except WalkError as error:
        context.fail(name, CHECK, str(error), error.response)
        return
    _walk_check(context, operation, everything, paged, small)
    _limit_check(context, operation, url, paged, small)
    _cursor_check(context, operation, url, paged, small, everything)


def check_pagination(context: StandardContext) -> None:
    for operation in context.api.operations:
        if is_list(operation):
            check_operation(context, operation)
