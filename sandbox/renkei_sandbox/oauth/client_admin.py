"""Operator actions on registered clients: list, retire (`clients remove`) and add a redirect URI.

A removed client is retired, not deleted: its transfers and audit events keep naming it. Retiring revokes
every grant (and so every token) of it and clears its credentials and redirect URIs, so it can neither
authenticate at the token endpoint nor start an authorization.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from renkei_sandbox.audit import CONSENT_REVOKED, record_grant_event
from renkei_sandbox.db.models import Grant, OAuthClient
from renkei_sandbox.oauth.clients import ClientRegistrationError, find_client, validate_redirect_uri
from renkei_sandbox.oauth.tokens import revoke_grant


class UnknownClient(LookupError):
    def __init__(self, client_id: str) -> None:
        super().__init__(f"no client {client_id!r} (see `renkei sandbox clients list`)")


@dataclass(frozen=True)
class ClientSummary:
    client_id: str
    name: str
    redirect_uris: list[str]
    auth_method: str
    created_at: datetime
    active_grants: int
    registration_number: str | None = None
    checklist_status: str = "not_submitted"
    suspended: bool = False


def is_retired(client: OAuthClient) -> bool:
    return not client.redirect_uris


def list_clients(session: Session, include_retired: bool = False) -> list[ClientSummary]:
    summaries = []
    for client in session.scalars(select(OAuthClient).order_by(OAuthClient.id)):
        if is_retired(client) and not include_retired:
            continue
        grants = session.scalars(
            select(Grant.id).where(Grant.client_pk == client.id, Grant.revoked_at.is_(None))
        ).all()
        summaries.append(
            ClientSummary(
                client.client_id,
                client.name,
                list(client.redirect_uris),
                client.token_endpoint_auth_method,
                client.created_at,
                len(grants),
                client.registration_number,
                client.checklist_status,
                client.suspended_at is not None,
            )
        )
    return summaries


def remove_client(session: Session, client_id: str) -> int:
    """Retire the client; returns how many live grants were revoked."""
    client = find_client(session, client_id)
    if client is None or is_retired(client):
        raise UnknownClient(client_id)
    grants = session.scalars(
        select(Grant.id).where(Grant.client_pk == client.id, Grant.revoked_at.is_(None))
    ).all()
    for grant_pk in grants:
        revoke_grant(session, grant_pk)
        record_grant_event(session, CONSENT_REVOKED, grant_pk, client.client_id, {"by": "operator"})
    client.secret_hash = None
    client.jwks = None
    client.redirect_uris = []
    session.flush()
    return len(grants)


def add_redirect_uri(session: Session, client_id: str, uri: str) -> bool:
    """Register one more exact redirect URI for a live client; False when it was already registered."""
    client = find_client(session, client_id)
    if client is None or is_retired(client):
        raise UnknownClient(client_id)
    validate_redirect_uri(uri)
    if uri in client.redirect_uris:
        return False
    if len(client.redirect_uris) >= 20:
        raise ClientRegistrationError(f"client {client_id} already has 20 redirect URIs")
    client.redirect_uris = [*client.redirect_uris, uri]  # a new list: the JSON column sees the change
    session.flush()
    return True
