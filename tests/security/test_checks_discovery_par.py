"""Checks 1–14 of security-requirements.md: metadata, PAR and the authorization request, PKCE."""

from __future__ import annotations

import math
from collections import Counter

import httpx
import pytest
from fapi_harness import FapiSandbox, consent, pkce_pair, push, query_of
from sandbox_harness import REDIRECT_URI


def _entropy_bits(value: str) -> float:
    counts = Counter(value)
    return -sum(c / len(value) * math.log2(c / len(value)) for c in counts.values()) * len(value)


def test_check_01_metadata(fapi: FapiSandbox) -> None:
    response = httpx.get(fapi.url("/.well-known/oauth-authorization-server"))
    assert response.status_code == 200
    meta = response.json()
    assert meta["issuer"] == fapi.issuer
    assert meta["pushed_authorization_request_endpoint"] == fapi.url("/oauth/par")
    assert meta["require_pushed_authorization_requests"] is True
    assert meta["code_challenge_methods_supported"] == ["S256"]
    assert meta["response_types_supported"] == ["code"]
    assert meta["authorization_response_iss_parameter_supported"] is True
    for name in ("token", "revocation", "introspection"):
        assert meta[f"{name}_endpoint_auth_methods_supported"] == ["private_key_jwt"]
    for name in (
        "dpop_signing_alg_values_supported",
        "token_endpoint_auth_signing_alg_values_supported",
    ):
        assert set(meta[name]) <= {"PS256", "ES256", "EdDSA"} and meta[name]
    assert not {"password", "implicit"} & set(meta["grant_types_supported"])


@pytest.mark.skip(
    reason="not applicable: the AS signs nothing (opaque access tokens, no ID tokens) and so "
    "publishes no jwks_uri; client JWKS are checked at registration (RSA ≥ 2048, P-256, no private "
    "members, unique kid) by tests in this folder"
)
def test_check_02_jwks() -> None:
    """No AS keys to inspect."""


def test_check_03_front_channel_without_par_is_rejected(fapi: FapiSandbox) -> None:
    _, challenge = pkce_pair()
    params = {
        "response_type": "code",
        "client_id": fapi.client.client_id,
        "redirect_uri": REDIRECT_URI,
        "scope": "accounts:read",
        "state": "s",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    response = httpx.get(fapi.url("/oauth/authorize"), params=params)
    assert response.status_code == 400
    assert "location" not in response.headers
    assert "request_uri" in response.text


def test_check_04_par_requires_client_authentication(fapi: FapiSandbox) -> None:
    _, challenge = pkce_pair()
    form = {
        "response_type": "code",
        "client_id": fapi.client.client_id,
        "redirect_uri": REDIRECT_URI,
        "scope": "accounts:read",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    response = httpx.post(fapi.url("/oauth/par"), data=form)
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_check_05_par_accepts_post_only(fapi: FapiSandbox, method: str) -> None:
    assert httpx.request(method, fapi.url("/oauth/par")).status_code == 405


def test_check_06_par_rejects_request_uri_in_body(fapi: FapiSandbox) -> None:
    pushed = push(fapi, request_uri="urn:ietf:params:oauth:request_uri:abc")
    assert pushed.response.status_code == 400
    assert pushed.response.json()["error"] == "invalid_request"


def test_check_07_par_response_201_short_lived_high_entropy(fapi: FapiSandbox) -> None:
    uris = []
    for _ in range(20):
        pushed = push(fapi)
        assert pushed.response.status_code == 201
        body = pushed.response.json()
        assert 30 < body["expires_in"] < 600
        uris.append(body["request_uri"].rsplit(":", 1)[1])
    assert len(set(uris)) == len(uris)
    assert all(len(u) * 6 >= 128 and _entropy_bits(u) >= 96 for u in uris)


def test_check_08_request_uri_is_bound_to_its_client(fapi: FapiSandbox) -> None:
    pushed = push(fapi)
    params = {"client_id": fapi.other.client_id, "request_uri": pushed.request_uri}
    response = httpx.get(fapi.url("/oauth/authorize"), params=params)
    assert response.status_code == 400
    assert "location" not in response.headers


def test_check_09_request_uri_single_use_and_expiring(fapi: FapiSandbox) -> None:
    pushed = push(fapi)
    params = {"client_id": fapi.client.client_id, "request_uri": pushed.request_uri}
    for _ in range(2):  # page loads before the decision are fine
        assert httpx.get(fapi.url("/oauth/authorize"), params=params).status_code == 303
    consent(fapi, pushed)
    assert httpx.get(fapi.url("/oauth/authorize"), params=params).status_code == 400
    expiring = push(fapi)
    _expire_request(fapi, expiring.request_uri)
    params["request_uri"] = expiring.request_uri
    assert httpx.get(fapi.url("/oauth/authorize"), params=params).status_code == 400


def _expire_request(fapi: FapiSandbox, request_uri: str) -> None:
    from datetime import timedelta

    from sqlalchemy import update

    from renkei_sandbox.db.base import utcnow
    from renkei_sandbox.db.models import AuthorizationRequest

    with fapi.db.write_session() as session, session.begin():
        session.execute(
            update(AuthorizationRequest)
            .where(AuthorizationRequest.request_uri == request_uri)
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )


@pytest.mark.parametrize(
    "redirect_uri",
    [
        None,
        "http://example.com/callback",
        REDIRECT_URI + "/",
        REDIRECT_URI.upper(),
        REDIRECT_URI + "?x=1",
        REDIRECT_URI + "/more",
        REDIRECT_URI.replace(":9/", ":10/"),
        REDIRECT_URI.replace("127.0.0.1", "user@127.0.0.1"),
        REDIRECT_URI + "#frag",
        REDIRECT_URI.replace("callback", "call%62ack"),
    ],
)
def test_check_10_redirect_uri_required_registered_exact(fapi: FapiSandbox, redirect_uri: str | None) -> None:
    pushed = push(fapi, redirect_uri=redirect_uri)
    assert pushed.response.status_code == 400
    assert pushed.response.json()["error"] == "invalid_request"


@pytest.mark.parametrize("response_type", ["token", "code id_token", "id_token"])
def test_check_11_only_response_type_code(fapi: FapiSandbox, response_type: str) -> None:
    pushed = push(fapi, response_type=response_type)
    assert pushed.response.status_code == 400
    assert pushed.response.json()["error"] == "unsupported_response_type"


def test_check_12_authorize_ignores_other_query_parameters(fapi: FapiSandbox) -> None:
    pushed = push(fapi, scope="accounts:read")
    extra = {"scope": "transfers:write", "redirect_uri": "https://evil.example/cb", "state": "other"}
    location = consent(fapi, pushed, extra_query=extra)
    assert location.startswith(REDIRECT_URI)
    assert query_of(location)["state"] == pushed.state
    from renkei_sandbox.db.models import Grant

    with fapi.db.session() as session:
        from sqlalchemy import select

        grant = session.scalars(select(Grant).order_by(Grant.id.desc())).first()
        assert grant is not None and grant.scope == "accounts:read"


def test_check_13_pkce_is_mandatory(fapi: FapiSandbox) -> None:
    pushed = push(fapi, code_challenge=None)
    assert pushed.response.status_code == 400
    assert pushed.response.json()["error"] == "invalid_request"


@pytest.mark.parametrize("method", ["plain", None])
def test_check_14_only_s256(fapi: FapiSandbox, method: str | None) -> None:
    pushed = push(fapi, code_challenge_method=method)
    assert pushed.response.status_code == 400
