"""The card member (会員): its cards, masked payment account, unpaid リボ/分割 and statements billed per
member (本会員 and family cards together), as Japanese issuers bill. Visible when the consent covers at
least one of the member's cards; card ids are given only for consented cards."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from renkei_sandbox.access import AccessPrincipal
from renkei_sandbox.db.models import (
    Account,
    Branch,
    Card,
    CardMember,
    CardUsage,
    Customer,
    Statement,
    StatementBreakdown,
)
from renkei_sandbox.db.models.banking import ACCOUNT_KIND_DEPOSIT
from renkei_sandbox.services.errors import not_found
from renkei_sandbox.services.pagination import Page, check_limit, decode_cursor, encode_cursor


@dataclass(frozen=True)
class PaymentAccount:
    bank_code: str
    branch_code: str
    deposit_type: str
    account_number: str


@dataclass(frozen=True)
class MemberView:
    member: CardMember
    customer: Customer
    cards: list[Card]
    """Principal card first, then family cards."""
    consented: frozenset[int]
    payment_account: PaymentAccount | None
    revolving_unpaid: int
    installment_unpaid: int


@dataclass(frozen=True)
class CardShare:
    card: Card
    amount: int


@dataclass(frozen=True)
class MemberStatementView:
    billing_month: str
    closing_date: date
    payment_date: date
    fixed: bool
    breakdown: dict[str, int]
    shares: list[CardShare]

    @property
    def total(self) -> int:
        return sum(share.amount for share in self.shares)


def mask_tail(digits: str, keep: int = 4) -> str:
    """All but the last `keep` digits replaced by `*`."""
    return "*" * (len(digits) - keep) + digits[-keep:]


def _member(session: Session, principal: AccessPrincipal) -> tuple[CardMember, Customer, list[Card]]:
    member = session.scalar(select(CardMember).where(CardMember.customer_id == principal.customer_id))
    if member is None:
        raise not_found()
    cards = list(
        session.scalars(
            select(Card).where(Card.member_id == member.id).order_by(Card.is_family_card, Card.card_id)
        )
    )
    if not any(card.id in principal.card_pks for card in cards):
        raise not_found()  # no card of this member is consented: the member is not visible either
    customer = session.get(Customer, member.customer_id)
    assert customer is not None
    return member, customer, cards


def _payment_account(session: Session, customer: Customer) -> PaymentAccount | None:
    """The customer's first ordinary deposit account (the seed debits card settlements from it)."""
    row = session.execute(
        select(Account, Branch.branch_code)
        .join(Branch, Account.branch_id == Branch.id)
        .where(
            Account.customer_id == customer.id,
            Account.kind == ACCOUNT_KIND_DEPOSIT,
            Account.deposit_type == "1",
        )
        .order_by(Account.id)
    ).first()
    if row is None:
        return None
    account, branch_code = row
    return PaymentAccount(account.bank_code, branch_code, account.deposit_type, account.account_number)


def _unpaid_by_method(session: Session, cards: list[Card], today: date) -> dict[str, int]:
    """Usage not yet paid: unbilled, or billed in a statement whose payment date is still ahead."""
    pks = [card.id for card in cards]
    unpaid_months = select(Statement.billing_month).where(
        Statement.card_pk.in_(pks), Statement.payment_date > today
    )
    rows = session.execute(
        select(CardUsage.payment_method, func.coalesce(func.sum(CardUsage.amount), 0))
        .where(
            CardUsage.card_pk.in_(pks),
            or_(CardUsage.billing_month.is_(None), CardUsage.billing_month.in_(unpaid_months)),
        )
        .group_by(CardUsage.payment_method)
    ).all()
    return {method: int(total) for method, total in rows}


def get_member(session: Session, principal: AccessPrincipal, today: date) -> MemberView:
    member, customer, cards = _member(session, principal)
    unpaid = _unpaid_by_method(session, cards, today)
    return MemberView(
        member,
        customer,
        cards,
        principal.card_pks,
        _payment_account(session, customer),
        max(0, unpaid.get("revolving", 0)),
        max(0, unpaid.get("installment", 0)),
    )


def _statements_of(session: Session, cards: list[Card], months: list[str]) -> list[MemberStatementView]:
    by_pk = {card.id: card for card in cards}
    rows = list(
        session.scalars(
            select(Statement).where(Statement.card_pk.in_(by_pk), Statement.billing_month.in_(months))
        )
    )
    breakdowns: dict[int, list[StatementBreakdown]] = {}
    if rows:
        for line in session.scalars(
            select(StatementBreakdown).where(StatementBreakdown.statement_pk.in_([r.id for r in rows]))
        ):
            breakdowns.setdefault(line.statement_pk, []).append(line)
    views = []
    for month in months:
        parts = [row for row in rows if row.billing_month == month]
        parts.sort(key=lambda row: (by_pk[row.card_pk].is_family_card, by_pk[row.card_pk].card_id))
        breakdown: dict[str, int] = {}
        for row in parts:
            for line in breakdowns.get(row.id, []):
                breakdown[line.payment_method] = breakdown.get(line.payment_method, 0) + line.amount
        views.append(
            MemberStatementView(
                billing_month=month,
                closing_date=min(row.closing_date for row in parts),
                payment_date=min(row.payment_date for row in parts),
                fixed=all(row.is_confirmed for row in parts),
                breakdown=dict(sorted(breakdown.items())),
                shares=[CardShare(by_pk[row.card_pk], row.total_amount) for row in parts],
            )
        )
    return views


def list_member_statements(
    session: Session, principal: AccessPrincipal, limit: int, cursor: str | None
) -> Page[MemberStatementView]:
    """Newest billing month first; one entry per month over all the member's cards."""
    _, _, cards = _member(session, principal)
    check_limit(limit)
    after = decode_cursor(cursor, 1)
    conditions: list[ColumnElement[bool]] = [Statement.card_pk.in_([card.id for card in cards])]
    if after is not None:
        conditions.append(Statement.billing_month < after[0])
    query = (
        select(Statement.billing_month)
        .where(*conditions)
        .group_by(Statement.billing_month)
        .order_by(Statement.billing_month.desc())
    )
    months = list(session.scalars(query.limit(limit + 1)))
    has_next = len(months) > limit
    months = months[:limit]
    views = _statements_of(session, cards, months)
    return Page(views, encode_cursor(months[-1]) if has_next else None)


def get_member_statement(
    session: Session, principal: AccessPrincipal, billing_month: str
) -> MemberStatementView:
    _, _, cards = _member(session, principal)
    found = session.scalar(
        select(func.count())
        .select_from(Statement)
        .where(Statement.card_pk.in_([card.id for card in cards]), Statement.billing_month == billing_month)
    )
    if not found:
        raise not_found()
    return _statements_of(session, cards, [billing_month])[0]
