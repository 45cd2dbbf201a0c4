"""The in-process scheduler: every worker runs due scheduled transfers every `interval` seconds.

Any number of workers may run it at once: the executor (services/due_transfers.py) locks each transfer row
(`FOR UPDATE SKIP LOCKED`), so each transfer runs exactly once. On shutdown the loop stops between runs and
a run in progress finishes (its transfers commit) before the worker exits.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import date

from sqlalchemy.exc import SQLAlchemyError

from renkei_sandbox.db.engine import Database
from renkei_sandbox.logs import log_event
from renkei_sandbox.ops.metrics import SCHEDULED_EXECUTED
from renkei_sandbox.services.due_transfers import run_due_transfers

_logger = logging.getLogger("renkei.sandbox.scheduler")


class Scheduler:
    def __init__(self, db: Database, today: Callable[[], date], interval: float) -> None:
        self._db = db
        self._today = today
        self._interval = interval
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.runs = 0

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._loop(), name="renkei-scheduler")

    async def stop(self) -> None:
        """Stop between runs; a run in progress completes first (never cut off mid-transfer)."""
        self._stop.set()
        if self._task is not None:
            await asyncio.shield(self._task)

    async def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                # A thread, not the event loop: the executor's database calls block. Cancelling this await
                # would not stop the thread; `stop` only sets the event, so the run always finishes.
                ran = await asyncio.to_thread(run_due_transfers, self._db, self._today())
            except SQLAlchemyError:
                _logger.exception("scheduled transfers could not run; retrying after the interval")
                ran = 0
            self.runs += 1
            if ran:
                SCHEDULED_EXECUTED.inc(ran)
                log_event("scheduled_transfers_executed", count=ran)
            try:
                await asyncio.wait_for(self._stop.wait(), timeout=self._interval)
            except TimeoutError:
                pass
