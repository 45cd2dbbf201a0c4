"""The client registry: confidential clients with hashed secrets and exact redirect URIs."""

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
    client_secret: str
    name: str
    redirect_uris: list[str]


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


def register_client(session: Session, name: str, redirect_uris: list[str]) -> RegisteredClient:
    if not name.strip():
        raise ClientRegistrationError("client name must not be empty")
    if not redirect_uris:
        raise ClientRegistrationError("at least one redirect URI is required")
    for uri in redirect_uris:
        validate_redirect_uri(uri)
    client_id = "c_" + secrets.token_hex(16)
    client_secret = new_credential()
    session.add(
        OAuthClient(
            client_id=client_id,
            name=name.strip(),
            secret_hash=credential_hash(client_secret),
            redirect_uris=list(redirect_uris),
            token_endpoint_auth_method="client_secret_basic",
            created_at=utcnow(),
        )
    )
    session.flush()
    return RegisteredClient(client_id, client_secret, name.strip(), list(redirect_uris))


def find_client(session: Session, client_id: str | None) -> OAuthClient | None:
    if not client_id:
        return None
    return session.scalar(select(OAuthClient).where(OAuthClient.client_id == client_id))
