"""The client registry: confidential clients with exact redirect URIs, authenticated by private_key_jwt
(public keys as a JWK set, inline or at a `jwks_uri`: the FAPI profile) or by a hashed secret (plain)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from renkei_sandbox.db.base import utcnow
from renkei_sandbox.db.models import OAuthClient
from renkei_sandbox.secrets_util import credential_hash, new_credential


class ClientRegistrationError(ValueError):
    pass


@dataclass(frozen=True)
class RegisteredClient:
    client_id: str
    client_secret: str | None
    """None for a private_key_jwt client."""
    name: str
    redirect_uris: list[str]
    auth_method: str = "client_secret_basic"


def validate_redirect_uri(uri: str) -> None:
    """https URIs, or http on a loopback host (RFC 8252 §7.3); no fragment."""
    parts = urlsplit(uri)
    loopback = parts.hostname in {"127.0.0.1", "localhost", "::1"}
    if parts.scheme not in {"https", "http"} or not parts.netloc:
        raise ClientRegistrationError(f"redirect URI must be an absolute http(s) URI: {uri}")
    if parts.scheme == "http" and not loopback:
        raise ClientRegistrationError(f"redirect URI must use https unless it is a loopback address: {uri}")
    if parts.fragment:
        raise ClientRegistrationError(f"redirect URI must not have a fragment: {uri}")


def validate_jwks_uri(uri: str) -> None:
    """https, or http on a loopback host (local experiments); FAPI 2.0 §5.4: jwks_uri over TLS only."""
    parts = urlsplit(uri)
    loopback = parts.hostname in {"127.0.0.1", "localhost", "::1"}
    if (parts.scheme != "https" and not (parts.scheme == "http" and loopback)) or not parts.netloc:
        raise ClientRegistrationError(f"jwks_uri must be an https URI (http only on a loopback host): {uri}")


def register_client(
    session: Session,
    name: str,
    redirect_uris: list[str],
    jwks: str | None = None,
    jwks_uri: str | None = None,
) -> RegisteredClient:
    """A client with a secret (returned once), or with `jwks` (a JWK set of public keys, JSON) or a
    `jwks_uri`: then it authenticates with private_key_jwt and has no secret."""
    from renkei_sandbox.oauth.jose import JoseInvalid, key_set_from_json

    if not name.strip():
        raise ClientRegistrationError("client name must not be empty")
    if not redirect_uris:
        raise ClientRegistrationError("at least one redirect URI is required")
    for uri in redirect_uris:
        validate_redirect_uri(uri)
    if jwks is not None and jwks_uri is not None:
        raise ClientRegistrationError("give either a JWK set or a jwks_uri, not both")
    if jwks is not None:
        try:
            key_set_from_json(jwks)
        except JoseInvalid as error:
            raise ClientRegistrationError(f"the client's JWK set is not acceptable: {error}") from None
    if jwks_uri is not None:
        validate_jwks_uri(jwks_uri)
    client_id = "c_" + secrets.token_hex(16)
    with_keys = jwks is not None or jwks_uri is not None
    client_secret = None if with_keys else new_credential()
    method = "private_key_jwt" if with_keys else "client_secret_basic"
    session.add(
        OAuthClient(
            client_id=client_id,
            name=name.strip(),
            secret_hash=credential_hash(client_secret) if client_secret is not None else None,
            redirect_uris=list(redirect_uris),
            token_endpoint_auth_method=method,
            jwks=jwks,
            jwks_uri=jwks_uri,
            created_at=utcnow(),
        )
    )
    session.flush()
    return RegisteredClient(client_id, client_secret, name.strip(), list(redirect_uris), method)


def find_client(session: Session, client_id: str | None) -> OAuthClient | None:
    if not client_id:
        return None
    return session.scalar(select(OAuthClient).where(OAuthClient.client_id == client_id))
