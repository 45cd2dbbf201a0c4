"""入出金明細 with the Zengin items over HTTP: 取引区分, the remitter of 振込 credits (seeded salary and a
transfer between sandbox customers), counts and 基準日時 on lists, 科目コード, 前月末残高, card-loan signs."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx
import pytest
from sandbox_flow import ALL_BANK_SCOPES, tokens_for
from sandbox_harness import TEST_TODAY, RunningSandbox
from sqlalchemy import select
from test_sandbox_api_transfers import beneficiary_of, create, ordinary_account, payee_body

from renkei_sandbox.db.models import Account, Customer
from renkei_sandbox.db.models.banking import ACCOUNT_KIND_CARD_LOAN
from renkei_sandbox.seed.names import EMPLOYERS

CATEGORIES = {"10", "11", "12", "13", "14", "15", "18", "19"}


@pytest.fixture(scope="module")
def demo01(sandbox: RunningSandbox) -> dict[str, str]:
    return tokens_for(sandbox, "demo01", ALL_BANK_SCOPES)


def _get(
    sandbox: RunningSandbox, tokens: dict[str, str], path: str, bank: str = "2963", **params: str
) -> Any:
    response = httpx.get(
        f"{sandbox.base_url}/v2/banks/{bank}/{path}",
        params=params,
        headers={"Authorization": f"Bearer {tokens['access_token']}"},
    )
    assert response.status_code == 200, response.text
    return response.json()


def _history(
    sandbox: RunningSandbox, tokens: dict[str, str], account_id: str, since: str, bank: str = "2963"
) -> list[Any]:
    rows: list[Any] = []
    params = {"dateFrom": since, "limit": "500"}
    while True:
        page = _get(sandbox, tokens, f"accounts/{account_id}/transactions", bank, **params)
        assert page["count"] == len(page["transactions"])
        rows += page["transactions"]
        if not page["hasNext"]:
            return rows
        params["cursor"] = page["nextCursor"]


def test_salary_credits_name_their_remitter_and_every_row_has_a_category(
    sandbox: RunningSandbox, demo01: dict[str, str]
) -> None:
    account = ordinary_account(sandbox, demo01)
    rows = _history(sandbox, demo01, account, "2026-05-01")
    assert rows and all(row["transactionCategory"] in CATEGORIES for row in rows)
    salary = [row for row in rows if row["remarks"].startswith("ｷﾕｳﾖ")]
    assert len(salary) >= 5
    for row in salary:
        assert row["transactionType"] == "1" and row["transactionCategory"] == "11"
        assert row["remitterName"] in EMPLOYERS
        assert row["remitterBankName"] and row["remitterBranchName"]
    atm = [row for row in rows if row["remarks"] == "ATM ｼﾊﾗｲ"]
    assert atm and {row["transactionCategory"] for row in atm} == {"10"}
    debits = [row for row in rows if row["remarks"].endswith("ﾘﾖｳｷﾝ")]
    assert debits and {row["transactionCategory"] for row in debits} == {"14"}
    # Only 振込 credits carry a remitter.
    assert all("remitterName" not in row for row in rows if row["transactionCategory"] != "11")
    assert all(int(row["amount"]) > 0 for row in rows)


def test_a_transfer_shows_its_remitter_and_edi_in_the_payees_history(
    sandbox: RunningSandbox, demo01: dict[str, str]
) -> None:
    account = ordinary_account(sandbox, demo01)
    payee = beneficiary_of(sandbox, "demo14")
    body = {**payee_body(account, 4_321, payee), "remitterName": "ﾛｳｷﾝ ｹﾝｻ", "ediInfo": "INV 0042"}
    created = create(sandbox, demo01["access_token"], "zengin-edi", body)
    assert created.status_code == 201, created.text
    demo14 = tokens_for(sandbox, "demo14", ALL_BANK_SCOPES)
    bank = payee["bankCode"]
    listed = httpx.get(
        f"{sandbox.base_url}/v2/banks/{bank}/accounts",
        headers={"Authorization": f"Bearer {demo14['access_token']}"},
    ).json()["accounts"]
    payee_id = next(a["accountId"] for a in listed if a["accountNumber"] == payee["accountNumber"])
    history = httpx.get(
        f"{sandbox.base_url}/v2/banks/{bank}/accounts/{payee_id}/transactions",
        params={"dateFrom": TEST_TODAY.isoformat()},
        headers={"Authorization": f"Bearer {demo14['access_token']}"},
    ).json()["transactions"]
    credit = next(row for row in history if row["amount"] == "4321")
    assert credit["transactionType"] == "1" and credit["transactionCategory"] == "11"
    assert credit["remitterName"] == "ﾛｳｷﾝ ｹﾝｻ"
    assert credit["remitterBankName"] == "ﾁﾕｳｵｳﾛｳｷﾝ"
    assert credit["ediInfo"] == "INV 0042"
    payer_rows = _history(sandbox, demo01, account, TEST_TODAY.isoformat())
    debit = next(row for row in payer_rows if row["amount"] == "4321")
    assert debit["transactionType"] == "2" and debit["transactionCategory"] == "11"


def test_lists_carry_count_and_as_of_and_accounts_their_type_codes(
    sandbox: RunningSandbox, demo01: dict[str, str]
) -> None:
    listed = _get(sandbox, demo01, "accounts")
    assert listed["count"] == len(listed["accounts"]) >= 2
    assert listed["asOf"].endswith("+09:00")
    codes = {a["accountCategory"]: a["accountTypeCode"] for a in listed["accounts"]}
    assert codes["deposit"] in {"01", "04"}
    for account in listed["accounts"]:
        expected = {"1": "01", "4": "04"}.get(account.get("depositType", ""), "61")
        assert account["accountTypeCode"] == expected
    transfers = _get(sandbox, demo01, "transfers", dateFrom="2026-01-01")
    assert transfers["count"] == len(transfers["transfers"])


def test_previous_month_balance_is_the_balance_at_the_end_of_last_month(
    sandbox: RunningSandbox, demo01: dict[str, str]
) -> None:
    account = ordinary_account(sandbox, demo01)
    balance = _get(sandbox, demo01, f"accounts/{account}/balance")
    assert balance["accountTypeCode"] == "01"
    month_start = TEST_TODAY.replace(day=1)
    before = [
        row
        for row in _history(sandbox, demo01, account, "2026-09-01")
        if date.fromisoformat(row["transactionDate"]) < month_start
    ]
    assert balance["previousMonthBalance"] == before[-1]["balance"]


def test_card_loan_rows_are_borrowing_debits_and_repayment_credits_with_negative_balances(
    sandbox: RunningSandbox,
) -> None:
    with sandbox.db.session() as session:
        found = session.execute(
            select(Customer.login_id, Customer.bank_code)
            .join(Account, Account.customer_id == Customer.id)
            .where(Account.kind == ACCOUNT_KIND_CARD_LOAN)
            .order_by(Customer.login_id)
        ).first()
    assert found is not None, "the seed gives some customers a card loan"
    login_id, bank = found
    tokens = tokens_for(sandbox, login_id, ALL_BANK_SCOPES)
    listed = _get(sandbox, tokens, "accounts", bank)["accounts"]
    loans = [a for a in listed if a["accountCategory"] == "card-loan"]
    rows = _history(sandbox, tokens, loans[0]["accountId"], "2026-01-01", bank)
    repayments = [row for row in rows if row["remarks"].endswith("ﾍﾝｻｲ")]
    assert repayments and all(row["transactionType"] == "1" for row in repayments)
    assert all(int(row["balance"]) <= 0 for row in rows)
    assert any(row["transactionType"] == "2" and row["transactionCategory"] == "10" for row in rows)
    balance = _get(sandbox, tokens, f"accounts/{loans[0]['accountId']}/balance", bank)
    assert int(balance["currentBalance"]) == -int(balance["borrowedBalance"])


def test_currency_name_and_account_type_name_as_gmo_has_them(
    sandbox: RunningSandbox, demo01: dict[str, str]
) -> None:
    accounts = _get(sandbox, demo01, "accounts")["accounts"]
    assert accounts and all(a["currencyName"] == "円" for a in accounts)
    account = accounts[0]
    balance = _get(sandbox, demo01, f"accounts/{account['accountId']}/balance")
    assert balance["accountTypeName"] == account["accountTypeName"] and balance["currencyName"] == "円"
    page = _get(sandbox, demo01, f"accounts/{account['accountId']}/transactions")
    assert page["currencyName"] == "円"
