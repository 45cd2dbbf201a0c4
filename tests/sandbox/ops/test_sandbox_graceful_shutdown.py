"""SIGTERM while a transfer is inside its ledger transaction: the server stops accepting, finishes the
transfer (201, committed) and exits."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
from round_robin import free_port
from sandbox_bodies import sample_transfer_request
from sandbox_harness import TEST_TODAY, seeded_database
from sandbox_principals import deposit_accounts
from sqlalchemy import select

from renkei_sandbox.db.models import Customer, OAuthClient, Transfer
from renkei_sandbox.oauth.clients import register_client
from renkei_sandbox.oauth.direct import grant_directly

HOLD_SECONDS = 2.0


def test_sigterm_finishes_the_transfer_in_flight(tmp_path: Path) -> None:
    db = seeded_database(tmp_path)
    with db.write_session() as session, session.begin():
        registered = register_client(session, "shutdown", ["https://app.example/cb"])
        client = session.scalar(select(OAuthClient).where(OAuthClient.client_id == registered.client_id))
        customer = session.scalar(select(Customer).where(Customer.login_id == "demo06"))
        assert client is not None and customer is not None
        payer = deposit_accounts(db, "demo06")[0]
        token, _ = grant_directly(
            session, client, customer.id, customer.bank_code, ["transfers:write"], [payer.id]
        )
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": db.engine.url.render_as_string(hide_password=False),
        "RENKEI_TODAY": TEST_TODAY.isoformat(),
        "RENKEI_PROFILE": "plain",  # a bearer token from grant_directly (tests/security covers FAPI)
        "RENKEI_SCHEDULER_INTERVAL": "0.5",
    }
    script = str(Path(__file__).with_name("slow_transfer_server.py"))
    process = subprocess.Popen(
        [sys.executable, script, str(port), str(HOLD_SECONDS)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, "the server exited"
            try:
                if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline
            time.sleep(0.2)
        body = sample_transfer_request(payer.account_id, 4_321).model_dump(mode="json", by_alias=True)
        answers: list[httpx.Response] = []

        def send() -> None:
            answer = httpx.post(
                f"{base}/v2/banks/{customer.bank_code}/transfers",
                json=body,
                headers={"Authorization": f"Bearer {token}", "Idempotency-Key": "shutdown-1"},
                timeout=60,
            )
            answers.append(answer)
            if answer.status_code != 201:  # refused before the ledger: end the server, so no hang below
                process.kill()

        sender = threading.Thread(target=send)
        sender.start()
        assert process.stdout is not None
        for line in process.stdout:  # the start-up banner comes first
            if line.strip() == "holding":
                break
        else:
            detail = answers[0].text if answers else "no answer"
            raise AssertionError(f"the transfer never reached its ledger transaction: {detail}")
        process.send_signal(signal.SIGTERM)
        sender.join(timeout=30)
        # uvicorn re-raises the signal once it has shut down: the exit status says "ended by SIGTERM".
        assert process.wait(timeout=30) in (0, -signal.SIGTERM)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
    assert len(answers) == 1 and answers[0].status_code == 201, answers[0].text if answers else "no answer"
    with db.session() as session:
        transfer = session.scalar(
            select(Transfer).where(Transfer.transfer_id == answers[0].json()["transferId"])
        )
        assert transfer is not None and transfer.status == "completed"
    try:
        httpx.get(f"{base}/healthz", timeout=2)
        raise AssertionError("the server still answers after exiting")
    except httpx.HTTPError:
        pass
