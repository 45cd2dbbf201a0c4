"""`--sandbox`: a fresh seeded sandbox in a temporary directory, served by a child process on a free port of
127.0.0.1, with a registered client and the ids of other customers (for the isolation checks)."""

from __future__ import annotations

import atexit
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from generator.conformance.errors import CannotRun
from generator.conformance.oauth_flow import DEFAULT_REDIRECT_URI, FlowCredentials
from generator.conformance.target import ForeignIds

SEED_CUSTOMERS = 26
"""Two customers per bank: one to test with, one whose data must stay invisible."""
SEED_YEARS = 1
START_TIMEOUT_SECONDS = 30.0
_templates: dict[int, tuple[Path, FlowCredentials, ForeignIds]] = {}
"""Seeded databases of this process by seed number: later sandboxes start from a copy (tests run many)."""


@dataclass(frozen=True)
class LocalSandbox:
    base_url: str
    credentials: FlowCredentials
    foreign: ForeignIds


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _prepare(database_url: str, seed_number: int) -> tuple[FlowCredentials, ForeignIds]:
    """Migrate, seed, register a client; pick a customer with accounts and cards, and foreign ids."""
    from sqlalchemy import select

    from sandbox.db.engine import Database
    from sandbox.db.migrate import upgrade_head
    from sandbox.db.models import Account, Card, CardMember, Customer
    from sandbox.oauth.clients import register_client
    from sandbox.seed.seeder import DEMO_PASSWORD, seed

    db = Database.from_url(database_url)
    try:
        upgrade_head(db.engine)
        with db.write_session() as session, session.begin():
            seed(session, SEED_CUSTOMERS, SEED_YEARS, seed_number)
            client = register_client(session, "renkei conformance", [DEFAULT_REDIRECT_URI])
        with db.session() as session:
            customers = list(session.scalars(select(Customer).order_by(Customer.id)))
            accounts: dict[int, list[str]] = {}
            for account in session.scalars(select(Account).order_by(Account.id)):
                accounts.setdefault(account.customer_id, []).append(account.account_id)
            cards: dict[int, list[str]] = {}
            for card, member in session.execute(
                select(Card, CardMember).join(CardMember, Card.member_id == CardMember.id).order_by(Card.id)
            ):
                cards.setdefault(member.customer_id, []).append(card.card_id)
    finally:
        db.dispose()
    with_cards = [c for c in customers if c.id in cards and c.id in accounts]
    if not with_cards:
        raise CannotRun("the seeded sandbox has no customer with accounts and cards")
    main = with_cards[0]
    neighbours = [
        c for c in customers if c.bank_code == main.bank_code and c.id != main.id and c.id in accounts
    ]
    strangers = [c for c in customers if c.bank_code != main.bank_code and c.id in accounts]
    other_cards = [card for c in customers if c.id != main.id for card in cards.get(c.id, [])]
    foreign = ForeignIds(
        other_customer_accounts=tuple(accounts[neighbours[0].id][:1]) if neighbours else (),
        other_bank_accounts=((strangers[0].bank_code, accounts[strangers[0].id][0]),) if strangers else (),
        other_customer_cards=tuple(other_cards[:1]),
    )
    credentials = FlowCredentials(
        client_id=client.client_id,
        client_secret=client.client_secret,
        username=main.login_id,
        password=DEMO_PASSWORD,
        bank_code=main.bank_code,
    )
    return credentials, foreign


def _wait_until_up(base_url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            lines = log.read_text(errors="replace").strip().splitlines()
            raise CannotRun(f"the sandbox did not start: {lines[-1] if lines else 'no output'}")
        try:
            if httpx.get(f"{base_url}/.well-known/oauth-authorization-server", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise CannotRun(f"the sandbox did not answer within {START_TIMEOUT_SECONDS:.0f}s")


def _seeded_copy(seed_number: int, destination: Path) -> tuple[FlowCredentials, ForeignIds]:
    if seed_number not in _templates:
        directory = Path(tempfile.mkdtemp(prefix="renkei-conformance-template-"))
        atexit.register(shutil.rmtree, directory, True)
        template = directory / "sandbox.sqlite3"
        credentials, foreign = _prepare(f"sqlite:///{template}", seed_number)
        _templates[seed_number] = (template, credentials, foreign)
    template, credentials, foreign = _templates[seed_number]
    shutil.copyfile(template, destination)
    return credentials, foreign


@contextmanager
def local_sandbox(seed_number: int = 1) -> Iterator[LocalSandbox]:
    """A running sandbox for the duration of the block; RENKEI_SANDBOX_FAULTS passes through to it."""
    with tempfile.TemporaryDirectory(prefix="renkei-conformance-") as tmp:
        database = Path(tmp) / "sandbox.sqlite3"
        database_url = f"sqlite:///{database}"
        credentials, foreign = _seeded_copy(seed_number, database)
        port = _free_port()
        base_url = f"http://127.0.0.1:{port}"
        log = Path(tmp) / "sandbox.log"
        env = dict(os.environ, DATABASE_URL=database_url)
        with log.open("wb") as sink:
            process = subprocess.Popen(
                [sys.executable, "-m", "generator.conformance.sandbox_process", database_url, str(port)],
                stdout=sink,
                stderr=subprocess.STDOUT,
                env=env,
            )
            try:
                _wait_until_up(base_url, process, log)
                yield LocalSandbox(base_url, credentials, foreign)
            finally:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
