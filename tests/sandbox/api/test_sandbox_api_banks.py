"""The bank directory over HTTP (GET /banks, GET /banks/{bankCode}: public, no token) and 403
api_not_offered for the transfer operations of a bank whose 資金移動系 is only planned (2997)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sandbox_flow import ALL_BANK_SCOPES, tokens_for
from sandbox_harness import RunningSandbox
from test_sandbox_api_transfers import payee_body

from renkei_bank_inquiry import models

LABOUR_BANK_CODES = [
    "2951", "2954", "2963", "2965", "2966", "2968", "2970", "2972", "2978", "2984", "2987", "2990", "2997",
]  # fmt: skip


def _get(sandbox: RunningSandbox, path: str, **headers: str) -> httpx.Response:
    return httpx.get(f"{sandbox.base_url}/v2{path}", headers=headers)


def test_the_directory_lists_the_13_labour_banks_without_a_token(sandbox: RunningSandbox) -> None:
    response = _get(sandbox, "/banks")
    assert response.status_code == 200, response.text
    assert response.headers["x-fapi-interaction-id"]
    body = response.json()
    models.BankList.model_validate(body)  # the spec's shape, strictly
    assert [bank["bankCode"] for bank in body["banks"]] == LABOUR_BANK_CODES
    assert body["count"] == 13 and body["asOf"].endswith("+09:00")
    chuo = next(bank for bank in body["banks"] if bank["bankCode"] == "2963")
    assert (chuo["bankName"], chuo["bankNameKana"]) == ("中央労働金庫", "ﾁﾕｳｵｳﾛｳｷﾝ")
    assert {(k["accountTypeName"], k["accountCategory"]) for k in chuo["accountKinds"]} == {
        ("普通預金", "deposit"),
        ("貯蓄預金", "deposit"),
        ("カードローン", "card-loan"),
    }
    assert chuo["businessDays"]["closedDates"] == ["12-31", "01-01", "01-02", "01-03"]
    assert chuo["businessDays"]["maxDaysAhead"] == 30
    assert chuo["maintenanceWindows"][0]["recurrence"] == "weekly"


def test_every_bank_offers_inquiry_and_okinawa_has_transfers_only_planned(sandbox: RunningSandbox) -> None:
    banks = _get(sandbox, "/banks").json()["banks"]
    for bank in banks:
        apis = {api["api"]: api for api in bank["apis"]}
        assert apis["bank-inquiry"]["status"] == "offered"
        expected = "planned" if bank["bankCode"] == "2997" else "offered"
        assert apis["bank-transfer"]["status"] == expected, bank["bankCode"]
    okinawa = _get(sandbox, "/banks/2997").json()
    planned = next(api for api in okinawa["apis"] if api["api"] == "bank-transfer")
    assert planned["availableFrom"] == "2027-04-01"
    assert okinawa["bankName"] == "沖縄県労働金庫"


@pytest.mark.parametrize("code", ["2950", "0005", "9999"])
def test_a_bank_the_platform_does_not_serve_is_404(sandbox: RunningSandbox, code: str) -> None:
    response = _get(sandbox, f"/banks/{code}")
    assert response.status_code == 404
    assert response.json()["errorCode"] == "not_found"


def test_a_malformed_bank_code_is_400(sandbox: RunningSandbox) -> None:
    response = _get(sandbox, "/banks/29A3")
    assert response.status_code == 400
    assert response.json()["errorCode"] == "invalid_request"


def test_a_bad_token_does_not_matter_on_a_public_operation(sandbox: RunningSandbox) -> None:
    response = _get(sandbox, "/banks/2963", Authorization="Bearer not-a-token")
    assert response.status_code == 200


@pytest.fixture(scope="module")
def okinawa_customer(sandbox: RunningSandbox) -> dict[str, str]:
    return tokens_for(sandbox, "demo11", ALL_BANK_SCOPES)  # demo11 banks at 2997 (README's rotation)


def _ordinary(sandbox: RunningSandbox, tokens: dict[str, str]) -> str:
    response = httpx.get(
        f"{sandbox.base_url}/v2/banks/2997/accounts",
        headers={"Authorization": f"Bearer {tokens['access_token']}"},
    )
    assert response.status_code == 200, response.text  # inquiry is offered
    return str(next(a["accountId"] for a in response.json()["accounts"] if a["accountCategory"] == "deposit"))


def test_transfer_operations_at_a_bank_without_transfers_are_403_api_not_offered(
    sandbox: RunningSandbox, okinawa_customer: dict[str, str]
) -> None:
    account = _ordinary(sandbox, okinawa_customer)
    auth = {"Authorization": f"Bearer {okinawa_customer['access_token']}"}
    base = f"{sandbox.base_url}/v2/banks/2997"
    body: dict[str, Any] = payee_body(account, 1000)
    calls = [
        httpx.post(f"{base}/transfer-fees", json=body, headers=auth),
        httpx.post(f"{base}/transfers", json=body, headers={**auth, "Idempotency-Key": "k-2997-1"}),
        httpx.get(f"{base}/transfers", headers=auth),
        httpx.get(f"{base}/transfers/0000000000000001", headers=auth),
        httpx.post(f"{base}/transfers/0000000000000001/cancel", headers=auth),
        httpx.post(
            f"{base}/account-name-inquiries",
            json={
                "accountId": account,
                **{k: v for k, v in body["beneficiary"].items() if k != "beneficiaryName"},
            },
            headers=auth,
        ),
    ]
    for response in calls:
        assert response.status_code == 403, (response.request.url, response.text)
        assert response.json()["errorCode"] == "api_not_offered"
        assert response.json()["errorMessage"].startswith("この金融機関は")


def test_a_missing_token_is_still_401_before_api_not_offered(sandbox: RunningSandbox) -> None:
    response = httpx.get(f"{sandbox.base_url}/v2/banks/2997/transfers")
    assert response.status_code == 401
