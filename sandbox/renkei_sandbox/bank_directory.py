"""The bank directory (GET /banks): which APIs each of the 13 labour banks offers, the account kinds it
serves, its maintenance windows and business-day rules. Static data of the sandbox deployment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from renkei_sandbox.banks import LABOUR_BANKS, BankInfo
from renkei_sandbox.services.zengin import (
    ACCOUNT_TYPE_CARD_LOAN,
    ACCOUNT_TYPE_ORDINARY,
    ACCOUNT_TYPE_SAVINGS,
)

BANK_INQUIRY = "bank-inquiry"
BANK_TRANSFER = "bank-transfer"

TRANSFERS_PLANNED = {"2997": date(2027, 4, 1)}
"""Banks whose 資金移動系 is only planned (提供予定), with the planned start: their transfer operations
answer 403 api_not_offered. The labour banks start with inquiry only (SEED-R); the sandbox offers
transfers at the other twelve so that connectors can test them, and keeps one bank as the example."""

SAME_DAY_CUT_OFF = "15:00"
MAX_DAYS_AHEAD = 30
CLOSED_DATES = ("12-31", "01-01", "01-02", "01-03")


@dataclass(frozen=True)
class Offering:
    api: str
    offered: bool
    available_from: date | None = None


@dataclass(frozen=True)
class AccountKind:
    category: str
    """`deposit` or `card-loan` (the spec's AccountCategory)."""
    type_code: str
    type_name: str
    deposit_type: str | None


@dataclass(frozen=True)
class Window:
    recurrence: str
    description: str
    day_of_week: int | None = None
    start_time: str | None = None
    end_time: str | None = None


@dataclass(frozen=True)
class DirectoryEntry:
    bank: BankInfo
    offerings: tuple[Offering, ...]
    account_kinds: tuple[AccountKind, ...]
    windows: tuple[Window, ...]

    def offers(self, api: str) -> bool:
        return any(o.api == api and o.offered for o in self.offerings)


ACCOUNT_KINDS = (
    AccountKind("deposit", ACCOUNT_TYPE_ORDINARY, "普通預金", "1"),
    AccountKind("deposit", ACCOUNT_TYPE_SAVINGS, "貯蓄預金", "4"),
    AccountKind("card-loan", ACCOUNT_TYPE_CARD_LOAN, "カードローン", None),
)
"""The kinds the labour banks serve through the API (普通預金, 貯蓄預金, カードローン; JPS §4.5), with the
sandbox's fictitious 科目コード."""

WINDOWS = (
    Window(
        "weekly",
        "定例メンテナンス (例示。サンドボックスはこの間も停止しません)。",
        day_of_week=7,
        start_time="02:00",
        end_time="05:00",
    ),
)


def _entry(bank: BankInfo) -> DirectoryEntry:
    planned = TRANSFERS_PLANNED.get(bank.code)
    offerings = (
        Offering(BANK_INQUIRY, True),
        Offering(BANK_TRANSFER, planned is None, planned),
    )
    return DirectoryEntry(bank, offerings, ACCOUNT_KINDS, WINDOWS)


DIRECTORY: tuple[DirectoryEntry, ...] = tuple(_entry(b) for b in sorted(LABOUR_BANKS, key=lambda b: b.code))
_BY_CODE = {entry.bank.code: entry for entry in DIRECTORY}


def find(bank_code: str) -> DirectoryEntry | None:
    """The served bank with this code; None for any other code (the federation 2950 included)."""
    return _BY_CODE.get(bank_code)


def offers(bank_code: str, api: str) -> bool:
    """Whether the bank offers the API; True for a code the directory does not know (the operation then
    answers 404 as for any resource outside the token's bank)."""
    entry = find(bank_code)
    return entry is None or entry.offers(api)
