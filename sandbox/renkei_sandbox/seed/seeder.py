"""Fill an empty database with deterministic demo data (random.Random(seed)); bulk inserts keep it fast."""

from __future__ import annotations

import random
import string
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from renkei_sandbox.banks import BRANCHES, FEDERATION, LABOUR_BANKS, bank_rotation
from renkei_sandbox.db.base import Base
from renkei_sandbox.db.models import (
    Account,
    Bank,
    Branch,
    Card,
    CardMember,
    CardUsage,
    Customer,
    PointBalance,
    Statement,
    StatementBreakdown,
    Transaction,
)
from renkei_sandbox.db.models.banking import ACCOUNT_KIND_CARD_LOAN, ACCOUNT_KIND_DEPOSIT, transaction_id_for
from renkei_sandbox.passwords import hash_password
from renkei_sandbox.seed import bank_history, card_history
from renkei_sandbox.seed.names import FAMILY_NAMES, GIVEN_NAMES
from renkei_sandbox.services.zengin import category_of

JST = ZoneInfo("Asia/Tokyo")
DEMO_PASSWORD = "renkei-demo"
_ID_ALPHABET = string.ascii_uppercase + string.digits


@dataclass(frozen=True)
class SeedSummary:
    customers: int
    accounts: int
    transactions: int
    cards: int


def today_jst() -> date:
    return datetime.now(JST).date()


def demo_login_id(number: int) -> str:
    return f"demo{number:02d}"


def has_seed_data(session: Session) -> bool:
    return session.scalar(select(func.count()).select_from(Bank)) != 0


def clear_all(session: Session) -> None:
    """Delete every row (children first), for `renkei sandbox seed --replace`."""
    for table in reversed(Base.metadata.sorted_tables):
        session.execute(table.delete())


def seed(
    session: Session,
    customers: int,
    years: int,
    seed_number: int = 1,
    today: date | None = None,
    progress: Callable[[int], None] | None = None,
) -> SeedSummary:
    """Insert banks, branches and `customers` demo customers with `years` of history ending `today` (JST);
    `progress(1)` after each customer."""
    rng = random.Random(seed_number)
    end = today or today_jst()
    start = bank_history.window_start(end, years)
    branch_ids = _insert_banks(session)
    seeder = _Seeder(session, rng, start, end)
    rotation = bank_rotation()
    for number in range(1, customers + 1):
        bank = rotation[(number - 1) % len(rotation)]
        branch_code = BRANCHES[rng.randrange(len(BRANCHES))][0]
        seeder.add_customer(number, bank.code, branch_ids[(bank.code, branch_code)])
        if progress is not None:
            progress(1)
    seeder.flush_transactions()
    return SeedSummary(customers, seeder.account_count, seeder.transaction_count, seeder.card_count)


def _insert_banks(session: Session) -> dict[tuple[str, str], int]:
    session.add(
        Bank(code=FEDERATION.code, name=FEDERATION.name, name_kana=FEDERATION.name_kana, is_federation=True)
    )
    branches: list[Branch] = []
    for bank in LABOUR_BANKS:
        session.add(Bank(code=bank.code, name=bank.name, name_kana=bank.name_kana, is_federation=False))
        for code, name, kana in BRANCHES:
            branches.append(
                Branch(
                    bank_code=bank.code,
                    branch_code=code,
                    name=name.format(region=bank.region),
                    name_kana=kana,
                )
            )
    session.add_all(branches)
    session.flush()
    return {(b.bank_code, b.branch_code): b.id for b in branches}


class _Seeder:
    """Accumulates rows for one seeding run; transactions and card usage go in as bulk inserts."""

    def __init__(self, session: Session, rng: random.Random, start: date, end: date) -> None:
        self.session = session
        self.rng = rng
        self.start = start
        self.end = end
        self.account_count = 0
        self.transaction_count = 0
        self.card_count = 0
        self._numbers: set[tuple[int, str]] = set()
        self._ids: set[str] = set()
        self._transactions: list[dict[str, object]] = []
        self._next_transaction_pk = (session.scalar(select(func.max(Transaction.id))) or 0) + 1

    def public_id(self, prefix: str, rng: random.Random | None = None) -> str:
        """A fresh id; `rng` (default the seed's own) draws it."""
        rng = rng or self.rng
        while True:
            value = prefix + "".join(rng.choice(_ID_ALPHABET) for _ in range(15))
            if value not in self._ids:
                self._ids.add(value)
                return value

    def account_number(self, branch_id: int) -> str:
        while True:
            value = f"{self.rng.randrange(1_000_000, 10_000_000):07d}"
            if (branch_id, value) not in self._numbers:
                self._numbers.add((branch_id, value))
                return value

    def add_customer(self, number: int, bank_code: str, branch_id: int) -> None:
        family, family_kana = self.rng.choice(FAMILY_NAMES)
        given, given_kana = self.rng.choice(GIVEN_NAMES)
        customer = Customer(
            bank_code=bank_code,
            login_id=demo_login_id(number),
            password_hash=hash_password(DEMO_PASSWORD),
            name=f"{family} {given}",
            name_kana=f"{family_kana} {given_kana}",
        )
        self.session.add(customer)
        self.session.flush()
        settlements = self.add_cards(customer) if self.rng.random() < 0.6 else {}
        holder = customer.name_kana
        opening, postings = bank_history.ordinary_history(self.rng, self.start, self.end, settlements)
        self.add_account(customer, bank_code, branch_id, "1", "普通預金", holder, opening, postings, floor=0)
        if self.rng.random() < 0.7:
            opening, postings = bank_history.savings_history(self.rng, self.start, self.end)
            self.add_account(
                customer, bank_code, branch_id, "4", "貯蓄預金", holder, opening, postings, floor=0
            )
        if self.rng.random() < 0.4:
            opening, postings = bank_history.card_loan_history(self.rng, self.start, self.end)
            self.add_account(
                customer, bank_code, branch_id, "9", "カードローン", holder, opening, postings,
                floor=-500_000, kind=ACCOUNT_KIND_CARD_LOAN, credit_limit=500_000,
            )  # fmt: skip

    def add_account(
        self,
        customer: Customer,
        bank_code: str,
        branch_id: int,
        deposit_type: str,
        nickname: str,
        holder: str,
        opening: int,
        postings: list[bank_history.Posting],
        floor: int,
        kind: str = ACCOUNT_KIND_DEPOSIT,
        credit_limit: int = 0,
    ) -> None:
        history = bank_history.applied(opening, postings, floor)
        account = Account(
            account_id=self.public_id("A"),
            bank_code=bank_code,
            branch_id=branch_id,
            customer_id=customer.id,
            kind=kind,
            deposit_type=deposit_type,
            account_number=self.account_number(branch_id),
            holder_name_kana=holder,
            nickname=nickname,
            currency="JPY",
            balance=history[-1][1] if history else opening,
            credit_limit=credit_limit,
            opened_on=self.start - timedelta(days=self.rng.randint(30, 3_000)),
        )
        self.session.add(account)
        self.session.flush()
        self.account_count += 1
        for posting, balance in history:
            remitter = posting.remitter
            pk = self._next_transaction_pk
            self._next_transaction_pk += 1
            posted = datetime.combine(posting.day, time(9, 0), JST) + timedelta(
                minutes=self.rng.randint(0, 600)
            )
            self._transactions.append(
                {
                    "id": pk,
                    "transaction_id": transaction_id_for(posting.day, pk),
                    "account_pk": account.id,
                    "transaction_date": posting.day,
                    "value_date": posting.day,
                    "transaction_type": posting.kind,
                    "amount": posting.amount,
                    "balance_after": balance,
                    "remarks": posting.remarks,
                    "category": category_of(posting.kind, posting.remarks, posting.amount),
                    "remitter_name_kana": remitter.name if remitter else None,
                    "remitter_bank_name_kana": remitter.bank_name if remitter else None,
                    "remitter_branch_name_kana": remitter.branch_name if remitter else None,
                    "edi_info": remitter.edi_info if remitter else None,
                    "posted_at": posted.astimezone(UTC),
                }
            )
        if len(self._transactions) >= 20_000:
            self.flush_transactions()

    def add_cards(self, customer: Customer) -> dict[date, int]:
        """Card member, card(s), usage, statements and points; returns the bank debits by payment date."""
        member = CardMember(member_number=f"{self.rng.randrange(10**15, 10**16)}", customer_id=customer.id)
        self.session.add(member)
        self.session.flush()
        settlements: dict[date, int] = {}
        family = self.rng.random() < 0.2
        for is_family in (False, True) if family else (False,):
            usages = card_history.usage_history(self.rng, self.start, self.end)
            card = Card(
                card_id=self.public_id("C"),
                member_id=member.id,
                card_name="ろうきんカード" + ("(家族カード)" if is_family else ""),
                brand=self.rng.choice(("visa", "mastercard", "jcb")),
                masked_number="*" * 12 + f"{self.rng.randrange(10_000):04d}",
                is_family_card=is_family,
                expires=f"{self.end.year + self.rng.randint(1, 4)}-{self.rng.randint(1, 12):02d}",
                credit_limit=self.rng.choice((300_000, 500_000, 800_000, 1_000_000)),
                cash_advance_limit=self.rng.choice((0, 100_000, 200_000)),
                closing_day=card_history.CLOSING_DAY,
                payment_day=card_history.PAYMENT_DAY,
            )
            self.session.add(card)
            self.session.flush()
            self.card_count += 1
            # Cancellations (and their ids) draw from their own generator seeded by the card id: the main
            # sequence, and so everything else the seed makes, stays as it was.
            own = random.Random(card.card_id)
            cancelled = card_history.cancellations(own, usages, self.end)
            ids = [self.public_id("U") for _ in usages] + [self.public_id("U", own) for _ in cancelled]
            usages = usages + cancelled
            drafts = card_history.statements_for(usages, self.end)
            self.session.execute(
                insert(CardUsage),
                [
                    {
                        "usage_id": usage_id,
                        "card_pk": card.id,
                        "used_on": u.day,
                        "merchant": u.merchant,
                        "category": u.category,
                        "payment_method": u.payment_method,
                        "amount": u.amount,
                        "billing_month": _billed_in(u, drafts),
                    }
                    for u, usage_id in zip(usages, ids, strict=True)
                ],
            )
            for draft in drafts.values():
                statement = Statement(
                    card_pk=card.id,
                    billing_month=draft.billing_month,
                    closing_date=draft.closing_date,
                    payment_date=draft.payment_date,
                    total_amount=draft.total,
                    is_confirmed=True,
                )
                self.session.add(statement)
                self.session.flush()
                self.session.execute(
                    insert(StatementBreakdown),
                    [
                        {"statement_pk": statement.id, "payment_method": c, "amount": a}
                        for c, a in draft.breakdown.items()
                    ],
                )
                if draft.payment_date <= self.end:
                    settlements[draft.payment_date] = settlements.get(draft.payment_date, 0) + draft.total
            earned = card_history.points_earned(usages)
            self.session.add(
                PointBalance(
                    card_pk=card.id,
                    program_name="ろうきんポイント",
                    balance=earned,
                    expiring_points=min(earned, self.rng.randint(0, 300)),
                    expires_on=date(self.end.year + 1, 3, 31),
                )
            )
        return settlements

    def flush_transactions(self) -> None:
        if self._transactions:
            self.session.execute(insert(Transaction), self._transactions)
            self.transaction_count += len(self._transactions)
            self._transactions = []
        if self.session.get_bind().dialect.name == "postgresql":
            self.session.execute(
                text(
                    "SELECT setval(pg_get_serial_sequence('transactions', 'id'),"
                    " (SELECT max(id) FROM transactions))"
                )
            )


def _billed_in(usage: card_history.Usage, drafts: dict[str, card_history.StatementDraft]) -> str | None:
    month = card_history.billing_month_of(card_history.closing_date_for(usage.day))
    return month if month in drafts else None
