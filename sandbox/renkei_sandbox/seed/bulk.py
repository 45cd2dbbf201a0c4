"""Very long histories (benchmarks, data-scale tests): many transactions per account, written in bulk.

PostgreSQL gets `COPY transactions FROM STDIN` (psycopg's copy protocol, one stream per account); SQLite
multi-row INSERTs in batches. Each account's new rows are prepended before its existing history, with
running balances that lead into it, so the current balance does not change and every balance stays
consistent with the movements.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from renkei_sandbox.clock import JST
from renkei_sandbox.db.models import Account, Transaction
from renkei_sandbox.db.models.banking import ACCOUNT_KIND_DEPOSIT

BATCH = 50_000
_REMARKS = ("ATM ｼﾊﾗｲ", "ﾃﾞﾝｷﾘﾖｳｷﾝ", "ﾌﾘｺﾐ ｼﾝｿﾞｸ", "ｶ-ﾄﾞ ﾛｳｷﾝｶ-ﾄﾞ", "ｺﾝﾋﾞﾆ ATM")
_COLUMNS = (
    "id",
    "transaction_id",
    "account_pk",
    "transaction_date",
    "value_date",
    "transaction_type",
    "amount",
    "balance_after",
    "remarks",
    "posted_at",
)
Progress = Callable[[int], None]
"""Called with the number of rows just written."""


def add_bulk_history(
    session: Session, account_pk: int, count: int, per_day: int = 100, progress: Progress | None = None
) -> int:
    """Prepend `count` small movements (about `per_day` a day) before the account's existing history.
    Returns rows inserted."""
    next_pk = (session.scalar(select(func.max(Transaction.id))) or 0) + 1
    inserted = _write(session, _rows(session, account_pk, count, per_day, next_pk), progress)
    _after_bulk_load(session)
    return inserted


def spread_bulk_history(
    session: Session, total: int, per_day: int = 100, progress: Progress | None = None
) -> tuple[int, int]:
    """`total` movements spread evenly over every ordinary deposit account (普通預金); returns (rows,
    accounts)."""
    accounts = list(
        session.scalars(
            select(Account.id)
            .where(Account.kind == ACCOUNT_KIND_DEPOSIT, Account.deposit_type == "1")
            .order_by(Account.id)
        )
    )
    if not accounts:
        raise ValueError("no ordinary deposit accounts to grow (seed customers first)")
    next_pk = (session.scalar(select(func.max(Transaction.id))) or 0) + 1
    inserted = 0
    for index, account_pk in enumerate(accounts):
        count = total // len(accounts) + (1 if index < total % len(accounts) else 0)
        if count:
            inserted += _write(session, _rows(session, account_pk, count, per_day, next_pk), progress)
            next_pk += count
    _after_bulk_load(session)
    return inserted, len(accounts)


def _rows(
    session: Session, account_pk: int, count: int, per_day: int, first_pk: int
) -> Iterator[tuple[Any, ...]]:
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
    opening = closing - sum(amounts)
    start = last_day - timedelta(days=-(-count // per_day) - 1)
    return _generate(account_pk, amounts, opening, start, per_day, first_pk)


def _generate(
    account_pk: int, amounts: list[int], opening: int, start: date, per_day: int, first_pk: int
) -> Iterator[tuple[Any, ...]]:
    count = len(amounts)
    running = opening
    day, stamp, prefix = start, None, ""
    for index in range(count):
        if index % per_day == 0:
            day = start + timedelta(days=index // per_day)
            stamp = datetime.combine(day, time(12, 0), JST).astimezone(UTC)
            prefix = f"{day:%Y%m%d}"
        running += amounts[index]
        pk = first_pk + index
        yield (
            pk,
            f"{prefix}{pk:012d}",  # transaction_id_for(day, pk)
            account_pk,
            day,
            day,
            "bulk",
            amounts[index],
            running,
            _REMARKS[index % len(_REMARKS)],
            stamp,
        )


def _write(session: Session, rows: Iterator[tuple[Any, ...]], progress: Progress | None) -> int:
    if session.get_bind().dialect.name == "postgresql":
        return _copy(session, rows, progress)
    written = 0
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(dict(zip(_COLUMNS, row, strict=True)))
        if len(batch) == BATCH:
            written += _insert(session, batch, progress)
            batch = []
    if batch:
        written += _insert(session, batch, progress)
    return written


def _insert(session: Session, batch: list[dict[str, Any]], progress: Progress | None) -> int:
    session.execute(insert(Transaction), batch)
    if progress is not None:
        progress(len(batch))
    return len(batch)


def _copy(session: Session, rows: Iterator[tuple[Any, ...]], progress: Progress | None) -> int:
    """COPY over the session's own connection (same transaction): rows stream, nothing is built up."""
    connection = session.connection().connection.driver_connection
    assert connection is not None
    written = 0
    with (
        connection.cursor() as cursor,
        cursor.copy(f"COPY transactions ({', '.join(_COLUMNS)}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)
            written += 1
            if progress is not None and written % BATCH == 0:
                progress(BATCH)
    if progress is not None and written % BATCH:
        progress(written % BATCH)
    return written


def _after_bulk_load(session: Session) -> None:
    """PostgreSQL: move the id sequence past the rows written with explicit ids, refresh the planner's
    statistics (an index scan for one account's page stays the plan at millions of rows)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text(
                "SELECT setval(pg_get_serial_sequence('transactions', 'id'),"
                " (SELECT max(id) FROM transactions))"
            )
        )
        session.execute(text("ANALYZE transactions"))
