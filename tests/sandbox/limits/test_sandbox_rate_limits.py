"""Rate limits over real HTTP: 429 with `Retry-After` and `RateLimit` headers on the token, revocation and
introspection endpoints, the login form, name inquiries and fee checks; per client; over once
`Retry-After` has passed; shared through the database (a second app over the same database sees them).

The limits count by a clock the tests move (`RateLimits.clock`), so that waiting out a window costs nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from live_server import serve
from sandbox_flow import hidden, tokens_for
from sandbox_harness import TEST_TODAY, RunningSandbox, running_sandbox

from renkei_sandbox.limits.policies import Policy, RateLimits
from renkei_sandbox.oauth.clients import RegisteredClient

QUOTA = 4
WINDOW = 2


class MovableClock:
    """Seconds since the epoch that pass only when a test says so."""

    def __init__(self, start: float) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


CLOCK = MovableClock(1_800_000_000.0)
LIMITS = RateLimits(
    clock=CLOCK,
    token=Policy(QUOTA, WINDOW),
    revocation=Policy(QUOTA, WINDOW),
    introspection=Policy(QUOTA, WINDOW),
    login=Policy(QUOTA, WINDOW),
    name_inquiry=Policy(QUOTA, WINDOW),
    fee_check=Policy(QUOTA, WINDOW),
)
INQUIRY = {
    "accountId": "296300112345670",
    "bankCode": "0005",
    "branchCode": "123",
    "depositType": "1",
    "accountNumber": "0012345",
}
FEE_CHECK = {
    "accountId": "296300112345670",
    "transferDesignatedDate": "2026-11-25",
    "beneficiary": {
        "bankCode": "0005",
        "branchCode": "123",
        "depositType": "1",
        "accountNumber": "0012345",
        "beneficiaryName": "ｶ)ｱｵﾊﾞｼﾖｳｼﾞ",
    },
    "transferAmount": "30000",
}


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSandbox]:
    """A sandbox whose limits allow 4 requests per 2 s (logins and tokens are made before the limits bite)."""
    with running_sandbox(tmp_path_factory.mktemp("limits"), rate_limits=LIMITS) as running:
        yield running


def wait_for_a_fresh_window() -> None:
    """Start just after the beginning of a fixed window, once the sliding window forgot earlier tests."""
    CLOCK.advance(2 * WINDOW - CLOCK() % WINDOW + 0.05)


def wait(seconds: str) -> None:
    """Let `Retry-After` seconds pass."""
    CLOCK.advance(int(seconds) + 0.05)


def post_form(
    sandbox: RunningSandbox, path: str, data: dict[str, str], client: RegisteredClient
) -> httpx.Response:
    return httpx.post(f"{sandbox.base_url}{path}", data=data, auth=(client.client_id, client.client_secret))


def assert_limited(response: httpx.Response, name: str) -> int:
    """A 429 with the limit's headers; returns `Retry-After`."""
    assert response.status_code == 429, response.text
    retry_after = int(response.headers["retry-after"])
    assert 1 <= retry_after <= 2 * WINDOW
    assert response.headers["ratelimit-policy"] == f'"{name}";q={QUOTA};w={WINDOW}'
    assert re.fullmatch(rf'"{name}";r=0;t={retry_after}', response.headers["ratelimit"])
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    assert response.headers["x-fapi-interaction-id"]
    return retry_after


@pytest.mark.parametrize(
    ("path", "name", "data"),
    [
        ("/oauth/token", "token", {"grant_type": "refresh_token", "refresh_token": "unknown"}),
        ("/oauth/revoke", "revocation", {"token": "unknown"}),
        ("/oauth/introspect", "introspection", {"token": "unknown"}),
    ],
)
def test_authorization_server_endpoints_answer_429_per_client_until_retry_after(
    sandbox: RunningSandbox, path: str, name: str, data: dict[str, str]
) -> None:
    wait_for_a_fresh_window()
    answers = [post_form(sandbox, path, data, sandbox.client) for _ in range(QUOTA)]
    assert all(a.status_code in (200, 400) for a in answers), [a.text for a in answers]
    assert answers[-1].headers["ratelimit"].startswith(f'"{name}";r=0;')
    retry_after = assert_limited(post_form(sandbox, path, data, sandbox.client), name)
    limited = post_form(sandbox, path, data, sandbox.client)
    assert limited.json()["error"] == "too_many_requests"
    assert limited.headers["cache-control"] == "no-store"
    # Quotas are per client: the other client is not affected.
    assert post_form(sandbox, path, data, sandbox.other_client).status_code in (200, 400)
    wait(limited.headers["retry-after"])
    assert post_form(sandbox, path, data, sandbox.client).status_code in (200, 400)
    assert retry_after >= 1


def test_a_caller_failing_authentication_is_limited_per_source_address(sandbox: RunningSandbox) -> None:
    wait_for_a_fresh_window()
    wrong = RegisteredClient(sandbox.client.client_id, "wrong-secret", "x", [])
    data = {"grant_type": "refresh_token", "refresh_token": "unknown"}
    statuses = [post_form(sandbox, "/oauth/token", data, wrong).status_code for _ in range(QUOTA)]
    assert statuses == [401] * QUOTA
    assert_limited(post_form(sandbox, "/oauth/token", data, wrong), "token")
    # From that address, even the right secret is no longer looked at until the window has room.
    assert_limited(post_form(sandbox, "/oauth/token", data, sandbox.other_client), "token")


def test_name_inquiry_and_fee_check_answer_429_with_the_standard_body(sandbox: RunningSandbox) -> None:
    wait_for_a_fresh_window()  # the login and token requests below are limited too
    token = tokens_for(sandbox, "demo01")["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    for path, name, body in (
        ("/v2/banks/2963/account-name-inquiries", "name-inquiry", INQUIRY),
        ("/v2/banks/2963/transfer-fees", "fee-check", FEE_CHECK),
    ):
        wait_for_a_fresh_window()
        for _ in range(QUOTA):
            answer = httpx.post(f"{sandbox.base_url}{path}", json=body, headers=headers)
            assert answer.status_code != 429, answer.text
        limited = httpx.post(f"{sandbox.base_url}{path}", json=body, headers=headers)
        assert_limited(limited, name)
        assert limited.json()["errorCode"] == "too_many_requests"
        assert set(limited.json()) == {"errorCode", "errorMessage"}
        wait(limited.headers["retry-after"])
        assert httpx.post(f"{sandbox.base_url}{path}", json=body, headers=headers).status_code != 429


def test_a_successful_fee_check_carries_the_ratelimit_headers(sandbox: RunningSandbox) -> None:
    wait_for_a_fresh_window()
    headers = {"Authorization": f"Bearer {tokens_for(sandbox, 'demo01')['access_token']}"}
    accounts = httpx.get(f"{sandbox.base_url}/v2/banks/2963/accounts", headers=headers).json()["accounts"]
    account = next(a["accountId"] for a in accounts if a.get("depositType") == "1")
    body = {**FEE_CHECK, "accountId": account, "transferDesignatedDate": TEST_TODAY.isoformat()}
    wait_for_a_fresh_window()
    answer = httpx.post(f"{sandbox.base_url}/v2/banks/2963/transfer-fees", json=body, headers=headers)
    assert answer.status_code == 200, answer.text
    assert answer.headers["ratelimit-policy"] == f'"fee-check";q={QUOTA};w={WINDOW}'
    assert answer.headers["ratelimit"].startswith(f'"fee-check";r={QUOTA - 1};t=')


def test_the_login_form_answers_429_per_source_address(sandbox: RunningSandbox) -> None:
    with httpx.Client(base_url=sandbox.base_url) as browser:
        page = browser.get("/login")
        form = {"csrf": hidden(page.text, "csrf"), "login_id": "nobody", "password": "x", "bank_code": "2963"}
        wait_for_a_fresh_window()
        statuses = [browser.post("/login", data=form).status_code for _ in range(QUOTA)]
        assert statuses == [400] * QUOTA
        limited = browser.post("/login", data=form)
    assert limited.status_code == 429
    assert 1 <= int(limited.headers["retry-after"]) <= 2 * WINDOW
    assert "試行回数が上限" in limited.text


def test_the_counts_live_in_the_database_shared_by_every_worker(sandbox: RunningSandbox) -> None:
    """A second app over the same database (another worker) sees the first one's counts."""
    from renkei_sandbox.app import create_app
    from renkei_sandbox.config import Settings

    settings = Settings(
        database_url=str(sandbox.db.engine.url), issuer=sandbox.base_url, rate_limits=LIMITS, profile="plain"
    )
    with serve(create_app(sandbox.db, settings)) as second_url:
        data = {"token": "unknown"}
        wait_for_a_fresh_window()
        for _ in range(QUOTA // 2):
            assert post_form(sandbox, "/oauth/introspect", data, sandbox.client).status_code == 200
            other = httpx.post(
                f"{second_url}/oauth/introspect",
                data=data,
                auth=(sandbox.client.client_id, sandbox.client.client_secret),
            )
            assert other.status_code == 200
        assert_limited(post_form(sandbox, "/oauth/introspect", data, sandbox.client), "introspection")
