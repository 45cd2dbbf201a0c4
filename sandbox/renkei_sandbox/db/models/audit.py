"""The audit trail: one row per security-relevant event, appended and never changed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from renkei_sandbox.db.base import Base


class AuditEvent(Base):
    """What happened (`kind`), when, from where, for whom and on what; never a secret.

    No foreign keys: an event outlives the rows it names (expired tokens and keys are purged). The
    database refuses UPDATE and DELETE on this table (triggers of migration 0002).
    """

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_kind_occurred", "kind", "occurred_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime]
    kind: Mapped[str] = mapped_column(String(40))
    interaction_id: Mapped[str | None] = mapped_column(String(64))
    """The request's `x-fapi-interaction-id` (ties the event to the access log)."""
    source_address: Mapped[str | None] = mapped_column(String(45))
    client_id: Mapped[str | None] = mapped_column(String(64))
    customer_id: Mapped[int | None]
    login_id: Mapped[str | None] = mapped_column(String(64))
    """For login failures: the login id as typed (it may name nobody)."""
    bank_code: Mapped[str | None] = mapped_column(String(4))
    resource: Mapped[str | None] = mapped_column(String(120))
    """What the event is about, as an API path tail: `transfers/{transferId}`, `accounts/{accountId}`..."""
    details: Mapped[dict[str, str | int | None]] = mapped_column(JSON)
