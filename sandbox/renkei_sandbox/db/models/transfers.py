"""Transfers, the double-entry ledger and idempotency records."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from renkei_sandbox.db.base import Base

TRANSFER_ACCEPTED = "accepted"
TRANSFER_SCHEDULED = "scheduled"
TRANSFER_COMPLETED = "completed"
TRANSFER_CANCELLED = "cancelled"
TRANSFER_FAILED = "failed"
TRANSFER_PROCESSING = "processing"
"""手続中: being executed (inside the executing transaction)."""
TRANSFER_RETURNED = "returned"
"""資金返却: the payee bank could not credit it; the amount went back to the payer (the fee stays)."""
TRANSFER_RECALL_REQUESTED = "recall_requested"
TRANSFER_RECALLED = "recalled"
TRANSFER_RECALL_REJECTED = "recall_rejected"


class Transfer(Base):
    __tablename__ = "transfers"
    __table_args__ = (Index("ix_transfers_customer_accepted", "customer_id", "accepted_on", "transfer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    transfer_id: Mapped[str] = mapped_column(String(32), unique=True)
    bank_code: Mapped[str] = mapped_column(ForeignKey("banks.code"))
    client_pk: Mapped[int] = mapped_column(ForeignKey("oauth_clients.id"))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    payer_account_pk: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    payee_bank_code: Mapped[str] = mapped_column(String(4))
    payee_branch_code: Mapped[str] = mapped_column(String(3))
    payee_deposit_type: Mapped[str] = mapped_column(String(1))
    payee_account_number: Mapped[str] = mapped_column(String(7))
    payee_name_kana: Mapped[str] = mapped_column(String(48))
    payee_account_pk: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    """Set when the payee account is held at a sandbox bank (credited in the same database transaction)."""
    amount: Mapped[int] = mapped_column(BigInteger)
    fee: Mapped[int] = mapped_column(BigInteger)
    transfer_date: Mapped[date] = mapped_column(Date)
    """振込指定日 (a bank business day)."""
    remitter_name_kana: Mapped[str] = mapped_column(String(48))
    edi_info: Mapped[str | None] = mapped_column(String(20))
    apply_comment: Mapped[str | None] = mapped_column(String(100))
    holiday_code: Mapped[str | None] = mapped_column(String(1))
    """transferDateHolidayCode as requested (1: next business day, 2: previous, 3: error)."""
    status: Mapped[str] = mapped_column(String(16))
    failure_reason: Mapped[str | None] = mapped_column(String(100))
    """A FailureReason code of the spec (insufficient_funds, beneficiary_account_closed, ...)."""
    fail_on_execution: Mapped[str | None] = mapped_column(String(40))
    """Set by the sandbox operator (services/transfer_outcomes.arrange_failure): the scheduled transfer fails
    with this FailureReason when it runs."""
    returned_at: Mapped[datetime | None]
    recall_requested_at: Mapped[datetime | None]
    recall_resolved_at: Mapped[datetime | None]
    accepted_on: Mapped[date] = mapped_column(Date)
    """The acceptance date in JST (listTransfers filters on it)."""
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    executed_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]


class LedgerEntry(Base):
    """One leg of a double entry. Each transfer's entries sum to zero.

    A leg names either a customer account (`account_pk`) or a general-ledger account (`gl_code`:
    `fee_income`, `clearing_outbound`).
    """

    __tablename__ = "ledger_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    transfer_pk: Mapped[int] = mapped_column(ForeignKey("transfers.id"), index=True)
    account_pk: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    gl_code: Mapped[str | None] = mapped_column(String(32))
    bank_code: Mapped[str] = mapped_column(String(4))
    amount: Mapped[int] = mapped_column(BigInteger)
    """Signed: positive credits the leg's account, negative debits it."""
    created_at: Mapped[datetime]


IDEMPOTENCY_IN_PROGRESS = "in_progress"
IDEMPOTENCY_COMPLETED = "completed"


class IdempotencyRecord(Base):
    """A claimed Idempotency-Key, scoped to a client and a customer (so to one bank).

    The unique (client, customer, key) index makes a concurrent duplicate fail fast. `owner` is the fencing
    token of the request that holds the claim (services/idempotency.py): only it may complete the record.
    """

    __tablename__ = "idempotency_records"
    __table_args__ = (UniqueConstraint("client_pk", "customer_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_pk: Mapped[int] = mapped_column(ForeignKey("oauth_clients.id"))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    key: Mapped[str] = mapped_column(String(40))
    fingerprint: Mapped[str] = mapped_column(String(64))
    """SHA-256 of the operation, the bank, the customer and the canonical request body."""
    state: Mapped[str] = mapped_column(String(16))
    owner: Mapped[str] = mapped_column(String(32))
    """The claim id (random) of the request that claimed the key last; a takeover replaces it."""
    claimed_at: Mapped[datetime]
    """When `owner` claimed the key (`created_at` stays the first request's time)."""
    transfer_pk: Mapped[int | None] = mapped_column(ForeignKey("transfers.id"))
    """The transfer the key created; a replay answers with its current state."""
    response_status: Mapped[int | None]
    response_body: Mapped[str | None] = mapped_column(Text)
    """For a request that failed: the error (JSON `{code, message}`) replayed to a retry."""
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
