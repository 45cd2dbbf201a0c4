"""Token and scope checks of a generated router (RFC 6750 challenges)."""

from __future__ import annotations

from typing import Any

READER = {"authorization": "Bearer reader"}


def test_no_token_is_401_with_a_bare_challenge(api: Any, service: Any) -> None:
    response = api.get("/banks/0001/accounts")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Bearer realm="renkei"'
    assert response.json()["errorCode"] == "invalid_token"
    assert service.calls == []


def test_unknown_token_is_401_invalid_token(api: Any, verifier: Any) -> None:
    response = api.get("/banks/0001/accounts", headers={"authorization": "Bearer forged"})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Bearer realm="renkei", error="invalid_token"'
    assert response.json() == {
        "errorCode": "invalid_token",
        "errorMessage": "アクセストークンが無効、期限切れ、または失効しています。",
    }
    assert verifier.seen == ["forged"]


def test_wrong_scheme_is_not_a_bearer_token(api: Any) -> None:
    response = api.get("/banks/0001/accounts", headers={"authorization": "Basic reader"})
    assert response.status_code == 401


def test_missing_scope_is_403_insufficient_scope(api: Any, service: Any) -> None:
    response = api.get("/banks/0001/accounts", headers={"authorization": "Bearer writer"})
    assert response.status_code == 403
    assert response.headers["www-authenticate"] == (
        'Bearer realm="renkei", error="insufficient_scope", scope="accounts:read"'
    )
    assert response.json()["errorCode"] == "insufficient_scope"
    assert service.calls == []


def test_granted_scope_reaches_the_service_with_the_context(api: Any, service: Any) -> None:
    response = api.get("/banks/0001/accounts", headers=READER)
    assert response.status_code == 200
    name, ctx, kwargs = service.calls[0]
    assert name == "list_accounts"
    assert (ctx.subject, ctx.client_id, ctx.bank_code) == ("customer-1", "app-1", "0001")
    assert ctx.scopes == frozenset({"accounts:read"})
    assert kwargs == {"bank_code": "0001", "limit": 100, "cursor": None}


def test_alternative_scheme_api_key_satisfies_an_or_requirement(api: Any, service: Any) -> None:
    response = api.get("/banks/0001/accounts/a1", headers={"x-api-key": "api-key-1"})
    assert response.status_code == 404  # the service's answer: authentication passed
    assert service.calls[0][1].client_id == "partner"


def test_operation_level_security_overrides_the_root(api: Any) -> None:
    # createTransfer needs transfers:write only; the reader token (accounts:read) is not enough.
    response = api.post(
        "/banks/0001/transfers",
        headers={**READER, "idempotency-key": "k"},
        json={"amount": "1", "payeeName": "ｱ"},
    )
    assert response.status_code == 403
    assert 'scope="transfers:write"' in response.headers["www-authenticate"]


def test_empty_security_allows_anonymous_calls(api: Any, service: Any) -> None:
    response = api.get("/health")
    assert response.status_code == 204
    assert response.content == b""
    assert service.calls[0][1].token is None


def test_authentication_comes_before_validation(api: Any) -> None:
    assert api.get("/banks/0001/accounts?limit=0").status_code == 401
