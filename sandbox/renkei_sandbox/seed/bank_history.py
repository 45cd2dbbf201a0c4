"""Believable account histories: salary on the 25th, rent, utilities, card settlements, ATM and transfers."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from renkei_sandbox.seed.calendar import business_day_on_or_before, months_between
from renkei_sandbox.seed.names import EMPLOYER_BANKS, EMPLOYERS, LANDLORDS, RELATIVE, UTILITIES
from renkei_sandbox.services.zengin import Remitter


@dataclass(frozen=True)
class Posting:
    """One movement on an account, before it gets an id and a running balance."""

    day: date
    amount: int
    kind: str
    remarks: str
    remitter: Remitter | None = None
    """The sender of a 振込 credit (salary, a relative's transfer)."""


def ordinary_history(
    rng: random.Random, start: date, end: date, card_settlements: dict[date, int]
) -> tuple[int, list[Posting]]:
    """(opening balance, postings) of a 普通預金 account between `start` and `end` inclusive."""
    salary = rng.randrange(200_000, 450_000, 1_000)
    employer = rng.choice(EMPLOYERS)
    bank_name, branch_name = EMPLOYER_BANKS[EMPLOYERS.index(employer)]
    payroll = Remitter(employer, bank_name, branch_name)
    relative = Remitter(*RELATIVE)
    rent = rng.randrange(55_000, 120_000, 1_000)
    landlord = rng.choice(LANDLORDS)
    savings = rng.randrange(10_000, 50_000, 5_000)
    postings: list[Posting] = []
    for year, month in months_between(start, end):
        postings.append(
            Posting(
                business_day_on_or_before(date(year, month, 25)),
                salary,
                "salary",
                f"ｷﾕｳﾖ {employer}",
                payroll,
            )
        )
        postings.append(
            Posting(business_day_on_or_before(date(year, month, 27)), -rent, "transfer", landlord)
        )
        for remarks, low, high in UTILITIES:
            postings.append(
                Posting(date(year, month, rng.randint(5, 12)), -rng.randint(low, high), "debit", remarks)
            )
        postings.append(Posting(date(year, month, 26), -savings, "transfer", "ﾌﾘｶｴ ﾁﾖﾁｸ"))
        for _ in range(rng.randint(1, 4)):
            amount = rng.choice((10_000, 20_000, 30_000, 50_000))
            postings.append(Posting(date(year, month, rng.randint(1, 28)), -amount, "atm", "ATM ｼﾊﾗｲ"))
        if rng.random() < 0.15:
            amount = rng.randrange(5_000, 60_000, 1_000)
            day = date(year, month, rng.randint(1, 28))
            postings.append(Posting(day, amount, "transfer", "ﾌﾘｺﾐ ｼﾝｿﾞｸ", relative))
        if month in (2, 8):
            postings.append(Posting(date(year, month, 20), rng.randint(1, 30), "interest", "ﾘｿｸ"))
    for day, amount in card_settlements.items():
        postings.append(Posting(day, -amount, "card", "ｶ-ﾄﾞ ﾛｳｷﾝｶ-ﾄﾞ"))
    postings = [p for p in postings if start <= p.day <= end]
    return rng.randrange(100_000, 800_000, 1_000), postings


def savings_history(rng: random.Random, start: date, end: date) -> tuple[int, list[Posting]]:
    """A 貯蓄預金 account: a monthly transfer from the ordinary account and interest twice a year."""
    monthly = rng.randrange(10_000, 50_000, 5_000)
    postings: list[Posting] = []
    for year, month in months_between(start, end):
        postings.append(Posting(date(year, month, 26), monthly, "transfer", "ﾌﾘｶｴ ﾌﾂｳ"))
        if month in (3, 9):
            postings.append(Posting(date(year, month, 20), rng.randint(5, 200), "interest", "ﾘｿｸ"))
        if rng.random() < 0.04:
            postings.append(
                Posting(date(year, month, 10), -rng.randrange(50_000, 200_000, 10_000), "atm", "ATM ｼﾊﾗｲ")
            )
    return rng.randrange(200_000, 3_000_000, 10_000), [p for p in postings if start <= p.day <= end]


def card_loan_history(rng: random.Random, start: date, end: date) -> tuple[int, list[Posting]]:
    """A カードローン account: occasional drawings and a monthly repayment (balances are negative)."""
    postings: list[Posting] = []
    for year, month in months_between(start, end):
        if rng.random() < 0.25:
            amount = rng.choice((30_000, 50_000, 100_000))
            postings.append(Posting(date(year, month, rng.randint(1, 20)), -amount, "loan", "ｶ-ﾄﾞﾛ-ﾝ ｶｼﾂｹ"))
        postings.append(Posting(date(year, month, 27), 10_000, "loan", "ｶ-ﾄﾞﾛ-ﾝ ﾍﾝｻｲ"))
        postings.append(Posting(date(year, month, 27), -rng.randint(50, 900), "interest", "ｶ-ﾄﾞﾛ-ﾝ ﾘｿｸ"))
    return -rng.randrange(0, 300_000, 10_000), [p for p in postings if start <= p.day <= end]


def applied(opening: int, postings: list[Posting], floor: int | None) -> list[tuple[Posting, int]]:
    """Postings in date order with their balance after; a debit that would take the balance below `floor`
    is dropped (and a credit above 0 on a loan account is capped away)."""
    result: list[tuple[Posting, int]] = []
    balance = opening
    for posting in sorted(postings, key=lambda p: (p.day, p.amount < 0)):
        new_balance = balance + posting.amount
        if floor is not None and new_balance < floor:
            continue
        if floor is not None and floor < 0 and new_balance > 0:
            continue
        balance = new_balance
        result.append((posting, balance))
    return result


def window_start(end: date, years: int) -> date:
    return end - timedelta(days=365 * years)
