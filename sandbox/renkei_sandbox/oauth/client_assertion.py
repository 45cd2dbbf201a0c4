"""`private_key_jwt` client authentication (RFC 7523 §2.2, §3; OIDC Core §9), as FAPI 2.0 asks it:
PS256/ES256 only, `aud` exactly the issuer as a string (draft-ietf-oauth-rfc7523bis), `iss` = `sub` =
the client, an `exp` not far away, `iat`/`nbf` at most 10 s ahead, and each `jti` used once (in the
database, so every worker refuses a replay)."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime

import httpx
from joserfc.jwk import KeySet
from sqlalchemy.orm import Session

from renkei_sandbox.db.models import OAuthClient
from renkei_sandbox.oauth.client_auth import ClientAuthInput
from renkei_sandbox.oauth.clients import find_client
from renkei_sandbox.oauth.errors import invalid_client
from renkei_sandbox.oauth.jose import JoseInvalid, key_set_from_json, parse_unverified, verify_signature
from renkei_sandbox.oauth.replay import MAX_JTI_LENGTH, first_use

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
FUTURE_SKEW_SECONDS = 10
"""`iat`/`nbf` up to 10 s ahead are accepted (FAPI 2.0 §5.3.2.1-14: 0–10 s accepted, > 60 s refused)."""
MAX_LIFETIME_SECONDS = 600
"""An assertion may not be valid for longer than this from now (bounds the replay cache)."""
JWKS_FETCH_TIMEOUT_SECONDS = 5.0


def client_keys(client: OAuthClient) -> KeySet:
    """The client's registered public keys: inline, or fetched from its `jwks_uri` (each time, so that a key
    rotation there takes effect at once)."""
    if client.jwks:
        return key_set_from_json(client.jwks)
    if client.jwks_uri:
        try:
            response = httpx.get(client.jwks_uri, timeout=JWKS_FETCH_TIMEOUT_SECONDS, follow_redirects=False)
        except httpx.HTTPError as error:
            raise JoseInvalid(f"the client's jwks_uri cannot be read ({error.__class__.__name__})") from None
        if response.status_code != 200:
            raise JoseInvalid(f"the client's jwks_uri answered HTTP {response.status_code}")
        return key_set_from_json(response.content)
    raise JoseInvalid("the client has no registered keys")


class PrivateKeyJwt:
    method = "private_key_jwt"

    def __init__(self, issuer: str, clock: Callable[[], float] = time.time) -> None:
        self.issuer = issuer
        self.clock = clock

    def applies(self, given: ClientAuthInput) -> bool:
        return "client_assertion" in given.form or "client_assertion_type" in given.form

    def authenticate(self, session: Session, given: ClientAuthInput) -> OAuthClient:
        form = given.form
        if form.get("client_assertion_type") != ASSERTION_TYPE:
            raise invalid_client(f"client_assertion_type must be {ASSERTION_TYPE}")
        assertion = form.get("client_assertion") or ""
        try:
            _, claims = parse_unverified(assertion)
        except JoseInvalid as error:
            raise invalid_client(f"client_assertion: {error}") from None
        iss, sub = claims.get("iss"), claims.get("sub")
        if not isinstance(sub, str) or not sub:
            raise invalid_client("client_assertion: sub is required")
        if iss != sub:
            raise invalid_client("client_assertion: iss must equal sub (the client_id)")
        if form.get("client_id") not in (None, sub):
            raise invalid_client("client_id does not match the client assertion")
        client = find_client(session, sub)
        if client is None or client.token_endpoint_auth_method != self.method:
            raise invalid_client("client_assertion: unknown client, or not registered for private_key_jwt")
        try:
            verify_signature(assertion, client_keys(client))
        except JoseInvalid as error:
            raise invalid_client(f"client_assertion: {error}") from None
        self._check_claims(claims)
        keep_until = datetime.fromtimestamp(float(claims["exp"]) + FUTURE_SKEW_SECONDS, UTC)
        if not first_use(session, "client_assertion", f"{sub}\n{claims['jti']}", keep_until):
            raise invalid_client("client_assertion: jti was already used (replay)")
        return client

    def _check_claims(self, claims: dict[str, object]) -> None:
        aud = claims.get("aud")
        if not isinstance(aud, str) or aud != self.issuer:
            raise invalid_client("client_assertion: aud must be the issuer identifier, as a string")
        now = self.clock()
        exp = claims.get("exp")
        if not _is_number(exp):
            raise invalid_client("client_assertion: exp is required")
        assert isinstance(exp, int | float)
        if exp <= now:
            raise invalid_client("client_assertion: expired")
        if exp > now + MAX_LIFETIME_SECONDS:
            raise invalid_client(f"client_assertion: exp is more than {MAX_LIFETIME_SECONDS} s away")
        for name in ("iat", "nbf"):
            value = claims.get(name)
            if value is None:
                continue
            if not _is_number(value):
                raise invalid_client(f"client_assertion: {name} must be a number")
            assert isinstance(value, int | float)
            if value > now + FUTURE_SKEW_SECONDS:
                raise invalid_client(f"client_assertion: {name} is in the future")
        jti = claims.get("jti")
        if not isinstance(jti, str) or not jti or len(jti) > MAX_JTI_LENGTH:
            raise invalid_client("client_assertion: jti is required")


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
