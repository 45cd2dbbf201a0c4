"""Done-when of the scale-out issue: two `renkei serve` processes on different ports over one PostgreSQL
behave as one sandbox. Behind a round-robin balancer (every request to the other process) an OAuth flow
begun on one finishes on the other; the same Idempotency-Key sent at once to both gives one transfer; a rate
limit counts the requests to both; due scheduled transfers run once although both schedulers race."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import httpx
import pytest
from live_server import bind_free_socket, serve
from round_robin import RoundRobin, free_port, send_at_once
from sandbox_bodies import sample_transfer_request
from sandbox_flow import bank_of, exchange, login_and_consent
from sandbox_harness import REDIRECT_URI, TEST_TODAY, RunningSandbox, seeded_database
from sandbox_principals import deposit_accounts, money_in_system
from sqlalchemy import func, select, update

from renkei_sandbox.db.engine import Database
from renkei_sandbox.db.models import LedgerEntry, Transfer
from renkei_sandbox.oauth.clients import register_client

pytestmark = [
    pytest.mark.slow,  # ~30 s, most of it starting two processes; the cheap variant: test_sandbox_two_apps.py
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgresql"),
        reason="needs DATABASE_URL pointing at PostgreSQL (several processes over one database)",
    ),
]

INTROSPECTION_QUOTA = 4
RUN_ON = date(2026, 11, 24)


@dataclass
class Deployment:
    db: Database
    backends: list[str]
    balancer: RoundRobin
    sandbox: RunningSandbox
    """The sandbox as a client sees it: the balancer's URL."""


@contextmanager
def sandbox_processes(database_url: str, issuer: str, count: int) -> Iterator[list[str]]:
    """`count` real `renkei-sandbox serve` processes over `database_url`; yields their base URLs."""
    command = str(Path(sys.executable).parent / "renkei-sandbox")
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "RENKEI_ISSUER": issuer,  # one issuer for the deployment: the balancer's URL
        "RENKEI_TODAY": TEST_TODAY.isoformat(),
        "RENKEI_PROFILE": "plain",  # secret clients and bearer tokens (tests/security covers FAPI)
        "RENKEI_SCHEDULER_INTERVAL": "0.3",
        "RENKEI_RATE_LIMIT_INTROSPECTION": f"{INTROSPECTION_QUOTA}/60",
    }
    ports = [free_port() for _ in range(count)]
    processes = [
        subprocess.Popen(
            [command, "serve", "--port", str(port), "--no-migrate", "--log-format", "text"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        deadline = time.monotonic() + 60
        for url, process in zip(urls, processes, strict=True):
            while True:
                assert process.poll() is None, f"the sandbox at {url} exited with {process.returncode}"
                try:
                    if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                assert time.monotonic() < deadline, f"the sandbox at {url} never became ready"
                time.sleep(0.2)
        yield urls
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=40)


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    db = seeded_database(tmp_path_factory.mktemp("two-processes"))
    with db.write_session() as session, session.begin():
        client = register_client(session, "家計簿アプリ", [REDIRECT_URI])
        other = register_client(session, "別のアプリ", [REDIRECT_URI])
    url = db.engine.url.render_as_string(hide_password=False)
    balancer_socket = bind_free_socket()
    balancer_url = f"http://127.0.0.1:{balancer_socket.getsockname()[1]}"
    with ExitStack() as stack:
        backends = stack.enter_context(sandbox_processes(url, balancer_url, 2))
        balancer = RoundRobin(backends)
        stack.enter_context(serve(balancer, balancer_socket))
        yield Deployment(db, backends, balancer, RunningSandbox(balancer_url, db, client, other))
    db.dispose()


def test_an_oauth_flow_begun_on_one_process_finishes_on_the_other(deployment: Deployment) -> None:
    first = len(deployment.balancer.served_by)
    authorized = login_and_consent(deployment.sandbox, "demo01", bank_of(deployment.sandbox, "demo01"))
    tokens = exchange(deployment.sandbox, authorized)
    flow = deployment.balancer.served_by[first:]
    assert set(flow) == set(deployment.backends) and all(a != b for a, b in itertools.pairwise(flow))
    for backend in deployment.backends:  # the token works on both
        accounts = httpx.get(
            f"{backend}/v2/banks/{bank_of(deployment.sandbox, 'demo01')}/accounts",
            headers={"Authorization": f"Bearer {tokens['access_token']}"},
        )
        assert accounts.status_code == 200, accounts.text


def test_one_idempotency_key_sent_to_both_at_once_gives_one_transfer(deployment: Deployment) -> None:
    sandbox = deployment.sandbox
    bank = bank_of(sandbox, "demo02")
    token = exchange(sandbox, login_and_consent(sandbox, "demo02", bank))["access_token"]
    payer = deposit_accounts(deployment.db, "demo02")[0]
    total = money_in_system(deployment.db)
    for attempt in range(5):
        key = f"two-processes-{attempt}"
        body = sample_transfer_request(payer.account_id, 1_000 + attempt).model_dump(
            mode="json", by_alias=True
        )
        headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": key}
        answers = send_at_once(deployment.backends, f"/v2/banks/{bank}/transfers", body, headers)
        assert len(answers) == 2
        # The loser either replays the winner's transfer or, while the winner still runs, gets 409.
        assert sorted(a.status_code for a in answers) in ([201, 201], [201, 409]), [a.text for a in answers]
        ids = {a.json()["transferId"] for a in answers if a.status_code == 201}
        assert len(ids) == 1
        with deployment.db.session() as session:
            made = session.scalar(
                select(func.count()).select_from(Transfer).where(Transfer.transfer_id.in_(ids))
            )
            amount_rows = session.scalar(
                select(func.count())
                .select_from(Transfer)
                .where(Transfer.amount == 1_000 + attempt, Transfer.payer_account_pk == payer.id)
            )
        assert made == 1 and amount_rows == 1
    assert money_in_system(deployment.db) == total


def test_a_rate_limit_counts_requests_to_both_processes(deployment: Deployment) -> None:
    sandbox = deployment.sandbox
    first = len(deployment.balancer.served_by)
    auth = (sandbox.other_client.client_id, sandbox.other_client.client_secret)
    statuses = [
        httpx.post(f"{sandbox.base_url}/oauth/introspect", data={"token": "unknown"}, auth=auth).status_code
        for _ in range(INTROSPECTION_QUOTA + 2)
    ]
    assert set(deployment.balancer.served_by[first:]) == set(deployment.backends)
    assert statuses == [200] * INTROSPECTION_QUOTA + [429, 429]


def test_due_scheduled_transfers_run_once_with_both_schedulers_racing(deployment: Deployment) -> None:
    sandbox = deployment.sandbox
    bank = bank_of(sandbox, "demo03")
    token = exchange(sandbox, login_and_consent(sandbox, "demo03", bank))["access_token"]
    payer = deposit_accounts(deployment.db, "demo03")[0]
    ids = []
    for n in range(8):
        body = sample_transfer_request(payer.account_id, 500 + n).model_dump(mode="json", by_alias=True)
        body["transferDesignatedDate"] = RUN_ON.isoformat()
        created = httpx.post(
            f"{deployment.backends[n % 2]}/v2/banks/{bank}/transfers",
            json=body,
            headers={"Authorization": f"Bearer {token}", "Idempotency-Key": f"scheduled-{n}"},
        )
        assert created.status_code == 201 and created.json()["status"] == "scheduled", created.text
        ids.append(created.json()["transferId"])
    total = money_in_system(deployment.db)
    with deployment.db.write_session() as session, session.begin():  # their date comes, for both at once
        session.execute(
            update(Transfer).where(Transfer.transfer_id.in_(ids)).values(transfer_date=TEST_TODAY)
        )
    deadline = time.monotonic() + 20
    while True:
        with deployment.db.session() as session:
            statuses = session.scalars(select(Transfer.status).where(Transfer.transfer_id.in_(ids))).all()
        if set(statuses) == {"completed"}:
            break
        assert time.monotonic() < deadline, f"the schedulers did not run them: {statuses}"
        time.sleep(0.2)
    with deployment.db.session() as session:
        legs = session.execute(
            select(Transfer.transfer_id, func.count(LedgerEntry.id))
            .join(LedgerEntry, LedgerEntry.transfer_pk == Transfer.id)
            .where(Transfer.transfer_id.in_(ids))
            .group_by(Transfer.transfer_id)
        ).all()
    assert len(legs) == len(ids) and len({count for _, count in legs}) == 1
    assert money_in_system(deployment.db) == total
