"""Postings: a balance change plus its transaction-history row, and the double-entry ledger legs."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from renkei_sandbox.db.models import Account, LedgerEntry, Transaction
from renkei_sandbox.db.models.banking import transaction_id_for
from renkei_sandbox.services.zengin import Remitter, category_of

GL_FEE_INCOME = "fee_income"
GL_CLEARING_OUTBOUND = "clearing_outbound"
"""Funds sent to banks outside the sandbox (全銀 clearing)."""


class InsufficientFunds(Exception):
    pass


def post(
    session: Session,
    account_pk: int,
    day: date,
    amount: int,
    kind: str,
    remarks: str,
    now: datetime,
    floor: int = 0,
    remitter: Remitter | None = None,
) -> int:
    """Add `amount` (signed) to the balance atomically, never below `floor`; returns the new balance.
    A 振込 credit names its `remitter` (振込依頼人名, 仕向金融機関・支店, EDI) on the history row."""
    statement = update(Account).where(Account.id == account_pk).values(balance=Account.balance + amount)
    if amount < 0:
        statement = statement.where(Account.balance + amount >= floor)
    balance = session.execute(statement.returning(Account.balance)).scalar_one_or_none()
    if balance is None:
        raise InsufficientFunds
    row = Transaction(
        transaction_id=uuid.uuid4().hex,
        account_pk=account_pk,
        transaction_date=day,
        value_date=day,
        transaction_type=kind,
        amount=amount,
        balance_after=balance,
        remarks=remarks[:48],
        category=category_of(kind, remarks, amount),
        remitter_name_kana=remitter.name if remitter else None,
        remitter_bank_name_kana=remitter.bank_name if remitter else None,
        remitter_branch_name_kana=remitter.branch_name if remitter else None,
        edi_info=remitter.edi_info if remitter else None,
        posted_at=now,
    )
    session.add(row)
    session.flush()
    row.transaction_id = transaction_id_for(day, row.id)
    return balance


def leg(
    session: Session,
    transfer_pk: int,
    bank_code: str,
    amount: int,
    now: datetime,
    account_pk: int | None = None,
    gl_code: str | None = None,
) -> None:
    assert (account_pk is None) != (gl_code is None)
    session.add(
        LedgerEntry(
            transfer_pk=transfer_pk,
            account_pk=account_pk,
            gl_code=gl_code,
            bank_code=bank_code,
            amount=amount,
            created_at=now,
        )
    )
