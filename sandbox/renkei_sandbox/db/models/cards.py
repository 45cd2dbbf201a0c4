"""The card company's data: members, cards, usage details, statements and points. Amounts are integer yen."""

from __future__ import annotations

from datetime import date

from sqlalchemy import BigInteger, Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from renkei_sandbox.db.base import Base


class CardMember(Base):
    """A card-company member; in the sandbox every member is also a bank customer (same login)."""

    __tablename__ = "card_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_number: Mapped[str] = mapped_column(String(16), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), unique=True)


class Card(Base):
    __tablename__ = "cards"

    id: Mapped[int] = mapped_column(primary_key=True)
    card_id: Mapped[str] = mapped_column(String(29), unique=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("card_members.id"), index=True)
    card_name: Mapped[str] = mapped_column(String(60))
    brand: Mapped[str] = mapped_column(String(16))
    masked_number: Mapped[str] = mapped_column(String(19))
    """Only the last four digits are stored: `************1234`."""
    is_family_card: Mapped[bool] = mapped_column(default=False)
    expires: Mapped[str] = mapped_column(String(7))
    """`YYYY-MM`."""
    credit_limit: Mapped[int] = mapped_column(BigInteger)
    cash_advance_limit: Mapped[int] = mapped_column(BigInteger)
    closing_day: Mapped[int]
    payment_day: Mapped[int]


class CardUsage(Base):
    __tablename__ = "card_usages"
    __table_args__ = (Index("ix_card_usages_card_date_id", "card_pk", "used_on", "usage_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    usage_id: Mapped[str] = mapped_column(String(32), unique=True)
    card_pk: Mapped[int] = mapped_column(ForeignKey("cards.id"))
    used_on: Mapped[date] = mapped_column(Date)
    merchant: Mapped[str] = mapped_column(String(60))
    category: Mapped[str] = mapped_column(String(16))
    """`shopping`, `cashing` or `fees`."""
    payment_method: Mapped[str] = mapped_column(String(16))
    """`lump-sum` (1回払い), `installment` (分割), `revolving` (リボ) or `bonus`."""
    amount: Mapped[int] = mapped_column(BigInteger)
    billing_month: Mapped[str | None] = mapped_column(String(7))
    """`YYYY-MM` of the statement it is billed in; NULL while not yet billed."""


class Statement(Base):
    __tablename__ = "statements"
    __table_args__ = (UniqueConstraint("card_pk", "billing_month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    card_pk: Mapped[int] = mapped_column(ForeignKey("cards.id"))
    billing_month: Mapped[str] = mapped_column(String(7))
    closing_date: Mapped[date] = mapped_column(Date)
    payment_date: Mapped[date] = mapped_column(Date)
    total_amount: Mapped[int] = mapped_column(BigInteger)
    is_confirmed: Mapped[bool]


class StatementBreakdown(Base):
    __tablename__ = "statement_breakdowns"
    __table_args__ = (UniqueConstraint("statement_pk", "payment_method"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_pk: Mapped[int] = mapped_column(ForeignKey("statements.id"))
    payment_method: Mapped[str] = mapped_column(String(16))
    """`lump-sum`, `installment`, `revolving` or `bonus`."""
    amount: Mapped[int] = mapped_column(BigInteger)


class PointBalance(Base):
    __tablename__ = "point_balances"

    id: Mapped[int] = mapped_column(primary_key=True)
    card_pk: Mapped[int] = mapped_column(ForeignKey("cards.id"), unique=True)
    program_name: Mapped[str] = mapped_column(String(40))
    balance: Mapped[int] = mapped_column(BigInteger)
    expiring_points: Mapped[int] = mapped_column(BigInteger)
    expires_on: Mapped[date | None] = mapped_column(Date)
