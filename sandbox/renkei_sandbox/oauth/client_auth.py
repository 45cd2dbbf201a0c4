"""Client authentication at the token, revocation and introspection endpoints.

Each method is a strategy; `private_key_jwt` (a later issue) is one more `ClientAuthenticator`.
"""

from __future__ import annotations

import base64
import binascii
import hmac
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import unquote

from sqlalchemy.orm import Session

from renkei_sandbox.db.models import OAuthClient
from renkei_sandbox.oauth.clients import find_client
from renkei_sandbox.oauth.errors import invalid_client, invalid_request
from renkei_sandbox.secrets_util import credential_hash


@dataclass(frozen=True)
class ClientAuthInput:
    authorization: str | None
    form: Mapping[str, str]


class ClientAuthenticator(Protocol):
    method: str

    def applies(self, given: ClientAuthInput) -> bool: ...

    def authenticate(self, session: Session, given: ClientAuthInput) -> OAuthClient: ...


def _secret_matches(client: OAuthClient | None, secret: str) -> bool:
    expected = client.secret_hash if client is not None else None
    return expected is not None and hmac.compare_digest(expected, credential_hash(secret))


class ClientSecretBasic:
    method = "client_secret_basic"

    def applies(self, given: ClientAuthInput) -> bool:
        return (given.authorization or "").lower().startswith("basic ")

    def authenticate(self, session: Session, given: ClientAuthInput) -> OAuthClient:
        try:
            decoded = base64.b64decode((given.authorization or "")[6:].strip(), validate=True).decode()
            raw_id, raw_secret = decoded.split(":", 1)
        except (ValueError, binascii.Error, UnicodeDecodeError) as error:
            raise invalid_client("malformed Basic credentials") from error
        client_id, secret = unquote(raw_id), unquote(raw_secret)
        if given.form.get("client_id") not in (None, client_id):
            raise invalid_client("client_id does not match the authenticated client")
        client = find_client(session, client_id)
        if client is None or not _secret_matches(client, secret):
            raise invalid_client()
        return client


class ClientSecretPost:
    method = "client_secret_post"

    def applies(self, given: ClientAuthInput) -> bool:
        return "client_secret" in given.form

    def authenticate(self, session: Session, given: ClientAuthInput) -> OAuthClient:
        client = find_client(session, given.form.get("client_id"))
        if client is None or not _secret_matches(client, given.form.get("client_secret", "")):
            raise invalid_client()
        return client


DEFAULT_AUTHENTICATORS: tuple[ClientAuthenticator, ...] = (ClientSecretBasic(), ClientSecretPost())


def supported_methods(authenticators: Sequence[ClientAuthenticator] = DEFAULT_AUTHENTICATORS) -> list[str]:
    return [a.method for a in authenticators]


def authenticate_client(
    session: Session,
    given: ClientAuthInput,
    authenticators: Sequence[ClientAuthenticator] = DEFAULT_AUTHENTICATORS,
) -> OAuthClient:
    """The authenticated client; exactly one method must be used (RFC 6749 §2.3)."""
    applicable = [a for a in authenticators if a.applies(given)]
    if len(applicable) > 1:
        raise invalid_request("more than one client authentication method used")
    if not applicable:
        raise invalid_client("client authentication required")
    return applicable[0].authenticate(session, given)
