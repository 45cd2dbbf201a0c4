"""Transaction history with the date window rules and a keyset cursor over (transaction date, id)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from sandbox.access import AccessPrincipal
from sandbox.db.models import Account, Transaction
from sandbox.services.accounts import accessible_account
from sandbox.services.dates import DateWindow, date_window
from sandbox.services.errors import InvalidRequest
from sandbox.services.pagination import Page, check_limit, decode_cursor, encode_cursor


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
    after = decode_cursor(cursor, 2)
    query = (
        select(Transaction)
        .where(
            Transaction.account_pk == account.id,
            Transaction.transaction_date >= window.date_from,
            Transaction.transaction_date <= window.date_to,
        )
        .order_by(Transaction.transaction_date, Transaction.transaction_id)
        .limit(limit + 1)
    )
    if after is not None:
        try:
            after_date = date.fromisoformat(after[0])
        except ValueError as error:
            raise InvalidRequest("cursor が不正です。", field="query.cursor") from error
        query = query.where(
            or_(
                Transaction.transaction_date > after_date,
                and_(Transaction.transaction_date == after_date, Transaction.transaction_id > after[1]),
            )
        )
    rows = list(session.scalars(query))
    has_next = len(rows) > limit
    rows = rows[:limit]
    cursor_out = (
        encode_cursor(rows[-1].transaction_date.isoformat(), rows[-1].transaction_id) if has_next else None
    )
    return TransactionPage(account, window, Page(rows, cursor_out))
