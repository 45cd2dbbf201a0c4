"""Scheduled transfers run exactly once when several executors race (threads here; processes in
test_sandbox_two_processes.py): each transfer's ledger legs exist once and no money appears or vanishes."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

from sandbox_harness import TEST_TODAY, seeded_database
from sandbox_principals import deposit_accounts, money_in_system, principal_for
from sqlalchemy import func, select

from renkei_sandbox.db.models import LedgerEntry, OAuthClient, Transfer
from renkei_sandbox.oauth.clients import register_client
from renkei_sandbox.services import transfers
from renkei_sandbox.services.due_transfers import run_due_transfers
from renkei_sandbox.services.errors import Conflict
from renkei_sandbox.services.transfers import Payee, TransferInput

RUN_ON = date(2026, 11, 24)  # the next business day after TEST_TODAY (Fri) and 勤労感謝の日 (Mon)
EXTERNAL = Payee("0005", "001", "1", "1234567")
LOGINS = ("demo01", "demo02", "demo03", "demo04")
PER_CUSTOMER = 3
EXECUTORS = 4


def test_racing_executors_run_each_scheduled_transfer_once(tmp_path: Path) -> None:
    db = seeded_database(tmp_path)
    with db.write_session() as session, session.begin():
        client_id = register_client(session, "app", ["https://app.example/cb"]).client_id
    scheduled = []
    for login in LOGINS:
        principal = principal_for(db, login, client_id)
        payer = deposit_accounts(db, login)[0]
        for n in range(PER_CUSTOMER):
            body = TransferInput(payer.account_id, RUN_ON, None, EXTERNAL, "ﾃｽﾄ ﾀﾛｳ", 1_000 + n)
            view, _ = transfers.create_transfer(
                db, principal, principal.bank_code, f"{login}-{n}", body, TEST_TODAY
            )
            assert view.transfer.status == "scheduled"
            scheduled.append(view.transfer.id)
    total = money_in_system(db)

    counts: list[int] = []
    errors: list[BaseException] = []
    start = threading.Barrier(EXECUTORS)

    def executor() -> None:
        try:
            start.wait()
            counts.append(run_due_transfers(db, RUN_ON))
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=executor) for _ in range(EXECUTORS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert sum(counts) == len(scheduled)
    with db.session() as session:
        statuses = session.scalars(select(Transfer.status).where(Transfer.id.in_(scheduled))).all()
        assert set(statuses) == {"completed"}
        legs = dict(
            session.execute(
                select(LedgerEntry.transfer_pk, func.count())
                .where(LedgerEntry.transfer_pk.in_(scheduled))
                .group_by(LedgerEntry.transfer_pk)
            ).all()
        )
    assert len(legs) == len(scheduled) and len(set(legs.values())) == 1  # every transfer posted exactly once
    assert money_in_system(db) == total
    assert run_due_transfers(db, RUN_ON) == 0


def test_a_cancellation_never_overwrites_an_execution(tmp_path: Path) -> None:
    db = seeded_database(tmp_path)
    with db.write_session() as session, session.begin():
        client_id = register_client(session, "app", ["https://app.example/cb"]).client_id
    principal = principal_for(db, "demo05", client_id)
    payer = deposit_accounts(db, "demo05")[0]
    body = TransferInput(payer.account_id, RUN_ON, None, EXTERNAL, "ﾃｽﾄ ﾀﾛｳ", 2_000)
    view, _ = transfers.create_transfer(db, principal, principal.bank_code, "cancel-race", body, TEST_TODAY)
    outcomes: list[str] = []

    def cancel() -> None:
        try:
            transfers.cancel_transfer(db, principal, principal.bank_code, view.transfer.transfer_id)
            outcomes.append("cancelled")
        except Conflict:
            outcomes.append("too late")

    runner = threading.Thread(target=lambda: outcomes.append(f"ran {run_due_transfers(db, RUN_ON)}"))
    canceller = threading.Thread(target=cancel)
    runner.start()
    canceller.start()
    runner.join(timeout=60)
    canceller.join(timeout=60)
    with db.session() as session:
        transfer = session.get(Transfer, view.transfer.id)
        legs = session.scalar(select(func.count()).where(LedgerEntry.transfer_pk == view.transfer.id))
        client = session.scalar(select(OAuthClient).where(OAuthClient.client_id == client_id))
    assert transfer is not None and client is not None
    # Either the cancellation came first (nothing posted) or the execution did (cancel refused): never both.
    if transfer.status == "cancelled":
        assert legs == 0 and "cancelled" in outcomes and "ran 0" in outcomes
    else:
        assert transfer.status == "completed" and legs and outcomes.count("too late") == 1
