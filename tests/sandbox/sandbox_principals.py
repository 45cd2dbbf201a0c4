"""Principals (what a token grants) built straight from the database, for service-level tests."""

from __future__ import annotations

from sqlalchemy import func, select

from renkei_sandbox.access import AccessPrincipal
from renkei_sandbox.db.engine import Database
from renkei_sandbox.db.models import Account, Card, CardMember, Customer, LedgerEntry, OAuthClient
from renkei_sandbox.db.models.banking import ACCOUNT_KIND_DEPOSIT

ALL_SCOPES = frozenset(
    {
        "accounts:read",
        "balances:read",
        "transactions:read",
        "transfers:read",
        "transfers:write",
        "transfers:cancel",
    }
)


def principal_for(db: Database, login_id: str, client_id: str) -> AccessPrincipal:
    with db.session() as session:
        customer = session.scalar(select(Customer).where(Customer.login_id == login_id))
        client = session.scalar(select(OAuthClient).where(OAuthClient.client_id == client_id))
        assert customer is not None and client is not None
        accounts = session.scalars(select(Account.id).where(Account.customer_id == customer.id)).all()
        cards = session.scalars(
            select(Card.id)
            .join(CardMember, Card.member_id == CardMember.id)
            .where(CardMember.customer_id == customer.id)
        ).all()
        return AccessPrincipal(
            grant_pk=0,
            customer_id=customer.id,
            bank_code=customer.bank_code,
            client_pk=client.id,
            client_id=client.client_id,
            scopes=ALL_SCOPES,
            account_pks=frozenset(accounts),
            card_pks=frozenset(cards),
        )


def deposit_accounts(db: Database, login_id: str) -> list[Account]:
    with db.session() as session:
        return list(
            session.scalars(
                select(Account)
                .join(Customer, Account.customer_id == Customer.id)
                .where(Customer.login_id == login_id, Account.kind == ACCOUNT_KIND_DEPOSIT)
                .order_by(Account.id)
            )
        )


def money_in_system(db: Database) -> int:
    """Customer balances plus general-ledger legs (fees earned, money sent out of the sandbox).

    One SQL statement, so that it reads one snapshot even while transfers commit concurrently.
    """
    balances = select(func.coalesce(func.sum(Account.balance), 0)).scalar_subquery()
    gl = (
        select(func.coalesce(func.sum(LedgerEntry.amount), 0))
        .where(LedgerEntry.gl_code.is_not(None))
        .scalar_subquery()
    )
    with db.session() as session:
        return int(session.scalar(select(balances + gl)) or 0)
