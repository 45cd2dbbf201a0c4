"""Grants and tokens issued without the browser consent step: for benchmarks and automated conformance runs.

Never exposed over HTTP; callers have direct database access (the operator of the sandbox).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from sqlalchemy.orm import Session

from renkei_sandbox.config import ACCESS_TOKEN_TTL_SECONDS, REFRESH_TOKEN_TTL_SECONDS
from renkei_sandbox.db.base import utcnow
from renkei_sandbox.db.models import Grant, GrantResource, OAuthClient
from renkei_sandbox.db.models.oauth import TOKEN_ACCESS, TOKEN_REFRESH
from renkei_sandbox.oauth.tokens import new_token


def grant_directly(
    session: Session,
    client: OAuthClient,
    customer_id: int,
    bank_code: str,
    scopes: Iterable[str],
    account_pks: Iterable[int] = (),
    card_pks: Iterable[int] = (),
    access_ttl_seconds: int = ACCESS_TOKEN_TTL_SECONDS,
    dpop_jkt: str | None = None,
) -> tuple[str, str]:
    """Record a consent as if the customer had approved it; returns (access token, refresh token), bound to
    the DPoP key of thumbprint `dpop_jkt` if given (the FAPI profile's API accepts only such tokens)."""
    grant = Grant(
        grant_id=secrets.token_hex(12),
        customer_id=customer_id,
        client_pk=client.id,
        bank_code=bank_code,
        scope=" ".join(scopes),
        created_at=utcnow(),
        revoked_at=None,
    )
    session.add(grant)
    session.flush()
    session.add_all([GrantResource(grant_pk=grant.id, account_pk=pk, card_pk=None) for pk in account_pks])
    session.add_all([GrantResource(grant_pk=grant.id, account_pk=None, card_pk=pk) for pk in card_pks])
    access = new_token(session, grant, TOKEN_ACCESS, grant.scope, access_ttl_seconds, dpop_jkt)
    refresh = new_token(session, grant, TOKEN_REFRESH, grant.scope, REFRESH_TOKEN_TTL_SECONDS, dpop_jkt)
    session.flush()
    return access, refresh
