"""Zengin items of a transaction-history row: 取引区分 and the remitter of a 振込 credit; 科目コード."""

from __future__ import annotations

from dataclasses import dataclass

CATEGORY_CASH = "10"
CATEGORY_TRANSFER = "11"
CATEGORY_BOOK_TRANSFER = "14"
CATEGORY_OTHER = "18"
CATEGORY_CORRECTION = "19"

_CATEGORY_OF_KIND = {
    "salary": CATEGORY_TRANSFER,
    "transfer": CATEGORY_TRANSFER,
    "debit": CATEGORY_BOOK_TRANSFER,  # 口座振替 (direct debit)
    "card": CATEGORY_BOOK_TRANSFER,
    "atm": CATEGORY_CASH,
    "interest": CATEGORY_OTHER,
    "fee": CATEGORY_OTHER,
    "correction": CATEGORY_CORRECTION,
}


def category_of(kind: str, remarks: str, amount: int) -> str:
    """取引区分 of a posting: 振込 (11) for transfers and salary, 振替 (14) for direct debits, card
    settlements and transfers between one's own accounts (摘要 ﾌﾘｶｴ), 現金 (10) for ATM, その他 (18)
    otherwise. A card-loan drawing (借入) is cash at an ATM, its repayment an automatic debit."""
    if kind == "transfer" and remarks.startswith("ﾌﾘｶｴ"):
        return CATEGORY_BOOK_TRANSFER
    if kind == "loan":
        return CATEGORY_CASH if amount < 0 else CATEGORY_BOOK_TRANSFER
    return _CATEGORY_OF_KIND.get(kind, CATEGORY_OTHER)


@dataclass(frozen=True)
class Remitter:
    """The sender of a 振込 credit, as the Zengin record carries it (half-width kana)."""

    name: str
    bank_name: str | None = None
    branch_name: str | None = None
    edi_info: str | None = None


# 科目コード (the bank-internal 2-digit code): fictitious sandbox values, one per account kind.
ACCOUNT_TYPE_ORDINARY = "01"
ACCOUNT_TYPE_SAVINGS = "04"
ACCOUNT_TYPE_CARD_LOAN = "61"


def account_type_code(kind: str, deposit_type: str) -> str:
    if kind == "card_loan":
        return ACCOUNT_TYPE_CARD_LOAN
    return ACCOUNT_TYPE_SAVINGS if deposit_type == "4" else ACCOUNT_TYPE_ORDINARY
