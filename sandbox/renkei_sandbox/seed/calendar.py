"""Calendar helpers for seeding: months in a range and the bank business day on or before a date."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from renkei_sandbox.services.business_days import is_business_day


def months_between(start: date, end: date) -> Iterator[tuple[int, int]]:
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def business_day_on_or_before(day: date) -> date:
    while not is_business_day(day):
        day -= timedelta(days=1)
    return day
