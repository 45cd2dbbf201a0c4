"""Checks 28–40: private_key_jwt client authentication and DPoP sender-constraining at the AS and RS."""

from __future__ import annotations

import time

import httpx
import pytest
from fapi_harness import (
    FapiSandbox,
    Tokens,
    api_get,
    authorized_code,
    bank_of,
    code_form,
    full_flow,
    hs256_with_public_key,
    new_client_key,
    proof,
    push,
    sign,
    token_request,
)

from renkei_runtime.fapi import DPoPProver


def _introspect(fapi: FapiSandbox, token: str, **claims: object) -> httpx.Response:
    return httpx.post(
        fapi.url("/oauth/introspect"), data={"token": token} | fapi.client.auth(fapi.issuer, **claims)
    )


@pytest.mark.parametrize(
    "claims",
    [
        {"sub": None},
        {"iss": "someone-else"},
        {"exp": int(time.time()) - 300},
        {"exp": None},
        {"iss": "c_unknown", "sub": "c_unknown"},
    ],
)
def test_check_28_assertion_claims_are_validated(fapi: FapiSandbox, claims: dict[str, object]) -> None:
    response = _introspect(fapi, "x", **claims)
    assert response.status_code == 401 and response.json()["error"] == "invalid_client"


def test_check_28_signature_by_another_clients_key(fapi: FapiSandbox) -> None:
    claims = {
        "iss": fapi.client.client_id,
        "sub": fapi.client.client_id,
        "aud": fapi.issuer,
        "jti": "j28",
        "exp": int(time.time()) + 60,
    }
    assertion = sign(fapi.other.key, {"alg": "ES256"}, claims)
    form = {
        "token": "x",
        "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        "client_assertion": assertion,
    }
    response = httpx.post(fapi.url("/oauth/introspect"), data=form)
    assert response.status_code == 401 and response.json()["error"] == "invalid_client"


def _assertion_form(assertion: str) -> dict[str, str]:
    return {
        "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        "client_assertion": assertion,
    }


def test_check_29_algorithm_allow_list(fapi: FapiSandbox) -> None:
    client = fapi.rsa_client
    now = int(time.time())

    def claims(jti: str) -> dict[str, object]:
        return {
            "iss": client.client_id,
            "sub": client.client_id,
            "aud": fapi.issuer,
            "jti": jti,
            "exp": now + 60,
        }

    rs256 = sign(client.key, {"alg": "RS256"}, claims("rs"))
    hs256 = hs256_with_public_key(client.key, claims("hs"))
    none = sign(None, {"alg": "none"}, claims("none"))
    for assertion in (rs256, hs256, none):
        response = httpx.post(fapi.url("/oauth/introspect"), data={"token": "x"} | _assertion_form(assertion))
        assert response.status_code == 401 and response.json()["error"] == "invalid_client"
    ps256 = sign(client.key, {"alg": "PS256"}, claims("ps"))
    assert (
        httpx.post(fapi.url("/oauth/introspect"), data={"token": "x"} | _assertion_form(ps256)).status_code
        == 200
    )


@pytest.mark.parametrize("endpoint", ["/oauth/par", "/oauth/token"])
def test_check_30_aud_is_the_issuer_as_a_string_only(fapi: FapiSandbox, endpoint: str) -> None:
    for aud in (
        fapi.url("/oauth/token"),
        fapi.url("/oauth/par"),
        [fapi.issuer, "x"],
        [fapi.issuer],
        "https://other.example",
    ):
        form = {"grant_type": "refresh_token", "refresh_token": "x", "response_type": "code"}
        response = httpx.post(fapi.url(endpoint), data=form | fapi.client.auth(fapi.issuer, aud=aud))
        assert response.status_code in (400, 401), aud
        assert response.json()["error"] in ("invalid_client", "invalid_request"), aud


def test_check_31_clock_skew_window(fapi: FapiSandbox) -> None:
    now = int(time.time())
    ok = _introspect(fapi, "x", iat=now + 8, nbf=now + 8)
    assert ok.status_code == 200
    late = _introspect(fapi, "x", iat=now + 61)
    assert late.status_code == 401 and late.json()["error"] == "invalid_client"
    late_nbf = _introspect(fapi, "x", nbf=now + 61)
    assert late_nbf.status_code == 401


def test_check_32_assertion_jti_replay(fapi: FapiSandbox) -> None:
    form = {"token": "x"} | fapi.client.auth(fapi.issuer)
    assert httpx.post(fapi.url("/oauth/introspect"), data=form).status_code == 200
    replay = httpx.post(fapi.url("/oauth/introspect"), data=form)
    assert replay.status_code == 401 and replay.json()["error"] == "invalid_client"


def test_check_33_no_proof_no_token(fapi: FapiSandbox) -> None:
    prover = DPoPProver()
    code, pushed = authorized_code(fapi, prover=prover)
    response = token_request(fapi, code_form(code, pushed.verifier))
    assert response.status_code == 400
    assert response.json()["error"] in ("invalid_dpop_proof", "invalid_request")


def test_check_34_token_is_bound_to_the_proof_key(fapi: FapiSandbox) -> None:
    tokens = full_flow(fapi)
    assert tokens.body["token_type"] == "DPoP"
    body = _introspect(fapi, tokens.access_token).json()
    assert body["active"] is True and body["cnf"] == {"jkt": tokens.prover.jkt}


@pytest.fixture(scope="module")
def bound(fapi: FapiSandbox) -> Tokens:
    return full_flow(fapi, "demo01")


def _accounts(fapi: FapiSandbox) -> str:
    return f"/v2/banks/{bank_of(fapi, 'demo01')}/accounts"


def _rs(
    fapi: FapiSandbox,
    tokens: Tokens,
    scheme: str = "DPoP",
    proofs: list[str] | None = None,
    path: str | None = None,
) -> httpx.Response:
    url = fapi.url(path or _accounts(fapi))
    headers: list[tuple[str, str]] = [("Authorization", f"{scheme} {tokens.access_token}")]
    headers += [("DPoP", p) for p in (proofs or [])]
    return httpx.get(url, headers=headers)


def test_check_35_resource_server_dpop_validation(fapi: FapiSandbox, bound: Tokens) -> None:
    url = fapi.url(_accounts(fapi))
    token = bound.access_token
    nonce = fapi.nonce()

    def good(**kw: object) -> str:
        kw.setdefault("nonce", nonce)
        return proof(bound.prover, "GET", url, token, **kw)  # type: ignore[arg-type]

    other_key = new_client_key()
    failing = {
        "two headers": [good(), good()],
        "not a JWT": ["not-a-jwt"],
        "no typ": [good(header={"typ": None})],
        "no jwk": [good(header={"jwk": None})],
        "no jti": [good(jti=None)],
        "no htm": [good(htm=None)],
        "no htu": [good(htu=None)],
        "no iat": [good(iat=None)],
        "no ath": [proof(bound.prover, "GET", url, nonce=nonce)],
        "typ JWT": [good(header={"typ": "JWT"})],
        "RS256": [proof(new_client_key("RSA"), "GET", url, token, nonce, header={"alg": "RS256"})],
        "bad signature": [good()[:-4] + "AAAA"],
        "private jwk": [good(header={"jwk": dict(bound.prover.key.as_dict(private=True))})],
        "htm PUT": [good(htm="PUT")],
        "htu other": [good(htu=fapi.url("/v2/other"))],
        "iat +1h": [good(iat=int(time.time()) + 3600)],
        "iat -1h": [good(iat=int(time.time()) - 3600)],
        "wrong ath": [good(ath="A" * 43)],
        "other key": [proof(other_key, "GET", url, token, nonce)],
        "no proof": [],
    }
    for case, proofs in failing.items():
        assert _rs(fapi, bound, proofs=proofs).status_code in (400, 401), case
    succeeding = {
        "DPOP scheme": ("DPOP", [good()]),
        "dpop scheme": ("dpop", [good()]),
        "htu with query": ("DPoP", [good(htu=url + "?a=1#f")]),
        "extra claims": ("DPoP", [good(header={"x-extra": 1}, extra="ignored")]),
        "upper-case scheme and host": (
            "DPoP",
            [good(htu=url.replace("http://127.0.0.1", "HTTP://127.0.0.1"))],
        ),
    }
    for case, (scheme, proofs) in succeeding.items():
        assert _rs(fapi, bound, scheme, proofs).status_code == 200, case
    query = httpx.get(url + "?limit=1", headers={"Authorization": f"DPoP {token}", "DPoP": good()})
    assert query.status_code in (200, 400), (
        "a request with a query and an htu without one is not a DPoP error"
    )
    assert query.status_code != 401


def test_check_36_iat_window_and_jti_replay(fapi: FapiSandbox, bound: Tokens) -> None:
    url = fapi.url(_accounts(fapi))
    for skew in (-10, 10):
        p = proof(bound.prover, "GET", url, bound.access_token, fapi.nonce(), iat=int(time.time()) + skew)
        assert _rs(fapi, bound, proofs=[p]).status_code == 200
    once = proof(bound.prover, "GET", url, bound.access_token, fapi.nonce())
    assert _rs(fapi, bound, proofs=[once]).status_code == 200
    replay = _rs(fapi, bound, proofs=[once])
    assert replay.status_code == 401
    assert 'error="invalid_dpop_proof"' in replay.headers["www-authenticate"]


def test_check_36_transfer_with_replayed_proof_and_altered_body(fapi: FapiSandbox) -> None:
    tokens = full_flow(fapi, "demo03")
    bank = bank_of(fapi, "demo03")
    accounts = api_get(fapi, tokens, f"/v2/banks/{bank}/accounts").json()["accounts"]
    url = fapi.url(f"/v2/banks/{bank}/transfers")
    p = proof(tokens.prover, "POST", url, tokens.access_token, fapi.nonce())
    headers = {"Authorization": f"DPoP {tokens.access_token}", "DPoP": p, "Idempotency-Key": "k36-first"}
    body = {"accountId": accounts[0]["accountId"]}
    httpx.post(url, headers=headers, json=body)
    headers["Idempotency-Key"] = "k36-second"
    replayed = httpx.post(url, headers=headers, json=body | {"amount": "999999"})
    assert replayed.status_code == 401  # the same proof never reaches the transfer service twice


def test_check_37_no_downgrade_to_bearer(fapi: FapiSandbox, bound: Tokens) -> None:
    assert _rs(fapi, bound, "Bearer").status_code == 401
    url = fapi.url(_accounts(fapi))
    bearer_proof = proof(bound.prover, "GET", url, bound.access_token, fapi.nonce())
    with_proof = _rs(fapi, bound, "Bearer", [bearer_proof])
    assert with_proof.status_code == 401


def test_check_38_authorization_code_binding(fapi: FapiSandbox) -> None:
    prover, other = DPoPProver(), DPoPProver()
    mismatched = push(fapi, prover=prover, dpop_jkt=other.jkt)
    assert mismatched.response.status_code == 400
    code, pushed = authorized_code(fapi, prover=prover)
    wrong = token_request(fapi, code_form(code, pushed.verifier), prover=other)
    assert wrong.status_code == 400 and wrong.json()["error"] == "invalid_dpop_proof"
    code, pushed = authorized_code(fapi, prover=prover)
    assert token_request(fapi, code_form(code, pushed.verifier), prover=prover).status_code == 200
    pushed_jkt = push(fapi, dpop_jkt=prover.jkt)  # dpop_jkt alone (no proof on the PAR request)
    assert pushed_jkt.response.status_code == 201


def test_check_39_server_nonce_at_the_authorization_server(fapi: FapiSandbox) -> None:
    prover = DPoPProver()
    code, pushed = authorized_code(fapi, prover=prover)
    no_nonce = token_request(
        fapi, code_form(code, pushed.verifier), dpop=proof(prover, "POST", fapi.url("/oauth/token"))
    )
    assert no_nonce.status_code == 400 and no_nonce.json()["error"] == "use_dpop_nonce"
    nonce = no_nonce.headers["dpop-nonce"]
    stale = token_request(
        fapi,
        code_form(code, pushed.verifier),
        dpop=proof(prover, "POST", fapi.url("/oauth/token"), nonce="0." + "0" * 32),
    )
    assert stale.status_code == 400 and stale.json()["error"] == "use_dpop_nonce"
    retry = token_request(
        fapi,
        code_form(code, pushed.verifier),
        dpop=proof(prover, "POST", fapi.url("/oauth/token"), nonce=nonce),
    )
    assert retry.status_code == 200, retry.text


def _stale_nonce(fapi: FapiSandbox) -> str:
    """A nonce the server really issued, 10 minutes ago (its slot is over)."""
    from renkei_sandbox.oauth.nonces import current_nonce

    with fapi.db.write_session() as session, session.begin():
        return current_nonce(session, clock=lambda: time.time() - 600)


def test_check_39_server_nonce_at_the_resource_server(fapi: FapiSandbox, bound: Tokens) -> None:
    url = fapi.url(_accounts(fapi))
    token = bound.access_token
    no_nonce = _rs(fapi, bound, proofs=[proof(bound.prover, "GET", url, token)])
    assert no_nonce.status_code == 401, no_nonce.text
    challenge = no_nonce.headers["www-authenticate"]
    assert challenge.startswith("DPoP ") and 'error="use_dpop_nonce"' in challenge
    nonce = no_nonce.headers["dpop-nonce"]
    for wrong in (_stale_nonce(fapi), "0." + "0" * 32, nonce + "x"):
        refused = _rs(fapi, bound, proofs=[proof(bound.prover, "GET", url, token, wrong)])
        assert refused.status_code == 401 and refused.headers.get("dpop-nonce") == nonce, wrong
        assert 'error="use_dpop_nonce"' in refused.headers["www-authenticate"]
    retry = _rs(fapi, bound, proofs=[proof(bound.prover, "GET", url, token, nonce)])
    assert retry.status_code == 200, retry.text


def test_check_39_runtime_client_follows_the_resource_servers_nonce(fapi: FapiSandbox) -> None:
    """DPoPTokenAuth without a nonce: the 401 use_dpop_nonce is retried once with the server's nonce."""
    from renkei_runtime.client import TokenSet
    from renkei_runtime.fapi import DPoPTokenAuth

    tokens = full_flow(fapi, "demo01")
    auth = DPoPTokenAuth(TokenSet(tokens.access_token, None, None, None), tokens.prover)
    sent: list[httpx.Response] = []
    with httpx.Client(auth=auth, event_hooks={"response": [sent.append]}) as api:
        first = api.get(fapi.url(_accounts(fapi)))
        second = api.get(fapi.url(_accounts(fapi)))
    assert first.status_code == 200 and second.status_code == 200, (first.text, second.text)
    assert [r.status_code for r in sent] == [401, 200, 200]  # the nonce is kept for the next call


def test_check_40_refresh_tokens_bound_to_client_and_key(fapi: FapiSandbox) -> None:
    tokens = full_flow(fapi, "demo01")
    form = {"grant_type": "refresh_token", "refresh_token": tokens.refresh_token}
    foreign = token_request(fapi, form, client=fapi.other, prover=tokens.prover)
    assert foreign.status_code == 400 and foreign.json()["error"] == "invalid_grant"
    bare = httpx.post(fapi.url("/oauth/token"), data=form)
    assert bare.status_code == 401
    without_proof = token_request(fapi, form)
    assert without_proof.status_code == 400
    other_key = token_request(fapi, form, prover=DPoPProver())
    assert other_key.status_code == 400 and other_key.json()["error"] == "invalid_dpop_proof"
    refreshed = token_request(fapi, form, prover=tokens.prover)
    assert refreshed.status_code == 200 and refreshed.json()["token_type"] == "DPoP"
    # the sandbox rotates refresh tokens (RENKEI_ROTATE_REFRESH_TOKENS=on, reuse revokes the grant); FAPI 2.0
    # §5.3.2.1-10 prefers no rotation: with RENKEI_ROTATE_REFRESH_TOKENS=off the same token works twice
    # (tests/sandbox/oauth/test_sandbox_refresh_rotation.py)


def test_check_37_transfer_api_refuses_tokens_not_sender_constrained(fapi: FapiSandbox) -> None:
    """A token without `cnf.jkt` (as the plain profile issues them) is refused by the FAPI profile's API,
    the transfer API included, with either scheme; no transfer is created."""
    from sqlalchemy import select

    from renkei_sandbox.db.models import Customer, OAuthClient
    from renkei_sandbox.oauth.direct import grant_directly

    bank = bank_of(fapi, "demo05")
    with fapi.db.write_session() as session, session.begin():
        client = session.scalar(select(OAuthClient).where(OAuthClient.client_id == fapi.client.client_id))
        customer = session.scalar(select(Customer).where(Customer.login_id == "demo05"))
        assert client is not None and customer is not None
        scopes = ["accounts:read", "transfers:write"]
        bearer, _ = grant_directly(session, client, customer.id, customer.bank_code, scopes)
    before = _transfer_count(fapi)
    url = fapi.url(f"/v2/banks/{bank}/transfers")
    body = {"accountId": "0000001", "amount": "1000"}
    for scheme in ("Bearer", "DPoP"):
        headers = {"Authorization": f"{scheme} {bearer}", "Idempotency-Key": f"k37-{scheme}"}
        headers["DPoP"] = proof(DPoPProver(), "POST", url, bearer, fapi.nonce())
        refused = httpx.post(url, headers=headers, json=body)
        assert refused.status_code == 401, refused.text
        assert 'error="invalid_token"' in refused.headers["www-authenticate"]
        accounts = fapi.url(f"/v2/banks/{bank}/accounts")
        listed = httpx.get(accounts, headers={"Authorization": f"Bearer {bearer}"})
        assert listed.status_code == 401
    assert _transfer_count(fapi) == before


def _transfer_count(fapi: FapiSandbox) -> int:
    from sqlalchemy import func, select

    from renkei_sandbox.db.models import Transfer

    with fapi.db.session() as session:
        return int(session.scalar(select(func.count()).select_from(Transfer)) or 0)
