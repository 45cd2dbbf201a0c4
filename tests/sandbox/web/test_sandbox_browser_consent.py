"""The consent pages in a real browser: login -> consent -> code -> token -> API call -> revoke -> 401."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from sandbox_browser import CHROMIUM, CHROMIUM_ARGS
from sandbox_flow import ALL_BANK_SCOPES, authorize_url, pkce_pair
from sandbox_harness import REDIRECT_URI, RunningSandbox

from renkei_sandbox.seed.seeder import DEMO_PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"),
]


def test_consent_revoke_round_trip_in_chromium(sandbox: RunningSandbox) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    verifier, challenge = pkce_pair()
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.set_default_timeout(15_000)
            # The client's redirect URI is not served: the request is captured, then aborted.
            page.route(f"{REDIRECT_URI}**", lambda route: route.abort())
            page.goto(authorize_url(sandbox, ALL_BANK_SCOPES, challenge, "browser-state", "2963"))
            assert "家計簿アプリ" in page.content()
            page.fill("#login_id", "demo01")
            page.fill("#password", DEMO_PASSWORD)
            page.click("#login")
            page.wait_for_selector("#approve")
            text = page.inner_text("main")
            assert "家計簿アプリ" in text and "中央労働金庫" in text
            assert "入出金明細の照会" in text and "振込の依頼・取消" in text
            boxes = page.locator("input[type=checkbox]")
            assert boxes.count() >= 1
            assert not any(box.is_checked() for box in boxes.all())  # nothing pre-ticked
            page.click("#approve")  # nothing chosen: the page asks again
            assert "共有する口座またはカードを選んでください" in page.inner_text("#consent-error")
            for box in page.locator("input[type=checkbox]").all():
                box.check()
            with page.expect_request(lambda request: request.url.startswith(REDIRECT_URI)) as redirected:
                page.click("#approve")
            params = {k: v[0] for k, v in parse_qs(urlsplit(redirected.value.url).query).items()}
            assert params["state"] == "browser-state"
            assert params["iss"] == sandbox.base_url

            tokens = httpx.post(
                f"{sandbox.base_url}/oauth/token",
                data={
                    "grant_type": "authorization_code",
                    "code": params["code"],
                    "redirect_uri": REDIRECT_URI,
                    "code_verifier": verifier,
                },
                auth=(sandbox.client.client_id, sandbox.client.client_secret),
            ).json()
            headers = {"Authorization": f"Bearer {tokens['access_token']}"}
            accounts = httpx.get(f"{sandbox.base_url}/v2/banks/2963/accounts", headers=headers)
            assert accounts.status_code == 200
            assert accounts.json()["accounts"]

            page.goto(f"{sandbox.base_url}/account/connections")
            section = page.locator("section.connection", has_text="家計簿アプリ")
            assert section.count() >= 1
            section.first.locator("a.button").click()
            page.wait_for_selector("#confirm-revoke")
            assert "連携を解除しますか" in page.inner_text("h1")
            page.click("#confirm-revoke")
            page.wait_for_url("**/account/connections?revoked=*")
            assert "「家計簿アプリ」との連携を解除しました" in page.inner_text("#revoked-notice")

            after = httpx.get(f"{sandbox.base_url}/v2/banks/2963/accounts", headers=headers)
            assert after.status_code == 401
            assert after.json()["errorCode"]
        finally:
            browser.close()
