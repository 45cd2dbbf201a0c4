"""Seeding is deterministic, believable and keeps every balance consistent with its history."""

from __future__ import annotations

import hashlib
import itertools
from pathlib import Path

import pytest
from sandbox_harness import TEST_TODAY, fresh_database
from sqlalchemy import func, select

from renkei_sandbox.db.engine import Database
from renkei_sandbox.db.models import (
    Account,
    Bank,
    Card,
    CardUsage,
    Customer,
    Statement,
    StatementBreakdown,
    Transaction,
)
from renkei_sandbox.passwords import verify_password
from renkei_sandbox.seed.seeder import DEMO_PASSWORD, seed


def seeded(tmp_path: Path, name: str) -> Database:
    db = fresh_database(tmp_path / name)
    with db.write_session() as session, session.begin():
        seed(session, 6, 1, seed_number=42, today=TEST_TODAY)
    return db


def fingerprint(db: Database) -> str:
    digest = hashlib.sha256()
    with db.session() as session:
        for row in session.execute(
            select(
                Transaction.transaction_id, Transaction.amount, Transaction.balance_after, Transaction.remarks
            ).order_by(Transaction.id)
        ):
            digest.update(repr(tuple(row)).encode())
        for row in session.execute(
            select(Account.account_id, Account.account_number, Account.balance).order_by(Account.id)
        ):
            digest.update(repr(tuple(row)).encode())
        for row in session.execute(select(CardUsage.usage_id, CardUsage.amount).order_by(CardUsage.id)):
            digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def test_same_seed_same_data(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, second = seeded(tmp_path, "a"), seeded(tmp_path, "b")
    try:
        assert fingerprint(first) == fingerprint(second)
    finally:
        first.dispose()
        second.dispose()


def test_seeded_data_is_consistent(tmp_path: Path) -> None:
    (tmp_path / "c").mkdir()
    db = seeded(tmp_path, "c")
    try:
        with db.session() as session:
            assert session.scalar(select(func.count()).select_from(Bank)) == 14
            customer = session.scalar(select(Customer).where(Customer.login_id == "demo01"))
            assert customer is not None and customer.bank_code == "2963"
            assert verify_password(DEMO_PASSWORD, customer.password_hash)
            for account in session.scalars(select(Account)):
                assert len(account.account_number) == 7
                assert 12 <= len(account.account_id) <= 29 and account.account_id.isalnum()
                last = session.scalar(
                    select(Transaction.balance_after)
                    .where(Transaction.account_pk == account.id)
                    .order_by(Transaction.transaction_date.desc(), Transaction.transaction_id.desc())
                    .limit(1)
                )
                if last is not None:
                    assert last == account.balance
                if account.kind == "deposit":
                    assert account.balance >= 0
            salaries = session.scalar(
                select(func.count()).select_from(Transaction).where(Transaction.transaction_type == "salary")
            )
            assert salaries and salaries >= 6 * 12
            for statement in session.scalars(select(Statement)):
                parts = session.scalars(
                    select(StatementBreakdown.amount).where(StatementBreakdown.statement_pk == statement.id)
                ).all()
                assert sum(parts) == statement.total_amount
            for card in session.scalars(select(Card)):
                assert card.masked_number.startswith("*" * 12)
    finally:
        db.dispose()


def test_bulk_history_leads_into_the_existing_history(tmp_path: Path) -> None:
    from renkei_sandbox.seed.bulk import add_bulk_history

    (tmp_path / "d").mkdir()
    db = seeded(tmp_path, "d")
    try:
        with db.write_session() as session, session.begin():
            account = session.scalar(select(Account).where(Account.deposit_type == "1").order_by(Account.id))
            assert account is not None
            before = account.balance
            assert add_bulk_history(session, account.id, 1_234, per_day=10) == 1_234
        with db.session() as session:
            rows = session.scalars(
                select(Transaction)
                .where(Transaction.account_pk == account.id)
                .order_by(Transaction.transaction_date, Transaction.transaction_id)
            ).all()
            assert len({row.transaction_id for row in rows}) == len(rows)
            for previous, current in itertools.pairwise(rows):
                assert current.balance_after == previous.balance_after + current.amount
            assert rows[-1].balance_after == before
            refreshed = session.get(Account, account.id)
            assert refreshed is not None and refreshed.balance == before
    finally:
        db.dispose()


def test_bulk_transactions_spread_over_every_ordinary_account_keep_balances_consistent(
    tmp_path: Path,
) -> None:
    from renkei_sandbox.seed.bulk import spread_bulk_history

    (tmp_path / "e").mkdir()
    db = seeded(tmp_path, "e")
    try:
        with db.session() as session:
            balances = dict(
                session.execute(select(Account.id, Account.balance).where(Account.deposit_type == "1")).all()
            )
            before = session.scalar(select(func.count()).select_from(Transaction))
        reported: list[int] = []
        with db.write_session() as session, session.begin():
            rows, accounts = spread_bulk_history(session, 10_001, per_day=7, progress=reported.append)
        assert (rows, accounts) == (10_001, len(balances))
        assert sum(reported) == rows
        with db.session() as session:
            assert session.scalar(select(func.count()).select_from(Transaction)) == before + rows
            for account_pk, balance in balances.items():
                history = session.execute(
                    select(Transaction.amount, Transaction.balance_after)
                    .where(Transaction.account_pk == account_pk)
                    .order_by(Transaction.transaction_date, Transaction.transaction_id)
                ).all()
                for (_, previous), (amount, after) in itertools.pairwise(history):
                    assert after == previous + amount
                assert history[-1][1] == balance
    finally:
        db.dispose()


def test_first_start_seeding_draws_a_progress_bar_and_only_then(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`renkei serve`'s first start (prepare_database) seeds with a bar, as if stderr were a terminal;
    the second start, with data there, draws none."""
    import renkei_sandbox.progress
    from renkei_sandbox.seed.run import prepare_database

    monkeypatch.setattr(renkei_sandbox.progress, "wanted", lambda: True)
    db = Database.from_url(f"sqlite:///{tmp_path / 'first.sqlite3'}")
    summary = prepare_database(db, customers=3, years=1)
    assert summary is not None and summary.customers == 3
    drawn = capsys.readouterr().err
    assert "first start: seeding demo customers" in drawn and "3/3" in drawn
    assert prepare_database(db, customers=3, years=1) is None
    assert "seeding" not in capsys.readouterr().err
    db.dispose()
