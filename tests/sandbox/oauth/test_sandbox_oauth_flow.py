"""The authorization-code flow with PKCE over real HTTP, and every negative case of the token endpoint."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from sandbox_flow import ALL_BANK_SCOPES, authorize_url, exchange, login_and_consent, pkce_pair, query_of
from sandbox_harness import REDIRECT_URI, RunningSandbox
from sqlalchemy import update

from renkei_sandbox.db.base import utcnow
from renkei_sandbox.db.models import AuthorizationCode
from renkei_sandbox.secrets_util import credential_hash


def token_request(sandbox: RunningSandbox, data: dict[str, str], client=None) -> httpx.Response:
    client = client or sandbox.client
    return httpx.post(
        f"{sandbox.base_url}/oauth/token", data=data, auth=(client.client_id, client.client_secret)
    )


def code_grant(code: str, verifier: str) -> dict[str, str]:
    return {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT_URI,
        "code_verifier": verifier,
    }


def introspect(sandbox: RunningSandbox, token: str, client=None) -> dict:
    client = client or sandbox.client
    response = httpx.post(
        f"{sandbox.base_url}/oauth/introspect",
        data={"token": token},
        auth=(client.client_id, client.client_secret),
    )
    assert response.status_code == 200
    return response.json()


def test_metadata_follows_rfc8414(sandbox: RunningSandbox) -> None:
    metadata = httpx.get(f"{sandbox.base_url}/.well-known/oauth-authorization-server").json()
    assert metadata["issuer"] == sandbox.base_url
    assert metadata["code_challenge_methods_supported"] == ["S256"]
    assert metadata["response_types_supported"] == ["code"]
    assert metadata["authorization_response_iss_parameter_supported"] is True
    assert "transactions:read" in metadata["scopes_supported"]
    assert set(metadata["token_endpoint_auth_methods_supported"]) == {  # the plain profile
        "private_key_jwt",
        "client_secret_basic",
        "client_secret_post",
    }


def test_code_flow_issues_tokens_with_iss_and_state(sandbox: RunningSandbox) -> None:
    authorized = login_and_consent(sandbox, "demo01", "2963")
    params = query_of(authorized.location)
    assert authorized.location.startswith(REDIRECT_URI + "?")
    assert params["iss"] == sandbox.base_url
    assert len(authorized.code) >= 43
    response = token_request(sandbox, code_grant(authorized.code, authorized.verifier))
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert 0 < body["expires_in"] <= 600
    assert body["scope"] == ALL_BANK_SCOPES
    info = introspect(sandbox, body["access_token"])
    assert info["active"] is True
    assert info["client_id"] == sandbox.client.client_id
    assert info["sub"] == "demo01"
    assert info["bank_code"] == "2963"


def test_client_secret_post_is_accepted(sandbox: RunningSandbox) -> None:
    authorized = login_and_consent(sandbox, "demo01", "2963")
    data = code_grant(authorized.code, authorized.verifier)
    data |= {"client_id": sandbox.client.client_id, "client_secret": sandbox.client.client_secret}
    assert httpx.post(f"{sandbox.base_url}/oauth/token", data=data).status_code == 200


def test_reused_code_is_invalid_grant_and_revokes_its_tokens(sandbox: RunningSandbox) -> None:
    authorized = login_and_consent(sandbox, "demo01", "2963")
    first = token_request(sandbox, code_grant(authorized.code, authorized.verifier)).json()
    second = token_request(sandbox, code_grant(authorized.code, authorized.verifier))
    assert second.status_code == 400
    assert second.json()["error"] == "invalid_grant"
    assert introspect(sandbox, first["access_token"]) == {"active": False}


def test_expired_code_is_invalid_grant(sandbox: RunningSandbox) -> None:
    authorized = login_and_consent(sandbox, "demo01", "2963")
    with sandbox.db.write_session() as session, session.begin():
        session.execute(
            update(AuthorizationCode)
            .where(AuthorizationCode.code_hash == credential_hash(authorized.code))
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
    response = token_request(sandbox, code_grant(authorized.code, authorized.verifier))
    assert response.json()["error"] == "invalid_grant"


def test_code_lifetime_is_at_most_60_seconds(sandbox: RunningSandbox) -> None:
    authorized = login_and_consent(sandbox, "demo01", "2963")
    with sandbox.db.session() as session:
        from sqlalchemy import select

        row = session.scalar(
            select(AuthorizationCode).where(AuthorizationCode.code_hash == credential_hash(authorized.code))
        )
        assert row is not None
        assert row.expires_at - utcnow() <= timedelta(seconds=60)


def test_code_of_another_client_is_invalid_grant(sandbox: RunningSandbox) -> None:
    authorized = login_and_consent(sandbox, "demo01", "2963")
    response = token_request(
        sandbox, code_grant(authorized.code, authorized.verifier), client=sandbox.other_client
    )
    assert response.json()["error"] == "invalid_grant"
    # The rightful client can still redeem it: a foreign attempt does not burn the code.
    assert token_request(sandbox, code_grant(authorized.code, authorized.verifier)).status_code == 200


@pytest.mark.parametrize("verifier", ["wrong-" + "x" * 50, None, "short"])
def test_bad_code_verifier_is_invalid_grant(sandbox: RunningSandbox, verifier: str | None) -> None:
    authorized = login_and_consent(sandbox, "demo01", "2963")
    data = code_grant(authorized.code, authorized.verifier)
    if verifier is None:
        del data["code_verifier"]
    else:
        data["code_verifier"] = verifier
    response = token_request(sandbox, data)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


def test_different_redirect_uri_at_token_endpoint_is_invalid_grant(sandbox: RunningSandbox) -> None:
    authorized = login_and_consent(sandbox, "demo01", "2963")
    data = code_grant(authorized.code, authorized.verifier) | {"redirect_uri": "http://127.0.0.1:9/other"}
    assert token_request(sandbox, data).json()["error"] == "invalid_grant"


@pytest.mark.parametrize(
    "auth",
    [None, ("unknown", "secret"), "wrong-secret"],
    ids=["none", "unknown-client", "wrong-secret"],
)
def test_client_authentication_failures_are_invalid_client(sandbox: RunningSandbox, auth) -> None:
    if auth == "wrong-secret":
        auth = (sandbox.client.client_id, "not-the-secret")
    response = httpx.post(
        f"{sandbox.base_url}/oauth/token",
        data={"grant_type": "refresh_token", "refresh_token": "x"},
        auth=auth,
    )
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


def test_unsupported_grant_type(sandbox: RunningSandbox) -> None:
    response = token_request(sandbox, {"grant_type": "password", "username": "demo01", "password": "x"})
    assert response.json()["error"] == "unsupported_grant_type"


def test_refresh_issues_a_new_access_token_and_can_narrow_scope(sandbox: RunningSandbox) -> None:
    tokens = exchange(sandbox, login_and_consent(sandbox, "demo01", "2963"))
    refreshed = token_request(
        sandbox,
        {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"], "scope": "accounts:read"},
    )
    assert refreshed.status_code == 200
    assert refreshed.json()["scope"] == "accounts:read"
    assert refreshed.json()["access_token"] != tokens["access_token"]
    current = refreshed.json()["refresh_token"]  # rotated: see test_sandbox_refresh_rotation.py
    wider = token_request(
        sandbox, {"grant_type": "refresh_token", "refresh_token": current, "scope": "cards:read"}
    )
    assert wider.json()["error"] == "invalid_scope"
    foreign = token_request(
        sandbox, {"grant_type": "refresh_token", "refresh_token": current}, client=sandbox.other_client
    )
    assert foreign.json()["error"] == "invalid_grant"


def test_revocation_kills_every_token_of_the_grant(sandbox: RunningSandbox) -> None:
    tokens = exchange(sandbox, login_and_consent(sandbox, "demo01", "2963"))
    auth = (sandbox.client.client_id, sandbox.client.client_secret)
    response = httpx.post(
        f"{sandbox.base_url}/oauth/revoke", data={"token": tokens["refresh_token"]}, auth=auth
    )
    assert response.status_code == 200
    assert introspect(sandbox, tokens["access_token"]) == {"active": False}
    refreshed = token_request(
        sandbox, {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]}
    )
    assert refreshed.json()["error"] == "invalid_grant"


def test_revocation_of_unknown_or_foreign_token_is_a_no_op(sandbox: RunningSandbox) -> None:
    tokens = exchange(sandbox, login_and_consent(sandbox, "demo01", "2963"))
    other = (sandbox.other_client.client_id, sandbox.other_client.client_secret)
    assert (
        httpx.post(f"{sandbox.base_url}/oauth/revoke", data={"token": "unknown"}, auth=other).status_code
        == 200
    )
    foreign = httpx.post(
        f"{sandbox.base_url}/oauth/revoke", data={"token": tokens["access_token"]}, auth=other
    )
    assert foreign.status_code == 200
    assert introspect(sandbox, tokens["access_token"])["active"] is True
    assert httpx.post(f"{sandbox.base_url}/oauth/revoke", data={"token": "x"}).status_code == 401
    assert httpx.get(f"{sandbox.base_url}/oauth/revoke").status_code == 405


def test_introspection_hides_foreign_and_unknown_tokens(sandbox: RunningSandbox) -> None:
    tokens = exchange(sandbox, login_and_consent(sandbox, "demo01", "2963"))
    assert introspect(sandbox, tokens["access_token"], client=sandbox.other_client) == {"active": False}
    assert introspect(sandbox, "no-such-token") == {"active": False}
    assert httpx.post(f"{sandbox.base_url}/oauth/introspect", data={"token": "x"}).status_code == 401


def test_denied_consent_redirects_with_access_denied(sandbox: RunningSandbox) -> None:
    authorized = login_and_consent(sandbox, "demo01", "2963", decision="deny")
    params = query_of(authorized.location)
    assert params["error"] == "access_denied"
    assert params["iss"] == sandbox.base_url
    assert "code" not in params


def test_bank_chosen_on_the_login_page(sandbox: RunningSandbox) -> None:
    tokens = exchange(sandbox, login_and_consent(sandbox, "demo02", None))
    assert introspect(sandbox, tokens["access_token"])["bank_code"] == "2965"


def _authorize(sandbox: RunningSandbox, **overrides: str | None) -> httpx.Response:
    _, challenge = pkce_pair()
    url = httpx.URL(authorize_url(sandbox, "accounts:read", challenge, "st", "2963"))
    params = dict(url.params)
    for key, value in overrides.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return httpx.get(url.copy_with(params=params))


@pytest.mark.parametrize(
    ("override", "error"),
    [
        ({"code_challenge_method": "plain"}, "invalid_request"),
        ({"code_challenge_method": None}, "invalid_request"),
        ({"code_challenge": None}, "invalid_request"),
        ({"response_type": "token"}, "unsupported_response_type"),
        ({"scope": "accounts:read admin"}, "invalid_scope"),
        ({"scope": None}, "invalid_scope"),
        ({"bank_code": "2950"}, "invalid_request"),
        ({"bank_code": "0001"}, "invalid_request"),
    ],
)
def test_bad_authorization_requests_redirect_with_an_error(sandbox: RunningSandbox, override, error) -> None:
    response = _authorize(sandbox, **override)
    assert response.status_code == 303
    params = query_of(response.headers["location"])
    assert response.headers["location"].startswith(REDIRECT_URI)
    assert params["error"] == error
    assert params["state"] == "st"
    assert params["iss"] == sandbox.base_url


@pytest.mark.parametrize(
    "override",
    [
        {"client_id": "unknown"},
        {"client_id": None},
        {"redirect_uri": "http://127.0.0.1:9/callback/"},
        {"redirect_uri": "https://evil.example/callback"},
        {"redirect_uri": None},
    ],
)
def test_bad_client_or_redirect_uri_shows_an_error_page_without_redirect(
    sandbox: RunningSandbox, override
) -> None:
    response = _authorize(sandbox, **override)
    assert response.status_code == 400
    assert "location" not in response.headers
    assert "text/html" in response.headers["content-type"]
    assert "x-fapi-interaction-id" in response.headers
