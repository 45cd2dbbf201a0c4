"""Money rules of the bank APIs:

- `balance-consistency` (bank-inquiry): each transaction's `balance` (取引後残高) is the previous one plus the
  credit (transactionType 1) or minus the debit (2), and the newest equals getBalance's `currentBalance`;
- `overdraft-refused` (bank-transfer): a same-day transfer above the available balance (`withdrawableAmount`)
  is a 422 with the standard error body (残高不足 … 422) and changes no balance;
- `transfer-limit-refused`: a transfer above the profile's `amounts.above_transfer_limit` is a 422 and
  changes no balance;
- `fee-matches`: getTransferFee's `fee`/`totalDebitAmount` for a body equal the fee createTransfer charges
  for it.
"""

from __future__ import annotations

import copy
import uuid
from datetime import timedelta
from typing import Any

import httpx

from renkei.conformance.specs import TargetOperation
from renkei.conformance.standard.context import StandardContext, error_body_problem
from renkei.conformance.standard.lists import WalkError, jst_today, provider_today, walk

CHECK_BALANCE = "balance-consistency"
CHECK_OVERDRAFT = "overdraft-refused"
CHECK_LIMIT = "transfer-limit-refused"
CHECK_FEE = "fee-matches"
INQUIRY_API = "bank-inquiry"
_DEPOSIT_ACCOUNTS_CHECKED = 2


def _amount(value: Any) -> int | None:
    try:
        return int(str(value))
    except ValueError:
        return None


def _balance_of_account(
    context: StandardContext, transactions: list[dict[str, Any]], balance: dict[str, Any]
) -> str | None:
    previous: int | None = None
    for item in transactions:
        amount, after = _amount(item.get("amount")), _amount(item.get("balance"))
        if amount is None or after is None:
            return f"transaction {item.get('transactionId')}: amount or balance is not an integer"
        if previous is not None:
            expected = previous + (amount if item.get("transactionType") == "1" else -amount)
            if after != expected:
                return (
                    f"transaction {item.get('transactionId')}: balance {after} != previous "
                    f"balance {previous} "
                    f"{'+' if item.get('transactionType') == '1' else '-'} {amount}"
                )
        previous = after
    current = _amount(balance.get("currentBalance"))
    if previous is not None and current != previous:
        return (
            f"currentBalance {balance.get('currentBalance')} != the newest transaction's balance {previous}"
        )
    return None


def check_balance_consistency(context: StandardContext) -> None:
    listing, balance_op = context.api.operation("listTransactions"), context.api.operation("getBalance")
    if listing is None or balance_op is None:
        return
    accounts = context.known.deposit_account_ids[:_DEPOSIT_ACCOUNTS_CHECKED]
    if not accounts:
        context.skip("getBalance", CHECK_BALANCE, "no deposit account known")
        return
    problems: list[tuple[str, httpx.Response]] = []
    for account in accounts:
        list_url = context.url(listing, {"accountId": account})
        balance_url = context.url(balance_op, {"accountId": account})
        if list_url is None or balance_url is None:
            continue
        start = (jst_today() - timedelta(days=3 * 366)).isoformat()
        try:
            transactions = walk(context, listing, list_url, {"dateFrom": start, "limit": "500"})
        except WalkError as error:
            problems.append((f"account {account}: {error}", error.response))
            continue
        balance = context.send(balance_op, balance_url, context.auth())
        if balance.status_code != 200:
            problems.append((f"account {account}: getBalance HTTP {balance.status_code}", balance))
            continue
        items = [i for i in transactions.items if isinstance(i, dict)]
        if (problem := _balance_of_account(context, items, balance.json())) is not None:
            page = transactions.pages[-1].response
            problems.append((f"account {account}: {problem}", balance))
            problems.append((f"account {account}: the newest page of transactions", page))
    context.verdict("getBalance", CHECK_BALANCE, problems)


def transfer_body(
    context: StandardContext, account_id: str, amount: int, days_ahead: int
) -> dict[str, Any] | None:
    """The spec's example createTransfer body from `account_id`, to the profile's payee when it has one."""
    for item in context.api.document.get("paths", {}).values():
        operation = item.get("post", {})
        if operation.get("operationId") != "createTransfer":
            continue
        content = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
        example = content.get("example")
        if not isinstance(example, dict):
            return None
        body: dict[str, Any] = copy.deepcopy(example)
        body["accountId"] = account_id
        body["transferDesignatedDate"] = (provider_today(context) + timedelta(days=days_ahead)).isoformat()
        body["transferAmount"] = str(amount)
        payee = context.target.profile.payee if context.target.profile else None
        if payee is not None:
            body["beneficiary"] = {
                "bankCode": payee.bank_code,
                "branchCode": payee.branch_code,
                "depositType": payee.deposit_type,
                "accountNumber": payee.account_number,
                "beneficiaryName": payee.name,
            }
        return body
    return None


class _Balances:
    """getBalance through the bank-inquiry API of the same deployment (the transfer API has none)."""

    def __init__(self, context: StandardContext) -> None:
        self.context = context
        root = context.target.roots.get(INQUIRY_API) or context.root
        self.base = f"{root}/banks/{context.target.bank_code}/accounts"

    def get(self, account_id: str) -> httpx.Response:
        return self.context.http.get(f"{self.base}/{account_id}/balance", headers=self.context.auth())

    def declared_limit(self, account_id: str) -> int | None:
        """The account's `transferLimitAmount` (getAccount), when the provider declares one."""
        response = self.context.http.get(f"{self.base}/{account_id}", headers=self.context.auth())
        if response.status_code != 200:
            return None
        return _amount(response.json().get("transferLimitAmount"))

    def amounts(self, response: httpx.Response) -> tuple[int | None, int | None] | None:
        if response.status_code != 200:
            return None
        body = response.json()
        return _amount(body.get("currentBalance")), _amount(body.get("withdrawableAmount"))


def _create(
    context: StandardContext, operation: TargetOperation, url: str, body: dict[str, Any]
) -> httpx.Response:
    headers = {**context.auth(), "Idempotency-Key": f"renkei-conformance-{uuid.uuid4().hex[:16]}"}
    return context.send(operation, url, headers, body=body)


def _cancel_if_created(context: StandardContext, response: httpx.Response) -> None:
    transfer_id = response.json().get("transferId") if response.status_code == 201 else None
    cancel = context.api.operation("cancelTransfer")
    if isinstance(transfer_id, str) and cancel is not None:
        url = context.url(cancel, {"transferId": transfer_id})
        if url is not None:
            context.send(cancel, url, context.auth())


def _refusal(
    context: StandardContext, check: str, body: dict[str, Any], what: str, balances: _Balances
) -> None:
    operation = context.api.operation("createTransfer")
    url = context.url(operation) if operation else None
    if operation is None or url is None:
        return
    account = str(body["accountId"])
    before = balances.get(account)
    response = _create(context, operation, url, body)
    problems: list[tuple[str, httpx.Response]] = []
    if response.status_code == 400 and body.get("transferDateHolidayCode") == "3":
        context.skip(
            "createTransfer", check, "today is not a business day at the provider (HTTP 400 for code 3)"
        )
        return
    if response.status_code != 422:
        problems.append((f"{what}: HTTP {response.status_code}, expected 422", response))
        _cancel_if_created(context, response)
    elif problem := error_body_problem(context, response):
        problems.append((problem, response))
    after = balances.get(account)
    if balances.amounts(before) is not None and balances.amounts(before) != balances.amounts(after):
        problems.append(
            (
                f"{what}: the balance changed from {balances.amounts(before)} to {balances.amounts(after)}",
                after,
            )
        )
    context.verdict("createTransfer", check, problems)


def _above_limit(context: StandardContext, balances: _Balances, account: str) -> str | None:
    """An amount above the per-transfer limit: the profile's, else the account's transferLimitAmount + 1."""
    profile_amounts = context.target.profile.amounts if context.target.profile else None
    if profile_amounts is not None and profile_amounts.above_transfer_limit is not None:
        return profile_amounts.above_transfer_limit
    declared = balances.declared_limit(account)
    return str(declared + 1) if declared is not None else None


def check_money(context: StandardContext) -> None:
    if context.api.operation("createTransfer") is None:
        return
    accounts = context.known.deposit_account_ids
    if not accounts:
        for check in (CHECK_OVERDRAFT, CHECK_LIMIT, CHECK_FEE):
            context.skip("createTransfer", check, "no deposit account known")
        return
    balances = _Balances(context)
    amounts = [(a, balances.amounts(balances.get(a))) for a in accounts]
    readable = [(a, pair[1]) for a, pair in amounts if pair is not None and pair[1] is not None]
    profile_amounts = context.target.profile.amounts if context.target.profile else None
    if not readable:
        context.skip("createTransfer", CHECK_OVERDRAFT, "no balance readable (give the bank-inquiry API too)")
    else:
        account, withdrawable = min(readable, key=lambda pair: pair[1] or 0)
        above = (
            int(profile_amounts.above_balance)
            if profile_amounts and profile_amounts.above_balance
            else (withdrawable or 0) + 1
        )
        limit_amount = _above_limit(context, balances, account)
        body = transfer_body(context, account, above, 0)
        if limit_amount is not None and above >= int(limit_amount):
            context.skip("createTransfer", CHECK_OVERDRAFT, f"every balance is above the limit ({above})")
        elif body is not None:
            body["transferDateHolidayCode"] = "3"
            _refusal(
                context,
                CHECK_OVERDRAFT,
                body,
                f"a same-day transfer of {above} above the available {withdrawable}",
                balances,
            )
    limit = _above_limit(context, balances, accounts[0])
    if limit is None:
        context.skip(
            "createTransfer",
            CHECK_LIMIT,
            "neither the profile (amounts.above_transfer_limit) nor getAccount (transferLimitAmount) "
            "gives a limit",
        )
    else:
        body = transfer_body(context, accounts[0], int(limit), 7)
        if body is not None:
            _refusal(
                context, CHECK_LIMIT, body, f"a transfer of {limit} above the per-transfer limit", balances
            )
    check_fee(context, accounts[0])


def check_fee(context: StandardContext, account: str) -> None:
    fee_op, create = context.api.operation("getTransferFee"), context.api.operation("createTransfer")
    if fee_op is None or create is None:
        return
    fee_url, create_url = context.url(fee_op), context.url(create)
    body = transfer_body(context, account, 100, 7)
    if fee_url is None or create_url is None or body is None:
        context.skip("getTransferFee", CHECK_FEE, "no bank code known")
        return
    quoted = context.send(fee_op, fee_url, context.auth(), body=body)
    if quoted.status_code != 200:
        context.fail(
            "getTransferFee", CHECK_FEE, f"fee check: HTTP {quoted.status_code}, expected 200", quoted
        )
        return
    created = _create(context, create, create_url, body)
    if created.status_code != 201:
        context.fail(
            "getTransferFee", CHECK_FEE, f"the same body as a transfer: HTTP {created.status_code}", created
        )
        return
    _cancel_if_created(context, created)
    quote, charge = quoted.json(), created.json()
    problems = []
    for name in ("fee", "totalDebitAmount"):
        if quote.get(name) != charge.get(name):
            problems.append(
                (
                    f"getTransferFee says {name} {quote.get(name)}, "
                    f"createTransfer charged {charge.get(name)}",
                    quoted,
                )
            )
    total = _amount(quote.get("totalDebitAmount"))
    if not problems and total != (_amount(quote.get("fee")) or 0) + 100:
        problems.append(
            (
                f"totalDebitAmount {quote.get('totalDebitAmount')}"
                f" != transferAmount 100 + fee {quote.get('fee')}",
                quoted,
            )
        )
    if problems:
        problems.append(("the transfer", created))
    context.verdict("getTransferFee", CHECK_FEE, problems)
