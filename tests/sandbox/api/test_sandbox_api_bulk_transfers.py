"""一括振込 over HTTP: per-item results in itemId order, no money created or lost when some items fail (the
sum of all balances and general-ledger legs is unchanged; refused items leave no transfer and no posting),
the 99-item bound, duplicate item ids, replay with the same Idempotency-Key. The sandbox tests run again on
PostgreSQL when RENKEI_TEST_POSTGRES_URL is set (`make test`: DATABASE_URL)."""

from __future__ import annotations

import threading
from typing import Any

import httpx
import pytest
from sandbox_flow import ALL_BANK_SCOPES, tokens_for
from sandbox_harness import TEST_TODAY, RunningSandbox
from sandbox_principals import money_in_system
from sqlalchemy import func, select
from test_sandbox_api_transfers import EXTERNAL, beneficiary_of, ordinary_account

from renkei_bank_transfer import models
from renkei_sandbox.db.models import Account, LedgerEntry, Transfer


@pytest.fixture(scope="module")
def demo01(sandbox: RunningSandbox) -> dict[str, str]:
    return tokens_for(sandbox, "demo01", ALL_BANK_SCOPES)


def _bulk(sandbox: RunningSandbox, tokens: dict[str, str], key: str, body: dict[str, Any]) -> httpx.Response:
    return httpx.post(
        f"{sandbox.base_url}/v2/banks/2963/bulk-transfers",
        json=body,
        headers={"Authorization": f"Bearer {tokens['access_token']}", "Idempotency-Key": key},
        timeout=60,
    )


def _item(item_id: str, amount: int, beneficiary: dict[str, str]) -> dict[str, Any]:
    return {"itemId": item_id, "beneficiary": beneficiary, "transferAmount": str(amount)}


def _balance(sandbox: RunningSandbox, account_id: str) -> int:
    with sandbox.db.session() as session:
        value = session.scalar(select(Account.balance).where(Account.account_id == account_id))
        assert value is not None
        return value


def _counts(sandbox: RunningSandbox) -> tuple[int, int]:
    with sandbox.db.session() as session:
        transfers = session.scalar(select(func.count()).select_from(Transfer)) or 0
        legs = session.scalar(select(func.count()).select_from(LedgerEntry)) or 0
        return transfers, legs


def test_some_items_fail_and_no_money_is_created_or_lost(
    sandbox: RunningSandbox, demo01: dict[str, str]
) -> None:
    account = ordinary_account(sandbox, demo01)
    neighbour = beneficiary_of(sandbox, "demo14")  # same bank (2963): an internal credit
    unknown = {**neighbour, "accountNumber": "0000001", "beneficiaryName": "ﾀﾞﾚﾓｲﾅｲ"}
    before_total, before_payer = money_in_system(sandbox.db), _balance(sandbox, account)
    before_transfers, before_legs = _counts(sandbox)
    body = {
        "accountId": account,
        "transferDesignatedDate": TEST_TODAY.isoformat(),
        # sent out of order: results come back in itemId order
        "items": [
            _item("3", 2_000, neighbour),
            _item("1", 1_000, EXTERNAL),
            _item("2", 500, unknown),  # beneficiary_not_found
            _item("4", 1_000_001, EXTERNAL),  # above the per-transfer limit
            _item("5", 300, neighbour),
        ],
    }
    response = _bulk(sandbox, demo01, "bulk-1", body)
    assert response.status_code == 201, response.text
    result = response.json()
    models.BulkTransferResult.model_validate(result)
    assert [item["itemId"] for item in result["items"]] == ["1", "2", "3", "4", "5"]
    outcome = {item["itemId"]: item for item in result["items"]}
    assert [outcome[i]["result"] for i in "12345"] == [
        "accepted",
        "rejected",
        "accepted",
        "rejected",
        "accepted",
    ]
    assert outcome["2"]["errorCode"] == "beneficiary_not_found" and "transfer" not in outcome["2"]
    assert outcome["4"]["errorCode"] == "transfer_limit_exceeded" and outcome["4"]["errorMessage"]
    assert (result["itemCount"], result["acceptedCount"], result["rejectedCount"]) == (5, 3, 2)
    accepted = [outcome[i]["transfer"] for i in "135"]
    assert int(result["totalTransferAmount"]) == 3_300
    assert int(result["totalFee"]) == sum(int(t["fee"]) for t in accepted)
    assert int(result["totalDebitAmount"]) == 3_300 + int(result["totalFee"])
    # the money: the payer lost exactly the accepted debits, the system as a whole nothing
    assert _balance(sandbox, account) == before_payer - int(result["totalDebitAmount"])
    assert money_in_system(sandbox.db) == before_total
    after_transfers, after_legs = _counts(sandbox)
    assert after_transfers == before_transfers + 3  # refused items left no transfer
    assert after_legs > before_legs
    for transfer in accepted:  # each is an ordinary transfer, readable on its own
        one = httpx.get(
            f"{sandbox.base_url}/v2/banks/2963/transfers/{transfer['transferId']}",
            headers={"Authorization": f"Bearer {demo01['access_token']}"},
        )
        assert one.status_code == 200 and one.json()["transferAmount"] == transfer["transferAmount"]
    # replay: the same outcome, no second debit
    again = _bulk(sandbox, demo01, "bulk-1", body)
    assert again.status_code == 201
    assert [i.get("transfer", {}).get("transferId") for i in again.json()["items"]] == [
        i.get("transfer", {}).get("transferId") for i in result["items"]
    ]
    assert [i.get("errorCode") for i in again.json()["items"]] == [
        i.get("errorCode") for i in result["items"]
    ]
    assert _balance(sandbox, account) == before_payer - int(result["totalDebitAmount"])
    assert _counts(sandbox)[0] == after_transfers
    # the same key with another body: 422
    other = _bulk(sandbox, demo01, "bulk-1", {**body, "items": body["items"][:1]})
    assert other.status_code == 422 and other.json()["errorCode"] == "idempotency_key_reused"


def test_a_later_item_sees_the_balance_after_the_earlier_ones(sandbox: RunningSandbox) -> None:
    tokens = tokens_for(sandbox, "demo02", ALL_BANK_SCOPES)
    response = httpx.get(
        f"{sandbox.base_url}/v2/banks/2965/accounts",
        headers={"Authorization": f"Bearer {tokens['access_token']}"},
    )
    account = next(a["accountId"] for a in response.json()["accounts"] if a.get("depositType") == "1")
    balance = _balance(sandbox, account)
    per_item = balance // 2 + 1  # two of them cannot both fit
    if per_item > 1_000_000:
        pytest.skip("demo02's balance is above twice the per-transfer limit")
    before_total = money_in_system(sandbox.db)
    body = {
        "accountId": account,
        "transferDesignatedDate": TEST_TODAY.isoformat(),
        "items": [_item(str(i), per_item, EXTERNAL) for i in (1, 2, 3)],
    }
    result = httpx.post(
        f"{sandbox.base_url}/v2/banks/2965/bulk-transfers",
        json=body,
        headers={"Authorization": f"Bearer {tokens['access_token']}", "Idempotency-Key": "bulk-2"},
    ).json()
    codes = [item.get("errorCode") for item in result["items"]]
    assert result["items"][0]["result"] == "accepted", result
    assert set(codes[1:]) <= {"insufficient_funds", "daily_limit_exceeded"} and None not in codes[1:]
    assert _balance(sandbox, account) == balance - int(result["totalDebitAmount"]) >= 0
    assert money_in_system(sandbox.db) == before_total


def test_the_request_as_a_whole_is_checked_before_any_item(
    sandbox: RunningSandbox, demo01: dict[str, str]
) -> None:
    account = ordinary_account(sandbox, demo01)
    base = {"accountId": account, "transferDesignatedDate": TEST_TODAY.isoformat()}
    before = _counts(sandbox)
    too_many = _bulk(
        sandbox,
        demo01,
        "bulk-3",
        {**base, "items": [_item(str(i % 99 + 1), 1, EXTERNAL) for i in range(100)]},
    )
    assert too_many.status_code == 400
    duplicated = _bulk(
        sandbox, demo01, "bulk-4", {**base, "items": [_item("1", 1, EXTERNAL), _item("1", 2, EXTERNAL)]}
    )
    assert duplicated.status_code == 400 and duplicated.json()["errorCode"] == "invalid_request"
    past = _bulk(
        sandbox,
        demo01,
        "bulk-5",
        {**base, "transferDesignatedDate": "2026-11-01", "items": [_item("1", 1, EXTERNAL)]},
    )
    assert past.status_code == 400 and past.json()["errorCode"] == "invalid_transfer_date"
    foreign = _bulk(
        sandbox, demo01, "bulk-6", {**base, "accountId": "A" * 16, "items": [_item("1", 1, EXTERNAL)]}
    )
    assert foreign.status_code == 404
    missing_key = httpx.post(
        f"{sandbox.base_url}/v2/banks/2963/bulk-transfers",
        json={**base, "items": [_item("1", 1, EXTERNAL)]},
        headers={"Authorization": f"Bearer {demo01['access_token']}"},
    )
    assert missing_key.status_code == 400  # the generated validator: a required header (as createTransfer)
    assert _counts(sandbox) == before


def test_ninety_nine_items_are_accepted(sandbox: RunningSandbox, demo01: dict[str, str]) -> None:
    account = ordinary_account(sandbox, demo01)
    before_total = money_in_system(sandbox.db)
    body = {
        "accountId": account,
        "transferDesignatedDate": TEST_TODAY.isoformat(),
        "items": [_item(str(i), 10, EXTERNAL) for i in range(1, 100)],
    }
    response = _bulk(sandbox, demo01, "bulk-99", body)
    assert response.status_code == 201, response.text
    result = response.json()
    assert result["acceptedCount"] == 99 and result["rejectedCount"] == 0
    assert money_in_system(sandbox.db) == before_total


def test_concurrent_retries_of_one_bulk_run_it_once(sandbox: RunningSandbox, demo01: dict[str, str]) -> None:
    account = ordinary_account(sandbox, demo01)
    before_total, before_transfers = money_in_system(sandbox.db), _counts(sandbox)[0]
    body = {
        "accountId": account,
        "transferDesignatedDate": TEST_TODAY.isoformat(),
        "items": [_item(str(i), 100 + i, EXTERNAL) for i in range(1, 6)],
    }
    answers: list[httpx.Response] = []

    def send() -> None:
        for _ in range(20):  # a 409 (the key is busy) is retried, as a client would
            response = _bulk(sandbox, demo01, "bulk-concurrent", body)
            if response.status_code != 409:
                answers.append(response)
                return

    threads = [threading.Thread(target=send) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(answers) == 8 and {a.status_code for a in answers} == {201}
    ids = {tuple(i["transfer"]["transferId"] for i in a.json()["items"]) for a in answers}
    assert len(ids) == 1  # every answer names the same five transfers
    assert _counts(sandbox)[0] == before_transfers + 5
    assert money_in_system(sandbox.db) == before_total
