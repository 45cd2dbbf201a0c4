"""Transaction history with the date window rules and a keyset cursor over (transaction date, id)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from renkei_sandbox.access import AccessPrincipal
from renkei_sandbox.db.models import Account, Transaction
from renkei_sandbox.services.accounts import accessible_account
from renkei_sandbox.services.dates import DateWindow, date_window
from renkei_sandbox.services.pagination import Page, check_limit, in_window_after, take_page


@dataclass(frozen=True)
class TransactionPage:
    account: Account
    window: DateWindow
    page: Page[Transaction]


def list_transactions(
    session: Session,
    principal: AccessPrincipal,
    bank_code: str,
    account_id: str,
    date_from: date | None,
    date_to: date | None,
    limit: int,
    cursor: str | None,
    today: date,
) -> TransactionPage:
    account = accessible_account(session, principal, bank_code, account_id)
    check_limit(limit)
    first = None
    if date_from is None and date_to is not None:
        first = session.scalar(
            select(func.min(Transaction.transaction_date)).where(Transaction.account_pk == account.id)
        )
    window = date_window(date_from, date_to, today, first)
    query = (
        select(Transaction)
        .where(
            Transaction.account_pk == account.id,
            *in_window_after(cursor, Transaction.transaction_date, Transaction.transaction_id, window),
        )
        .order_by(Transaction.transaction_date, Transaction.transaction_id)
        .limit(limit + 1)
    )
    page = take_page(
        list(session.scalars(query)), limit, lambda t: (t.transaction_date.isoformat(), t.transaction_id)
    )
    return TransactionPage(account, window, page)
