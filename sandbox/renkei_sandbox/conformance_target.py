"""The sandbox as a conformance target, driven by the toolkit as a child process (it never imports us).

- `python -m renkei_sandbox.conformance_target prepare DATABASE_URL SEED REDIRECT_URI`: migrate, seed,
  register a client; print one JSON object: the client's credentials, a test customer with accounts and
  cards, and ids of other customers (for the isolation checks).
- `python -m renkei_sandbox.conformance_target serve DATABASE_URL PORT`: serve that database on
  127.0.0.1:PORT, wrapped in the faults named by RENKEI_SANDBOX_FAULTS (see faults.py). Rate limits are off
  (fuzzing sends hundreds of requests a minute) unless RENKEI_RATE_LIMITS=on (then as `renkei serve`).
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

SEED_CUSTOMERS = 26
"""Two customers per bank: one to test with, one whose data must stay invisible."""
SEED_YEARS = 1


def prepare(database_url: str, seed_number: int, redirect_uri: str) -> dict[str, Any]:
    """Migrate, seed, register a client; pick a customer with accounts and cards, and foreign ids."""
    from sqlalchemy import select

    from renkei_sandbox.db.engine import Database
    from renkei_sandbox.db.migrate import upgrade_head
    from renkei_sandbox.db.models import Account, Card, CardMember, Customer
    from renkei_sandbox.oauth.clients import register_client
    from renkei_sandbox.seed.seeder import DEMO_PASSWORD, seed

    db = Database.from_url(database_url)
    try:
        upgrade_head(db.engine)
        with db.write_session() as session, session.begin():
            seed(session, SEED_CUSTOMERS, SEED_YEARS, seed_number)
            client = register_client(session, "renkei conformance", [redirect_uri])
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
        raise SystemExit("the seeded sandbox has no customer with accounts and cards")
    main = with_cards[0]
    neighbours = [
        c for c in customers if c.bank_code == main.bank_code and c.id != main.id and c.id in accounts
    ]
    strangers = [c for c in customers if c.bank_code != main.bank_code and c.id in accounts]
    other_cards = [card for c in customers if c.id != main.id for card in cards.get(c.id, [])]
    return {
        "client_id": client.client_id,
        "client_secret": client.client_secret,
        "username": main.login_id,
        "password": DEMO_PASSWORD,
        "bank_code": main.bank_code,
        "other_customer_accounts": accounts[neighbours[0].id][:1] if neighbours else [],
        "other_bank_accounts": [[strangers[0].bank_code, accounts[strangers[0].id][0]]] if strangers else [],
        "other_customer_cards": other_cards[:1],
    }


def serve(database_url: str, port: int) -> int:
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
        settings = Settings(database_url=database_url, issuer=base_url, rate_limits=limits)
        app = with_faults_from_env(create_app(db, settings))
    except UnknownFault as error:
        print(f"renkei sandbox: {error}", file=sys.stderr)
        return 2
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False, log_config=None)
    return 0


def main(argv: list[str]) -> int:
    match argv:
        case ["prepare", database_url, seed_number, redirect_uri]:
            print(json.dumps(prepare(database_url, int(seed_number), redirect_uri)))
            return 0
        case ["serve", database_url, port]:
            return serve(database_url, int(port))
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
