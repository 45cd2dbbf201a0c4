"""The FAPI 2.0 flow with the customer in a real browser (Chromium via Playwright, /usr/bin/chromium):
PAR -> login -> consent -> token with DPoP -> API call -> revoke on the connections page -> 401."""

from __future__ import annotations

import httpx
import pytest
from fapi_harness import BANK_SCOPES, FapiSandbox
from sandbox_browser import CHROMIUM, chromium_page
from sandbox_harness import REDIRECT_URI

from renkei_runtime.client import TokenRefreshError
from renkei_runtime.fapi import DPoPTokenAuth, FapiClient
from renkei_sandbox.seed.seeder import DEMO_PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"),
]


def test_fapi_par_consent_dpop_call_revoke_401_in_chromium(fapi: FapiSandbox) -> None:
    client = FapiClient(fapi.issuer, fapi.client.client_id, fapi.client.key, REDIRECT_URI)
    pending = client.start(BANK_SCOPES, bank_code="2963")  # PAR with PKCE S256 and dpop_jkt
    assert set(httpx.URL(pending.authorization_url).params.keys()) == {"client_id", "request_uri"}
    accounts_url = fapi.url("/v2/banks/2963/accounts")
    try:
        with chromium_page() as page:
            page.route(f"{REDIRECT_URI}**", lambda route: route.abort())  # the app's callback: captured
            page.goto(pending.authorization_url)
            assert "家計簿アプリ" in page.content()
            page.fill("#login_id", "demo01")
            page.fill("#password", DEMO_PASSWORD)
            page.click("#login")
            page.wait_for_selector("#approve")
            assert "中央労働金庫" in page.inner_text("main")
            for box in page.locator("input[type=checkbox]").all():
                box.check()
            with page.expect_request(lambda request: request.url.startswith(REDIRECT_URI)) as redirected:
                page.click("#approve")
            callback = redirected.value.url

            auth = client.finish(pending, callback)  # state and iss checked, code redeemed with DPoP
            assert auth.tokens.access_token
            with httpx.Client(auth=auth) as api:
                accounts = api.get(accounts_url)
                assert accounts.status_code == 200, accounts.text
                assert accounts.json()["accounts"]
            bearer = httpx.get(accounts_url, headers={"Authorization": f"Bearer {auth.tokens.access_token}"})
            assert bearer.status_code == 401  # DPoP-bound: never as a bearer token

            page.goto(fapi.url("/account/connections"))
            section = page.locator("section.connection", has_text="家計簿アプリ")
            section.first.locator("a.button").click()
            page.wait_for_selector("#confirm-revoke")
            page.click("#confirm-revoke")
            page.wait_for_url("**/account/connections?revoked=*")
            assert "「家計簿アプリ」との連携を解除しました" in page.inner_text("#revoked-notice")

            with httpx.Client(auth=DPoPTokenAuth(auth.tokens, auth.prover)) as api:
                after = api.get(accounts_url)  # the revoked access token, with a valid proof
            assert after.status_code == 401, after.text
            assert 'error="invalid_token"' in after.headers["www-authenticate"]
            with httpx.Client(auth=auth) as api, pytest.raises(TokenRefreshError):
                api.get(accounts_url)  # 401, then the refresh token of the revoked grant is refused too
    finally:
        client.close()
