"""Banks, branches, customers, accounts and their transactions. Amounts are integer yen."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from renkei_sandbox.db.base import Base

ACCOUNT_KIND_DEPOSIT = "deposit"
ACCOUNT_KIND_CARD_LOAN = "card_loan"


def transaction_id_for(day: date, pk: int) -> str:
    """Stable and sortable within a date: `YYYYMMDD` + the 12-digit row number."""
    return f"{day:%Y%m%d}{pk:012d}"


class Bank(Base):
    __tablename__ = "banks"

    code: Mapped[str] = mapped_column(String(4), primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    name_kana: Mapped[str] = mapped_column(String(30))
    is_federation: Mapped[bool] = mapped_column(default=False)
    """The federation (労働金庫連合会) has a code but serves no customer accounts."""


class Branch(Base):
    __tablename__ = "branches"
    __table_args__ = (UniqueConstraint("bank_code", "branch_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bank_code: Mapped[str] = mapped_column(ForeignKey("banks.code"))
    branch_code: Mapped[str] = mapped_column(String(3))
    name: Mapped[str] = mapped_column(String(60))
    name_kana: Mapped[str] = mapped_column(String(30))


class Customer(Base):
    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(primary_key=True)
    bank_code: Mapped[str] = mapped_column(ForeignKey("banks.code"), index=True)
    login_id: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(60))
    name_kana: Mapped[str] = mapped_column(String(48))


class Account(Base):
    __tablename__ = "accounts"
    __table_args__ = (UniqueConstraint("branch_id", "deposit_type", "account_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[str] = mapped_column(String(29), unique=True)
    """The public identifier on the wire: 12–29 alphanumerics, meaningless outside this sandbox."""
    bank_code: Mapped[str] = mapped_column(ForeignKey("banks.code"), index=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    deposit_type: Mapped[str] = mapped_column(String(1))
    """Zengin 預金種目: "1" 普通, "4" 貯蓄; card loans use "9" (その他)."""
    account_number: Mapped[str] = mapped_column(String(7))
    holder_name_kana: Mapped[str] = mapped_column(String(48))
    nickname: Mapped[str] = mapped_column(String(60))
    currency: Mapped[str] = mapped_column(String(3), default="JPY")
    balance: Mapped[int] = mapped_column(BigInteger)
    """Deposits: the balance. Card loans: minus the amount owed."""
    credit_limit: Mapped[int] = mapped_column(BigInteger, default=0)
    opened_on: Mapped[date] = mapped_column(Date)


class Transaction(Base):
    __tablename__ = "transactions"
    __table_args__ = (
        Index("ix_transactions_account_date_id", "account_pk", "transaction_date", "transaction_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    transaction_id: Mapped[str] = mapped_column(String(32), unique=True)
    """Stable and sortable within a date: `YYYYMMDD` + the zero-padded row number."""
    account_pk: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    transaction_date: Mapped[date] = mapped_column(Date)
    value_date: Mapped[date] = mapped_column(Date)
    transaction_type: Mapped[str] = mapped_column(String(16))
    amount: Mapped[int] = mapped_column(BigInteger)
    """Signed: positive for a credit (入金), negative for a debit (出金)."""
    balance_after: Mapped[int] = mapped_column(BigInteger)
    remarks: Mapped[str] = mapped_column(String(48))
    category: Mapped[str | None] = mapped_column(String(2))
    """取引区分 (Zengin: 10 現金, 11 振込, 14 振替, 18 その他, 19 訂正); None: derived from the kind."""
    remitter_name_kana: Mapped[str | None] = mapped_column(String(48))
    """振込依頼人名 of a 振込 credit."""
    remitter_bank_name_kana: Mapped[str | None] = mapped_column(String(30))
    """仕向金融機関名 of a 振込 credit."""
    remitter_branch_name_kana: Mapped[str | None] = mapped_column(String(15))
    """仕向支店名 of a 振込 credit."""
    edi_info: Mapped[str | None] = mapped_column(String(20))
    posted_at: Mapped[datetime]
