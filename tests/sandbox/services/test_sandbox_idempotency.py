"""Idempotency claims against a real database: a request held past the old 120 s claim window, a retry
meanwhile, then the first finishing — exactly one transfer; the fencing token; keys kept 24 hours."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from sandbox_harness import TEST_TODAY, seeded_database
from sandbox_principals import deposit_accounts, money_in_system, principal_for
from sqlalchemy import func, select

from renkei_sandbox.db.base import utcnow
from renkei_sandbox.db.engine import Database
from renkei_sandbox.db.models import Account, IdempotencyRecord, OAuthClient, Transfer
from renkei_sandbox.oauth.clients import register_client
from renkei_sandbox.services import checkpoints, idempotency, transfers
from renkei_sandbox.services.errors import Conflict
from renkei_sandbox.services.transfers import Payee, TransferInput, TransferView

EXTERNAL = Payee("0005", "001", "1", "1234567")
OLD_CLAIM_WINDOW = timedelta(seconds=121)
"""Past the 120 s after which the earlier code let a retry take over a running request's claim."""


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    database = seeded_database(tmp_path_factory.mktemp("idempotency"))
    with database.write_session() as session, session.begin():
        register_client(session, "app", ["https://app.example/cb"])
    yield database
    database.dispose()


def client_id(db: Database) -> str:
    with db.session() as session:
        found = session.scalar(select(OAuthClient.client_id).order_by(OAuthClient.id))
        assert found is not None
        return found


def balance(db: Database, account_pk: int) -> int:
    with db.session() as session:
        account = session.get(Account, account_pk)
        assert account is not None
        return account.balance


def transfers_of_key(db: Database, key: str) -> int:
    """Transfers carrying the key's amount marker (each test uses its own amount)."""
    with db.session() as session:
        record = session.scalar(select(IdempotencyRecord).where(IdempotencyRecord.key == key))
        assert record is not None
        return int(
            session.scalar(
                select(func.count()).select_from(Transfer).where(Transfer.apply_comment == f"key {key}")
            )
            or 0
        )


class Hold:
    """Pause the first request that reaches `point` with `key`, until released."""

    def __init__(self, point: str, key: str) -> None:
        self.point, self.key = point, key
        self.reached = threading.Event()
        self.release = threading.Event()
        self._armed = True

    def __call__(self, point: str, key: str) -> None:
        if point == self.point and key == self.key and self._armed:
            self._armed = False
            self.reached.set()
            assert self.release.wait(60), "never released"


@pytest.mark.parametrize("point", [checkpoints.CLAIMED, checkpoints.LEDGER_WRITTEN])
def test_a_retry_while_the_first_request_is_held_past_the_claim_window_never_doubles(
    db: Database, point: str
) -> None:
    principal = principal_for(db, "demo02", client_id(db))
    payer = deposit_accounts(db, "demo02")[0]
    key = f"held-{point}"
    body = TransferInput(
        payer.account_id, TEST_TODAY, None, EXTERNAL, "ﾃｽﾄ ﾀﾛｳ", 4_321, apply_comment=f"key {key}"
    )
    total, payer_before = money_in_system(db), balance(db, payer.id)
    started = utcnow()
    results: dict[str, tuple[TransferView, bool] | BaseException] = {}

    def send(name: str, now: datetime) -> None:
        try:
            results[name] = transfers.create_transfer(
                db, principal, principal.bank_code, key, body, TEST_TODAY, now=now
            )
        except BaseException as error:  # checked below
            results[name] = error

    hold = Hold(point, key)
    with checkpoints.installed(hold):
        first = threading.Thread(target=send, args=("first", started))
        first.start()
        assert hold.reached.wait(30)
        # The retry comes after the old claim window: the earlier code took the claim over here.
        retry = threading.Thread(target=send, args=("retry", started + OLD_CLAIM_WINDOW))
        retry.start()
        retry.join(timeout=1.0)  # PostgreSQL answers now (409 or done); SQLite waits for the write lock
        hold.release.set()
        first.join(timeout=30)
        retry.join(timeout=30)
    assert not first.is_alive() and not retry.is_alive()
    if point == checkpoints.LEDGER_WRITTEN and db.engine.dialect.name == "postgresql":
        # The first request's open ledger transaction holds the claim's row lock: the key is busy.
        assert isinstance(results["retry"], Conflict), results["retry"]
    if isinstance(results["retry"], Conflict):  # the first was still working: retry again
        send("retry", started + OLD_CLAIM_WINDOW)
    outcomes = [results["first"], results["retry"]]
    assert not [o for o in outcomes if isinstance(o, BaseException)], outcomes
    views = [o for o in outcomes if not isinstance(o, BaseException)]
    assert len({view.transfer.transfer_id for view, _ in views}) == 1
    assert sorted(created for _, created in views) == [False, True]
    assert transfers_of_key(db, key) == 1
    fee = views[0][0].transfer.fee
    assert balance(db, payer.id) == payer_before - 4_321 - fee
    assert money_in_system(db) == total


def test_only_the_owner_completes_a_claim(db: Database) -> None:
    principal = principal_for(db, "demo02", client_id(db))
    now = utcnow()
    mine, theirs = idempotency.new_owner(), idempotency.new_owner()
    record_pk = idempotency.register(db, principal.client_pk, principal.customer_id, "fenced", "f", mine, now)
    with db.write_session() as session, session.begin():
        claim = idempotency.claim(session, record_pk, "f", theirs, now)  # a takeover: no live owner
        assert claim == idempotency.Claim(record_pk, theirs)
    with db.write_session() as session, session.begin():
        with pytest.raises(idempotency.LostClaim):
            idempotency.complete(session, idempotency.Claim(record_pk, mine), transfer_pk=1)
    with db.session() as session:
        record = session.get(IdempotencyRecord, record_pk)
        assert record is not None
        assert (record.state, record.owner, record.transfer_pk) == ("in_progress", theirs, None)


def test_keys_are_kept_24_hours(db: Database) -> None:
    principal = principal_for(db, "demo02", client_id(db))
    payer = deposit_accounts(db, "demo02")[0]
    body = TransferInput(payer.account_id, TEST_TODAY, None, EXTERNAL, "ﾃｽﾄ ﾀﾛｳ", 77, apply_comment="key day")
    now = utcnow()
    first, _ = transfers.create_transfer(db, principal, principal.bank_code, "day", body, TEST_TODAY, now=now)
    later = now + timedelta(hours=23, minutes=59)
    again, created = transfers.create_transfer(
        db, principal, principal.bank_code, "day", body, TEST_TODAY, now=later
    )
    assert not created and again.transfer.transfer_id == first.transfer.transfer_id
    next_day = now + timedelta(hours=24, minutes=1)
    fresh, created = transfers.create_transfer(
        db, principal, principal.bank_code, "day", body, TEST_TODAY, now=next_day
    )
    assert created and fresh.transfer.transfer_id != first.transfer.transfer_id
