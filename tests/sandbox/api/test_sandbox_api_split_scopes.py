"""D10: scopes as narrow as the app's purpose. `payee-names:read` checks a payee's name and
`transfer-fees:read` a fee without any payment right; `transfers:cancel` is needed to cancel (and
`transfers:write` alone no longer cancels); `transfers:write` still allows the fee and name checks."""

from __future__ import annotations

from typing import Any

import httpx
from sandbox_flow import tokens_for
from sandbox_harness import TEST_TODAY, RunningSandbox
from test_sandbox_api_transfers import EXTERNAL, beneficiary_of, payee_body


def _account(sandbox: RunningSandbox, token: str) -> str:
    response = httpx.get(
        f"{sandbox.base_url}/v2/banks/2963/accounts", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200, response.text
    return str(next(a["accountId"] for a in response.json()["accounts"] if a.get("depositType") == "1"))


def _post(
    sandbox: RunningSandbox, token: str, path: str, body: dict[str, Any] | None, key: str = ""
) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"}
    if key:
        headers["Idempotency-Key"] = key
    return httpx.post(f"{sandbox.base_url}/v2/banks/2963/{path}", json=body, headers=headers, timeout=60)


def _name_body(account: str, payee: dict[str, str]) -> dict[str, str]:
    return {"accountId": account, **{k: v for k, v in payee.items() if k != "beneficiaryName"}}


def test_a_name_check_needs_no_payment_right(sandbox: RunningSandbox) -> None:
    token = tokens_for(sandbox, "demo01", "accounts:read payee-names:read")["access_token"]
    account = _account(sandbox, token)
    payee = beneficiary_of(sandbox, "demo14")
    named = _post(sandbox, token, "account-name-inquiries", _name_body(account, payee))
    assert named.status_code == 200, named.text
    assert named.json()["beneficiaryName"] == payee["beneficiaryName"]
    for path, key in (("transfer-fees", ""), ("transfers", "scope-1")):
        refused = _post(sandbox, token, path, payee_body(account, 1_000), key)
        assert refused.status_code == 403 and refused.json()["errorCode"] == "insufficient_scope"


def test_a_fee_check_needs_no_payment_right(sandbox: RunningSandbox) -> None:
    token = tokens_for(sandbox, "demo01", "accounts:read transfer-fees:read")["access_token"]
    account = _account(sandbox, token)
    fee = _post(sandbox, token, "transfer-fees", payee_body(account, 1_000))
    assert fee.status_code == 200, fee.text
    assert int(fee.json()["totalDebitAmount"]) == 1_000 + int(fee.json()["fee"])
    refused = _post(sandbox, token, "transfers", payee_body(account, 1_000), "scope-2")
    assert refused.status_code == 403


def test_write_alone_creates_checks_but_does_not_cancel(sandbox: RunningSandbox) -> None:
    token = tokens_for(sandbox, "demo01", "accounts:read transfers:write")["access_token"]
    account = _account(sandbox, token)
    assert _post(sandbox, token, "transfer-fees", payee_body(account, 1_000)).status_code == 200
    payee = beneficiary_of(sandbox, "demo14")
    assert _post(sandbox, token, "account-name-inquiries", _name_body(account, payee)).status_code == 200
    later = TEST_TODAY.replace(day=TEST_TODAY.day + 5).isoformat()
    made = _post(sandbox, token, "transfers", payee_body(account, 1_000, EXTERNAL, later), "scope-3")
    assert made.status_code == 201 and made.json()["status"] == "scheduled", made.text
    transfer_id = made.json()["transferId"]
    refused = _post(sandbox, token, f"transfers/{transfer_id}/cancel", None)
    assert refused.status_code == 403 and refused.json()["errorCode"] == "insufficient_scope"
    assert 'scope="transfers:cancel"' in refused.headers["www-authenticate"]
    canceller = tokens_for(sandbox, "demo01", "accounts:read transfers:cancel", share=[account])[
        "access_token"
    ]
    cancelled = _post(sandbox, canceller, f"transfers/{transfer_id}/cancel", None)
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["status"] == "cancelled"
