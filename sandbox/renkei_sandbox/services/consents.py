"""The consent behind an access token, as its connector sees it (GET/DELETE /banks/{bankCode}/consent):
the scopes, the shared accounts, when it was given and until when it lasts; revoking it kills every token of
the grant, as the customer's own revocation does."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from renkei_sandbox import audit
from renkei_sandbox.access import AccessPrincipal
from renkei_sandbox.config import CONSENT_LIFETIME_DAYS
from renkei_sandbox.db.engine import Database
from renkei_sandbox.db.models import Account, Grant, GrantResource
from renkei_sandbox.oauth.tokens import revoke_grant
from renkei_sandbox.services.accounts import check_bank
from renkei_sandbox.services.errors import not_found


@dataclass(frozen=True)
class ConsentView:
    grant: Grant
    account_ids: list[str]

    @property
    def expires_at(self) -> datetime:
        return self.grant.created_at + timedelta(days=CONSENT_LIFETIME_DAYS)


def _grant(session: Session, principal: AccessPrincipal, bank_code: str) -> Grant:
    check_bank(principal, bank_code)
    grant = session.get(Grant, principal.grant_pk)
    if grant is None or grant.revoked_at is not None:
        raise not_found()
    return grant


def get_consent(session: Session, principal: AccessPrincipal, bank_code: str) -> ConsentView:
    grant = _grant(session, principal, bank_code)
    account_ids = list(
        session.scalars(
            select(Account.account_id)
            .join(GrantResource, GrantResource.account_pk == Account.id)
            .where(GrantResource.grant_pk == grant.id)
            .order_by(Account.account_id)
        )
    )
    return ConsentView(grant, account_ids)


def revoke_consent(db: Database, principal: AccessPrincipal, bank_code: str) -> None:
    with db.write_session() as session, session.begin():
        grant = _grant(session, principal, bank_code)
        revoke_grant(session, grant.id)
        audit.record_grant_event(
            session, audit.CONSENT_REVOKED, grant.id, principal.client_id, {"by": "client-api"}
        )
