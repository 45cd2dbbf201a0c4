"""Login, consent and connected-apps pages over plain HTTP: CSRF, bad credentials, wrong bank, sessions."""

from __future__ import annotations

import re

import httpx
from sandbox_flow import ALL_BANK_SCOPES, authorize_url, hidden, pkce_pair, tokens_for
from sandbox_harness import RunningSandbox

from renkei_sandbox.seed.seeder import DEMO_PASSWORD


def start(sandbox: RunningSandbox, browser: httpx.Client, bank: str | None = "2963") -> tuple[str, str]:
    _, challenge = pkce_pair()
    response = browser.get(authorize_url(sandbox, ALL_BANK_SCOPES, challenge, "s", bank))
    page = browser.get(response.headers["location"])
    return hidden(page.text, "request_handle"), hidden(page.text, "csrf")


def test_login_rejects_bad_csrf_wrong_password_and_wrong_bank(sandbox: RunningSandbox) -> None:
    with httpx.Client(base_url=sandbox.base_url) as browser:
        handle, csrf = start(sandbox, browser)
        form = {"request_handle": handle, "login_id": "demo01", "password": DEMO_PASSWORD}
        assert browser.post("/login", data={**form, "csrf": "forged"}).status_code == 403
        wrong = browser.post("/login", data={**form, "csrf": csrf, "password": "nope"})
        assert wrong.status_code == 400
        assert "ログインIDまたはパスワードが正しくありません" in wrong.text
        other_bank = browser.post("/login", data={**form, "csrf": csrf, "login_id": "demo02"})
        assert other_bank.status_code == 400


def test_session_cookie_is_http_only_and_consent_requires_login(sandbox: RunningSandbox) -> None:
    with httpx.Client(base_url=sandbox.base_url) as browser:
        _, challenge = pkce_pair()
        response = browser.get(authorize_url(sandbox, ALL_BANK_SCOPES, challenge, "s", "2963"))
        handle_location = response.headers["location"]
        handle = handle_location.split("request=")[1]
        consent = browser.get(f"/consent?request={handle}")
        assert consent.status_code == 303 and consent.headers["location"].startswith("/login")
        page = browser.get(handle_location)
        cookie = page.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=lax" in cookie
        assert page.headers["x-frame-options"] == "DENY"
        assert browser.get("/account/connections").headers["location"] == "/login"
        assert browser.get("/consent?request=unknown").status_code == 400


def test_connections_page_lists_and_revokes_only_own_grants(sandbox: RunningSandbox) -> None:
    tokens = tokens_for(sandbox, "demo01")
    with httpx.Client(base_url=sandbox.base_url) as browser:
        page = browser.get("/login")
        login = browser.post(
            "/login",
            data={
                "csrf": hidden(page.text, "csrf"),
                "bank_code": "2963",
                "login_id": "demo14",
                "password": DEMO_PASSWORD,
            },
        )
        assert login.headers["location"] == "/account/connections"
        mine = browser.get("/account/connections")
        assert mine.status_code == 200
        csrf = hidden(mine.text, "csrf")
        introspected = httpx.post(
            f"{sandbox.base_url}/oauth/introspect",
            data={"token": tokens["access_token"]},
            auth=(sandbox.client.client_id, sandbox.client.client_secret),
        ).json()
        grant_id = introspected["grant_id"]
        assert grant_id not in mine.text
        foreign = browser.post(f"/account/connections/{grant_id}/revoke", data={"csrf": csrf})
        assert foreign.status_code == 404
    still = httpx.get(
        f"{sandbox.base_url}/v2/banks/2963/accounts",
        headers={"Authorization": f"Bearer {tokens['access_token']}"},
    )
    assert still.status_code == 200


def test_a_second_decision_on_the_same_request_is_refused(sandbox: RunningSandbox) -> None:
    with httpx.Client(base_url=sandbox.base_url) as browser:
        handle, csrf = start(sandbox, browser)
        form = {"csrf": csrf, "request_handle": handle, "login_id": "demo01", "password": DEMO_PASSWORD}
        consent = browser.get(browser.post("/login", data=form).headers["location"])
        decision = {
            "csrf": hidden(consent.text, "csrf"),
            "request_handle": handle,
            "decision": "approve",
            "account_ids": re.findall(r'name="account_ids" value="([^"]+)"', consent.text),
        }
        first = browser.post("/consent", data=decision)
        assert first.status_code == 303 and "code=" in first.headers["location"]
        second = browser.post("/consent", data=decision)
        assert second.status_code == 400
        assert "location" not in second.headers
