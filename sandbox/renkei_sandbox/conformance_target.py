"""The sandbox as a conformance target, driven by the toolkit as a child process (it never imports us).

- `python -m renkei_sandbox.conformance_target prepare DATABASE_URL SEED REDIRECT_URI`: migrate, seed,
  register two clients with secrets and one with a key pair (private_key_jwt); print one JSON object: a
  provider profile (docs/conformance.md) without its URLs, and under `fapi_client` the key client's id and
  private JWK. With `--reset` after REDIRECT_URI the database is emptied first (PostgreSQL runs reuse one
  database).
- `python -m renkei_sandbox.conformance_target serve DATABASE_URL PORT [fapi]`: serve that database on
  127.0.0.1:PORT in the plain OAuth profile, or with `fapi` in the FAPI 2.0 profile (PAR, private_key_jwt,
  DPoP: the conformance FAPI group), today pinned to the latest business day (`business_today`), wrapped
  in the faults named by RENKEI_SANDBOX_FAULTS (see faults.py). Rate limits are off (fuzzing sends
  hundreds of requests a minute) unless RENKEI_RATE_LIMITS=on (then as `renkei serve`).
"""

from __future__ import annotations

import json
import os
import sys
from datetime import date, timedelta
from typing import Any

SEED_CUSTOMERS = 26
"""Two customers per bank: one to test with, one whose data must stay invisible."""
SEED_YEARS = 1


def _customer(customer: Any, accounts: list[Any], cards: list[str], password: str) -> dict[str, Any]:
    return {
        "username": customer.login_id,
        "password": password,
        "bank_code": customer.bank_code,
        "accounts": [a.account_id for a in accounts],
        "cards": cards,
    }


def _can_overdraw(accounts: list[Any], limit: int) -> bool:
    """A deposit account whose available balance (at most balance + overdraft line) + 1 is within `limit`."""
    return any(a.kind == "deposit" and a.balance + a.credit_limit + 1 < limit for a in accounts)


def business_today() -> date:
    """The sandbox's today as a conformance target: the latest business day up to today (JST), so that the
    same-day transfer rules (overdraft refused at acceptance) can be tested on weekends and holidays too.
    Seeding ends on it and `serve` pins it (Settings.fixed_today)."""
    from renkei_sandbox.clock import today_jst
    from renkei_sandbox.services.business_days import is_business_day

    day = today_jst()
    while not is_business_day(day):
        day -= timedelta(days=1)
    return day


def reset_database(database_url: str) -> None:
    """Empty the database (PostgreSQL: a fresh public schema) so that a run starts from the seed alone."""
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    try:
        with engine.begin() as connection:
            if engine.dialect.name == "postgresql":
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
            else:
                tables = connection.execute(text("SELECT name FROM sqlite_master WHERE type='table'"))
                for (name,) in list(tables):
                    connection.execute(text(f'DROP TABLE IF EXISTS "{name}"'))
    finally:
        engine.dispose()


def prepare(database_url: str, seed_number: int, redirect_uri: str) -> dict[str, Any]:
    """Migrate, seed, register two clients; answer a provider profile (docs/conformance.md) without the
    URLs (the caller knows the port): two customers of one bank, another bank's account, a payee, the
    limits, and an access token of the primary customer that has already expired."""
    from sqlalchemy import select

    from renkei_runtime.fapi import generate_key, public_jwk
    from renkei_sandbox.config import PER_TRANSFER_LIMIT_YEN
    from renkei_sandbox.db.engine import Database
    from renkei_sandbox.db.migrate import upgrade_head
    from renkei_sandbox.db.models import Account, Branch, Card, CardMember, Customer, OAuthClient
    from renkei_sandbox.oauth.clients import register_client
    from renkei_sandbox.oauth.direct import grant_directly
    from renkei_sandbox.seed.seeder import DEMO_PASSWORD, seed

    db = Database.from_url(database_url)
    try:
        upgrade_head(db.engine)
        with db.write_session() as session, session.begin():
            seed(session, SEED_CUSTOMERS, SEED_YEARS, seed_number, today=business_today())
            client = register_client(session, "renkei conformance", [redirect_uri])
            other = register_client(session, "renkei conformance (other client)", [redirect_uri])
            fapi_key = generate_key("ES256")
            fapi_key.ensure_kid()
            key_set = json.dumps({"keys": [public_jwk(fapi_key)]})
            fapi = register_client(session, "renkei conformance (FAPI 2.0)", [redirect_uri], jwks=key_set)
        with db.write_session() as session, session.begin():
            customers = list(session.scalars(select(Customer).order_by(Customer.id)))
            accounts: dict[int, list[Account]] = {}
            for account in session.scalars(select(Account).order_by(Account.id)):
                accounts.setdefault(account.customer_id, []).append(account)
            cards: dict[int, list[str]] = {}
            for card, member in session.execute(
                select(Card, CardMember).join(CardMember, Card.member_id == CardMember.id).order_by(Card.id)
            ):
                cards.setdefault(member.customer_id, []).append(card.card_id)
            with_cards = [c for c in customers if c.id in cards and c.id in accounts]
            if not with_cards:
                raise SystemExit("the seeded sandbox has no customer with accounts and cards")
            # overdraft-refused needs an account whose available balance is below the per-transfer limit
            # (balance + 1 must not be refused for the limit instead): such a customer first.
            with_cards.sort(key=lambda c: not _can_overdraw(accounts[c.id], PER_TRANSFER_LIMIT_YEN))
            main = with_cards[0]
            neighbours = [
                c for c in customers if c.bank_code == main.bank_code and c.id != main.id and c.id in accounts
            ]
            strangers = [c for c in customers if c.bank_code != main.bank_code and c.id in accounts]
            if not neighbours or not strangers:
                raise SystemExit("the seeded sandbox lacks a second customer or another bank's customer")
            neighbours.sort(key=lambda c: c.id not in cards)  # one with cards first: card isolation
            neighbour, stranger = neighbours[0], strangers[0]
            payee_account = next(a for a in accounts[stranger.id] if a.kind == "deposit")
            branch = session.get(Branch, payee_account.branch_id)
            assert branch is not None
            client_row = session.scalar(select(OAuthClient).where(OAuthClient.client_id == client.client_id))
            assert client_row is not None
            expired, _ = grant_directly(
                session,
                client_row,
                main.id,
                main.bank_code,
                ["accounts:read", "balances:read", "transactions:read"],
                [a.id for a in accounts[main.id]],
                access_ttl_seconds=-60,
            )
            return {
                "name": "renkei sandbox",
                "client": {
                    "client_id": client.client_id,
                    "client_secret": client.client_secret,
                    "redirect_uri": redirect_uri,
                },
                "other_client": {
                    "client_id": other.client_id,
                    "client_secret": other.client_secret,
                    "redirect_uri": redirect_uri,
                },
                "customers": {
                    "primary": _customer(main, accounts[main.id], cards.get(main.id, []), DEMO_PASSWORD),
                    "secondary": _customer(
                        neighbour, accounts[neighbour.id], cards.get(neighbour.id, []), DEMO_PASSWORD
                    ),
                },
                "other_bank": {
                    "bank_code": stranger.bank_code,
                    "accounts": [a.account_id for a in accounts[stranger.id]][:2],
                },
                "payee": {
                    "bank_code": payee_account.bank_code,
                    "branch_code": branch.branch_code,
                    "deposit_type": payee_account.deposit_type,
                    "account_number": payee_account.account_number,
                    "name": payee_account.holder_name_kana,
                },
                "amounts": {"above_transfer_limit": str(PER_TRANSFER_LIMIT_YEN + 1)},
                "expired_access_token": expired,
                "fapi_client": {
                    "client_id": fapi.client_id,
                    "private_jwk": dict(fapi_key.as_dict(private=True)),
                    "redirect_uri": redirect_uri,
                },
            }
    finally:
        db.dispose()


def serve(database_url: str, port: int, fapi: bool = False) -> int:
    import uvicorn

    from renkei_sandbox.app import create_app
    from renkei_sandbox.config import Settings
    from renkei_sandbox.db.engine import Database
    from renkei_sandbox.faults import UnknownFault, with_faults_from_env
    from renkei_sandbox.limits.policies import RateLimits

    base_url = f"http://127.0.0.1:{port}"
    db = Database.from_url(database_url)
    try:
        limited = os.environ.get("RENKEI_RATE_LIMITS", "off").lower() != "off"
        limits = RateLimits.from_env() if limited else RateLimits.off()
        settings = Settings(
            database_url=database_url,
            issuer=base_url,
            rate_limits=limits,
            fixed_today=business_today(),
            profile="fapi" if fapi else "plain",
        )
        app = with_faults_from_env(create_app(db, settings))
    except UnknownFault as error:
        print(f"renkei sandbox: {error}", file=sys.stderr)
        return 2
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False, log_config=None)
    return 0


def main(argv: list[str]) -> int:
    match argv:
        case ["prepare", database_url, seed_number, redirect_uri, "--reset"]:
            reset_database(database_url)
            print(json.dumps(prepare(database_url, int(seed_number), redirect_uri)))
            return 0
        case ["prepare", database_url, seed_number, redirect_uri]:
            print(json.dumps(prepare(database_url, int(seed_number), redirect_uri)))
            return 0
        case ["serve", database_url, port]:
            return serve(database_url, int(port))
        case ["serve", database_url, port, "fapi"]:
            return serve(database_url, int(port), fapi=True)
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
