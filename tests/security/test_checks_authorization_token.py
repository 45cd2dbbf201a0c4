"""Checks 15–27: code_verifier, the authorization response, codes and grants at the token endpoint."""

from __future__ import annotations

import httpx
import pytest
from fapi_harness import (
    FapiSandbox,
    api_get,
    authorized_code,
    bank_of,
    code_form,
    consent,
    push,
    query_of,
    token_request,
)
from sandbox_harness import REDIRECT_URI

from renkei_runtime.fapi import DPoPProver


@pytest.mark.parametrize("verifier", [None, "wrong" * 10, "a" * 42, "ä" * 50])
def test_check_15_missing_or_wrong_verifier_is_invalid_grant(fapi: FapiSandbox, verifier: str | None) -> None:
    prover = DPoPProver()
    code, _ = authorized_code(fapi, prover=prover)
    form = code_form(code, "")
    if verifier is None:
        del form["code_verifier"]
    else:
        form["code_verifier"] = verifier
    response = token_request(fapi, form, prover=prover)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


def test_check_16_iss_in_every_response_and_303(fapi: FapiSandbox) -> None:
    pushed = push(fapi)
    with httpx.Client(base_url=fapi.base_url, follow_redirects=False) as browser:
        start = browser.get(
            "/oauth/authorize", params={"client_id": fapi.client.client_id, "request_uri": pushed.request_uri}
        )
        assert start.status_code == 303
    success = consent(fapi, pushed)
    denied = consent(fapi, push(fapi), decision="deny")
    for location in (success, denied):
        assert query_of(location)["iss"] == fapi.issuer


def test_check_17_denial_is_access_denied_with_state_and_iss(fapi: FapiSandbox) -> None:
    pushed = push(fapi)
    params = query_of(consent(fapi, pushed, decision="deny"))
    assert params["error"] == "access_denied"
    assert params["state"] == pushed.state
    assert params["iss"] == fapi.issuer


def test_check_18_no_cors_on_the_authorization_endpoint(fapi: FapiSandbox) -> None:
    pushed = push(fapi)
    params = {"client_id": fapi.client.client_id, "request_uri": pushed.request_uri}
    response = httpx.get(
        fapi.url("/oauth/authorize"), params=params, headers={"Origin": "https://evil.example"}
    )
    assert "access-control-allow-origin" not in response.headers
    preflight = httpx.options(
        fapi.url("/oauth/authorize"),
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"},
    )
    assert "access-control-allow-origin" not in preflight.headers
    assert preflight.status_code in (400, 405)


def test_check_19_long_state_is_echoed_intact(fapi: FapiSandbox) -> None:
    state = "s" * 1500
    pushed = push(fapi, state=state)
    assert query_of(consent(fapi, pushed))["state"] == state
    # nonce: the sandbox is not an OpenID provider (no ID tokens), so there is no nonce to echo


def test_check_20_code_reuse_is_invalid_grant_and_revokes(fapi: FapiSandbox) -> None:
    prover = DPoPProver()
    code, pushed = authorized_code(fapi, prover=prover)
    first = token_request(fapi, code_form(code, pushed.verifier), prover=prover)
    assert first.status_code == 200
    again = token_request(fapi, code_form(code, pushed.verifier), prover=prover)
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"
    from fapi_harness import Tokens

    tokens = Tokens(first.json()["access_token"], first.json()["refresh_token"], prover, fapi.client)
    assert api_get(fapi, tokens, f"/v2/banks/{bank_of(fapi, 'demo01')}/accounts").status_code == 401


def test_check_21_code_lifetime_at_most_60_seconds(fapi: FapiSandbox) -> None:
    from datetime import timedelta

    from sqlalchemy import select

    from renkei_sandbox.config import AUTHORIZATION_CODE_TTL_SECONDS
    from renkei_sandbox.db.models import AuthorizationCode

    assert AUTHORIZATION_CODE_TTL_SECONDS <= 60
    prover = DPoPProver()
    code, pushed = authorized_code(fapi, prover=prover)
    with fapi.db.write_session() as session, session.begin():
        row = session.scalars(select(AuthorizationCode).order_by(AuthorizationCode.id.desc())).first()
        assert row is not None
        row.expires_at = row.expires_at - timedelta(seconds=61)  # the clock moved 61 s on
    response = token_request(fapi, code_form(code, pushed.verifier), prover=prover)
    assert response.status_code == 400 and response.json()["error"] == "invalid_grant"


def test_check_22_code_is_bound_to_its_client(fapi: FapiSandbox) -> None:
    prover = DPoPProver()
    code, pushed = authorized_code(fapi, prover=prover)
    response = token_request(fapi, code_form(code, pushed.verifier), client=fapi.other, prover=prover)
    assert response.status_code == 400 and response.json()["error"] == "invalid_grant"


def test_check_23_mismatched_client_id_is_invalid_client(fapi: FapiSandbox) -> None:
    prover = DPoPProver()
    code, pushed = authorized_code(fapi, prover=prover)
    form = code_form(code, pushed.verifier) | {"client_id": fapi.other.client_id}
    response = token_request(fapi, form, prover=prover)
    assert response.status_code in (400, 401) and response.json()["error"] == "invalid_client"


def test_check_24_redirect_uri_must_equal_the_authorized_one(fapi: FapiSandbox) -> None:
    prover = DPoPProver()
    code, pushed = authorized_code(fapi, prover=prover)
    form = code_form(code, pushed.verifier) | {"redirect_uri": REDIRECT_URI + "x"}
    response = token_request(fapi, form, prover=prover)
    assert response.status_code == 400 and response.json()["error"] == "invalid_grant"


@pytest.mark.parametrize("grant_type", ["password", "implicit", "client_credentials", "urn:x"])
def test_check_25_other_grants_are_rejected(fapi: FapiSandbox, grant_type: str) -> None:
    form = {"grant_type": grant_type, "username": "demo01", "password": "x"}
    response = token_request(fapi, form, prover=DPoPProver())
    assert response.status_code == 400
    assert response.json()["error"] in ("unsupported_grant_type", "unauthorized_client")


@pytest.mark.parametrize("path", ["/oauth/token", "/oauth/revoke", "/oauth/introspect"])
def test_check_26_client_authentication_is_mandatory_and_no_secrets(fapi: FapiSandbox, path: str) -> None:
    form = {"grant_type": "refresh_token", "refresh_token": "x", "token": "x"}
    bare = httpx.post(fapi.url(path), data=form)
    assert bare.status_code == 401 and bare.json()["error"] == "invalid_client"
    basic = httpx.post(fapi.url(path), data=form, auth=(fapi.client.client_id, "secret"))
    assert basic.status_code == 401 and basic.json()["error"] == "invalid_client"
    post = httpx.post(fapi.url(path), data=form | {"client_id": fapi.client.client_id, "client_secret": "s"})
    assert post.status_code == 401 and post.json()["error"] == "invalid_client"


def test_check_27_token_response_headers_and_body(fapi: FapiSandbox) -> None:
    prover = DPoPProver()
    code, pushed = authorized_code(fapi, prover=prover)
    response = token_request(fapi, code_form(code, pushed.verifier), prover=prover)
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["token_type"] == "DPoP" and body["expires_in"] > 0 and body["scope"]
    error = token_request(fapi, {"grant_type": "password"}, prover=prover)
    assert error.headers["cache-control"] == "no-store"
    description = error.json()["error_description"]
    assert all(0x20 <= ord(c) <= 0x7E and c not in '"\\' for c in description)
