"""Very long histories for benchmarks: `count` transactions on one account, inserted in large batches."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from renkei_sandbox.clock import JST
from renkei_sandbox.db.models import Account, Transaction
from renkei_sandbox.db.models.banking import transaction_id_for

BATCH = 50_000
_REMARKS = ("ATM ｼﾊﾗｲ", "ﾃﾞﾝｷﾘﾖｳｷﾝ", "ﾌﾘｺﾐ ｼﾝｿﾞｸ", "ｶ-ﾄﾞ ﾛｳｷﾝｶ-ﾄﾞ", "ｺﾝﾋﾞﾆ ATM")


def add_bulk_history(session: Session, account_pk: int, count: int, per_day: int = 100) -> int:
    """Prepend `count` small movements (about `per_day` a day) before the account's existing history,
    with running balances that lead into it; the current balance does not change. Returns rows inserted."""
    rng = random.Random(account_pk)
    account = session.get(Account, account_pk)
    if account is None:
        raise ValueError(f"no account with id {account_pk}")
    oldest = session.execute(
        select(Transaction.transaction_date, Transaction.amount, Transaction.balance_after)
        .where(Transaction.account_pk == account_pk)
        .order_by(Transaction.transaction_date, Transaction.transaction_id)
        .limit(1)
    ).first()
    if oldest is not None:
        last_day, closing = oldest[0] - timedelta(days=1), oldest[2] - oldest[1]
    else:
        last_day, closing = date.today(), account.balance
    amounts = [rng.choice((-1, 1)) * rng.randrange(100, 20_000, 100) for _ in range(count)]
    balances = [0] * count
    running = closing
    for index in range(count - 1, -1, -1):
        balances[index] = running
        running -= amounts[index]
    start = last_day - timedelta(days=-(-count // per_day) - 1)
    next_pk = (session.scalar(select(func.max(Transaction.id))) or 0) + 1
    inserted = 0
    for offset in range(0, count, BATCH):
        rows = []
        for index in range(offset, min(offset + BATCH, count)):
            day = start + timedelta(days=index // per_day)
            pk = next_pk + index
            rows.append(
                {
                    "id": pk,
                    "transaction_id": transaction_id_for(day, pk),
                    "account_pk": account_pk,
                    "transaction_date": day,
                    "value_date": day,
                    "transaction_type": "bulk",
                    "amount": amounts[index],
                    "balance_after": balances[index],
                    "remarks": _REMARKS[index % len(_REMARKS)],
                    "posted_at": datetime.combine(day, time(12, 0), JST).astimezone(UTC),
                }
            )
        session.execute(insert(Transaction), rows)
        inserted += len(rows)
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text(
                "SELECT setval(pg_get_serial_sequence('transactions', 'id'),"
                " (SELECT max(id) FROM transactions))"
            )
        )
    return inserted
