"""Transfers against a real database: idempotency, limits, business days, cancel, the ledger, concurrency."""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta

import pytest
from sandbox_harness import TEST_TODAY, seeded_database
from sandbox_principals import deposit_accounts, money_in_system, principal_for
from sqlalchemy import func, select

from renkei_sandbox.db.engine import Database
from renkei_sandbox.db.models import Account, Branch, LedgerEntry, Transfer
from renkei_sandbox.oauth.clients import register_client
from renkei_sandbox.services import transfers
from renkei_sandbox.services.due_transfers import run_due_transfers
from renkei_sandbox.services.errors import Conflict, InvalidRequest, NotFound, Unprocessable
from renkei_sandbox.services.transfers import Payee, TransferInput

# 2026-11-20 is a Friday; 2026-11-23 (Mon) is 勤労感謝の日.
HOLIDAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    database = seeded_database(tmp_path_factory.mktemp("transfers"))
    with database.write_session() as session, session.begin():
        register_client(session, "app", ["https://app.example/cb"])
        register_client(session, "other", ["https://other.example/cb"])
    yield database
    database.dispose()


def client_ids(db: Database) -> list[str]:
    from renkei_sandbox.db.models import OAuthClient

    with db.session() as session:
        return list(session.scalars(select(OAuthClient.client_id).order_by(OAuthClient.id)))


def payee_of(db: Database, account: Account) -> Payee:
    with db.session() as session:
        branch = session.get(Branch, account.branch_id)
        assert branch is not None
        return Payee(branch.bank_code, branch.branch_code, account.deposit_type, account.account_number)


def balance(db: Database, account_pk: int) -> int:
    with db.session() as session:
        account = session.get(Account, account_pk)
        assert account is not None
        return account.balance


def request(
    db: Database, payer: Account, payee: Payee, amount: int = 1_000, day: date = TEST_TODAY
) -> TransferInput:
    return TransferInput(payer.account_id, day, None, payee, "ﾃｽﾄ ﾀﾛｳ", amount)


EXTERNAL = Payee("0005", "001", "1", "1234567")


def test_same_key_same_body_gives_the_same_transfer_once(db: Database) -> None:
    principal = principal_for(db, "demo01", client_ids(db)[0])
    payer = deposit_accounts(db, "demo01")[0]
    before = balance(db, payer.id)
    body = request(db, payer, EXTERNAL, 5_000)
    first, created = transfers.create_transfer(db, principal, principal.bank_code, "key-1", body, TEST_TODAY)
    again, created_again = transfers.create_transfer(
        db, principal, principal.bank_code, "key-1", body, TEST_TODAY
    )
    assert created and not created_again
    assert first.transfer.transfer_id == again.transfer.transfer_id
    assert first.transfer.status == "completed"
    assert len(first.transfer.transfer_id) == 16
    assert balance(db, payer.id) == before - 5_000 - first.transfer.fee


def test_same_key_other_body_is_422_and_changes_nothing(db: Database) -> None:
    principal = principal_for(db, "demo01", client_ids(db)[0])
    payer = deposit_accounts(db, "demo01")[0]
    transfers.create_transfer(
        db, principal, principal.bank_code, "key-2", request(db, payer, EXTERNAL, 100), TEST_TODAY
    )
    before = balance(db, payer.id)
    with pytest.raises(Unprocessable):
        transfers.create_transfer(
            db, principal, principal.bank_code, "key-2", request(db, payer, EXTERNAL, 200), TEST_TODAY
        )
    assert balance(db, payer.id) == before


@pytest.mark.parametrize("key", [None, "", "x" * 41, "spaces are not allowed"])
def test_missing_or_malformed_key_is_400(db: Database, key: str | None) -> None:
    principal = principal_for(db, "demo01", client_ids(db)[0])
    payer = deposit_accounts(db, "demo01")[0]
    with pytest.raises(InvalidRequest):
        transfers.create_transfer(
            db, principal, principal.bank_code, key, request(db, payer, EXTERNAL), TEST_TODAY
        )


def test_the_same_key_from_another_client_is_independent(db: Database) -> None:
    first_client, second_client = client_ids(db)
    payer = deposit_accounts(db, "demo01")[0]
    body = request(db, payer, EXTERNAL, 300)
    one = principal_for(db, "demo01", first_client)
    two = principal_for(db, "demo01", second_client)
    a, _ = transfers.create_transfer(db, one, one.bank_code, "shared-key", body, TEST_TODAY)
    b, created = transfers.create_transfer(db, two, two.bank_code, "shared-key", body, TEST_TODAY)
    assert created
    assert a.transfer.transfer_id != b.transfer.transfer_id


def test_limits(db: Database) -> None:
    principal = principal_for(db, "demo03", client_ids(db)[0])
    payer = deposit_accounts(db, "demo03")[0]
    with pytest.raises(Unprocessable, match="1回あたり"):
        transfers.create_transfer(
            db, principal, principal.bank_code, "big", request(db, payer, EXTERNAL, 1_000_001), TEST_TODAY
        )
    # Two scheduled transfers of 1,000,000 fill the day; a third yen is refused.
    day = TEST_TODAY + timedelta(days=4)  # Tuesday 2026-11-24
    for index in range(2):
        transfers.create_transfer(
            db,
            principal,
            principal.bank_code,
            f"day-{index}",
            request(db, payer, EXTERNAL, 1_000_000, day),
            TEST_TODAY,
        )
    with pytest.raises(Unprocessable, match="1日あたり"):
        transfers.create_transfer(
            db, principal, principal.bank_code, "day-3", request(db, payer, EXTERNAL, 1, day), TEST_TODAY
        )


def test_designated_date_must_be_a_business_day(db: Database) -> None:
    principal = principal_for(db, "demo01", client_ids(db)[0])
    payer = deposit_accounts(db, "demo01")[0]
    body = replace(request(db, payer, EXTERNAL, 100, HOLIDAY), holiday_code="3")
    with pytest.raises(InvalidRequest, match="営業日"):
        transfers.create_transfer(db, principal, principal.bank_code, "hol-3", body, TEST_TODAY)
    moved, _ = transfers.create_transfer(
        db, principal, principal.bank_code, "hol-1", replace(body, holiday_code="1"), TEST_TODAY
    )
    assert moved.transfer.transfer_date == date(2026, 11, 24)
    assert moved.transfer.status == "scheduled"
    back, _ = transfers.create_transfer(
        db, principal, principal.bank_code, "hol-2", replace(body, holiday_code="2"), TEST_TODAY
    )
    assert back.transfer.transfer_date == TEST_TODAY
    assert back.transfer.status == "completed"
    with pytest.raises(InvalidRequest):
        transfers.create_transfer(
            db,
            principal,
            principal.bank_code,
            "past",
            request(db, payer, EXTERNAL, 1, TEST_TODAY - timedelta(days=1)),
            TEST_TODAY,
        )


def test_cancel_only_before_execution(db: Database) -> None:
    principal = principal_for(db, "demo01", client_ids(db)[0])
    payer = deposit_accounts(db, "demo01")[0]
    future = request(db, payer, EXTERNAL, 100, date(2026, 11, 25))
    scheduled, _ = transfers.create_transfer(
        db, principal, principal.bank_code, "cancel-1", future, TEST_TODAY
    )
    cancelled = transfers.cancel_transfer(db, principal, principal.bank_code, scheduled.transfer.transfer_id)
    assert cancelled.transfer.status == "cancelled"
    with pytest.raises(Conflict):
        transfers.cancel_transfer(db, principal, principal.bank_code, scheduled.transfer.transfer_id)
    done, _ = transfers.create_transfer(
        db, principal, principal.bank_code, "cancel-2", request(db, payer, EXTERNAL, 1), TEST_TODAY
    )
    with pytest.raises(Conflict):
        transfers.cancel_transfer(db, principal, principal.bank_code, done.transfer.transfer_id)
    other = principal_for(db, "demo01", client_ids(db)[1])
    with pytest.raises(NotFound):
        transfers.cancel_transfer(db, other, other.bank_code, done.transfer.transfer_id)


def test_scheduled_transfers_run_on_their_date(db: Database) -> None:
    principal = principal_for(db, "demo04", client_ids(db)[0])
    payer = deposit_accounts(db, "demo04")[0]
    before = balance(db, payer.id)
    view, _ = transfers.create_transfer(
        db,
        principal,
        principal.bank_code,
        "sched",
        request(db, payer, EXTERNAL, 700, date(2026, 11, 24)),
        TEST_TODAY,
    )
    assert balance(db, payer.id) == before
    assert run_due_transfers(db, TEST_TODAY) == 0
    assert run_due_transfers(db, date(2026, 11, 24)) >= 1
    with db.session() as session:
        transfer = session.scalar(select(Transfer).where(Transfer.transfer_id == view.transfer.transfer_id))
        assert transfer is not None and transfer.status == "completed"
    assert balance(db, payer.id) == before - 700 - view.transfer.fee


def test_insufficient_funds_and_unknown_payee(db: Database) -> None:
    principal = principal_for(db, "demo05", client_ids(db)[0])
    payer = deposit_accounts(db, "demo05")[0]
    big = min(1_000_000, balance(db, payer.id) + 1)
    if big <= balance(db, payer.id):
        pytest.skip("demo05 is too rich for this test")
    with pytest.raises(Unprocessable, match="残高"):
        transfers.create_transfer(
            db, principal, principal.bank_code, "poor", request(db, payer, EXTERNAL, big), TEST_TODAY
        )
    missing = Payee(principal.bank_code, "101", "1", "0000000")
    with pytest.raises(Unprocessable, match="受取人"):
        transfers.create_transfer(
            db, principal, principal.bank_code, "nobody", request(db, payer, missing, 1), TEST_TODAY
        )


def test_internal_transfer_debits_and_credits_in_one_double_entry(db: Database) -> None:
    principal = principal_for(db, "demo01", client_ids(db)[0])
    payer = deposit_accounts(db, "demo01")[0]
    payee = deposit_accounts(db, "demo14")[0]
    total = money_in_system(db)
    payer_before, payee_before = balance(db, payer.id), balance(db, payee.id)
    view, _ = transfers.create_transfer(
        db,
        principal,
        principal.bank_code,
        "internal",
        request(db, payer, payee_of(db, payee), 12_345),
        TEST_TODAY,
    )
    assert balance(db, payee.id) == payee_before + 12_345
    assert balance(db, payer.id) == payer_before - 12_345 - view.transfer.fee
    with db.session() as session:
        legs = session.scalars(select(LedgerEntry).where(LedgerEntry.transfer_pk == view.transfer.id)).all()
        assert sum(leg.amount for leg in legs) == 0
        assert {leg.account_pk for leg in legs if leg.account_pk} == {payer.id, payee.id}
    assert money_in_system(db) == total


def test_fifty_concurrent_clients_retrying_never_run_a_transfer_twice(db: Database) -> None:
    """50 threads each retry the same 10 transfers (same keys, same bodies) until they get an answer."""
    client_id = client_ids(db)[0]
    principal = principal_for(db, "demo01", client_id)
    payer = deposit_accounts(db, "demo01")[0]
    payee = payee_of(db, deposit_accounts(db, "demo14")[0])
    bodies = {f"race-{i}": request(db, payer, payee if i % 2 else EXTERNAL, 1_000 + i) for i in range(10)}
    total_before = money_in_system(db)
    payer_before = balance(db, payer.id)
    seen: dict[str, set[str]] = {key: set() for key in bodies}
    conflicts = 0
    lock = threading.Lock()
    errors: list[BaseException] = []

    def worker(seed: int) -> None:
        nonlocal conflicts
        order = list(bodies)
        random.Random(seed).shuffle(order)
        try:
            for key in order:
                for _ in range(400):
                    try:
                        view, _ = transfers.create_transfer(
                            db, principal, principal.bank_code, key, bodies[key], TEST_TODAY
                        )
                    except Conflict:
                        with lock:
                            conflicts += 1
                        continue
                    with lock:
                        seen[key].add(view.transfer.transfer_id)
                    assert money_in_system(db) == total_before
                    break
                else:
                    raise AssertionError(f"{key} never completed")
        except BaseException as error:  # surfaced below
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors[:3]
    assert all(len(ids) == 1 for ids in seen.values()), seen
    with db.session() as session:
        count = session.scalar(
            select(func.count())
            .select_from(Transfer)
            .where(Transfer.transfer_id.in_({i for ids in seen.values() for i in ids}))
        )
        fees = session.scalar(
            select(func.sum(Transfer.fee)).where(
                Transfer.transfer_id.in_({i for ids in seen.values() for i in ids})
            )
        )
    assert count == 10
    spent = sum(body.amount for body in bodies.values()) + int(fees or 0)
    assert balance(db, payer.id) == payer_before - spent
    assert money_in_system(db) == total_before
