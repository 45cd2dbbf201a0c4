"""Consent that protects the customer, over HTTP: the connector-facing consent resource (GET/DELETE
/banks/{bankCode}/consent), the consent lifetime (401 consent_expired, refresh refused), revocation (401
consent_revoked, whoever revoked), a suspended connector (403 client_suspended, no new tokens, resumed),
and the consent page's disclosures (登録番号, purpose, items, period, contact) from the client registry."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import httpx
from sandbox_flow import ALL_BANK_SCOPES, authorize_url, pkce_pair, tokens_for
from sandbox_harness import RunningSandbox
from sqlalchemy import select

from renkei_bank_inquiry import models
from renkei_sandbox.db.models import Grant
from renkei_sandbox.oauth.connector_registry import record_registry, set_suspended
from renkei_sandbox.oauth.tokens import revoke_grant

DEMO = "demo01"


def _get(sandbox: RunningSandbox, token: str, path: str) -> httpx.Response:
    return httpx.get(f"{sandbox.base_url}/v2/banks/2963/{path}", headers={"Authorization": f"Bearer {token}"})


def _refresh(sandbox: RunningSandbox, refresh_token: str) -> httpx.Response:
    client = sandbox.client
    return httpx.post(
        f"{sandbox.base_url}/oauth/token",
        data={"grant_type": "refresh_token", "refresh_token": refresh_token},
        auth=(client.client_id, client.client_secret or ""),
    )


def _grant_of(sandbox: RunningSandbox, token: str) -> str:
    response = _get(sandbox, token, "consent")
    assert response.status_code == 200, response.text
    return str(response.json()["consentId"])


def test_the_connector_reads_its_consent(sandbox: RunningSandbox) -> None:
    tokens = tokens_for(sandbox, DEMO, "accounts:read balances:read")
    response = _get(sandbox, tokens["access_token"], "consent")
    assert response.status_code == 200, response.text
    body = response.json()
    models.Consent.model_validate(body)
    assert body["bankCode"] == "2963" and body["status"] == "active"
    assert body["scopes"] == ["accounts:read", "balances:read"]
    granted, expires = (datetime.fromisoformat(body[k]) for k in ("grantedAt", "expiresAt"))
    assert expires - granted == timedelta(days=90)
    listed = _get(sandbox, tokens["access_token"], "accounts").json()["accounts"]
    assert body["accountIds"] == sorted(a["accountId"] for a in listed)
    other_bank = httpx.get(
        f"{sandbox.base_url}/v2/banks/2965/consent",
        headers={"Authorization": f"Bearer {tokens['access_token']}"},
    )
    assert other_bank.status_code == 404


def test_the_connector_revokes_its_consent(sandbox: RunningSandbox) -> None:
    tokens = tokens_for(sandbox, DEMO, ALL_BANK_SCOPES)
    gone = httpx.delete(
        f"{sandbox.base_url}/v2/banks/2963/consent",
        headers={"Authorization": f"Bearer {tokens['access_token']}"},
    )
    assert gone.status_code == 204 and gone.content == b""
    after = _get(sandbox, tokens["access_token"], "accounts")
    assert after.status_code == 401 and after.json()["errorCode"] == "consent_revoked"
    assert "invalid_token" in after.headers["www-authenticate"]
    assert _refresh(sandbox, tokens["refresh_token"]).json()["error"] == "invalid_grant"


def test_a_revocation_by_the_customer_is_consent_revoked(sandbox: RunningSandbox) -> None:
    tokens = tokens_for(sandbox, DEMO, ALL_BANK_SCOPES)
    consent_id = _grant_of(sandbox, tokens["access_token"])
    with sandbox.db.write_session() as session, session.begin():
        grant = session.scalar(select(Grant).where(Grant.grant_id == consent_id))
        assert grant is not None
        revoke_grant(session, grant.id)  # what the connections page's 連携を解除する does
    response = _get(sandbox, tokens["access_token"], "accounts")
    assert response.status_code == 401 and response.json()["errorCode"] == "consent_revoked"


def test_a_consent_past_its_lifetime_is_consent_expired(sandbox: RunningSandbox) -> None:
    tokens = tokens_for(sandbox, DEMO, ALL_BANK_SCOPES)
    consent_id = _grant_of(sandbox, tokens["access_token"])
    with sandbox.db.write_session() as session, session.begin():
        grant = session.scalar(select(Grant).where(Grant.grant_id == consent_id))
        assert grant is not None
        grant.created_at = grant.created_at - timedelta(days=91)
    response = _get(sandbox, tokens["access_token"], "accounts")
    assert response.status_code == 401, response.text
    assert response.json()["errorCode"] == "consent_expired"
    assert response.json()["errorMessage"].startswith("利用者の同意の有効期限")
    refreshed = _refresh(sandbox, tokens["refresh_token"])
    assert refreshed.status_code == 400 and refreshed.json()["error"] == "invalid_grant"


def test_a_suspended_connector_gets_403_and_no_tokens_until_resumed(sandbox: RunningSandbox) -> None:
    tokens = tokens_for(sandbox, DEMO, ALL_BANK_SCOPES)
    with sandbox.db.write_session() as session, session.begin():
        set_suspended(session, sandbox.client.client_id, True)
    try:
        response = _get(sandbox, tokens["access_token"], "accounts")
        assert response.status_code == 403 and response.json()["errorCode"] == "client_suspended"
        refreshed = _refresh(sandbox, tokens["refresh_token"])
        assert refreshed.status_code in (400, 401) and refreshed.json()["error"] == "unauthorized_client"
    finally:
        with sandbox.db.write_session() as session, session.begin():
            set_suspended(session, sandbox.client.client_id, False)
    assert _get(sandbox, tokens["access_token"], "accounts").status_code == 200


def _consent_page(sandbox: RunningSandbox) -> str:
    _, challenge = pkce_pair()
    with httpx.Client(base_url=sandbox.base_url, follow_redirects=False, timeout=30) as browser:
        start = browser.get(authorize_url(sandbox, "accounts:read", challenge, "s", "2963"))
        login_page = browser.get(start.headers["location"])
        form = {
            "csrf": re.search(r'name="csrf" value="([^"]+)"', login_page.text).group(1),  # type: ignore[union-attr]
            "request_handle": re.search(r'name="request_handle" value="([^"]+)"', login_page.text).group(1),  # type: ignore[union-attr]
            "login_id": DEMO,
            "password": "renkei-demo",
        }
        logged_in = browser.post("/login", data=form)
        return browser.get(logged_in.headers["location"]).text


def test_the_consent_page_discloses_the_connector(sandbox: RunningSandbox) -> None:
    bare = _consent_page(sandbox)
    assert 'id="disclosure-registration"' in bare and "登録番号の届出がありません" in bare
    with sandbox.db.write_session() as session, session.begin():
        record_registry(
            session,
            sandbox.client.client_id,
            registration_number="関東財務局長（電代）第99号",
            purpose="家計簿の自動作成のため、残高と入出金明細を取得します。",
            contact="家計簿アプリ サポート窓口 0120-000-000",
            checklist_status="approved",
        )
    page = _consent_page(sandbox)
    for text in (
        "関東財務局長（電代）第99号",
        "家計簿の自動作成のため",
        "0120-000-000",
        "90日間",
        "許可する内容",
    ):
        assert text in page, text
    assert "口座情報の照会" in page  # the items: the scopes' names
