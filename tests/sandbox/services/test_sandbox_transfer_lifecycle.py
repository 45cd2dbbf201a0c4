"""The transfer lifecycle after acceptance, against a real database: an arranged failure (coded reason,
no money moves), 振込不能 → 資金返却 (amount back, fee kept), 組戻 accepted and refused, the states that
cannot be cancelled, and money conserved throughout (customer balances + general ledger)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from sandbox_harness import TEST_TODAY, seeded_database
from sandbox_principals import deposit_accounts, money_in_system, principal_for
from sqlalchemy import func, select
from test_sandbox_transfers import EXTERNAL, balance, client_ids, payee_of, request

from renkei_sandbox.db.base import utcnow
from renkei_sandbox.db.engine import Database
from renkei_sandbox.db.models import LedgerEntry, Transfer
from renkei_sandbox.oauth.clients import register_client
from renkei_sandbox.services import transfer_outcomes, transfers
from renkei_sandbox.services.due_transfers import run_due_transfers
from renkei_sandbox.services.errors import Conflict, InvalidRequest
from renkei_sandbox.services.transfers import Payee

RETURNING = Payee("0005", "001", "1", transfer_outcomes.RETURNED_ACCOUNT_NUMBER)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    database = seeded_database(tmp_path_factory.mktemp("lifecycle"))
    with database.write_session() as session, session.begin():
        register_client(session, "app", ["https://app.example/cb"])
    yield database
    database.dispose()


def _status(db: Database, transfer_id: str) -> Transfer:
    with db.session() as session:
        transfer = session.scalar(select(Transfer).where(Transfer.transfer_id == transfer_id))
        assert transfer is not None
        session.expunge(transfer)
        return transfer


def _legs_sum(db: Database, transfer_id: str) -> int:
    with db.session() as session:
        pk = session.scalar(select(Transfer.id).where(Transfer.transfer_id == transfer_id))
        return int(
            session.scalar(select(func.sum(LedgerEntry.amount)).where(LedgerEntry.transfer_pk == pk)) or 0
        )


def test_an_arranged_failure_fails_the_scheduled_transfer_with_its_code(db: Database) -> None:
    principal = principal_for(db, "demo02", client_ids(db)[0])
    payer = deposit_accounts(db, "demo02")[0]
    before, total = balance(db, payer.id), money_in_system(db)
    view, _ = transfers.create_transfer(
        db, principal, principal.bank_code, "arranged", request(db, payer, EXTERNAL, 800, date(2026, 11, 24)),
        TEST_TODAY,
    )  # fmt: skip
    transfer_id = view.transfer.transfer_id
    with db.write_session() as session, session.begin():
        with pytest.raises(InvalidRequest):
            transfer_outcomes.arrange_failure(session, transfer_id, "no_such_reason")
        transfer_outcomes.arrange_failure(session, transfer_id, "payer_account_restricted")
    assert run_due_transfers(db, date(2026, 11, 24)) == 0
    failed = _status(db, transfer_id)
    assert (failed.status, failed.failure_reason) == ("failed", "payer_account_restricted")
    assert balance(db, payer.id) == before and money_in_system(db) == total
    with pytest.raises(Conflict), db.write_session() as session, session.begin():
        transfer_outcomes.arrange_failure(session, transfer_id, "other")


def test_a_scheduled_transfer_without_funds_fails_as_insufficient_funds(db: Database) -> None:
    principal = principal_for(db, "demo03", client_ids(db)[0])
    payer = deposit_accounts(db, "demo03")[0]
    amount = min(balance(db, payer.id) + 1, 1_000_000)
    if amount <= balance(db, payer.id):
        pytest.skip("demo03's balance is above the per-transfer limit")
    view, _ = transfers.create_transfer(
        db, principal, principal.bank_code, "poor", request(db, payer, EXTERNAL, amount, date(2026, 11, 24)),
        TEST_TODAY,
    )  # fmt: skip
    run_due_transfers(db, date(2026, 11, 24))
    failed = _status(db, view.transfer.transfer_id)
    assert (failed.status, failed.failure_reason) == ("failed", "insufficient_funds")


def test_the_returning_test_account_gives_back_the_amount_and_keeps_the_fee(db: Database) -> None:
    principal = principal_for(db, "demo04", client_ids(db)[0])
    payer = deposit_accounts(db, "demo04")[0]
    before, total = balance(db, payer.id), money_in_system(db)
    view, _ = transfers.create_transfer(
        db, principal, principal.bank_code, "returned", request(db, payer, RETURNING, 2_500), TEST_TODAY
    )
    returned = _status(db, view.transfer.transfer_id)
    assert returned.status == "returned"
    assert returned.failure_reason == "beneficiary_account_closed"
    assert returned.executed_at is not None and returned.returned_at is not None
    assert balance(db, payer.id) == before - view.transfer.fee
    assert money_in_system(db) == total and _legs_sum(db, view.transfer.transfer_id) == 0
    with pytest.raises(Conflict):
        transfers.cancel_transfer(db, principal, principal.bank_code, view.transfer.transfer_id)


def test_a_recall_accepted_refunds_and_a_recall_refused_leaves_the_transfer(db: Database) -> None:
    principal = principal_for(db, "demo05", client_ids(db)[0])
    payer = deposit_accounts(db, "demo05")[0]
    payee_account = deposit_accounts(db, "demo14")[0]
    before, total = balance(db, payer.id), money_in_system(db)
    payee_before = balance(db, payee_account.id)
    internal = request(db, payer, payee_of(db, payee_account), 3_000)
    first, _ = transfers.create_transfer(db, principal, principal.bank_code, "recall-1", internal, TEST_TODAY)
    second, _ = transfers.create_transfer(
        db, principal, principal.bank_code, "recall-2", request(db, payer, EXTERNAL, 4_000), TEST_TODAY
    )
    fees = first.transfer.fee + second.transfer.fee
    now = utcnow()
    with db.write_session() as session, session.begin():
        with pytest.raises(Conflict):
            transfer_outcomes.resolve_recall(session, first.transfer.transfer_id, True, now)
        assert transfer_outcomes.request_recall(session, first.transfer.transfer_id, now).status == (
            "recall_requested"
        )
        transfer_outcomes.request_recall(session, second.transfer.transfer_id, now)
    with db.write_session() as session, session.begin():
        transfer_outcomes.resolve_recall(session, first.transfer.transfer_id, True, now)
        transfer_outcomes.resolve_recall(session, second.transfer.transfer_id, False, now)
    recalled, refused = _status(db, first.transfer.transfer_id), _status(db, second.transfer.transfer_id)
    assert (recalled.status, recalled.failure_reason) == ("recalled", "remitter_recall")
    assert (refused.status, refused.failure_reason) == ("recall_rejected", "recall_refused")
    assert recalled.recall_resolved_at is not None and refused.recall_requested_at is not None
    assert balance(db, payee_account.id) == payee_before
    assert balance(db, payer.id) == before - fees - 4_000
    assert money_in_system(db) == total
    assert _legs_sum(db, first.transfer.transfer_id) == 0


def test_only_a_completed_transfer_to_another_bank_can_be_returned(db: Database) -> None:
    principal = principal_for(db, "demo06", client_ids(db)[0])
    payer = deposit_accounts(db, "demo06")[0]
    later = request(db, payer, EXTERNAL, 100, date(2026, 11, 24))
    scheduled, _ = transfers.create_transfer(
        db, principal, principal.bank_code, "ret-sched", later, TEST_TODAY
    )
    with pytest.raises(Conflict), db.write_session() as session, session.begin():
        transfer_outcomes.return_transfer(session, scheduled.transfer.transfer_id, "other", utcnow())
    done, _ = transfers.create_transfer(
        db, principal, principal.bank_code, "ret-done", request(db, payer, EXTERNAL, 100), TEST_TODAY
    )
    with pytest.raises(InvalidRequest), db.write_session() as session, session.begin():
        transfer_outcomes.return_transfer(session, done.transfer.transfer_id, "remitter_recall", utcnow())
    with db.write_session() as session, session.begin():
        transfer_outcomes.return_transfer(
            session, done.transfer.transfer_id, "beneficiary_name_mismatch", utcnow()
        )
    assert _status(db, done.transfer.transfer_id).status == "returned"
