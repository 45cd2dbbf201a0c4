"""The cheap variant of test_sandbox_two_processes.py (default run, SQLite or DATABASE_URL): two sandbox
apps, each with its own engine and pool, behind a round-robin balancer in one process. An OAuth flow
alternates between them; one Idempotency-Key sent to both at once gives one transfer."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import ExitStack

import httpx
import pytest
from live_server import base_url_of, bind_free_socket, serve
from round_robin import RoundRobin, send_at_once
from sandbox_bodies import sample_transfer_request
from sandbox_flow import bank_of, exchange, login_and_consent
from sandbox_harness import REDIRECT_URI, TEST_TODAY, RunningSandbox, seeded_database
from sandbox_principals import deposit_accounts
from sqlalchemy import func, select

from renkei_sandbox.app import create_app
from renkei_sandbox.config import Settings
from renkei_sandbox.db.engine import Database
from renkei_sandbox.db.models import Transfer
from renkei_sandbox.oauth.clients import register_client


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[RunningSandbox, RoundRobin]]:
    db = seeded_database(tmp_path_factory.mktemp("two-apps"))
    with db.write_session() as session, session.begin():
        client = register_client(session, "家計簿アプリ", [REDIRECT_URI])
        other = register_client(session, "別のアプリ", [REDIRECT_URI])
    url = db.engine.url.render_as_string(hide_password=False)
    balancer_socket = bind_free_socket()
    issuer = base_url_of(balancer_socket)
    with ExitStack() as stack:
        backends = []
        for _ in range(2):
            own = Database.from_url(url)  # nothing shared in memory: each app its own engine and pool
            stack.callback(own.dispose)
            app = create_app(
                own, Settings(database_url=url, issuer=issuer, fixed_today=TEST_TODAY, profile="plain")
            )
            backends.append(stack.enter_context(serve(app, lifespan="auto")))
        balancer = RoundRobin(backends)
        stack.enter_context(serve(balancer, balancer_socket))
        yield RunningSandbox(issuer, db, client, other), balancer
    db.dispose()


def test_a_flow_alternating_between_two_apps_and_one_key_sent_to_both(
    pair: tuple[RunningSandbox, RoundRobin],
) -> None:
    sandbox, balancer = pair
    bank = bank_of(sandbox, "demo01")
    tokens = exchange(sandbox, login_and_consent(sandbox, "demo01", bank))
    assert all(a != b for a, b in itertools.pairwise(balancer.served_by))
    backends = sorted(set(balancer.served_by))
    assert len(backends) == 2

    payer = deposit_accounts(sandbox.db, "demo01")[0]
    body = sample_transfer_request(payer.account_id, 3_210).model_dump(mode="json", by_alias=True)
    headers = {"Authorization": f"Bearer {tokens['access_token']}", "Idempotency-Key": "two-apps"}
    answers = send_at_once(backends, f"/v2/banks/{bank}/transfers", body, headers)
    assert sorted(a.status_code for a in answers) in ([201, 201], [201, 409]), [a.text for a in answers]
    assert len({a.json()["transferId"] for a in answers if a.status_code == 201}) == 1
    with sandbox.db.session() as session:
        made = session.scalar(
            select(func.count())
            .select_from(Transfer)
            .where(Transfer.payer_account_pk == payer.id, Transfer.amount == 3_210)
        )
    assert made == 1
    assert httpx.get(f"{backends[1]}/readyz").status_code == 200
