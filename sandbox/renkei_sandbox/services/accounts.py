"""Accounts and balances a token may see: its customer's consented accounts at its bank, nothing else."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from renkei_sandbox.access import AccessPrincipal
from renkei_sandbox.db.models import Account, Branch, Transaction
from renkei_sandbox.db.models.banking import ACCOUNT_KIND_CARD_LOAN
from renkei_sandbox.services.errors import Denied, not_found
from renkei_sandbox.services.pagination import Page, check_limit, decode_cursor, encode_cursor


@dataclass(frozen=True)
class AccountView:
    account: Account
    branch: Branch

    @property
    def is_card_loan(self) -> bool:
        return self.account.kind == ACCOUNT_KIND_CARD_LOAN


@dataclass(frozen=True)
class BalanceView:
    account: Account
    current: int
    withdrawable: int
    previous_day: int | None
    as_of: datetime
    previous_month_end: int | None = None
    """前月末残高: the balance after the last posting before the first day of this month."""


def check_bank(principal: AccessPrincipal, bank_code: str) -> None:
    """A token used on another bank's path gets the same 404 as an unknown resource."""
    if bank_code != principal.bank_code:
        raise Denied(principal, f"banks/{bank_code}", "other_bank")


def accessible_account(
    session: Session, principal: AccessPrincipal, bank_code: str, account_id: str
) -> Account:
    check_bank(principal, bank_code)
    account = session.scalar(select(Account).where(Account.account_id == account_id))
    if account is None:
        raise not_found()
    reason = None
    if account.customer_id != principal.customer_id:
        reason = "other_customer"
    elif account.bank_code != bank_code:
        reason = "other_bank"
    elif account.id not in principal.account_pks:
        reason = "not_consented"
    if reason is not None:
        raise Denied(principal, f"accounts/{account_id}", reason)
    return account


def list_accounts(
    session: Session, principal: AccessPrincipal, bank_code: str, limit: int = 100, cursor: str | None = None
) -> Page[AccountView]:
    check_bank(principal, bank_code)
    check_limit(limit)
    after = decode_cursor(cursor, 1)
    query = (
        select(Account, Branch)
        .join(Branch, Account.branch_id == Branch.id)
        .where(
            Account.id.in_(principal.account_pks),
            Account.bank_code == bank_code,
            Account.customer_id == principal.customer_id,
        )
        .order_by(Account.account_id)
        .limit(limit + 1)
    )
    if after is not None:
        query = query.where(Account.account_id > after[0])
    rows = [AccountView(a, b) for a, b in session.execute(query).all()]
    has_next = len(rows) > limit
    rows = rows[:limit]
    return Page(rows, encode_cursor(rows[-1].account.account_id) if has_next else None)


def get_account(session: Session, principal: AccessPrincipal, bank_code: str, account_id: str) -> AccountView:
    account = accessible_account(session, principal, bank_code, account_id)
    branch = session.get(Branch, account.branch_id)
    assert branch is not None
    return AccountView(account, branch)


def get_balance(
    session: Session, principal: AccessPrincipal, bank_code: str, account_id: str, today: date, now: datetime
) -> BalanceView:
    account = accessible_account(session, principal, bank_code, account_id)

    def balance_before(day: date) -> int | None:
        return session.scalar(
            select(Transaction.balance_after)
            .where(Transaction.account_pk == account.id, Transaction.transaction_date < day)
            .order_by(Transaction.transaction_date.desc(), Transaction.transaction_id.desc())
            .limit(1)
        )

    previous = balance_before(today)
    month_end = balance_before(today.replace(day=1))
    if account.kind == ACCOUNT_KIND_CARD_LOAN:
        withdrawable = max(0, account.credit_limit + account.balance)
    else:
        withdrawable = max(0, account.balance)
    return BalanceView(account, account.balance, withdrawable, previous, now, month_end)
