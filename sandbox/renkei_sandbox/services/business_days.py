"""Bank business days (銀行営業日): not a weekend, a Japanese public holiday or 12/31–1/3."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _japanese_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("JP", years=year)


def is_business_day(day: date) -> bool:
    if day.weekday() >= 5:
        return False
    if (day.month, day.day) in {(12, 31), (1, 1), (1, 2), (1, 3)}:
        return False
    return day not in _japanese_holidays(day.year)
