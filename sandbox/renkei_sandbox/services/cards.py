"""Card queries: cards, available credit, statements, usage details and points of the consented cards."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from renkei_sandbox.access import AccessPrincipal
from renkei_sandbox.db.models import (
    Card,
    CardMember,
    CardUsage,
    Customer,
    PointBalance,
    Statement,
    StatementBreakdown,
)
from renkei_sandbox.services.dates import DateWindow, date_window
from renkei_sandbox.services.errors import Denied, not_found
from renkei_sandbox.services.pagination import (
    Page,
    check_limit,
    decode_cursor,
    encode_cursor,
    in_window_after,
    take_page,
)


@dataclass(frozen=True)
class CardView:
    card: Card
    holder_name_kana: str


@dataclass(frozen=True)
class AvailableCredit:
    card: Card
    shopping_used: int
    cashing_used: int

    @property
    def shopping_available(self) -> int:
        return max(0, self.card.credit_limit - self.shopping_used - self.cashing_used)

    @property
    def cashing_available(self) -> int:
        return max(0, min(self.card.cash_advance_limit - self.cashing_used, self.shopping_available))


@dataclass(frozen=True)
class StatementView:
    card: Card
    statement: Statement
    breakdown: list[StatementBreakdown]


@dataclass(frozen=True)
class CardUsagePage:
    card: Card
    window: DateWindow
    page: Page[CardUsage]


NO_APPROVAL_MERCHANTS = frozenset({"ﾈﾝｶｲﾋ"})
"""Usage that never went through an authorisation (the annual fee is billed by the issuer itself)."""


def approval_number(usage: CardUsage) -> str | None:
    """承認番号 of a usage: six digits derived from its id (the sandbox has no authorisation network; a
    stable value per usage). Cancellation lines (negative amounts) and issuer fees have none."""
    if usage.amount < 0 or usage.merchant in NO_APPROVAL_MERCHANTS:
        return None
    digest = hashlib.sha256(usage.usage_id.encode()).digest()
    return f"{int.from_bytes(digest[:4], 'big') % 1_000_000:06d}"


def accessible_card(session: Session, principal: AccessPrincipal, card_id: str) -> Card:
    found = session.execute(
        select(Card, CardMember.customer_id)
        .join(CardMember, Card.member_id == CardMember.id)
        .where(Card.card_id == card_id)
    ).first()
    if found is None:
        raise not_found()
    card, holder = found
    if holder != principal.customer_id or card.id not in principal.card_pks:
        reason = "other_customer" if holder != principal.customer_id else "not_consented"
        raise Denied(principal, f"cards/{card_id}", reason)
    return card


def _holder(session: Session, card: Card) -> str:
    member = session.get(CardMember, card.member_id)
    customer = session.get(Customer, member.customer_id) if member else None
    return customer.name_kana if customer else ""


def list_cards(session: Session, principal: AccessPrincipal) -> list[CardView]:
    cards = session.scalars(
        select(Card)
        .join(CardMember, Card.member_id == CardMember.id)
        .where(Card.id.in_(principal.card_pks), CardMember.customer_id == principal.customer_id)
        .order_by(Card.card_id)
    )
    return [CardView(card, _holder(session, card)) for card in cards]


def get_card(session: Session, principal: AccessPrincipal, card_id: str) -> CardView:
    card = accessible_card(session, principal, card_id)
    return CardView(card, _holder(session, card))


def available_credit(
    session: Session, principal: AccessPrincipal, card_id: str, today: date
) -> AvailableCredit:
    """Limit minus what is not yet paid: unbilled usage and statements whose payment date is still ahead."""
    card = accessible_card(session, principal, card_id)
    unpaid_months = select(Statement.billing_month).where(
        Statement.card_pk == card.id, Statement.payment_date > today
    )
    unpaid = or_(CardUsage.billing_month.is_(None), CardUsage.billing_month.in_(unpaid_months))
    used = dict(
        session.execute(
            select(CardUsage.category, func.coalesce(func.sum(CardUsage.amount), 0))
            .where(CardUsage.card_pk == card.id, unpaid)
            .group_by(CardUsage.category)
        ).all()
    )
    cashing = int(used.get("cashing", 0))
    shopping = sum(int(v) for k, v in used.items() if k != "cashing")
    return AvailableCredit(card, shopping, cashing)


def list_statements(
    session: Session, principal: AccessPrincipal, card_id: str, limit: int, cursor: str | None
) -> tuple[Card, Page[StatementView]]:
    """Newest billing month first."""
    card = accessible_card(session, principal, card_id)
    check_limit(limit)
    after = decode_cursor(cursor, 1)
    query = select(Statement).where(Statement.card_pk == card.id).order_by(Statement.billing_month.desc())
    if after is not None:
        query = query.where(Statement.billing_month < after[0])
    rows = list(session.scalars(query.limit(limit + 1)))
    has_next = len(rows) > limit
    rows = rows[:limit]
    views = [StatementView(card, row, _breakdown(session, row)) for row in rows]
    return card, Page(views, encode_cursor(rows[-1].billing_month) if has_next else None)


def get_statement(
    session: Session, principal: AccessPrincipal, card_id: str, billing_month: str
) -> StatementView:
    card = accessible_card(session, principal, card_id)
    row = session.scalar(
        select(Statement).where(Statement.card_pk == card.id, Statement.billing_month == billing_month)
    )
    if row is None:
        raise not_found()
    return StatementView(card, row, _breakdown(session, row))


def _breakdown(session: Session, statement: Statement) -> list[StatementBreakdown]:
    return list(
        session.scalars(
            select(StatementBreakdown)
            .where(StatementBreakdown.statement_pk == statement.id)
            .order_by(StatementBreakdown.payment_method)
        )
    )


def list_card_transactions(
    session: Session,
    principal: AccessPrincipal,
    card_id: str,
    date_from: date | None,
    date_to: date | None,
    limit: int,
    cursor: str | None,
    today: date,
) -> CardUsagePage:
    card = accessible_card(session, principal, card_id)
    check_limit(limit)
    first = None
    if date_from is None and date_to is not None:
        first = session.scalar(select(func.min(CardUsage.used_on)).where(CardUsage.card_pk == card.id))
    window = date_window(date_from, date_to, today, first)
    query = (
        select(CardUsage)
        .where(
            CardUsage.card_pk == card.id,
            *in_window_after(cursor, CardUsage.used_on, CardUsage.usage_id, window),
        )
        .order_by(CardUsage.used_on, CardUsage.usage_id)
        .limit(limit + 1)
    )
    page = take_page(list(session.scalars(query)), limit, lambda u: (u.used_on.isoformat(), u.usage_id))
    return CardUsagePage(card, window, page)


def get_points(
    session: Session, principal: AccessPrincipal, card_id: str
) -> tuple[Card, PointBalance | None]:
    card = accessible_card(session, principal, card_id)
    return card, session.scalar(select(PointBalance).where(PointBalance.card_pk == card.id))
