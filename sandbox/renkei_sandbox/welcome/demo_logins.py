"""The first demo login of each bank, as the banner and the landing page show them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from renkei_sandbox.db.models import Bank, Customer


@dataclass(frozen=True)
class DemoLogin:
    bank_code: str
    bank_name: str
    login_id: str
    customers: int
    """How many demo customers bank there."""


def demo_logins(session: Session) -> list[DemoLogin]:
    """Per bank with customers, its first customer's login id, in the order of the seed's rotation."""
    first = (
        select(Customer.bank_code, func.min(Customer.id).label("first_id"), func.count().label("customers"))
        .group_by(Customer.bank_code)
        .subquery()
    )
    rows = session.execute(
        select(Bank.code, Bank.name, Customer.login_id, first.c.customers)
        .join(first, first.c.bank_code == Bank.code)
        .join(Customer, Customer.id == first.c.first_id)
        .order_by(first.c.first_id)
    ).all()
    return [DemoLogin(code, name, login, count) for code, name, login, count in rows]
