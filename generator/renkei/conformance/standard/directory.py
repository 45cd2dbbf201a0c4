"""The bank directory (GET /banks, public) and what it promises about the other APIs:

- `bank-directory`: GET /banks answers without a token, in bank-code order, `count` = the number of banks,
  the customer's bank among them; GET /banks/{bankCode} (no token) answers each listed bank as listed; a bank
  code the directory does not list gets 404 with the standard error body;
- `api-not-offered`: for every bank whose directory entry says an API is `planned`, that API's operations
  get 403 `api_not_offered` with the standard error body (whatever the token's bank).
"""

from __future__ import annotations

from typing import Any

import httpx

from renkei.conformance.specs import TargetOperation
from renkei.conformance.standard.context import StandardContext, error_body_problem

CHECK_DIRECTORY = "bank-directory"
CHECK_NOT_OFFERED = "api-not-offered"
LIST_BANKS = "listBanks"
UNLISTED_CANDIDATES = ("0000", "9999", "0001")
Problems = list[tuple[str, httpx.Response]]


def _directory_root(context: StandardContext) -> str:
    """The bank-inquiry API's root (where GET /banks is), else this API's (one deployment serves both)."""
    return context.target.roots.get("bank-inquiry", context.root).rstrip("/")


def read_directory(context: StandardContext) -> tuple[httpx.Response, list[dict[str, Any]] | None]:
    """GET /banks without a token; the banks when it answered 200 with a `banks` array."""
    if "directory" not in context.cache:
        response = context.http.get(f"{_directory_root(context)}/banks")
        banks = None
        if response.status_code == 200:
            try:
                body = response.json()
            except ValueError:
                body = None
            if isinstance(body, dict) and isinstance(body.get("banks"), list):
                banks = [bank for bank in body["banks"] if isinstance(bank, dict)]
        context.cache["directory"] = (response, banks)
    cached: tuple[httpx.Response, list[dict[str, Any]] | None] = context.cache["directory"]
    return cached


def _list_problems(
    context: StandardContext, response: httpx.Response, banks: list[dict[str, Any]]
) -> Problems:
    problems: Problems = []
    codes = [str(bank.get("bankCode")) for bank in banks]
    if codes != sorted(codes) or len(set(codes)) != len(codes):
        problems.append((f"the banks are not in ascending bankCode order without repeats: {codes}", response))
    count = response.json().get("count")
    if count is not None and count != len(banks):
        problems.append((f"count is {count}, the list holds {len(banks)} banks", response))
    own = context.target.bank_code
    if own is not None and own not in codes:
        problems.append((f"the customer's bank {own} is not in the directory", response))
    return problems


def check_bank_directory(context: StandardContext) -> None:
    if context.api.operation(LIST_BANKS) is None:
        return
    response, banks = read_directory(context)
    if banks is None:
        message = f"GET /banks without a token: HTTP {response.status_code}"
        context.fail(LIST_BANKS, CHECK_DIRECTORY, message, response)
        return
    problems = _list_problems(context, response, banks)
    root = _directory_root(context)
    for bank in banks:
        detail = context.http.get(f"{root}/banks/{bank.get('bankCode')}")
        if detail.status_code != 200:
            problems.append((f"GET /banks/{bank.get('bankCode')}: HTTP {detail.status_code}", detail))
        elif detail.json() != bank:
            problems.append((f"GET /banks/{bank.get('bankCode')} differs from its entry in the list", detail))
    listed = {str(bank.get("bankCode")) for bank in banks}
    unlisted = next(code for code in UNLISTED_CANDIDATES if code not in listed)
    missing = context.http.get(f"{root}/banks/{unlisted}")
    if missing.status_code != 404:
        message = f"GET /banks/{unlisted} (not listed): HTTP {missing.status_code}, expected 404"
        problems.append((message, missing))
    elif (problem := error_body_problem(context, missing)) is not None:
        problems.append((f"GET /banks/{unlisted}: {problem}", missing))
    context.verdict(LIST_BANKS, CHECK_DIRECTORY, problems)


def _plain_operation(context: StandardContext) -> TargetOperation | None:
    """A GET of this API whose only path parameter is bankCode (harmless to send)."""
    for operation in context.api.operations:
        if operation.method == "GET" and operation.scopes and "{bankCode}" in operation.path:
            if "{" not in operation.path.replace("{bankCode}", ""):
                return operation
    return None


def check_api_not_offered(context: StandardContext) -> None:
    _, banks = read_directory(context)
    planned = [
        str(bank.get("bankCode"))
        for bank in banks or []
        for offering in bank.get("apis") or []
        if isinstance(offering, dict)
        and offering.get("api") == context.api.name
        and offering.get("status") == "planned"
    ]
    operation = _plain_operation(context)
    if not planned or operation is None:
        return
    problems: Problems = []
    for bank_code in planned:
        url = context.url(operation, {"bankCode": bank_code})
        assert url is not None
        response = context.send(operation, url, headers=context.auth())
        if response.status_code != 403:
            message = f"bank {bank_code} (the API is planned): HTTP {response.status_code}, expected 403"
            problems.append((message, response))
            continue
        problem = error_body_problem(context, response)
        if problem is not None:
            problems.append((f"bank {bank_code}: {problem}", response))
        elif response.json().get("errorCode") != "api_not_offered":
            problems.append((f"bank {bank_code}: 403 without errorCode api_not_offered", response))
    context.verdict(operation.operation_id, CHECK_NOT_OFFERED, problems)
