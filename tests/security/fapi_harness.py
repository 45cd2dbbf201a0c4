"""The sandbox in its FAPI 2.0 profile over real HTTP, and a client that can also break the rules.

Helpers craft client assertions, DPoP proofs and pushed requests with any claim changed, so that each check
of ../shared/reference/security-requirements.md can send exactly the wrong thing it is about."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import secrets
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from joserfc import jwt
from joserfc.jwk import ECKey, Key, OctKey, RSAKey
from joserfc.jws import JWSRegistry
from live_server import base_url_of, bind_free_socket, serve
from sandbox_flow import hidden, query_of
from sandbox_harness import REDIRECT_URI, TEST_TODAY, seeded_database

from renkei_runtime.fapi import DPoPProver
from renkei_sandbox.app import create_app
from renkei_sandbox.config import Settings
from renkei_sandbox.db.engine import Database
from renkei_sandbox.oauth.clients import register_client
from renkei_sandbox.oauth.nonces import current_nonce
from renkei_sandbox.seed.seeder import DEMO_PASSWORD
from renkei_sandbox.tls import self_signed

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
BANK_SCOPES = "accounts:read balances:read transactions:read transfers:read transfers:write"


class _AnyAlg(JWSRegistry):
    max_header_length = 4096


ANY_ALG = _AnyAlg(algorithms=["PS256", "ES256", "RS256", "HS256", "none"], strict_check_header=False)


def sign(key: Key | None, header: dict[str, Any], claims: dict[str, Any]) -> str:
    """A compact JWS with exactly `header` (no default typ) and `claims`, any algorithm (negative tests)."""
    return jwt.encode(header, claims, key, registry=ANY_ALG, default_type=None)


@dataclass
class TestClient:
    client_id: str
    key: Key
    """The private key registered (public half) for private_key_jwt."""

    def assertion(self, issuer: str, header: dict[str, Any] | None = None, **claims: Any) -> str:
        now = int(time.time())
        body: dict[str, Any] = {
            "iss": self.client_id,
            "sub": self.client_id,
            "aud": issuer,
            "jti": secrets.token_urlsafe(12),
            "iat": now,
            "exp": now + 60,
        }
        for name, value in claims.items():
            if value is None:
                body.pop(name, None)
            else:
                body[name] = value
        return sign(self.key, header or {"alg": "ES256"}, body)

    def auth(self, issuer: str, **claims: Any) -> dict[str, str]:
        return {
            "client_assertion_type": ASSERTION_TYPE,
            "client_assertion": self.assertion(issuer, **claims),
        }


@dataclass
class FapiSandbox:
    base_url: str
    db: Database
    client: TestClient
    other: TestClient
    rsa_client: TestClient
    """Registered with an RSA key (PS256)."""
    ca_file: str | None = None
    """Over https: the self-signed certificate (PEM) to trust."""

    @property
    def issuer(self) -> str:
        return self.base_url

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"

    def nonce(self) -> str:
        with self.db.write_session() as session, session.begin():
            return current_nonce(session)


def new_client_key(kind: str = "EC") -> Key:
    return ECKey.generate_key("P-256") if kind == "EC" else RSAKey.generate_key(2048)


def _jwks(key: Key) -> str:
    return json.dumps({"keys": [dict(key.as_dict(private=False))]})


@contextmanager
def running_fapi_sandbox(tmp_dir: Path, tls: bool = False, **settings: Any) -> Iterator[FapiSandbox]:
    """With `tls`: over https with a self-signed certificate (renkei serve --tls's), which httpx trusts
    through SSL_CERT_FILE while the sandbox runs (`FapiSandbox.ca_file`)."""
    db = seeded_database(tmp_dir)
    keys = [new_client_key(), new_client_key(), new_client_key("RSA")]
    with db.write_session() as session, session.begin():
        registered = [
            register_client(session, name, [REDIRECT_URI], jwks=_jwks(key))
            for name, key in zip(("家計簿アプリ", "別のアプリ", "RSAのアプリ"), keys, strict=True)
        ]
    clients = [TestClient(r.client_id, k) for r, k in zip(registered, keys, strict=True)]
    sock = bind_free_socket()
    issuer = base_url_of(sock)
    files = None
    if tls:
        made = self_signed(tmp_dir / "tls", "127.0.0.1")
        files = (str(made.cert), str(made.key))
        issuer = issuer.replace("http://", "https://", 1)
    sandbox_settings = Settings(
        database_url=str(db.engine.url), issuer=issuer, fixed_today=TEST_TODAY, **settings
    )
    assert sandbox_settings.fapi
    try:
        with ExitStack() as stack:
            if files is not None:
                patch = stack.enter_context(pytest.MonkeyPatch.context())
                patch.setenv("SSL_CERT_FILE", files[0])
            app = create_app(db, sandbox_settings)
            base_url = stack.enter_context(
                serve(app, sock, lifespan="auto", limit_concurrency=200, tls=files)
            )
            yield FapiSandbox(base_url, db, *clients, ca_file=files[0] if files else None)
    finally:
        db.dispose()


def proof(
    prover: DPoPProver | Key,
    method: str,
    url: str,
    access_token: str | None = None,
    nonce: str | None = None,
    header: dict[str, Any] | None = None,
    **claims: Any,
) -> str:
    """A DPoP proof; `header`/`claims` override (a None claim removes it)."""
    key = prover.key if isinstance(prover, DPoPProver) else prover
    alg = "ES256" if isinstance(key, ECKey) else "PS256"
    head: dict[str, Any] = {"typ": "dpop+jwt", "alg": alg, "jwk": dict(key.as_dict(private=False))}
    head.update(header or {})
    body: dict[str, Any] = {
        "jti": secrets.token_urlsafe(12),
        "htm": method,
        "htu": url,
        "iat": int(time.time()),
    }
    if access_token is not None:
        digest = hashlib.sha256(access_token.encode()).digest()
        body["ath"] = base64.urlsafe_b64encode(digest).decode().rstrip("=")
    if nonce is not None:
        body["nonce"] = nonce
    for name, value in claims.items():
        if value is None:
            body.pop(name, None)
        else:
            body[name] = value
    for name in [k for k, v in head.items() if v is None]:
        del head[name]
    return sign(key, head, body)


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
    return verifier, challenge


@dataclass
class Pushed:
    request_uri: str
    verifier: str
    state: str
    response: httpx.Response


def par_form(challenge: str, state: str, scope: str = BANK_SCOPES, **extra: str | None) -> dict[str, str]:
    form = {
        "response_type": "code",
        "redirect_uri": REDIRECT_URI,
        "scope": scope,
        "state": state,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    for name, value in extra.items():
        if value is None:
            form.pop(name, None)
        else:
            form[name] = value
    return form


def push(
    fapi: FapiSandbox,
    client: TestClient | None = None,
    prover: DPoPProver | None = None,
    scope: str = BANK_SCOPES,
    **extra: str | None,
) -> Pushed:
    """POST /oauth/par as `client` (with a DPoP proof of `prover` when given; binds the code)."""
    client = client or fapi.client
    verifier, challenge = pkce_pair()
    state = extra.pop("state", None) or secrets.token_urlsafe(8)
    form = par_form(challenge, state, scope, **extra) | client.auth(fapi.issuer)
    headers = {}
    if prover is not None:
        headers["DPoP"] = proof(prover, "POST", fapi.url("/oauth/par"), nonce=fapi.nonce())
    response = httpx.post(fapi.url("/oauth/par"), data=form, headers=headers)
    request_uri = response.json().get("request_uri", "") if response.status_code == 201 else ""
    return Pushed(request_uri, verifier, state, response)


def bank_of(fapi: FapiSandbox, login_id: str) -> str:
    from sqlalchemy import select

    from renkei_sandbox.db.models import Customer

    with fapi.db.session() as session:
        bank = session.scalar(select(Customer.bank_code).where(Customer.login_id == login_id))
        assert bank is not None
        return bank


def consent(
    fapi: FapiSandbox,
    pushed: Pushed,
    login_id: str = "demo01",
    client: TestClient | None = None,
    decision: str = "approve",
    extra_query: dict[str, str] | None = None,
) -> str:
    """Browser steps: /authorize with client_id + request_uri, login, consent; the final redirect."""
    client = client or fapi.client
    params = {"client_id": client.client_id, "request_uri": pushed.request_uri, **(extra_query or {})}
    with httpx.Client(base_url=fapi.base_url, follow_redirects=False, timeout=30) as browser:
        start = browser.get("/oauth/authorize", params=params)
        assert start.status_code == 303, start.text
        login_page = browser.get(start.headers["location"])
        assert login_page.status_code == 200, login_page.text
        handle = hidden(login_page.text, "request_handle")
        form = {"csrf": hidden(login_page.text, "csrf"), "request_handle": handle, "login_id": login_id}
        form |= {"password": DEMO_PASSWORD, "bank_code": bank_of(fapi, login_id)}
        logged_in = browser.post("/login", data=form)
        assert logged_in.status_code == 303, logged_in.text
        page = browser.get(logged_in.headers["location"])
        assert page.status_code == 200, page.text
        ids = re.findall(r'name="(?:account_ids|card_ids)" value="([^"]+)"', page.text)
        data: dict[str, Any] = {
            "csrf": hidden(page.text, "csrf"),
            "request_handle": handle,
            "decision": decision,
            "account_ids": [i for i in ids if i.startswith("A")],
            "card_ids": [i for i in ids if i.startswith("C")],
        }
        done = browser.post("/consent", data=data)
        assert done.status_code == 303, done.text
        return str(done.headers["location"])


def token_request(
    fapi: FapiSandbox,
    form: dict[str, str],
    client: TestClient | None = None,
    prover: DPoPProver | None = None,
    dpop: str | None = None,
    auth: dict[str, str] | None = None,
) -> httpx.Response:
    client = client or fapi.client
    headers = {}
    if dpop is not None:
        headers["DPoP"] = dpop
    elif prover is not None:
        headers["DPoP"] = proof(prover, "POST", fapi.url("/oauth/token"), nonce=fapi.nonce())
    body = form | (auth if auth is not None else client.auth(fapi.issuer))
    return httpx.post(fapi.url("/oauth/token"), data=body, headers=headers)


def code_form(code: str, verifier: str) -> dict[str, str]:
    return {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT_URI,
        "code_verifier": verifier,
    }


@dataclass
class Tokens:
    access_token: str
    refresh_token: str
    prover: DPoPProver
    client: TestClient
    body: dict[str, Any] = field(default_factory=dict)


def authorized_code(
    fapi: FapiSandbox,
    login_id: str = "demo01",
    client: TestClient | None = None,
    prover: DPoPProver | None = None,
) -> tuple[str, Pushed]:
    pushed = push(fapi, client, prover)
    assert pushed.response.status_code == 201, pushed.response.text
    location = consent(fapi, pushed, login_id, client)
    return query_of(location)["code"], pushed


def full_flow(fapi: FapiSandbox, login_id: str = "demo01", client: TestClient | None = None) -> Tokens:
    """PAR (code bound to a new DPoP key) -> consent -> token with DPoP: the DPoP-bound tokens."""
    client = client or fapi.client
    prover = DPoPProver()
    code, pushed = authorized_code(fapi, login_id, client, prover)
    response = token_request(fapi, code_form(code, pushed.verifier), client, prover)
    assert response.status_code == 200, response.text
    body = response.json()
    return Tokens(body["access_token"], body["refresh_token"], prover, client, body)


def api_get(
    fapi: FapiSandbox, tokens: Tokens, path: str, scheme: str = "DPoP", dpop: str | None = None, **kw: Any
) -> httpx.Response:
    url = fapi.url(path)
    headers = {"Authorization": f"{scheme} {tokens.access_token}"}
    if dpop is None:
        dpop = proof(tokens.prover, "GET", url, tokens.access_token, fapi.nonce())
    headers["DPoP"] = dpop
    headers.update(kw.pop("headers", {}))
    return httpx.get(url, headers=headers, **kw)


def hs256_with_public_key(key: Key, claims: dict[str, Any]) -> str:
    """The key-confusion attack: HS256 with the public key's JSON as the secret."""
    secret = OctKey.import_key(json.dumps(dict(key.as_dict(private=False))).encode())
    return sign(secret, {"alg": "HS256"}, claims)
