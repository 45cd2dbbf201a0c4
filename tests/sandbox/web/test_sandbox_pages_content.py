"""What the consent and connections pages say, as a Japanese bank's would: nothing pre-ticked, a separate
warning for transfers, the access period, JST times, grant ids, a confirmation step and a result message;
HTML error pages for people, JSON errors kept for the API and the authorization server."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import httpx
from sandbox_flow import ALL_BANK_SCOPES, authorize_url, hidden, login_and_consent, pkce_pair
from sandbox_harness import RunningSandbox

from renkei_sandbox.clock import JST
from renkei_sandbox.rendering import jst
from renkei_sandbox.seed.seeder import DEMO_PASSWORD


def logged_in(sandbox: RunningSandbox, browser: httpx.Client, login_id: str = "demo01") -> None:
    page = browser.get("/login")
    form = {"csrf": hidden(page.text, "csrf"), "bank_code": "2963", "login_id": login_id}
    assert browser.post("/login", data={**form, "password": DEMO_PASSWORD}).status_code == 303


def consent_page(sandbox: RunningSandbox, browser: httpx.Client, scope: str) -> str:
    _, challenge = pkce_pair()
    start = browser.get(authorize_url(sandbox, scope, challenge, "s", "2963"))
    login = browser.get(start.headers["location"])
    form = {
        "csrf": hidden(login.text, "csrf"),
        "request_handle": hidden(login.text, "request_handle"),
        "login_id": "demo01",
        "password": DEMO_PASSWORD,
    }
    consent = browser.get(browser.post("/login", data=form).headers["location"])
    assert consent.status_code == 200
    return consent.text


def test_consent_page_ticks_nothing_and_warns_about_transfers_separately(sandbox: RunningSandbox) -> None:
    with httpx.Client(base_url=sandbox.base_url) as browser:
        page = consent_page(sandbox, browser, ALL_BANK_SCOPES)
    boxes = re.findall(r'<input type="checkbox"[^>]*>', page)
    assert boxes and not any("checked" in box for box in boxes)
    assert 'id="transfer-warning"' in page and "振込を依頼・取消できるようになります" in page
    until = jst(datetime.now(UTC) + timedelta(days=90), with_time=False)
    assert f"許可した日から90日間({until}まで)" in page
    with httpx.Client(base_url=sandbox.base_url) as browser:
        read_only = consent_page(sandbox, browser, "accounts:read balances:read")
    assert 'id="transfer-warning"' not in read_only


def test_connections_show_jst_times_grant_ids_and_revoke_after_confirmation(sandbox: RunningSandbox) -> None:
    login_and_consent(sandbox, "demo14", "2963")
    login_and_consent(sandbox, "demo14", "2963")  # two grants of one app: told apart by id and time
    with httpx.Client(base_url=sandbox.base_url) as browser:
        logged_in(sandbox, browser, "demo14")
        page = browser.get("/account/connections").text
        grant_ids = re.findall(r'data-grant="([^"]+)"', page)
        assert len(grant_ids) == 2
        for grant_id in grant_ids:
            assert f"<code>{grant_id}</code>" in page
        assert "(日本時間)" in page and "(UTC)" not in page
        today = datetime.now(JST)
        assert f"{today.year}年{today.month}月{today.day}日" in page

        confirm = browser.get(f"/account/connections/{grant_ids[0]}/revoke")
        assert confirm.status_code == 200 and "連携を解除しますか" in confirm.text
        assert (
            grant_ids[0] in browser.get("/account/connections").text
        )  # the confirmation page revokes nothing
        done = browser.post(
            f"/account/connections/{grant_ids[0]}/revoke", data={"csrf": hidden(confirm.text, "csrf")}
        )
        assert done.status_code == 303
        after = browser.get(done.headers["location"])
        assert "「家計簿アプリ」との連携を解除しました。" in after.text
        assert re.findall(r'data-grant="([^"]+)"', after.text) == grant_ids[1:]
        again = browser.get(f"/account/connections/{grant_ids[0]}/revoke")
        assert again.status_code == 404 and "既に解除されている" in again.text


def test_login_failure_keeps_the_login_id_and_bank(sandbox: RunningSandbox) -> None:
    with httpx.Client(base_url=sandbox.base_url) as browser:
        page = browser.get("/login")
        assert '<option value="" disabled selected>金融機関を選択してください</option>' in page.text
        failed = browser.post(
            "/login",
            data={
                "csrf": hidden(page.text, "csrf"),
                "bank_code": "2965",
                "login_id": "demo02",
                "password": "x",
            },
        )
    assert failed.status_code == 400
    assert 'value="demo02"' in failed.text
    assert '<option value="2965" selected>' in failed.text
    assert re.search(r'<input id="password"[^>]*>', failed.text)
    assert not re.search(r'<input id="password"[^>]*value=', failed.text)  # never the password


def test_people_get_html_error_pages_machines_keep_json(sandbox: RunningSandbox) -> None:
    with httpx.Client(base_url=sandbox.base_url) as browser:
        for path in ("/account/no-such-page", "/login/x"):
            page = browser.get(path)
            assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
            assert "お探しのページは見つかりませんでした" in page.text
        html = browser.get("/no-such-page", headers={"Accept": "text/html,application/xhtml+xml"})
        assert html.status_code == 404 and html.headers["content-type"].startswith("text/html")
        method = browser.put("/account/connections")
        assert method.status_code == 405 and "この操作はこのページでは行えません" in method.text
        missing_field = browser.post("/account/connections/x/revoke", data={})
        assert missing_field.status_code == 400 and missing_field.headers["content-type"].startswith(
            "text/html"
        )
        api = browser.get("/v2/no-such-operation", headers={"Accept": "text/html"})
        assert api.status_code == 404 and api.headers["content-type"].startswith("application/json")
        assert "errorCode" in api.json()
        token = browser.get("/oauth/token")
        assert token.headers["content-type"].startswith("application/json")
        plain = browser.get("/no-such-page")
        assert plain.headers["content-type"].startswith("application/json")
