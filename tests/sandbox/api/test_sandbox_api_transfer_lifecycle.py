"""The transfer lifecycle on the wire: a returned transfer (振込不能 → 資金返却) with its coded reason and
Japanese message, the payee bank and branch names, totalDebitAmount, and a failed scheduled transfer."""

from __future__ import annotations

import httpx
import pytest
from sandbox_flow import ALL_BANK_SCOPES, tokens_for
from sandbox_harness import RunningSandbox
from test_sandbox_api_transfers import beneficiary_of, create, ordinary_account, payee_body

from renkei_sandbox.services import transfer_outcomes
from renkei_sandbox.services.due_transfers import run_due_transfers


@pytest.fixture(scope="module")
def demo01(sandbox: RunningSandbox) -> dict[str, str]:
    return tokens_for(sandbox, "demo01", ALL_BANK_SCOPES)


def _get(sandbox: RunningSandbox, tokens: dict[str, str], transfer_id: str) -> httpx.Response:
    return httpx.get(
        f"{sandbox.base_url}/v2/banks/2963/transfers/{transfer_id}",
        headers={"Authorization": f"Bearer {tokens['access_token']}"},
    )


def test_a_transfer_the_payee_bank_returns(sandbox: RunningSandbox, demo01: dict[str, str]) -> None:
    account = ordinary_account(sandbox, demo01)
    payee = {
        "bankCode": "0005",
        "branchCode": "001",
        "depositType": "1",
        "accountNumber": transfer_outcomes.RETURNED_ACCOUNT_NUMBER,
        "beneficiaryName": "ﾍﾝｷﾔｸ ﾀﾛｳ",
    }
    created = create(sandbox, demo01["access_token"], "life-returned", payee_body(account, 1_200, payee))
    assert created.status_code == 201, created.text
    body = _get(sandbox, demo01, created.json()["transferId"]).json()
    assert body["status"] == "returned"
    assert body["failureReason"] == "beneficiary_account_closed"
    assert body["failureMessage"] == "受取人の口座が解約されています。"
    assert body["returnedAt"].endswith("+09:00") and body["completedAt"].endswith("+09:00")
    assert body["totalDebitAmount"] == str(1_200 + int(body["fee"]))
    assert "totalAmount" not in body and "beneficiaryBankName" not in body  # 0005 is no sandbox bank
    cancel = httpx.post(
        f"{sandbox.base_url}/v2/banks/2963/transfers/{body['transferId']}/cancel",
        headers={"Authorization": f"Bearer {demo01['access_token']}"},
    )
    assert cancel.status_code == 409 and cancel.json()["errorCode"] == "transfer_not_cancellable"


def test_a_transfer_to_a_sandbox_bank_names_the_bank_and_branch(
    sandbox: RunningSandbox, demo01: dict[str, str]
) -> None:
    account = ordinary_account(sandbox, demo01)
    payee = beneficiary_of(sandbox, "demo02")
    created = create(sandbox, demo01["access_token"], "life-names", payee_body(account, 300, payee))
    body = _get(sandbox, demo01, created.json()["transferId"]).json()
    assert body["status"] == "completed"
    assert body["beneficiaryBankName"].endswith("労働金庫")
    assert body["beneficiaryBankNameKana"].endswith("ﾛｳｷﾝ")
    assert body["beneficiaryBranchName"] and body["beneficiaryBranchNameKana"]


def test_an_arranged_failure_shows_as_failed_with_its_code(
    sandbox: RunningSandbox, demo01: dict[str, str]
) -> None:
    account = ordinary_account(sandbox, demo01)
    scheduled = create(
        sandbox, demo01["access_token"], "life-fail", payee_body(account, 500, day="2026-11-24")
    )
    transfer_id = scheduled.json()["transferId"]
    assert scheduled.json()["status"] == "scheduled"
    with sandbox.db.write_session() as session, session.begin():
        transfer_outcomes.arrange_failure(session, transfer_id, "payer_account_restricted")
    from datetime import date

    run_due_transfers(sandbox.db, date(2026, 11, 24))
    body = _get(sandbox, demo01, transfer_id).json()
    assert (body["status"], body["failureReason"]) == ("failed", "payer_account_restricted")
    assert body["failureMessage"] == "支払口座が取引制限中です。"
