"""The audit trail (PCI DSS 10.2, FISC): append-only `audit_events` rows, written in the transaction of the
act they record, so that an event exists exactly when the act committed.

| kind | written when |
| --- | --- |
| `transfer.created` | a transfer was accepted (with its ledger postings) |
| `transfer.replayed` | a retry with the same Idempotency-Key got the earlier outcome |
| `transfer.conflicted` | an Idempotency-Key was in use (409) or reused with another body (422) |
| `transfer.cancelled` | a scheduled transfer was cancelled |
| `consent.granted` / `consent.revoked` | a customer approved a client; a grant was revoked (by whom: `by`) |
| `access.denied` | a token asked for a resource outside its consent: another customer's, bank's or client's |
| `authorization_code.reused` | a code was redeemed twice (its grant is revoked) |
| `login.failed` | a wrong login id, password or bank (the login id as typed, the source address) |

Callers pass identifiers only — never a password, token, code, verifier, secret or cookie; `record_event`
refuses detail fields named like one. The request's interaction id and source address are filled in.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from sqlalchemy.orm import Session

from renkei_sandbox.db.base import utcnow
from renkei_sandbox.db.models import AuditEvent, Grant
from renkei_sandbox.logs import interaction_id_var
from renkei_sandbox.request_source import source_address_var

TRANSFER_CREATED = "transfer.created"
TRANSFER_REPLAYED = "transfer.replayed"
TRANSFER_CONFLICTED = "transfer.conflicted"
TRANSFER_CANCELLED = "transfer.cancelled"
CONSENT_GRANTED = "consent.granted"
CONSENT_REVOKED = "consent.revoked"
ACCESS_DENIED = "access.denied"
CODE_REUSED = "authorization_code.reused"
LOGIN_FAILED = "login.failed"
CLIENT_SUSPENDED = "client.suspended"
CLIENT_RESUMED = "client.resumed"
KINDS = frozenset(
    {
        CLIENT_SUSPENDED,
        CLIENT_RESUMED,
        TRANSFER_CREATED,
        TRANSFER_REPLAYED,
        TRANSFER_CONFLICTED,
        TRANSFER_CANCELLED,
        CONSENT_GRANTED,
        CONSENT_REVOKED,
        ACCESS_DENIED,
        CODE_REUSED,
        LOGIN_FAILED,
    }
)

_SECRET_NAME = re.compile(r"password|secret|token|code_verifier|verifier|cookie|csrf|^code$", re.IGNORECASE)
Detail = str | int | None


def record_event(
    session: Session,
    kind: str,
    *,
    client_id: str | None = None,
    customer_id: int | None = None,
    login_id: str | None = None,
    bank_code: str | None = None,
    resource: str | None = None,
    details: Mapping[str, Detail] | None = None,
) -> None:
    """Append one event to the audit trail inside `session`'s transaction."""
    if kind not in KINDS:
        raise ValueError(f"unknown audit event kind {kind!r}")
    for name in details or {}:
        if _SECRET_NAME.search(name):
            raise ValueError(f"audit detail {name!r} looks like a secret; audit events never hold one")
    session.add(
        AuditEvent(
            occurred_at=utcnow(),
            kind=kind,
            interaction_id=interaction_id_var.get(),
            source_address=source_address_var.get(),
            client_id=client_id,
            customer_id=customer_id,
            login_id=login_id[:64] if login_id is not None else None,
            bank_code=bank_code,
            resource=resource[:120] if resource is not None else None,
            details=dict(details or {}),
        )
    )


def record_grant_event(
    session: Session,
    kind: str,
    grant_pk: int,
    client_id: str,
    details: Mapping[str, Detail] | None = None,
) -> None:
    """An event about one grant (a consent): its customer, bank and id filled in from the grant."""
    grant = session.get(Grant, grant_pk)
    record_event(
        session,
        kind,
        client_id=client_id,
        customer_id=grant.customer_id if grant else None,
        bank_code=grant.bank_code if grant else None,
        resource=f"grants/{grant.grant_id}" if grant else None,
        details=details,
    )
