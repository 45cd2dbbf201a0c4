"""What a verified access token grants: the principal every domain service checks."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AccessPrincipal:
    """Who an access token speaks for and what it may reach."""

    grant_pk: int
    customer_id: int
    bank_code: str
    client_pk: int
    client_id: str
    scopes: frozenset[str]
    account_pks: frozenset[int]
    card_pks: frozenset[int]
    cnf_jkt: str | None = None
    """The DPoP key the access token is bound to (RFC 9449 `cnf.jkt`); None for a bearer token."""
