"""bank-inquiry over HTTP through the generated router: accounts, balances, history and pagination."""

from __future__ import annotations

import uuid

import httpx
import pytest
from sandbox_flow import ALL_BANK_SCOPES, tokens_for
from sandbox_harness import RunningSandbox


@pytest.fixture(scope="module")
def demo01(sandbox: RunningSandbox) -> dict[str, str]:
    return tokens_for(sandbox, "demo01", ALL_BANK_SCOPES)


def get(sandbox: RunningSandbox, token: str, path: str, **params: object) -> httpx.Response:
    return httpx.get(
        f"{sandbox.base_url}/v2{path}", params=params, headers={"Authorization": f"Bearer {token}"}
    )


def test_accounts_balance_and_interaction_id(sandbox: RunningSandbox, demo01: dict[str, str]) -> None:
    interaction = str(uuid.uuid4())
    response = httpx.get(
        f"{sandbox.base_url}/v2/banks/2963/accounts",
        headers={"Authorization": f"Bearer {demo01['access_token']}", "x-fapi-interaction-id": interaction},
    )
    assert response.status_code == 200
    assert response.headers["x-fapi-interaction-id"] == interaction
    accounts = response.json()["accounts"]
    assert accounts and all(a["bankCode"] == "2963" for a in accounts)
    ordinary = next(a for a in accounts if a.get("depositType") == "1")
    balance = get(sandbox, demo01["access_token"], f"/banks/2963/accounts/{ordinary['accountId']}/balance")
    assert balance.status_code == 200
    body = balance.json()
    assert body["currentBalance"].lstrip("-").isdigit()
    assert body["asOf"].endswith("+09:00")
    fresh = get(sandbox, demo01["access_token"], "/banks/2963/accounts")
    assert uuid.UUID(fresh.headers["x-fapi-interaction-id"])


def test_an_interaction_id_that_is_not_a_uuid_is_a_400(
    sandbox: RunningSandbox, demo01: dict[str, str]
) -> None:
    # The spec declares x-fapi-interaction-id as `format: uuid`; anything else is refused, not replaced.
    response = httpx.get(
        f"{sandbox.base_url}/v2/banks/2963/accounts",
        headers={"Authorization": f"Bearer {demo01['access_token']}", "x-fapi-interaction-id": "not-a-uuid"},
    )
    assert response.status_code == 400
    assert response.json()["errorCode"] == "invalid_request"
    assert response.json()["errorDetails"][0]["errorDetailsField"] == "header.x-fapi-interaction-id"
    assert uuid.UUID(response.headers["x-fapi-interaction-id"])


def test_transaction_pages_cover_the_window_exactly_once_in_order(
    sandbox: RunningSandbox, demo01: dict[str, str]
) -> None:
    token = demo01["access_token"]
    accounts = get(sandbox, token, "/banks/2963/accounts").json()["accounts"]
    account = next(a["accountId"] for a in accounts if a.get("depositType") == "1")
    path = f"/banks/2963/accounts/{account}/transactions"
    everything = get(sandbox, token, path, dateFrom="2025-11-01", dateTo="2026-11-20", limit=500).json()
    assert not everything["hasNext"]
    expected = [t["transactionId"] for t in everything["transactions"]]
    assert len(expected) > 30
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, object] = {"dateFrom": "2025-11-01", "dateTo": "2026-11-20", "limit": 7}
        if cursor:
            params["cursor"] = cursor
        page = get(sandbox, token, path, **params).json()
        seen.extend(t["transactionId"] for t in page["transactions"])
        if not page["hasNext"]:
            assert "nextCursor" not in page
            break
        cursor = page["nextCursor"]
    assert seen == expected
    keys = [(t["transactionDate"], t["transactionId"]) for t in everything["transactions"]]
    assert keys == sorted(keys)


def test_date_window_rules(sandbox: RunningSandbox, demo01: dict[str, str]) -> None:
    token = demo01["access_token"]
    account = get(sandbox, token, "/banks/2963/accounts").json()["accounts"][0]["accountId"]
    path = f"/banks/2963/accounts/{account}/transactions"
    reversed_window = get(sandbox, token, path, dateFrom="2026-10-02", dateTo="2026-10-01")
    assert reversed_window.status_code == 400
    assert reversed_window.json()["errorCode"] == "invalid_request"
    only_to = get(sandbox, token, path, dateTo="2026-01-31", limit=1).json()
    assert only_to["dateTo"] == "2026-01-31"
    assert only_to["dateFrom"] <= "2025-12-01"
    bad_cursor = get(sandbox, token, path, cursor="not-a-cursor")
    assert bad_cursor.status_code == 400
    too_many = get(sandbox, token, path, limit=501)
    assert too_many.status_code == 400


def test_missing_revoked_or_underscoped_tokens(sandbox: RunningSandbox) -> None:
    assert httpx.get(f"{sandbox.base_url}/v2/banks/2963/accounts").status_code == 401
    assert get(sandbox, "not-a-token", "/banks/2963/accounts").status_code == 401
    narrow = tokens_for(sandbox, "demo01", "accounts:read")
    account = get(sandbox, narrow["access_token"], "/banks/2963/accounts").json()["accounts"][0]["accountId"]
    forbidden = get(sandbox, narrow["access_token"], f"/banks/2963/accounts/{account}/balance")
    assert forbidden.status_code == 403
    # A refresh token is not an access token.
    assert get(sandbox, narrow["refresh_token"], "/banks/2963/accounts").status_code == 401
    httpx.post(
        f"{sandbox.base_url}/oauth/revoke",
        data={"token": narrow["access_token"]},
        auth=(sandbox.client.client_id, sandbox.client.client_secret),
    )
    assert get(sandbox, narrow["access_token"], "/banks/2963/accounts").status_code == 401


def test_routing_errors_and_an_encoded_slash(sandbox: RunningSandbox, demo01: dict[str, str]) -> None:
    """The three APIs share one router under /v2: unknown paths and methods get the standard body, and an
    account id holding an encoded `/` reaches validation as one parameter (not a 404 for a longer path)."""
    headers = {"Authorization": f"Bearer {demo01['access_token']}"}
    missing = httpx.get(f"{sandbox.base_url}/v2/banks/2963/nothing", headers=headers)
    assert (missing.status_code, missing.json()["errorCode"]) == (404, "not_found")
    wrong = httpx.delete(f"{sandbox.base_url}/v2/banks/2963/accounts", headers=headers)
    assert (wrong.status_code, wrong.json()["errorCode"]) == (405, "method_not_allowed")
    assert set(wrong.headers["allow"].split(", ")) == {"GET", "HEAD"}
    slash = httpx.get(
        f"{sandbox.base_url}/v2/banks/2963/accounts/2963%2F00112345670/balance", headers=headers
    )
    assert slash.status_code == 400
    assert slash.json()["errorDetails"][0]["errorDetailsField"] == "path.accountId"
    for api_path in ("/banks/2963/accounts", "/banks/2963/transfers?dateFrom=2026-01-01", "/cards"):
        status = httpx.get(f"{sandbox.base_url}/v2{api_path}", headers=headers).status_code
        assert status not in (404, 405), api_path
