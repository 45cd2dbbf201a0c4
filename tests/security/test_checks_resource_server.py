"""Checks 41–53: the resource server, revocation, introspection, cross-cutting HTTP behaviour, TLS."""

from __future__ import annotations

import math
import uuid
from collections import Counter

import httpx
import pytest
from fapi_harness import FapiSandbox, Tokens, api_get, bank_of, full_flow, proof


@pytest.fixture(scope="module")
def bound(fapi: FapiSandbox) -> Tokens:
    return full_flow(fapi, "demo01")


def _accounts(fapi: FapiSandbox, login_id: str = "demo01") -> str:
    return f"/v2/banks/{bank_of(fapi, login_id)}/accounts"


def test_check_41_rfc6750_error_semantics(fapi: FapiSandbox, bound: Tokens) -> None:
    none = httpx.get(fapi.url(_accounts(fapi)))
    assert none.status_code == 401 and "error=" not in none.headers["www-authenticate"]
    revoked = full_flow(fapi, "demo01")
    httpx.post(
        fapi.url("/oauth/revoke"), data={"token": revoked.access_token} | fapi.client.auth(fapi.issuer)
    )
    gone = api_get(fapi, revoked, _accounts(fapi))
    assert gone.status_code == 401 and 'error="invalid_token"' in gone.headers["www-authenticate"]
    from fapi_harness import authorized_code, code_form, token_request

    from renkei_runtime.fapi import DPoPProver

    prover = DPoPProver()
    code, pushed = authorized_code(fapi, prover=prover)
    body = token_request(fapi, code_form(code, pushed.verifier), prover=prover).json()
    narrow = Tokens(body["access_token"], body["refresh_token"], prover, fapi.client)
    # every scope was granted here; a missing scope is the card API for a bank-only grant
    forbidden = api_get(fapi, narrow, "/v2/cards")
    assert forbidden.status_code in (403, 404)


def test_check_42_tokens_only_in_the_header(fapi: FapiSandbox, bound: Tokens) -> None:
    url = fapi.url(_accounts(fapi))
    assert httpx.get(url, params={"access_token": bound.access_token}).status_code in (400, 401)


def test_check_43_scheme_is_case_insensitive(fapi: FapiSandbox, bound: Tokens) -> None:
    for scheme in ("dpop", "DPOP", "DPoP"):
        assert api_get(fapi, bound, _accounts(fapi), scheme=scheme).status_code == 200


@pytest.mark.skip(
    reason="partly not applicable: access tokens are opaque (no JWT iss/typ/exp to forge) and "
    "there is one resource server (no RFC 8707 resource indicators); introspection reports aud"
)
def test_check_44_audience_resource_issuer() -> None:
    """See the reason."""


def test_check_45_bola_other_customers_accounts(fapi: FapiSandbox, bound: Tokens) -> None:
    other = full_flow(fapi, "demo02")
    theirs = api_get(fapi, other, _accounts(fapi, "demo02")).json()["accounts"]
    for account in theirs:
        path = (
            f"/v2/banks/{bank_of(fapi, 'demo02')}/accounts/{account['accountId'].replace('/', '%2F')}/balance"
        )
        response = api_get(fapi, bound, path)
        assert response.status_code in (400, 403, 404)
        assert account["accountId"] not in response.text or response.status_code >= 400


def test_check_46_scope_enforcement(fapi: FapiSandbox, bound: Tokens) -> None:
    assert api_get(fapi, bound, "/v2/cards").status_code in (401, 403)


def test_check_47_revoked_consent_kills_its_tokens(fapi: FapiSandbox) -> None:
    tokens = full_flow(fapi, "demo01")
    from sqlalchemy import select

    from renkei_sandbox.db.models import Token
    from renkei_sandbox.oauth.tokens import revoke_grant
    from renkei_sandbox.secrets_util import credential_hash

    with fapi.db.write_session() as session, session.begin():
        row = session.scalar(select(Token).where(Token.token_hash == credential_hash(tokens.access_token)))
        assert row is not None
        revoke_grant(
            session, row.grant_pk
        )  # what the customer's "revoke" button on the connections page does
    assert api_get(fapi, tokens, _accounts(fapi)).status_code == 401
    from fapi_harness import token_request

    refresh = token_request(
        fapi, {"grant_type": "refresh_token", "refresh_token": tokens.refresh_token}, prover=tokens.prover
    )
    assert refresh.status_code == 400


def test_check_48_revocation(fapi: FapiSandbox) -> None:
    tokens = full_flow(fapi, "demo01")
    revoke = fapi.url("/oauth/revoke")
    foreign = httpx.post(revoke, data={"token": tokens.access_token} | fapi.other.auth(fapi.issuer))
    assert foreign.status_code == 200
    assert api_get(fapi, tokens, _accounts(fapi)).status_code == 200  # another client cannot revoke it
    unknown = httpx.post(revoke, data={"token": "unknown"} | fapi.client.auth(fapi.issuer))
    assert unknown.status_code == 200
    assert httpx.get(revoke).status_code == 405
    assert httpx.post(revoke, data={"token": tokens.refresh_token}).status_code == 401
    killed = httpx.post(revoke, data={"token": tokens.refresh_token} | fapi.client.auth(fapi.issuer))
    assert killed.status_code == 200
    assert api_get(fapi, tokens, _accounts(fapi)).status_code == 401  # the grant's access token died too


def test_check_49_introspection(fapi: FapiSandbox) -> None:
    tokens = full_flow(fapi, "demo01")
    url = fapi.url("/oauth/introspect")
    assert httpx.post(url, data={"token": tokens.access_token}).status_code == 401
    active = httpx.post(url, data={"token": tokens.access_token} | fapi.client.auth(fapi.issuer)).json()
    assert active["active"] is True
    assert {"scope", "client_id", "exp", "sub", "aud", "cnf"} <= active.keys()
    foreign = httpx.post(url, data={"token": tokens.access_token} | fapi.other.auth(fapi.issuer))
    assert foreign.json() == {"active": False}
    unknown = httpx.post(url, data={"token": "nope"} | fapi.client.auth(fapi.issuer))
    assert unknown.json() == {"active": False}


def test_check_50_interaction_id(fapi: FapiSandbox, bound: Tokens) -> None:
    sent = str(uuid.uuid4())
    ok = api_get(fapi, bound, _accounts(fapi), headers={"x-fapi-interaction-id": sent})
    assert ok.headers["x-fapi-interaction-id"] == sent
    error = httpx.post(fapi.url("/oauth/par"), headers={"x-fapi-interaction-id": sent})
    assert error.status_code == 401 and error.headers["x-fapi-interaction-id"] == sent
    fresh = httpx.get(fapi.url(_accounts(fapi)))
    assert uuid.UUID(fresh.headers["x-fapi-interaction-id"]).version == 4


def test_check_51_response_hygiene(fapi: FapiSandbox, bound: Tokens) -> None:
    ok = api_get(fapi, bound, _accounts(fapi))
    assert ok.headers["content-type"] == "application/json; charset=utf-8"
    assert "date" in ok.headers  # (renkei serve also drops the Server banner: server_header=False)
    missing = api_get(fapi, bound, f"{_accounts(fapi)}/{bank_of(fapi, 'demo01')}%2F0019999999/balance")
    assert missing.status_code in (400, 404)
    assert "Traceback" not in missing.text
    url = fapi.url("/v2/nothing-here")
    assert (
        httpx.get(
            url,
            headers={
                "Authorization": f"DPoP {bound.access_token}",
                "DPoP": proof(bound.prover, "GET", url, bound.access_token, fapi.nonce()),
            },
        ).status_code
        == 404
    )


def test_check_52_credential_entropy(fapi: FapiSandbox) -> None:
    values = []
    for _ in range(5):
        tokens = full_flow(fapi, "demo01")
        values += [tokens.access_token, tokens.refresh_token]
    assert len(set(values)) == len(values)
    for value in values:
        counts = Counter(value)
        shannon = -sum(c / len(value) * math.log2(c / len(value)) for c in counts.values()) * len(value)
        assert len(value) * 6 >= 256 and shannon >= 96


# Check 53 (TLS posture) runs over https: test_check_53_tls.py.
