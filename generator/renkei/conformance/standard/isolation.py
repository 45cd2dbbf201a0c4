"""Another customer's or another bank's ids are refused with a 404 indistinguishable from an unknown id."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from renkei.conformance.specs import TargetOperation
from renkei.conformance.standard.context import StandardContext
from renkei.conformance.standard.money import transfer_body
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
        if operation.method != "GET" or operation.public:  # public data: the same for every caller
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


CHECK_WRITE = "isolation-write"


def _own_404(
    context: StandardContext, operation: TargetOperation, url: str, body: dict[str, Any]
) -> httpx.Response:
    headers = {**context.auth(), "Idempotency-Key": f"renkei-conformance-{uuid.uuid4().hex[:16]}"}
    return context.send(operation, url, headers, body=body)


def _foreign_transfer(
    context: StandardContext, create: TargetOperation, url: str
) -> tuple[str | None, list[httpx.Response]]:
    """A scheduled transfer of the second customer (made with its token), for the cancel and read probes."""
    token = context.target.secondary_token
    tried: list[httpx.Response] = []
    if token is None:
        return None, tried
    for account in context.target.foreign.other_customer_accounts[:3]:
        body = transfer_body(context, account, 100, 7)
        if body is None:
            return None, tried
        headers = {**context.auth(token), "Idempotency-Key": f"renkei-conformance-{uuid.uuid4().hex[:16]}"}
        response = context.send(create, url, headers, body=body)
        tried.append(response)
        if response.status_code == 201 and isinstance(response.json().get("transferId"), str):
            return str(response.json()["transferId"]), tried
    return None, tried


def check_isolation_writes(context: StandardContext) -> None:
    """Writes and reads with the other customer's ids: a transfer or fee check from its account, reading and
    cancelling its transfer; each a 404 (the spec: 404 対象なし, 他の利用者のものを含む), and its
    transfer stays as it was."""
    create = context.api.operation("createTransfer")
    if create is None:
        return
    url = context.url(create)
    foreign = context.target.foreign.other_customer_accounts
    if url is None or not foreign:
        context.skip(
            "createTransfer", CHECK_WRITE, "no other customer's account known (profile customers.secondary)"
        )
        return
    problems: list[tuple[str, httpx.Response]] = []
    body = transfer_body(context, foreign[0], 100, 7)
    if body is None:
        return
    response = _own_404(context, create, url, body)
    if response.status_code != 404:
        problems.append(
            (
                f"a transfer from another customer's account {foreign[0]}: HTTP {response.status_code}, "
                "expected 404",
                response,
            )
        )
    fee = context.api.operation("getTransferFee")
    fee_url = context.url(fee) if fee else None
    if fee is not None and fee_url is not None:
        quoted = context.send(fee, fee_url, context.auth(), body=body)
        if quoted.status_code != 404:
            problems.append(
                (
                    f"a fee check from another customer's account: HTTP {quoted.status_code}, expected 404",
                    quoted,
                )
            )
    transfer_id, tried = _foreign_transfer(context, create, url)
    get, cancel = context.api.operation("getTransfer"), context.api.operation("cancelTransfer")
    if transfer_id is None:
        if context.target.secondary_token is not None:
            problems += [("the second customer could not make a transfer to test with", r) for r in tried[:1]]
    elif get is not None and cancel is not None:
        get_url = context.url(get, {"transferId": transfer_id})
        cancel_url = context.url(cancel, {"transferId": transfer_id})
        assert get_url is not None and cancel_url is not None
        read = context.send(get, get_url, context.auth())
        if read.status_code != 404:
            problems.append(
                (
                    f"reading another customer's transfer {transfer_id}: HTTP {read.status_code}, "
                    "expected 404",
                    read,
                )
            )
        cancelled = context.send(cancel, cancel_url, context.auth())
        if cancelled.status_code != 404:
            problems.append(
                (
                    f"cancelling another customer's transfer {transfer_id}: HTTP {cancelled.status_code}, "
                    "expected 404",
                    cancelled,
                )
            )
        token = context.target.secondary_token
        assert token is not None
        owner = context.send(get, get_url, context.auth(token))
        status = owner.json().get("status") if owner.status_code == 200 else None
        if status == "cancelled":
            problems.append((f"the other customer's transfer {transfer_id} is now cancelled", owner))
        context.send(cancel, cancel_url, context.auth(token))  # tidy up as its owner
    context.verdict("createTransfer", CHECK_WRITE, problems)
