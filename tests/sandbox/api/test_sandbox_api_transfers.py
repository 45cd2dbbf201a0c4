"""bank-transfer over HTTP: idempotency, fee pre-check, cancel, name inquiry, 50 concurrent clients."""

from __future__ import annotations

import random
import threading
from typing import Any

import httpx
import pytest
from sandbox_flow import ALL_BANK_SCOPES, tokens_for
from sandbox_harness import TEST_TODAY, RunningSandbox
from sandbox_principals import money_in_system
from sqlalchemy import func, select

from renkei_sandbox.db.models import Account, Branch, Customer, Transfer


def ordinary_account(sandbox: RunningSandbox, tokens: dict[str, str]) -> str:
    response = httpx.get(
        f"{sandbox.base_url}/v2/banks/2963/accounts",
        headers={"Authorization": f"Bearer {tokens['access_token']}"},
    )
    return next(a["accountId"] for a in response.json()["accounts"] if a.get("depositType") == "1")


def beneficiary_of(sandbox: RunningSandbox, login_id: str) -> dict[str, str]:
    with sandbox.db.session() as session:
        account, branch = session.execute(
            select(Account, Branch)
            .join(Branch, Account.branch_id == Branch.id)
            .join(Customer, Account.customer_id == Customer.id)
            .where(Customer.login_id == login_id, Account.deposit_type == "1")
        ).one()
        return {
            "bankCode": branch.bank_code,
            "branchCode": branch.branch_code,
            "depositType": "1",
            "accountNumber": account.account_number,
            "beneficiaryName": account.holder_name_kana,
        }


EXTERNAL = {
    "bankCode": "0005",
    "branchCode": "001",
    "depositType": "1",
    "accountNumber": "1234567",
    "beneficiaryName": "ﾃｽﾄ ﾀﾛｳ",
}


def payee_body(
    account_id: str, amount: int, beneficiary: dict[str, str] | None = None, day: str | None = None
) -> dict[str, Any]:
    return {
        "accountId": account_id,
        "transferDesignatedDate": day or TEST_TODAY.isoformat(),
        "beneficiary": beneficiary or EXTERNAL,
        "transferAmount": str(amount),
    }


def create(
    sandbox: RunningSandbox,
    token: str,
    key: str | None,
    body: dict[str, Any],
    client: httpx.Client | None = None,
) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"}
    if key is not None:
        headers["Idempotency-Key"] = key
    poster = client.post if client is not None else httpx.post
    return poster(f"{sandbox.base_url}/v2/banks/2963/transfers", json=body, headers=headers, timeout=60)


@pytest.fixture(scope="module")
def demo01(sandbox: RunningSandbox) -> dict[str, str]:
    return tokens_for(sandbox, "demo01", ALL_BANK_SCOPES)


def test_idempotency_rules_over_http(sandbox: RunningSandbox, demo01: dict[str, str]) -> None:
    token = demo01["access_token"]
    account = ordinary_account(sandbox, demo01)
    first = create(sandbox, token, "http-1", payee_body(account, 1_500))
    assert first.status_code == 201, first.text
    assert first.json()["status"] == "completed"
    again = create(sandbox, token, "http-1", payee_body(account, 1_500))
    assert again.status_code == 201
    assert again.json()["transferId"] == first.json()["transferId"]
    other = create(sandbox, token, "http-1", payee_body(account, 1_501))
    assert other.status_code == 422
    missing = create(sandbox, token, None, payee_body(account, 1_500))
    assert missing.status_code == 400
    assert create(sandbox, token, "x" * 41, payee_body(account, 1_500)).status_code == 400


def test_fee_check_name_inquiry_and_cancel(sandbox: RunningSandbox, demo01: dict[str, str]) -> None:
    token = demo01["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    account = ordinary_account(sandbox, demo01)
    fee = httpx.post(
        f"{sandbox.base_url}/v2/banks/2963/transfer-fees", json=payee_body(account, 50_000), headers=headers
    )
    assert fee.status_code == 200, fee.text
    assert fee.json()["fee"] == "330"
    assert fee.json()["totalDebitAmount"] == "50330"
    payee = beneficiary_of(sandbox, "demo02")
    inquiry = {"accountId": account, **{k: v for k, v in payee.items() if k != "beneficiaryName"}}
    name = httpx.post(
        f"{sandbox.base_url}/v2/banks/2963/account-name-inquiries", json=inquiry, headers=headers
    )
    assert name.status_code == 200, name.text
    assert name.json()["beneficiaryName"] == payee["beneficiaryName"]
    scheduled = create(sandbox, token, "http-cancel", payee_body(account, 100, day="2026-11-24"))
    assert scheduled.json()["status"] == "scheduled"
    transfer_id = scheduled.json()["transferId"]
    cancel = httpx.post(f"{sandbox.base_url}/v2/banks/2963/transfers/{transfer_id}/cancel", headers=headers)
    assert cancel.status_code == 200
    assert cancel.json()["status"] == "cancelled"
    twice = httpx.post(f"{sandbox.base_url}/v2/banks/2963/transfers/{transfer_id}/cancel", headers=headers)
    assert twice.status_code == 409
    listed = httpx.get(
        f"{sandbox.base_url}/v2/banks/2963/transfers", params={"dateFrom": "2026-01-01"}, headers=headers
    ).json()
    assert transfer_id in {t["transferId"] for t in listed["transfers"]}


def test_fifty_concurrent_http_clients_retrying_never_run_a_transfer_twice(
    sandbox: RunningSandbox, demo01: dict[str, str]
) -> None:
    token = demo01["access_token"]
    account = ordinary_account(sandbox, demo01)
    internal = beneficiary_of(sandbox, "demo14")
    bodies = {f"http-race-{i}": payee_body(account, 700 + i, internal if i % 2 else None) for i in range(8)}
    total_before = money_in_system(sandbox.db)
    outcomes: dict[str, set[str]] = {key: set() for key in bodies}
    statuses: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def worker(seed: int) -> None:
        order = list(bodies)
        random.Random(seed).shuffle(order)
        try:
            with httpx.Client(timeout=60) as client:
                for key in order:
                    for _ in range(200):
                        response = create(sandbox, token, key, bodies[key], client)
                        with lock:
                            statuses.append(response.status_code)
                        if response.status_code == 409:
                            continue
                        assert response.status_code == 201, response.text
                        with lock:
                            outcomes[key].add(response.json()["transferId"])
                        break
                    else:
                        raise AssertionError(f"{key} never completed")
                    assert money_in_system(sandbox.db) == total_before
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(seed,)) for seed in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=240)
    assert not errors, errors[:3]
    assert all(len(ids) == 1 for ids in outcomes.values()), outcomes
    assert set(statuses) <= {201, 409}
    with sandbox.db.session() as session:
        made = session.scalar(
            select(func.count())
            .select_from(Transfer)
            .where(Transfer.transfer_id.in_({i for ids in outcomes.values() for i in ids}))
        )
    assert made == len(bodies)
    assert money_in_system(sandbox.db) == total_before
