"""The money rules over HTTP: transfer amounts 1 … 9,999,999,999 (schema), limits on the account, the
transfer-date rules (400 with catalogued codes, D2), and the runtime's own errors: catalogued, Japanese."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest
from sandbox_flow import ALL_BANK_SCOPES, tokens_for
from sandbox_harness import TEST_TODAY, RunningSandbox
from test_sandbox_api_transfers import create, ordinary_account, payee_body


@pytest.fixture(scope="module")
def demo01(sandbox: RunningSandbox) -> dict[str, str]:
    return tokens_for(sandbox, "demo01", ALL_BANK_SCOPES)


def _japanese(text: str) -> bool:
    return any(ord(char) > 0x3000 for char in text)


def _detail_fields(response: httpx.Response) -> set[str]:
    return {d.get("errorDetailsField", "") for d in response.json().get("errorDetails", [])}


@pytest.mark.parametrize("amount", ["0", "-30000", "10000000000", "01", "1.5"])
def test_a_transfer_amount_outside_1_to_9999999999_is_400(
    sandbox: RunningSandbox, demo01: dict[str, str], amount: str
) -> None:
    account = ordinary_account(sandbox, demo01)
    body: dict[str, Any] = {**payee_body(account, 1), "transferAmount": amount}
    for path in ("transfers", "transfer-fees"):
        response = httpx.post(
            f"{sandbox.base_url}/v2/banks/2963/{path}",
            json=body,
            headers={"Authorization": f"Bearer {demo01['access_token']}", "Idempotency-Key": f"amt-{amount}"},
        )
        assert response.status_code == 400, response.text
        assert response.json()["errorCode"] == "invalid_request"
        assert "body.transferAmount" in _detail_fields(response)
        assert _japanese(response.json()["errorMessage"])


def test_the_largest_amount_passes_the_schema_and_meets_the_account_limit(
    sandbox: RunningSandbox, demo01: dict[str, str]
) -> None:
    account = ordinary_account(sandbox, demo01)
    response = create(sandbox, demo01["access_token"], "amt-max", payee_body(account, 9_999_999_999))
    assert response.status_code == 422, response.text
    assert response.json()["errorCode"] == "transfer_limit_exceeded"


def test_the_account_publishes_its_transfer_limits(sandbox: RunningSandbox, demo01: dict[str, str]) -> None:
    listed = httpx.get(
        f"{sandbox.base_url}/v2/banks/2963/accounts",
        headers={"Authorization": f"Bearer {demo01['access_token']}"},
    ).json()["accounts"]
    deposits = [a for a in listed if a["accountCategory"] == "deposit"]
    assert deposits
    for account in deposits:
        assert account["transferLimitAmount"] == "1000000"
        assert account["dailyTransferLimitAmount"] == "2000000"
    for account in listed:
        if account["accountCategory"] == "card-loan":
            assert "transferLimitAmount" not in account
    account_id = deposits[0]["accountId"]
    over = create(sandbox, demo01["access_token"], "amt-limit", payee_body(account_id, 1_000_001))
    assert over.status_code == 422
    assert over.json()["errorCode"] == "transfer_limit_exceeded"


@pytest.mark.parametrize(
    ("day", "holiday_code", "code"),
    [
        (TEST_TODAY - timedelta(days=1), None, "invalid_transfer_date"),
        (TEST_TODAY + timedelta(days=31), None, "invalid_transfer_date"),
        (TEST_TODAY + timedelta(days=2), "3", "not_business_day"),  # 2026-11-22 is a Sunday
    ],
)
def test_a_wrong_transfer_date_is_400_with_a_catalogued_code(
    sandbox: RunningSandbox, demo01: dict[str, str], day: Any, holiday_code: str | None, code: str
) -> None:
    account = ordinary_account(sandbox, demo01)
    body = payee_body(account, 1_000, day=day.isoformat())
    if holiday_code:
        body["transferDateHolidayCode"] = holiday_code
    response = create(sandbox, demo01["access_token"], f"date-{day}-{holiday_code}", body)
    assert response.status_code == 400, response.text
    assert response.json()["errorCode"] == code
    assert _japanese(response.json()["errorMessage"])


def test_the_runtime_answers_with_catalogued_codes_in_japanese(sandbox: RunningSandbox) -> None:
    no_token = httpx.get(f"{sandbox.base_url}/v2/banks/2963/accounts")
    assert no_token.status_code == 401
    assert no_token.json()["errorCode"] == "invalid_token"
    unknown = httpx.get(f"{sandbox.base_url}/v2/no-such-path")
    assert unknown.status_code == 404
    assert unknown.json()["errorCode"] == "not_found"
    wrong_method = httpx.delete(f"{sandbox.base_url}/v2/banks/2963/accounts")
    assert wrong_method.status_code == 405
    assert wrong_method.json()["errorCode"] == "method_not_allowed"
    for response in (no_token, unknown, wrong_method):
        assert _japanese(response.json()["errorMessage"]), response.text
