"""Another customer's or another bank's ids are refused with a 404 indistinguishable from an unknown id."""

from __future__ import annotations

import httpx

from renkei.conformance.specs import TargetOperation
from renkei.conformance.standard.context import StandardContext
from renkei.conformance.standard.probes import unknown_value

CHECK = "isolation"


def _comparable(response: httpx.Response) -> tuple[int, str]:
    try:
        body = response.json()
    except ValueError:
        return response.status_code, response.text
    if isinstance(body, dict):
        return response.status_code, f"{body.get('errorCode')}|{body.get('errorMessage')}"
    return response.status_code, response.text


def _foreign_urls(context: StandardContext, operation: TargetOperation) -> list[tuple[str, str]]:
    """(what, url) pairs naming data this customer must not reach."""
    foreign = context.target.foreign
    urls: list[tuple[str, str | None]] = []
    if "{accountId}" in operation.path and "{transferId}" not in operation.path:
        for account in foreign.other_customer_accounts[:1]:
            urls.append(("another customer's account", context.url(operation, {"accountId": account})))
        for bank, account in foreign.other_bank_accounts[:1]:
            overrides = {"bankCode": bank, "accountId": account}
            urls.append((f"another bank's ({bank}) account", context.url(operation, overrides)))
    if "{bankCode}" in operation.path and context.target.bank_code:
        other = next((b for b, _ in foreign.other_bank_accounts), None) or unknown_value("bankCode", "")
        urls.append(
            (f"own ids under another bank's path ({other})", context.url(operation, {"bankCode": other}))
        )
    if "{cardId}" in operation.path:
        for card in foreign.other_customer_cards[:1]:
            urls.append(("another customer's card", context.url(operation, {"cardId": card})))
    return [(what, url) for what, url in urls if url is not None]


def _unknown_url(context: StandardContext, operation: TargetOperation) -> str | None:
    values = context.path_values()
    for name in ("accountId", "cardId", "transferId"):
        real = values.get(name)
        if "{" + name + "}" in operation.path and real:
            return context.url(operation, {name: unknown_value(name, real)})
    if "{bankCode}" in operation.path:
        return context.url(operation, {"bankCode": unknown_value("bankCode", "")})
    return None


def check_isolation(context: StandardContext) -> None:
    for operation in context.api.operations:
        if operation.method != "GET":
            continue
        foreign = _foreign_urls(context, operation)
        unknown = _unknown_url(context, operation)
        if not foreign or unknown is None:
            continue
        baseline = context.send(operation, unknown, context.auth())
        problems: list[tuple[str, httpx.Response]] = []
        if baseline.status_code != 404:
            problems.append((f"an unknown id got HTTP {baseline.status_code}, expected 404", baseline))
        for what, url in foreign:
            response = context.send(operation, url, context.auth())
            if response.status_code != 404:
                problems.append((f"{what}: HTTP {response.status_code}, expected 404", response))
            elif _comparable(response) != _comparable(baseline):
                problems.append((f"{what}: the 404 differs from an unknown id's 404", response))
        context.verdict(operation.operation_id, CHECK, problems)
