"""A worker killed (SIGKILL) inside a transfer's ledger transaction, holding the key's claim: the retry of the
key, served by another process, runs the transfer once, at once — no lock-out, nothing doubled or lost."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import httpx
from sandbox_bodies import sample_transfer_request
from sandbox_harness import seeded_database
from sandbox_principals import deposit_accounts, money_in_system
from sandbox_process import sandbox_process
from sqlalchemy import func, select

from renkei_sandbox.db.models import Account, Customer, IdempotencyRecord, OAuthClient, Transfer
from renkei_sandbox.oauth.clients import register_client
from renkei_sandbox.oauth.direct import grant_directly

KEY = "crash-1"
AMOUNT = 6_543


def test_a_worker_killed_mid_transfer_does_not_lock_the_key_and_the_retry_runs_once(tmp_path: Path) -> None:
    db = seeded_database(tmp_path)
    with db.write_session() as session, session.begin():
        registered = register_client(session, "crash", ["https://app.example/cb"])
        client = session.scalar(select(OAuthClient).where(OAuthClient.client_id == registered.client_id))
        customer = session.scalar(select(Customer).where(Customer.login_id == "demo03"))
        assert client is not None and customer is not None
        payer = deposit_accounts(db, "demo03")[0]
        token, _ = grant_directly(
            session, client, customer.id, customer.bank_code, ["transfers:write"], [payer.id]
        )
    body = sample_transfer_request(payer.account_id, AMOUNT).model_dump(mode="json", by_alias=True)
    path = f"/v2/banks/{customer.bank_code}/transfers"
    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": KEY}
    total, payer_before = money_in_system(db), payer.balance
    url = str(db.engine.url.render_as_string(hide_password=False))

    with sandbox_process(url, hold=KEY) as doomed:
        lost: list[BaseException] = []

        def send() -> None:
            try:
                httpx.post(doomed.base_url + path, json=body, headers=headers, timeout=60)
            except httpx.HTTPError as error:
                lost.append(error)

        first = threading.Thread(target=send, daemon=True)
        first.start()
        doomed.wait_for("holding")  # inside the ledger transaction, the claim held
        doomed.kill()
        first.join(timeout=10)
        assert lost, "the first request should have lost its connection"

    with db.session() as session:
        record = session.scalar(select(IdempotencyRecord).where(IdempotencyRecord.key == KEY))
        assert record is not None and record.state == "in_progress"  # the dead worker's claim
        dead_owner = record.owner
    with sandbox_process(url) as survivor:
        started = time.monotonic()
        retry = httpx.post(survivor.base_url + path, json=body, headers=headers, timeout=60)
        elapsed = time.monotonic() - started
        again = httpx.post(survivor.base_url + path, json=body, headers=headers, timeout=60)
    assert retry.status_code == 201, retry.text
    assert elapsed < 10  # no 120 s lock-out: the claim is taken over at once
    assert again.status_code in (200, 201) and again.json()["transferId"] == retry.json()["transferId"]
    with db.session() as session:
        record = session.scalar(select(IdempotencyRecord).where(IdempotencyRecord.key == KEY))
        assert record is not None and record.state == "completed" and record.owner != dead_owner
        count = session.scalar(
            select(func.count()).select_from(Transfer).where(Transfer.payer_account_pk == payer.id)
        )
        account = session.get(Account, payer.id)
        assert account is not None
    assert count == 1
    assert account.balance == payer_before - AMOUNT - int(retry.json()["fee"])
    assert money_in_system(db) == total
    db.dispose()
