"""Run scheduled transfers whose date has come, exactly once however many workers and hosts try at once.

Each transfer runs in its own database transaction that first takes the transfer's row lock with
`SELECT ... FOR UPDATE SKIP LOCKED` (PostgreSQL): a second executor skips a transfer that another one is
running and takes the next; once the first commits, the transfer is no longer open and nobody selects it
again. The status change, the ledger postings and the balances commit together, so a worker killed midway
leaves the transfer open (its transaction rolls back) and the next run executes it. On SQLite the write
transaction (BEGIN IMMEDIATE) holds the database's write lock, which serialises executors the same way.

The seam: `transfers.execute_scheduled(session, transfer)` runs one locked transfer; this module decides
which transfer, when and under which lock.
"""

from __future__ import annotations

import logging
from datetime import date

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from renkei_sandbox.db.engine import Database
from renkei_sandbox.db.models import Transfer
from renkei_sandbox.db.models.transfers import TRANSFER_ACCEPTED, TRANSFER_SCHEDULED
from renkei_sandbox.services import transfers

OPEN_STATUSES = (TRANSFER_ACCEPTED, TRANSFER_SCHEDULED)
_logger = logging.getLogger("renkei.sandbox.due_transfers")


def _due(today: date, skip: set[int]) -> ColumnElement[bool]:
    condition = Transfer.status.in_(OPEN_STATUSES) & (Transfer.transfer_date <= today)
    return condition & Transfer.id.notin_(skip) if skip else condition


def any_due(session: Session, today: date) -> bool:
    """Cheap check (no lock, no write transaction) whether a run would find anything."""
    return session.scalar(select(Transfer.id).where(_due(today, set())).limit(1)) is not None


def run_due_transfers(db: Database, today: date) -> int:
    """Execute every open transfer dated `today` or earlier, one transaction each; returns how many ran
    (a transfer that fails for lack of funds is marked failed and not counted)."""
    with db.session() as session:
        if not any_due(session, today):
            return 0
    ran = 0
    broken: set[int] = set()
    while True:
        with db.write_session() as session, session.begin():
            transfer = session.scalar(
                select(Transfer)
                .where(_due(today, broken))
                .order_by(Transfer.transfer_date, Transfer.id)
                .limit(1)
                .with_for_update(skip_locked=True)
            )
            if transfer is None:
                return ran
            transfer_pk = transfer.id
            try:
                with session.begin_nested():
                    if transfers.execute_scheduled(session, transfer):
                        ran += 1
            except Exception:  # one broken transfer must not stop the others; it stays open for a later run
                _logger.exception("scheduled transfer %s could not run", transfer_pk)
                broken.add(transfer_pk)
