"""Card usage, statements (closing on the 15th, payment on the 10th of the next month) and points."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from renkei_sandbox.seed.calendar import months_between
from renkei_sandbox.seed.names import SHOPS
from renkei_sandbox.services.business_days import is_business_day

CLOSING_DAY = 15
PAYMENT_DAY = 10
ANNUAL_FEE = 1_375


@dataclass(frozen=True)
class Usage:
    day: date
    merchant: str
    category: str
    payment_method: str
    amount: int


@dataclass
class StatementDraft:
    billing_month: str
    closing_date: date
    payment_date: date
    breakdown: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.breakdown.values())


def closing_date_for(day: date) -> date:
    """The closing date of the statement that bills a purchase made on `day`."""
    if day.day <= CLOSING_DAY:
        return day.replace(day=CLOSING_DAY)
    following = (day.replace(day=1) + timedelta(days=32)).replace(day=CLOSING_DAY)
    return following


def payment_date_for(closing: date) -> date:
    payment = (closing.replace(day=1) + timedelta(days=32)).replace(day=PAYMENT_DAY)
    while not is_business_day(payment):
        payment += timedelta(days=1)
    return payment


def usage_history(rng: random.Random, start: date, end: date) -> list[Usage]:
    usages: list[Usage] = []
    for year, month in months_between(start, end):
        for _ in range(rng.randint(6, 18)):
            merchant, low, high = rng.choice(SHOPS)
            method = "revolving" if rng.random() < 0.05 else "lump-sum"
            usages.append(
                Usage(
                    date(year, month, rng.randint(1, 28)),
                    merchant,
                    "shopping",
                    method,
                    rng.randint(low, high),
                )
            )
        if rng.random() < 0.05:
            amount = rng.choice((10_000, 20_000, 30_000))
            usages.append(
                Usage(date(year, month, rng.randint(1, 28)), "ｷﾔﾂｼﾝｸﾞ ATM", "cashing", "lump-sum", amount)
            )
        if month == 4:
            usages.append(Usage(date(year, month, 1), "ﾈﾝｶｲﾋ", "fees", "lump-sum", ANNUAL_FEE))
    return sorted((u for u in usages if start <= u.day <= end), key=lambda u: u.day)


def statements_for(usages: list[Usage], today: date) -> dict[str, StatementDraft]:
    """Statements for every closing date up to `today`, keyed by billing month (the payment's `YYYY-MM`)."""
    drafts: dict[str, StatementDraft] = {}
    for usage in usages:
        closing = closing_date_for(usage.day)
        if closing > today:
            continue
        payment = payment_date_for(closing)
        month = billing_month_of(closing)
        draft = drafts.setdefault(month, StatementDraft(month, closing, payment))
        method = usage.payment_method
        draft.breakdown[method] = draft.breakdown.get(method, 0) + usage.amount
    return drafts


def billing_month_of(closing: date) -> str:
    payment_month = closing.replace(day=1) + timedelta(days=32)
    return f"{payment_month.year:04d}-{payment_month.month:02d}"


def cancellations(rng: random.Random, usages: list[Usage], end: date) -> list[Usage]:
    """取消・返品: about three in ten shopping usages not yet billed (after the last closing date) are
    cancelled one to three days later, each as its own line with the negative amount (the spec's fixed
    sign rule); the original line stays as it was. Billed statements, and so the bank's card settlements,
    do not change."""
    lines = []
    for usage in usages:
        if usage.category != "shopping" or closing_date_for(usage.day) <= end or rng.random() >= 0.3:
            continue
        day = usage.day + timedelta(days=rng.randint(1, 3))
        if day <= end:
            lines.append(Usage(day, usage.merchant, usage.category, usage.payment_method, -usage.amount))
    return lines


def points_earned(usages: list[Usage]) -> int:
    """One point per 1,000 yen of shopping; a cancellation takes back the points of what it cancels."""
    return sum(
        u.amount // 1_000 if u.amount > 0 else -(-u.amount // 1_000)
        for u in usages
        if u.category == "shopping"
    )
