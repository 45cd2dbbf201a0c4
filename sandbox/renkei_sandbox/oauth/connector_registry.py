"""The connector registry (利用者保護, API接続先の適格性): what the provider records about each
電子決済等代行業者 besides its OAuth credentials — 登録番号, purpose and contact (shown on the consent
page), the status of its API接続チェックリスト (spec/onboarding/connection-checklist.yaml), and whether
the provider suspended it."""

from __future__ import annotations

from sqlalchemy.orm import Session

from renkei_sandbox import audit
from renkei_sandbox.db.base import utcnow
from renkei_sandbox.db.models import OAuthClient
from renkei_sandbox.db.models.oauth import CHECKLIST_STATUSES
from renkei_sandbox.oauth.client_admin import UnknownClient
from renkei_sandbox.oauth.clients import ClientRegistrationError, find_client


def _client(session: Session, client_id: str) -> OAuthClient:
    client = find_client(session, client_id)
    if client is None:
        raise UnknownClient(client_id)
    return client


def record_registry(
    session: Session,
    client_id: str,
    registration_number: str | None = None,
    purpose: str | None = None,
    contact: str | None = None,
    checklist_status: str | None = None,
) -> OAuthClient:
    """Set the given registry items (None leaves an item as it is)."""
    client = _client(session, client_id)
    if checklist_status is not None and checklist_status not in CHECKLIST_STATUSES:
        raise ClientRegistrationError(f"checklist status must be one of {', '.join(CHECKLIST_STATUSES)}")
    for name, value in (
        ("registration_number", registration_number),
        ("purpose", purpose),
        ("contact", contact),
    ):
        if value is not None:
            if not value.strip():
                raise ClientRegistrationError(f"{name.replace('_', ' ')} must not be empty")
            setattr(client, name, value.strip())
    if checklist_status is not None:
        client.checklist_status = checklist_status
    session.flush()
    return client


def set_suspended(session: Session, client_id: str, suspended: bool) -> OAuthClient:
    """利用停止 / its end. A suspended client's tokens get 403 client_suspended at once and it gets no new
    tokens; its grants are kept, so that resuming restores them. Audited."""
    client = _client(session, client_id)
    client.suspended_at = utcnow() if suspended else None
    audit.record_event(
        session,
        audit.CLIENT_SUSPENDED if suspended else audit.CLIENT_RESUMED,
        client_id=client.client_id,
        customer_id=None,
        bank_code=None,
        resource=f"clients/{client.client_id}",
        details={},
    )
    session.flush()
    return client
